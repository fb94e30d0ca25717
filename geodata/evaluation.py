"""Evaluating a problem-solving plan: did the target crimes fall, and did they move next door?

A plan names a target area, the police.uk categories it aims at and the month it started.
The same number of whole months before and after the start are compared in three areas:

- the **target** area the plan worked in;
- the **buffer**, a ring around the target (optional), where crime could be displaced to or
  where the benefit could spread ("diffusion of benefit");
- the **control**: every other located incident in the facts the caller passes, usually the
  rest of the force, which carries the background trend.

Counting (:func:`count_in_areas`, :func:`monthly_in_area`) is kept apart from the statistics,
which take plain counts so each can be checked by hand: :func:`rate_ratio` (did the target
fall more than the control?), :func:`wdq` (Bowers & Johnson's weighted displacement quotient)
and :func:`wdd` (Wheeler & Ratcliffe's weighted displacement difference test).
:func:`evaluate` brings them together with :func:`sustained`, the caveats and a plain
:func:`verdict`.

Every test here assumes crimes are Poisson counts. Real crime counts are often
over-dispersed (repeats, one offender, one busy night), so intervals and p-values are, if
anything, too narrow; an evaluation is evidence to weigh, not proof.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import special

from geodata.crime import CATEGORIES
from geodata.crs import ENGLAND_WALES_BOUNDS, project, transformers
from geodata.errors import GeodataError
from geodata.profile import SIGNIFICANCE, Period

DEFAULT_MONTHS = 6
"""Months compared on each side of the plan's start, unless the caller says otherwise."""

SMALL_NUMBERS = 20
"""An area with fewer incidents than this over both periods together gets a caution."""

SMALL_AREA_M2 = 250.0 * 250.0
"""A target smaller than this (a 250 m square, "a few streets") gets a caution.

police.uk moves every record to the nearest of about 750,000 anonymous map points, in towns
roughly one per street or open space. An area only a few streets across holds a handful of
points, so crimes that happened inside it can be published just outside it and vice versa.
"""

SMALL_COUNTS_CAVEAT = "small numbers, treat with caution"
RATE_RATIO_METHOD = (
    "(target after / target before) / (control after / control before); 95 % interval and "
    "two-sided p from the normal approximation to the log ratio, standard error "
    "sqrt(1/a + 1/b + 1/c + 1/d) (Farrington & Welsh); 0.5 added to every count when any "
    "is zero (Haldane-Anscombe)"
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

_Z95 = float(special.ndtri(0.975))
_START = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$")
_M2_PER_KM2 = 1_000_000.0


class EvaluationError(GeodataError, ValueError):
    """An evaluation cannot be made as asked; the message names the argument."""


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanPeriods:
    """The months compared: ``before`` and ``after`` are of equal length and do not touch
    a month the plan started part-way through, which is named in ``left_out``."""

    start: str
    before: Period
    after: Period
    left_out: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "left_out": self.left_out,
        }


