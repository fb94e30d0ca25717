"""The statistics of a plan's effect, from plain counts so each can be checked by hand.

:func:`rate_ratio` (did the target fall more than the control?), :func:`wdq` (Bowers &
Johnson's weighted displacement quotient), :func:`wdd` (Wheeler & Ratcliffe's weighted
displacement difference test) and :func:`sustained` (did the fall last?). Counting the
areas and putting the evaluation together lives in ``geodata/evaluation.py``. The tests
take crimes as Poisson counts; the rate ratio and the scaled-control WDD
(:func:`wdd_scaled_control`, which also carries the control scale's own uncertainty) take
a ``dispersion`` that widens them for over-dispersed counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from scipy import special

from geodata.errors import EvaluationError
from geodata.profile import SIGNIFICANCE

RATE_RATIO_METHOD = (
    "(target after / target before) / (control after / control before); 95 % interval and "
    "two-sided p from the normal approximation to the log ratio, standard error "
    "sqrt(phi (1/a + 1/b + 1/c + 1/d)) (Farrington & Welsh), phi the over-dispersion; 0.5 "
    "added to every count when any is zero (Haldane-Anscombe)"
)
WDQ_METHOD = (
    "Bowers & Johnson (2003): buffer measure (B_after/C_after - B_before/C_before) over "
    "success measure (A_after/C_after - A_before/C_before); read only when the success "
    "measure is negative"
)
WDD_METHOD = (
    "Wheeler & Ratcliffe (2018): (T_after - T_before) - s_t (C_after - C_before) + "
    "(B_after - B_before) - s_b (C_after - C_before), the rest of the force scaled to each "
    "area's before count (s = area before / control before); variance the sum of the Poisson "
    "variances, counting the shared control once; two-sided p from the normal distribution"
)

WDD_SCALED_METHOD = (
    "Wheeler & Ratcliffe (2018) with the rest of the force as the control, scaled to each "
    "area's before count: (T_after - r T_before) + (B_after - r B_before), r = control after / "
    "control before; variance by the delta method over every count (so the scale's own "
    "uncertainty is included), T_after + B_after + r^2 (T_before + B_before) + s^2 "
    "(C_after + r^2 C_before) with s = (T_before + B_before) / C_before, times the "
    "over-dispersion; two-sided p from the normal distribution"
)

_Z95 = float(special.ndtri(0.975))


# --- Statistics ----------------------------------------------------------------------------


def _check_counts(**counts: float) -> None:
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise EvaluationError(f"{name}: {value!r} is not a count of 0 or more")
        if not math.isfinite(value):
            raise EvaluationError(f"{name}: {value!r} is not a finite count")


def _check_dispersion(dispersion: float) -> None:
    if (
        isinstance(dispersion, bool)
        or not isinstance(dispersion, int | float)
        or not (math.isfinite(dispersion) and dispersion >= 1)
    ):
        raise EvaluationError(f"dispersion: {dispersion!r} is not a finite number of 1 or more")


def _wdd(local: float, displacement: float, variance: float) -> WDD:
    """The WDD of its two parts and their variance: z, two-sided p and the 95 % interval
    from the normal approximation, as every WDD here reports them."""
    estimate = local + displacement
    se = math.sqrt(variance)
    z = estimate / se if se > 0 else 0.0
    return WDD(
        estimate=float(estimate),
        variance=float(variance),
        z=float(z),
        p_value=_two_sided_p(z),
        low=float(estimate - _Z95 * se),
        high=float(estimate + _Z95 * se),
        local=float(local),
        displacement=float(displacement),
    )


def _two_sided_p(z: float) -> float:
    return float(2 * special.ndtr(-abs(z)))


@dataclass(frozen=True, slots=True)
class RateRatio:
    """The target's after/before ratio relative to the control's; below 1 is a relative fall.

    ``log_se`` is the standard error of ``log(ratio)``; ``corrected`` says that 0.5 was
    added to every count because one of them was zero.
    """

    ratio: float
    low: float
    high: float
    p_value: float
    log_se: float
    corrected: bool

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "significant": self.p_value < SIGNIFICANCE}


def rate_ratio(
    target_before: int,
    target_after: int,
    control_before: int,
    control_after: int,
    *,
    dispersion: float = 1.0,
) -> RateRatio:
    """How the target area changed relative to the control, with a 95 % interval.

    Method
    ------
    The ratio is ``(target_after / target_before) / (control_after / control_before)``:
    0.65 means the target ended at 65 % of the level the control's trend predicts, a 35 %
    relative fall. This is the "odds ratio" of the 2 x 2 table of before/after counts that
    Farrington and Welsh use in their systematic reviews of area-based crime prevention
    (CCTV, street lighting), whose "relative effect size" (a*d)/(b*c), with a, b the
    experimental and c, d the control counts before and after, is the reciprocal of this
    ratio (theirs above 1 is a success); the interval and p-value are the same either way.

    Following them, counts are taken as Poisson, so the log ratio has variance
    ``1/a + 1/b + 1/c + 1/d`` (the four counts); the 95 % interval is
    ``exp(log ratio ± 1.96 SE)`` and the two-sided p-value is that of ``log ratio / SE``
    under the standard normal. The control's counts are in that variance, so the control's
    own uncertainty is already counted (it is the delta method for the log of a ratio of
    ratios). Following Farrington and Welsh's later reviews, the variance is multiplied by
    ``dispersion`` (quasi-Poisson: clustered crime varies more than Poisson counts do; 1
    leaves the Poisson interval).

    A zero count makes the ratio 0 or infinite and the variance infinite; then 0.5 is added
    to every one of the four counts (the Haldane-Anscombe correction) and ``corrected`` is
    set, so the reader is told.
    """
    _check_counts(
        target_before=target_before,
        target_after=target_after,
        control_before=control_before,
        control_after=control_after,
    )
    _check_dispersion(dispersion)
    cells = [float(target_before), float(target_after), float(control_before), float(control_after)]
    corrected = min(cells) == 0
    if corrected:
        cells = [c + 0.5 for c in cells]
    a_before, a_after, c_before, c_after = cells
    log_ratio = math.log(a_after) - math.log(a_before) - math.log(c_after) + math.log(c_before)
    log_se = math.sqrt(dispersion * sum(1 / c for c in cells))
    return RateRatio(
        ratio=math.exp(log_ratio),
        low=math.exp(log_ratio - _Z95 * log_se),
        high=math.exp(log_ratio + _Z95 * log_se),
        p_value=_two_sided_p(log_ratio / log_se),
        log_se=log_se,
        corrected=corrected,
    )


WDQ_DIFFUSION_GREATER = "diffusion of benefit greater than the direct effect"
WDQ_DIFFUSION = "some diffusion of benefit"
WDQ_NEITHER = "no displacement or diffusion"
WDQ_DISPLACEMENT_SMALLER = "some displacement, no greater than the direct benefit (net positive)"
WDQ_DISPLACEMENT_GREATER = "displacement greater than the direct benefit (net negative)"
WDQ_NO_SUCCESS = (
    "no success to speak of: the target did not fall relative to the control, "
    "so the WDQ is not interpretable"
)


@dataclass(frozen=True, slots=True)
class WDQ:
    """A weighted displacement quotient, its two measures and the standard reading.

    ``value`` is None when there was no success to measure displacement against, and every
    number is None when the control had no incidents in a period (``reading`` says why).
    """

    value: float | None
    success_measure: float | None
    buffer_measure: float | None
    reading: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def wdq(
    target_before: int,
    target_after: int,
    buffer_before: int,
    buffer_after: int,
    control_before: int,
    control_after: int,
) -> WDQ:
    """Bowers and Johnson's (2003) weighted displacement quotient, with its reading.

    Method
    ------
    Each area's count is divided by the control's count in the same period, so the
    control's trend is taken out. With A the target, B the buffer and C the control, and
    subscripts for before (b) and after (a):

    - success measure = A_a/C_a - A_b/C_b: negative when the target fell relative to the
      control;
    - buffer displacement measure = B_a/C_a - B_b/C_b: positive suggests displacement into
      the buffer, negative a diffusion of benefit;
    - WDQ = buffer measure / success measure.

    Bowers and Johnson: "displacement can only be attributed to crime prevention activity if
    crime is reduced in the target area" (abstract, J. Quant. Criminol. 19(3) 275-301), so
    with a success measure of 0 or more the WDQ is not computed (``value`` None). Otherwise
    the reading follows their table, as restated by Guerette (2009, Analyzing Crime
    Displacement and Diffusion, POP Center Tool Guide 10, Appendix C): a positive WDQ "indicates
    there was a diffusion effect", above +1 "the diffusion effect was greater than the
    response effect"; a negative WDQ "indicates there was displacement", between 0 and -1
    "the displacement was not greater than the response effects and the intervention still
    achieved some benefit", below -1 "the response effect was eclipsed or erased by
    displacement"; zero "means there was no effect". The bands used:

    ====================  ==========================================================
    WDQ > 1               diffusion of benefit greater than the direct effect
    0 < WDQ <= 1          some diffusion of benefit
    WDQ = 0               no displacement or diffusion
    -1 <= WDQ < 0         some displacement, no greater than the direct benefit
    WDQ < -1              displacement greater than the direct benefit
    ====================  ==========================================================

    The measures are worked in exact fractions, so a WDQ of exactly 1, 0 or -1 falls in the
    band above; at exactly -1 the displacement cancels the direct benefit. The WDQ has no standard
    error; :func:`wdd` supplies the test. A control with no incidents in either period
    makes the measures undefined: every number is None and ``reading`` says so.
    """
    _check_counts(
        target_before=target_before,
        target_after=target_after,
        buffer_before=buffer_before,
        buffer_after=buffer_after,
        control_before=control_before,
        control_after=control_after,
    )
    empty = [
        name for name, value in (("before", control_before), ("after", control_after)) if value == 0
    ]
    if empty:
        return WDQ(
            None,
            None,
            None,
            f"undefined: the control had no incidents {' or '.join(empty)} the plan started",
        )
    # Exact rationals, so a band edge (WDQ of exactly 0, 1 or -1) is read as its band.
    a_b, a_a, b_b, b_a, c_b, c_a = (
        Fraction(v)
        for v in (
            target_before,
            target_after,
            buffer_before,
            buffer_after,
            control_before,
            control_after,
        )
    )
    success = a_a / c_a - a_b / c_b
    displaced = b_a / c_a - b_b / c_b
    if success >= 0:
        return WDQ(None, float(success), float(displaced), WDQ_NO_SUCCESS)
    value = displaced / success
    if value > 1:
        reading = WDQ_DIFFUSION_GREATER
    elif value > 0:
        reading = WDQ_DIFFUSION
    elif value == 0:
        reading = WDQ_NEITHER
    elif value >= -1:
        reading = WDQ_DISPLACEMENT_SMALLER
    else:
        reading = WDQ_DISPLACEMENT_GREATER
    return WDQ(float(value), float(success), float(displaced), reading)


@dataclass(frozen=True, slots=True)
class WDD:
    """A weighted displacement difference: crimes above (+) or below (-) what the controls
    predict, its Poisson variance, z, two-sided p and 95 % interval.

    ``local`` is the target's part and ``displacement`` the displacement area's part;
    ``estimate`` is their sum.
    """

    estimate: float
    variance: float
    z: float
    p_value: float
    low: float
    high: float
    local: float
    displacement: float

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "significant": self.p_value < SIGNIFICANCE}


def wdd(
    t1: float,
    t2: float,
    c1: float,
    c2: float,
    d1: float = 0,
    d2: float = 0,
    cd1: float = 0,
    cd2: float = 0,
    *,
    scale: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
    shared_control: bool = False,
) -> WDD:
    """Wheeler and Ratcliffe's (2018) weighted displacement difference test.

    Method
    ------
    From "A simple weighted displacement difference test to evaluate place based crime
    interventions", Crime Science 7:11. Counts are before (1) and after (2) in the treated
    area T, its control C, a displacement area D and the displacement area's own control
    CD. It is a difference in differences of counts:

    - local = (t2 - t1) - (c2 - c1)
    - displacement = (d2 - d1) - (cd2 - cd1)
    - WDD = local + displacement; negative is a reduction, in crimes.

    The counts are taken as independent Poisson, so the variance is the sum of the eight
    counts, ``t1 + t2 + c1 + c2 + d1 + d2 + cd1 + cd2``; z = WDD / sqrt(variance), the
    two-sided p-value and 95 % interval come from the standard normal. Without a
    displacement area leave d and cd at 0 (they then add nothing). This reproduces the
    paper's worked example and Wheeler's ptools R package (``wdd``).

    ``scale`` multiplies each area's counts, in the order (T, C, D, CD), before the
    differences are taken, and each variance term by its square; it is the reciprocal of
    ptools' ``area_weights`` (Wheeler, "The WDD test with different area sizes", 2021), used
    to put areas of different sizes on one footing. Scaling changes the assumption from
    parallel trends in counts to parallel trends in scaled counts.

    When the displacement area has no control of its own the paper's areas are reused: the
    same control serves both (pass cd = c). The two uses are then not independent, and
    ``shared_control=True`` (which requires cd1 = c1 and cd2 = c2) adds the covariance
    ``2 * s_c * s_cd * (c1 + c2)`` so that the control's variance is counted once,
    ``(s_c + s_cd)^2 (c1 + c2)``, rather than as two independent areas. With all counts 0
    there is no evidence of change: z = 0 and p = 1.
    """
    _check_counts(t1=t1, t2=t2, c1=c1, c2=c2, d1=d1, d2=d2, cd1=cd1, cd2=cd2)
    if len(scale) != 4 or any(
        isinstance(s, bool) or not isinstance(s, int | float) or not (math.isfinite(s) and s >= 0)
        for s in scale
    ):
        raise EvaluationError(f"scale: {scale!r} is not four finite numbers of 0 or more")
    if shared_control and (cd1, cd2) != (c1, c2):
        raise EvaluationError(
            f"shared_control: the displacement control ({cd1}, {cd2}) is not the control "
            f"({c1}, {c2})"
        )
    s_t, s_c, s_d, s_cd = (float(s) for s in scale)
    local = s_t * (t2 - t1) - s_c * (c2 - c1)
    displacement = s_d * (d2 - d1) - s_cd * (cd2 - cd1)
    variance = s_t**2 * (t1 + t2) + s_c**2 * (c1 + c2) + s_d**2 * (d1 + d2) + s_cd**2 * (cd1 + cd2)
    if shared_control:
        variance += 2 * s_c * s_cd * (c1 + c2)
    return _wdd(local, displacement, variance)


def wdd_scaled_control(
    target: tuple[int, int],
    control: tuple[int, int],
    buffer: tuple[int, int] | None = None,
    *,
    dispersion: float = 1.0,
) -> WDD:
    """The WDD against a large control scaled to each area's before count, with the scale's
    uncertainty in its variance.

    Method
    ------
    With the rest of the force as the control, :func:`wdd` needs the control scaled to each
    area (Wheeler's area weights): ``s = area before / control before``. The estimate is
    then ``(T2 - T1) - s_T (C2 - C1) = T2 - r T1`` with ``r = C2 / C1`` the control's
    ratio, and likewise ``B2 - r B1`` for a buffer: each area against its own before count
    grown by the control's change. :func:`wdd` with those scales treats ``s`` as fixed;
    but ``s`` is made of counts, and when the control moves (``r`` far from 1) that
    understates the variance (7-14 % on Cleveland plans, 8.2 % false positives at a
    nominal 5 % when the force rose 24 %). Here the variance is the delta method over all
    the counts taken as independent Poisson (with A = T1 + B1, s = A / C1)::

        var = T2 + B2 + r^2 (T1 + B1) + s^2 (C2 + r^2 C1)

    (the partial derivatives of ``T2 + B2 - (T1 + B1) C2 / C1`` are 1, 1, ``-r``, ``-r``,
    ``-s`` and ``s r``), times ``dispersion`` (quasi-Poisson, over-dispersed counts; 1 for
    Poisson). With ``r = 1`` it equals the fixed-scale variance of :func:`wdd`. ``local`` is
    the target's part and ``displacement`` the buffer's. With no control incidents before,
    there is no scale: :class:`~geodata.errors.EvaluationError`.
    """
    t1, t2 = target
    c1, c2 = control
    b1, b2 = buffer if buffer is not None else (0, 0)
    _check_counts(t1=t1, t2=t2, c1=c1, c2=c2, b1=b1, b2=b2)
    _check_dispersion(dispersion)
    if c1 == 0:
        raise EvaluationError("control: no incidents before, so there is nothing to scale by")
    r = c2 / c1
    s = (t1 + b1) / c1
    local = t2 - r * t1
    displacement = b2 - r * b1
    variance = dispersion * (t2 + b2 + r**2 * (t1 + b1) + s**2 * (c2 + r**2 * c1))
    return _wdd(local, displacement, variance)


def sustained(
    monthly_after: Sequence[int], *, before_mean: float, assess_months: int
) -> bool | None:
    """Whether the target stayed below its before-plan level after the assessment period.

    Method: ``monthly_after`` are the target's monthly counts from the plan's first whole
    month on; the first ``assess_months`` of them are the assessment period itself. The
    level held when the mean of the later months is below ``before_mean``, the mean monthly
    count before the plan (strictly below: equal is not a reduction). None when there are
    no later months yet. Raw counts, not adjusted for the control's trend.
    """
    if isinstance(assess_months, bool) or not isinstance(assess_months, int) or assess_months < 0:
        raise EvaluationError(f"assess_months: {assess_months!r} is not a number of months")
    later = list(monthly_after)[assess_months:]
    if not later:
        return None
    return sum(later) / len(later) < before_mean