def plan_periods(
    start: str, *, months: int = DEFAULT_MONTHS, latest: str | None = None
) -> PlanPeriods:
    """The ``months`` whole months before and after a plan's start.

    Method
    ------
    police.uk publishes whole months, so a month is either wholly before the plan or wholly
    after it. ``start`` is ``YYYY-MM`` (the plan began with that month) or ``YYYY-MM-DD``;
    a start after the 1st makes that month a mixture, and it is left out of both periods.
    ``after`` is the first ``months`` whole months from the start; ``before`` the same
    number of months ending the month before the start month. When ``latest`` (the last
    month of data held) falls inside ``after``, ``after`` is cut back to it and ``before``
    shortened to match, so both sides always have the same number of months.
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise EvaluationError(f"months: {months!r} is not a whole number of months of 1 or more")
    match = _START.fullmatch(start or "")
    if not match:
        raise EvaluationError(f"start: {start!r} is not a month as YYYY-MM or a date as YYYY-MM-DD")
    year, month, day = match.groups()
    start_month = f"{year}-{month}"
    left_out = None
    if day is not None:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise EvaluationError(f"start: {start!r} is not a real date") from None
        if day != "01":
            left_out = start_month
    first_after = _add_months(start_month, 0 if left_out is None else 1)
    if latest is not None and latest < first_after:
        raise EvaluationError(
            f"start: no whole month after the plan's start ({first_after}) is held yet; "
            f"the latest month held is {latest}"
        )
    last_after = _add_months(first_after, months - 1)
    if latest is not None:
        last_after = min(last_after, latest)
    after = Period(first_after, last_after)
    length = len(after.months)
    before = Period(_add_months(start_month, -length), _add_months(start_month, -1))
    return PlanPeriods(start, before, after, left_out)


def _add_months(month: str, months: int) -> str:
    return Period(month, month).shifted(months).first


# --- Areas and counting --------------------------------------------------------------------


def _check_metres(metres: float) -> None:
    if isinstance(metres, bool) or not isinstance(metres, int | float) or not metres > 0:
        raise EvaluationError(f"metres: {metres!r} is not a distance greater than 0")
    if not math.isfinite(metres):
        raise EvaluationError(f"metres: {metres!r} is not a finite distance")


def _check_area(name: str, geometry: Any) -> None:
    """A non-empty polygonal shape in WGS84 over England and Wales, or EvaluationError."""
    if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon) or geometry.is_empty:
        raise EvaluationError(f"{name}: expected a non-empty Polygon or MultiPolygon")
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    x0, y0, x1, y1 = geometry.bounds
    if x0 < min_x or y0 < min_y or x1 > max_x or y1 > max_y:
        raise EvaluationError(
            f"{name}: bounds {geometry.bounds} are not WGS84 longitude/latitude in England "
            "and Wales (a shape in British National Grid metres?)"
        )


def buffer_ring(target: shapely.Geometry, *, metres: float) -> shapely.Geometry:
    """The ring of land within ``metres`` of the target, the target itself excluded (WGS84).

    Method: the target is projected to British National Grid, buffered by ``metres`` (round
    corners, shapely's default 8 segments a quarter circle), projected back to WGS84, and
    the original target subtracted there, so the ring's inner edge is exactly the target's
    boundary and no sliver from the round trip falls between them.
    """
    _check_area("target", target)
    _check_metres(metres)
    to_bng, to_wgs84 = transformers()
    grown = project(shapely.buffer(project(target, to_bng), metres), to_wgs84)
    return shapely.difference(grown, target)


def point_buffer(longitude: float, latitude: float, *, metres: float) -> shapely.Geometry:
    """A circle of radius ``metres`` around a WGS84 point, drawn in British National Grid."""
    _check_metres(metres)
    point = shapely.Point(longitude, latitude)
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        raise EvaluationError(f"longitude, latitude: ({longitude}, {latitude}) is not a point")
    to_bng, to_wgs84 = transformers()
    circle = project(shapely.buffer(project(point, to_bng), metres), to_wgs84)
    _check_area("longitude, latitude", circle)
    return circle


def area_m2(geometry: shapely.Geometry) -> float:
    """Area in square metres, measured in British National Grid."""
    return float(shapely.area(project(geometry, transformers()[0])))


@dataclass(frozen=True, slots=True)
class AreaCounts:
    """Incidents of the plan's categories per area and period.

    ``buffer_*`` are None when no buffer was drawn; ``no_location_*`` count the rows with no
    published location, which belong to no area (not to the control).
    """

    target_before: int
    target_after: int
    buffer_before: int | None
    buffer_after: int | None
    control_before: int
    control_after: int
    no_location_before: int = 0
    no_location_after: int = 0

    def to_json(self) -> dict[str, Any]:
        def pair(before: int | None, after: int | None) -> dict[str, int] | None:
            return None if before is None or after is None else {"before": before, "after": after}

        return {
            "target": pair(self.target_before, self.target_after),
            "buffer": pair(self.buffer_before, self.buffer_after),
            "control": pair(self.control_before, self.control_after),
            "no_location": pair(self.no_location_before, self.no_location_after),
        }


_TARGET, _BUFFER, _CONTROL, _NO_LOCATION = 0, 1, 2, 3


def evaluated_categories(categories: Sequence[str]) -> tuple[str, ...]:
    """The categories a plan is evaluated on: those it names, or every police.uk category
    (all crime and ASB) when it names none, since categories are optional on a plan."""
    return tuple(categories) or CATEGORIES


def _check_categories(categories: Sequence[str]) -> None:
    if isinstance(categories, str) or not categories:
        raise EvaluationError(
            f"categories: expected a non-empty list of categories, got {categories!r}"
        )
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise EvaluationError(
            f"categories: {unknown} not police.uk categories; allowed: {', '.join(CATEGORIES)}"
        )


def _area_codes(
    facts: pd.DataFrame, target: shapely.Geometry, buffer: shapely.Geometry | None
) -> npt.NDArray[np.intp]:
    """Per row: target, buffer, control, or no location, by ``covers`` (edge included)."""
    x = facts["longitude"].to_numpy(np.float64)
    y = facts["latitude"].to_numpy(np.float64)
    located = ~(np.isnan(x) | np.isnan(y))
    codes = np.full(len(facts), _NO_LOCATION, dtype=np.intp)
    codes[located] = _CONTROL
    # For a point, a polygon covers it exactly when they intersect: inside or on the edge.
    in_target = located.copy()
    in_target[located] = shapely.intersects_xy(target, x[located], y[located])
    codes[in_target] = _TARGET
    if buffer is not None:
        rest = located & ~in_target
        in_buffer = rest.copy()
        in_buffer[rest] = shapely.intersects_xy(buffer, x[rest], y[rest])
        codes[in_buffer] = _BUFFER
    return codes


def count_in_areas(
    facts: pd.DataFrame,
    *,
    target: shapely.Geometry,
    buffer: shapely.Geometry | None,
    categories: Sequence[str],
    before: Period,
    after: Period,
) -> AreaCounts:
    """Incidents of ``categories`` per area (target, buffer, control) and period.

    Method
    ------
    ``facts`` are grouped rows of (month, category, longitude, latitude, n), ``n`` incidents
    per row. Rows of other categories or of months in neither period are ignored. A row's
    snap point belongs to the target when the target *covers* it (inside or on the
    boundary); otherwise to the buffer when the buffer covers it; otherwise, if it has a
    location, to the control, which is therefore "every other located incident in
    ``facts``". Target first: a point on the edge the target shares with its ring is the
    target's. Rows without a location are counted apart. Each count is the sum of ``n``.
    """
    _check_categories(categories)
    _check_area("target", target)
    if buffer is not None:
        _check_area("buffer", buffer)
    if not before.last < after.first:
        raise EvaluationError(
            f"before: {before.first} to {before.last} does not end before after starts "
            f"({after.first})"
        )
    rows = facts[facts["category"].isin(list(categories))]
    month = rows["month"]
    period = np.where(
        month.between(before.first, before.last).to_numpy(),
        0,
        np.where(month.between(after.first, after.last).to_numpy(), 1, -1),
    )
    keep = period >= 0
    rows = rows[keep]
    codes = _area_codes(rows, target, buffer)
    totals = np.bincount(
        codes * 2 + period[keep], weights=rows["n"].to_numpy(np.float64), minlength=8
    ).astype(np.int64)
    count = [int(v) for v in totals]
    return AreaCounts(
        target_before=count[0],
        target_after=count[1],
        buffer_before=None if buffer is None else count[2],
        buffer_after=None if buffer is None else count[3],
        control_before=count[4],
        control_after=count[5],
        no_location_before=count[6],
        no_location_after=count[7],
    )


def monthly_in_area(
    facts: pd.DataFrame,
    *,
    area: shapely.Geometry,
    categories: Sequence[str],
    months: Sequence[str],
) -> list[int]:
    """Incidents of ``categories`` covered by ``area`` (edge included) in each of ``months``."""
    _check_categories(categories)
    _check_area("area", area)
    rows = facts[facts["category"].isin(list(categories)) & facts["month"].isin(list(months))]
    inside = rows[_area_codes(rows, area, None) == _TARGET]
    by_month = inside.groupby("month")["n"].sum()
    return [int(by_month.get(m, 0)) for m in months]


# --- Statistics ----------------------------------------------------------------------------


def _check_counts(**counts: float) -> None:
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise EvaluationError(f"{name}: {value!r} is not a count of 0 or more")
        if not math.isfinite(value):
            raise EvaluationError(f"{name}: {value!r} is not a finite count")


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
    target_before: int, target_after: int, control_before: int, control_after: int
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
    under the standard normal. Farrington and Welsh later inflate this variance for
    over-dispersion; that is not done here, so with clustered crime the interval is too
    narrow.

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
    cells = [float(target_before), float(target_after), float(control_before), float(control_after)]
    corrected = min(cells) == 0
    if corrected:
        cells = [c + 0.5 for c in cells]
    a_before, a_after, c_before, c_after = cells
    log_ratio = math.log(a_after) - math.log(a_before) - math.log(c_after) + math.log(c_before)
    log_se = math.sqrt(sum(1 / c for c in cells))
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
    estimate = local + displacement
    variance = s_t**2 * (t1 + t2) + s_c**2 * (c1 + c2) + s_d**2 * (d1 + d2) + s_cd**2 * (cd1 + cd2)
    if shared_control:
        variance += 2 * s_c * s_cd * (c1 + c2)
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


# --- Verdict -------------------------------------------------------------------------------


def _categories_label(categories: Sequence[str]) -> str:
    names = list(categories)
    if set(names) == set(CATEGORIES):
        return "All crime and anti-social behaviour"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _change(before: int, after: int) -> str:
    """How a count moved, e.g. "fell 38 %", "rose 12 %" or "went from 0 to 4"."""
    if before == 0:
        return "did not change (0 before and after)" if after == 0 else f"went from 0 to {after}"
    pct = 100 * (after - before) / before
    if round(pct) == 0:
        return "did not change" if after == before else f"barely changed ({before} to {after})"
    return f"{'fell' if pct < 0 else 'rose'} {abs(pct):.0f} %"


def _control_change(before: int, after: int) -> str:
    if before == 0:
        return f"0 to {after}"
    pct = 100 * (after - before) / before
    if round(pct) == 0:
        return "no change"
    return f"{'a fall' if pct < 0 else 'a rise'} of {abs(pct):.0f} %"


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _number(value: float) -> str:
    return f"{value:.1f}".replace("-", "\N{MINUS SIGN}")


def caveats(
    counts: AreaCounts,
    *,
    months_missing: Sequence[str],
    target_area_m2: float | None,
    control_label: str = "the rest of the force",
) -> list[str]:
    """The reasons to read an evaluation with care, each a plain sentence.

    Small numbers (an area with fewer than ``SMALL_NUMBERS`` incidents over both periods),
    months with no data, a target smaller than ``SMALL_AREA_M2`` (police.uk snap points),
    and, when the target fell, regression to the mean.
    """
    notes = []
    areas = [("the target area", counts.target_before, counts.target_after)]
    if counts.buffer_before is not None and counts.buffer_after is not None:
        areas.append(("the buffer", counts.buffer_before, counts.buffer_after))
    areas.append((control_label, counts.control_before, counts.control_after))
    for name, before, after in areas:
        if before + after < SMALL_NUMBERS:
            notes.append(
                f"Only {before + after} incidents in {name} over both periods: "
                f"{SMALL_COUNTS_CAVEAT}."
            )
    if months_missing:
        notes.append(
            f"No data held for {', '.join(months_missing)}: those months count as zero, so "
            "the comparison is biased."
        )
    if target_area_m2 is not None and target_area_m2 < SMALL_AREA_M2:
        notes.append(
            f"The target area is only about {target_area_m2 / 10_000:.1f} hectares. police.uk "
            "moves every crime to a nearby anonymous map point, so locations are approximate "
            "and counts for an area smaller than a few streets are unreliable."
        )
    if counts.target_after < counts.target_before:
        notes.append(
            "Plans often start after a spike; part of any fall may be a return to normal "
            f"(regression to the mean), which the comparison with {control_label} does not "
            "remove."
        )
    return notes


def verdict(
    *,
    categories: Sequence[str],
    counts: AreaCounts,
    rate: RateRatio,
    quotient: WDQ | None,
    difference: WDD | None,
    held: bool | None,
    assess_months: int,
    later_months: int,
    notes: Sequence[str] = (),
    control_label: str = "the rest of the force",
) -> str:
    """The evaluation in plain words, ending with its caveats (``notes``, see :func:`caveats`).

    For example: "Burglary fell 38 % in the target area against a fall of 5 % in the rest
    of the force (rate ratio 0.65, 95 % CI 0.48-0.88, significant). No evidence of
    displacement into the buffer (WDQ 0.21: some diffusion of benefit)."
    """
    significant = "significant" if rate.p_value < SIGNIFICANCE else "not significant"
    correction = ", 0.5 added to every count as one was zero" if rate.corrected else ""
    sentences = [
        f"{_categories_label(categories)} {_change(counts.target_before, counts.target_after)} "
        f"in the target area against "
        f"{_control_change(counts.control_before, counts.control_after)} in {control_label} "
        f"(rate ratio {rate.ratio:.2f}, 95 % CI {rate.low:.2f}\N{EN DASH}{rate.high:.2f}"
        f"{correction}, {significant})."
    ]
    if quotient is None:
        sentences.append("No buffer was drawn, so displacement was not assessed.")
    elif quotient.value is None:
        sentences.append(f"Displacement was not assessed: {quotient.reading}.")
    else:
        lead = {
            WDQ_DIFFUSION_GREATER: "No evidence of displacement; the buffer improved even more",
            WDQ_DIFFUSION: "No evidence of displacement into the buffer",
            WDQ_NEITHER: "No evidence of displacement into the buffer",
            WDQ_DISPLACEMENT_SMALLER: "Some crime may have moved into the buffer",
            WDQ_DISPLACEMENT_GREATER: "More crime may have moved into the buffer than the "
            "target lost",
        }[quotient.reading]
        sentences.append(f"{lead} (WDQ {quotient.value:.2f}: {quotient.reading}).")
    if difference is not None:
        where = "target and buffer together" if quotient is not None else "the target area"
        if round(difference.estimate) == 0:
            amount = "about as many incidents as"
        else:
            direction = "fewer" if difference.estimate < 0 else "more"
            amount = f"about {abs(difference.estimate):.0f} {direction} incidents than"
        significance = "significant" if difference.p_value < SIGNIFICANCE else "not significant"
        sentences.append(
            f"In {where}, {amount} the trend in {control_label} predicts "
            f"(WDD {_number(difference.estimate)}, 95 % CI {_number(difference.low)} to "
            f"{_number(difference.high)}, {_p(difference.p_value)}, {significance})."
        )
    if held is not None:
        months = "month" if later_months == 1 else f"{later_months} months"
        state = "stayed below" if held else "did not stay below"
        sentences.append(
            f"In the {months} after the first {assess_months}, the target area {state} "
            "its monthly level before the plan."
        )
    return " ".join([*sentences, *notes])


# --- Putting it together -------------------------------------------------------------------


def evaluate(
    facts: pd.DataFrame,
    *,
    target: shapely.Geometry,
    buffer: shapely.Geometry | None,
    categories: Sequence[str],
    start: str,
    months_held: Sequence[str],
    months: int = DEFAULT_MONTHS,
    control_label: str = "the rest of the force",
) -> dict[str, Any]:
    """A plan's evaluation as plain JSON-ready values.

    Method
    ------
    Periods from :func:`plan_periods` (cut back to the latest month held); counts from
    :func:`count_in_areas`, the control being every other located incident in ``facts``;
    :func:`rate_ratio` of target against control; :func:`wdq` of target, buffer and
    control when a buffer is given.

    :func:`wdd` needs controls of about the size of the areas they control for, since it
    subtracts counts, while here the control is the rest of the force. So the control is
    scaled to each area's before count (``scale`` = target before / control before for the
    target, buffer before / control before for the buffer; Wheeler's area-weight extension
    with weights from the before counts): each area is expected to change by its own before
    count times the control's proportional change. The one control serves both target and
    buffer (``shared_control``). The scales are treated as fixed; their own uncertainty is
    of order 1/control-before and is ignored. With no control incidents before the plan the
    WDD is not computed.

    :func:`sustained` compares the target's monthly mean in the held months after the
    ``after`` period with its monthly mean before the plan.

    A plan naming no categories is evaluated on all of them (:func:`evaluated_categories`).
    """
    categories = evaluated_categories(categories)
    periods = plan_periods(start, months=months, latest=max(months_held) if months_held else None)
    before, after = periods.before, periods.after
    counts = count_in_areas(
        facts, target=target, buffer=buffer, categories=categories, before=before, after=after
    )
    held_months = set(months_held)
    months_missing = [m for m in [*before.months, *after.months] if m not in held_months]
    rate = rate_ratio(
        counts.target_before, counts.target_after, counts.control_before, counts.control_after
    )
    quotient = None
    if counts.buffer_before is not None and counts.buffer_after is not None:
        quotient = wdq(
            counts.target_before,
            counts.target_after,
            counts.buffer_before,
            counts.buffer_after,
            counts.control_before,
            counts.control_after,
        )
    difference = None
    wdd_json: dict[str, Any]
    if counts.control_before == 0:
        wdd_json = {
            "available": False,
            "reason": f"no incidents in {control_label} before the plan to scale the trend by",
        }
    else:
        s_target = counts.target_before / counts.control_before
        s_buffer = (counts.buffer_before or 0) / counts.control_before
        c = (counts.control_before, counts.control_after)
        difference = wdd(
            counts.target_before,
            counts.target_after,
            *c,
            counts.buffer_before or 0,
            counts.buffer_after or 0,
            *(c if quotient is not None else (0, 0)),
            scale=(1.0, s_target, 1.0, s_buffer if quotient is not None else 0.0),
            shared_control=quotient is not None,
        )
        wdd_json = {
            "available": True,
            **difference.to_json(),
            "control_scale": {
                "target": s_target,
                "buffer": s_buffer if quotient is not None else None,
            },
            "method": WDD_METHOD,
        }
    later = sorted(m for m in held_months if m > after.last)
    monthly = monthly_in_area(
        facts, area=target, categories=categories, months=[*after.months, *later]
    )
    before_mean = counts.target_before / len(before.months)
    held = sustained(monthly, before_mean=before_mean, assess_months=len(after.months))
    target_m2 = area_m2(target)
    notes = caveats(
        counts,
        months_missing=months_missing,
        target_area_m2=target_m2,
        control_label=control_label,
    )
    return {
        "categories": list(categories),
        "periods": periods.to_json(),
        "counts": counts.to_json(),
        "months_missing": months_missing,
        "areas_km2": {
            "target": target_m2 / _M2_PER_KM2,
            "buffer": None if buffer is None else area_m2(buffer) / _M2_PER_KM2,
        },
        "rate_ratio": {**rate.to_json(), "method": RATE_RATIO_METHOD},
        "wdq": None if quotient is None else {**quotient.to_json(), "method": WDQ_METHOD},
        "wdd": wdd_json,
        "sustained": {
            "held": held,
            "before_mean": before_mean,
            "later_months": later,
            "later_monthly": monthly[len(after.months) :],
        },
        "caveats": notes,
        "verdict": verdict(
            categories=categories,
            counts=counts,
            rate=rate,
            quotient=quotient,
            difference=difference,
            held=held,
            assess_months=len(after.months),
            later_months=len(later),
            notes=notes,
            control_label=control_label,
        ),
    }
