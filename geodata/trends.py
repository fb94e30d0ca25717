"""Changes in a ward's counts that hold their level: the ward's share of the force's change.

A ward's monthly count of one category moves for three reasons a PCSO should not confuse:
the whole force moved (the season, a force-wide rise in shoplifting), the ward's counts
wander more than a Poisson count would (a busy month at one shop, a repeat caller), or
something changed in the ward. Only the last is news. The test here removes the first by
conditioning on the force, allows for the second with a dispersion measured on the force's
own counts, and controls the false discovery rate over the changes a page shows, so that a
page with 30 comparisons does not call one and a half of them "significant" by chance alone.

Why this test, not the alternatives
-----------------------------------
- A plain Poisson (or exact binomial) test of "now against before" calls a change whenever
  the force moves and treats month-to-month wander as signal: on Cleveland 2025 it flags 67
  December-against-November changes over the 83 wards, about 51 of which chance alone gives.
- A negative binomial model per ward and category needs a shape parameter per series that
  12 months cannot estimate; quasi-likelihood needs one dispersion per category, which the
  force's ~83 wards x 12 months estimate well.
- Conditioning on the ward's own total (the binomial split of ``now + before``) against the
  split of the rest of the force removes force-wide and seasonal movement in one step, with
  no model of the season at all, and leaves a single quantity to test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy import special

from geodata.errors import GeodataError
from geodata.hotspots import bh_adjust

MIN_INCIDENTS = 20
"""Fewer incidents than this in the two periods together and no significance statement is made.

Below 20 the normal approximation to the conditional binomial is poor (its level drifts
from the nominal 5 %), and with the dispersion seen in Cleveland (about 1.6) even a
doubling, 7 against 13, is within ordinary variation, so a test could only ever say
"no evidence", which a reader takes as "no change". The sentence says the counts are too
small instead (20 of the 67 flags of the old test rested on fewer than 20 incidents).
"""

ALPHA = 0.05
"""False discovery rate over the changes one page or briefing shows."""

MIN_DISPERSION = 1.0
"""Dispersion is never taken below Poisson: an under-dispersed estimate is noise."""


class TrendError(GeodataError, ValueError):
    """Arguments of a trend test that cannot be used; the message names the argument."""


@dataclass(frozen=True)
class Change:
    """One comparison of a ward's count now against a period before, against the force.

    ``expected`` is the count now that the ward would have had if it had kept its share of
    the force (the rest of the force's split applied to the ward's two-period total);
    ``z`` and ``p`` are the over-dispersion-adjusted test (None when ``testable`` is False);
    ``q`` is the Benjamini-Hochberg adjusted p-value over the changes of one page (set by
    :func:`adjust_page`), None until then.
    """

    label: str
    now: int
    before: int
    force_now: int
    force_before: int
    expected: float
    dispersion: float
    testable: bool
    z: float | None
    p: float | None
    q: float | None = None

    @property
    def verdict(self) -> str:
        """``"too few"``, ``"rise"``, ``"fall"`` or ``"usual"``; rise or fall once ``q < ALPHA``.

        Before :func:`adjust_page` sets ``q`` no change is called a rise or a fall.
        """
        if not self.testable:
            return "too few"
        if self.q is None or self.q >= ALPHA or self.z is None:
            return "usual"
        return "rise" if self.z > 0 else "fall"


def dispersion(counts: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Over-dispersion of each category's monthly ward counts, once the force's season is removed.

    Method (quasi-likelihood, McCullagh & Nelder 1989, section 4.5): ``counts`` is wards x
    categories x months. For category ``c`` the force's seasonal shape is its monthly share
    ``s_ct = F_ct / F_c`` (``F`` summed over wards); a ward's expected count in month ``t``
    is its own total over the months times that share, ``e_wct = n_wc * s_ct``, so the ward's
    level and the force's season are both fitted. The dispersion is Pearson's statistic
    over its degrees of freedom::

        phi_c = sum_w sum_t (x_wct - e_wct)^2 / e_wct  /  sum_w (T - 1)

    over the wards with at least one incident of the category (each such ward spends one
    degree of freedom on its level; the force's shape is estimated from so many wards that
    its own degrees of freedom are ignored). Months in which the force had no incident of
    the category are left out. ``phi = 1`` is Poisson; the estimate is floored at
    :data:`MIN_DISPERSION`, and a category with fewer than two months or no incident gets 1.
    On Cleveland 2025 the median over ward x category series is about 1.57 (issue 14).

    Returns
    -------
    numpy.ndarray
        One dispersion per category, in the order of the second axis.
    """
    x = np.asarray(counts, dtype=np.float64)
    if x.ndim != 3:
        raise TrendError(f"counts must be wards x categories x months, got shape {x.shape}")
    force = x.sum(axis=0)  # categories x months
    result = np.ones(x.shape[1])
    for c in range(x.shape[1]):
        months = force[c] > 0
        if months.sum() < 2:
            continue
        series = x[:, c, months]
        totals = series.sum(axis=1)
        wards = totals > 0
        share = force[c, months] / force[c, months].sum()
        expected = totals[wards, None] * share[None, :]
        chi2 = float((((series[wards] - expected) ** 2) / expected).sum())
        freedom = int(wards.sum()) * (int(months.sum()) - 1)
        if freedom > 0:
            result[c] = max(MIN_DISPERSION, chi2 / freedom)
    return result


def dispersion_without_each(counts: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Each ward's dispersions measured on the rest of the force: wards x categories.

    Method: :func:`dispersion` of the counts with the ward's own row left out. A ward's
    change should not widen the variation it is tested against: in a small force (or a
    category few wards have) one ward's sudden rise is most of the Pearson statistic, and
    pooled over every ward it would hide itself. With many wards the two differ little
    (Cleveland's 83 wards). A force of one ward gets Poisson (1) for every category.

    Computed for every ward at once rather than by running :func:`dispersion` once per
    ward (which costs wards squared, minutes for a region of 800 wards). Expanding the
    square with ``sum_t s_t = 1`` and ``sum_t x_vt = n_v``, Pearson's statistic without
    ward ``w`` is::

        chi2_c(-w) = G'  sum_t (Q_ct - x_wct^2 / n_wc) / (F_ct - x_wct)  -  G'

    where ``Q_ct = sum_v x_vct^2 / n_vc`` over the wards with incidents, ``F_ct`` the
    force's monthly counts and ``G' = sum_t F_ct - n_wc`` the rest of the force's total;
    the sum runs over the months the rest of the force has incidents, and the degrees of
    freedom are the rest's wards with incidents times those months less one. It equals
    the ward-by-ward definition up to floating-point rounding (a test checks both).
    """
    x = np.asarray(counts, dtype=np.float64)
    if x.ndim != 3:
        raise TrendError(f"counts must be wards x categories x months, got shape {x.shape}")
    if x.shape[0] < 2:
        return np.ones(x.shape[:2])
    force = x.sum(axis=0)  # categories x months
    totals = x.sum(axis=2)  # wards x categories
    active = totals > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(active[:, :, None], x**2 / totals[:, :, None], 0.0)
        rest_month = force[None, :, :] - x
        months = rest_month > 0
        ratio = np.where(months, (own.sum(axis=0)[None] - own) / rest_month, 0.0)
    rest_total = force.sum(axis=1)[None, :] - totals
    chi2 = rest_total * ratio.sum(axis=2) - rest_total
    held = months.sum(axis=2)
    freedom = (active.sum(axis=0)[None, :] - active) * (held - 1)
    usable = (held >= 2) & (freedom > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.maximum(MIN_DISPERSION, chi2 / freedom)
    return np.where(usable, phi, 1.0)


def change_test(
    now: int,
    before: int,
    force_now: int,
    force_before: int,
    *,
    dispersion: float = 1.0,
    label: str = "",
    min_incidents: int = MIN_INCIDENTS,
) -> Change:
    """Test whether the ward's count moved differently from the rest of the force.

    Method: with ``n = now + before`` the ward's incidents over both periods, and
    ``pi = force_now / (force_now + force_before)`` the split of the rest of the force
    (the force without this ward, so the ward does not test against itself), the ward's
    count now, given ``n``, is Binomial(n, pi) when its share of the force did not change.
    Season, a force-wide rise and unequal period lengths all move ``pi`` and the ward's
    split alike, so they cancel. The count is over-dispersed, so its variance is
    ``phi * n * pi * (1 - pi)`` (quasi-binomial with the category's :func:`dispersion`),
    and ``pi`` is itself estimated from the rest of the force, adding
    ``n^2 * phi * pi * (1 - pi) / (force_now + force_before)``. The score statistic::

        z = (now - n * pi) / sqrt(phi * pi * (1 - pi) * n * (1 + n / (force_now + force_before)))

    is referred to the normal distribution, two-sided: ``p = 2 * Phi(-|z|)``. When the rest
    of the force has no incident of the category in either period (the ward is the force,
    as far as the category goes) there is no force change to remove, and the ward is tested
    against its own past: ``pi = 1/2``, right for the two equal-length periods a profile
    compares, with no estimation term. No test (``testable`` False, ``z`` and ``p`` None)
    when ``n < min_incidents`` or the rest of the force has incidents in one period only.
    """
    for name, value in (
        ("now", now),
        ("before", before),
        ("force_now", force_now),
        ("force_before", force_before),
    ):
        if value < 0:
            raise TrendError(f"{name} must be a count >= 0, got {value!r}")
    if not (math.isfinite(dispersion) and dispersion > 0):
        raise TrendError(f"dispersion must be a finite number > 0, got {dispersion!r}")
    n = now + before
    force = force_now + force_before
    pi = force_now / force if force else 0.5
    expected = n * pi
    testable = n >= min_incidents and (force == 0 or (force_now > 0 and force_before > 0))
    z = p = None
    if testable:
        estimated = n / force if force else 0.0
        variance = dispersion * pi * (1 - pi) * n * (1 + estimated)
        z = (now - expected) / math.sqrt(variance)
        p = float(2.0 * special.ndtr(-abs(z)))
    return Change(
        label=label,
        now=int(now),
        before=int(before),
        force_now=int(force_now),
        force_before=int(force_before),
        expected=float(expected),
        dispersion=float(dispersion),
        testable=testable,
        z=z,
        p=p,
    )


def adjust_page(changes: Sequence[Change]) -> list[Change]:
    """The changes with ``q``: Benjamini-Hochberg over the testable changes of one page.

    Method: the p-values of the testable changes (too-small ones make no statement and are
    not counted) are adjusted together with the Benjamini-Hochberg procedure
    (:func:`geodata.hotspots.bh_adjust`), so that among the changes a page calls a rise or
    a fall, at most :data:`ALPHA` (5 %) are expected to be chance. Pass every change the
    page or briefing shows, both comparisons of every line, in one call.
    """
    tested = [i for i, c in enumerate(changes) if c.testable and c.p is not None]
    q = bh_adjust(np.array([changes[i].p for i in tested], dtype=np.float64))
    adjusted = list(changes)
    for i, value in zip(tested, q, strict=True):
        adjusted[i] = replace(changes[i], q=float(value))
    return adjusted


def ward_changes(
    counts: npt.ArrayLike,
    ward: int,
    now: npt.ArrayLike,
    before: npt.ArrayLike,
    *,
    labels: Sequence[str],
    dispersions: npt.ArrayLike | None = None,
    lines: Sequence[tuple[str, npt.ArrayLike]] = (),
    totals: npt.ArrayLike | None = None,
) -> list[Change]:
    """Every category of one ward tested, now against before (q not yet set).

    ``counts`` is wards x categories x months (as ``ForceCounts.counts``), ``ward`` the row
    of the ward, ``now`` and ``before`` boolean masks over the months. ``dispersions``
    (one per category) defaults to :func:`dispersion` of ``counts``; ``totals``
    (categories x months) to ``counts`` summed over wards: a caller testing every ward
    passes both, measured once, since summing the whole array per ward costs a region of
    800 wards seconds. ``lines`` adds
    combined lines such as "All crime": (label, boolean mask over categories); a line's
    dispersion is the count-weighted mean of its categories' (a sum of over-dispersed
    counts is about as over-dispersed as its parts on average).
    """
    x = np.asarray(counts, dtype=np.int64)
    now_mask, before_mask = np.asarray(now, dtype=bool), np.asarray(before, dtype=bool)
    if x.ndim != 3 or now_mask.shape != (x.shape[2],) or before_mask.shape != (x.shape[2],):
        raise TrendError(
            "counts must be wards x categories x months and now/before masks over the months, "
            f"got shapes {x.shape}, {now_mask.shape} and {before_mask.shape}"
        )
    if len(labels) != x.shape[1]:
        raise TrendError(f"labels must name the {x.shape[1]} categories, got {len(labels)}")
    phi = dispersion(x) if dispersions is None else np.asarray(dispersions, dtype=np.float64)
    ward_now = x[ward][:, now_mask].sum(axis=1)
    ward_before = x[ward][:, before_mask].sum(axis=1)
    force = x.sum(axis=0) if totals is None else np.asarray(totals, dtype=np.int64)
    if force.shape != x.shape[1:]:
        raise TrendError(f"totals must be categories x months {x.shape[1:]}, got {force.shape}")
    rest_now = force[:, now_mask].sum(axis=1) - ward_now
    rest_before = force[:, before_mask].sum(axis=1) - ward_before
    result = []
    for name, mask in lines:
        keep = np.asarray(mask, dtype=bool)
        weight = (ward_now + ward_before)[keep]
        phi_line = float(np.average(phi[keep], weights=weight)) if weight.sum() else 1.0
        result.append(
            change_test(
                int(ward_now[keep].sum()),
                int(ward_before[keep].sum()),
                int(rest_now[keep].sum()),
                int(rest_before[keep].sum()),
                dispersion=phi_line,
                label=name,
            )
        )
    for c, name in enumerate(labels):
        result.append(
            change_test(
                int(ward_now[c]),
                int(ward_before[c]),
                int(rest_now[c]),
                int(rest_before[c]),
                dispersion=float(phi[c]),
                label=name,
            )
        )
    return result


def describe(change: Change, *, span: str = "month to month", tests: int | None = None) -> str:
    """The sentence a PCSO reads for one change, e.g. "Burglary rose from 15 to 31 ...".

    ``span`` names the comparison ("month to month", "from one quarter to the next", "from
    year to year"); ``tests`` is how many changes the page checked, said in the sentence of
    a rise or fall. The three kinds of sentence:

    - too few incidents: the two counts and that they are too few to tell; no claim either
      way (not "no change");
    - a rise or fall after the false discovery rate control: the counts, the count the
      force's own change would have given, and "more than usual variation explains";
    - otherwise: the counts and "changes this small are normal <span>".
    """
    label, before, now = change.label, change.before, change.now
    verdict = change.verdict
    if verdict == "too few":
        return (
            f"{label}: {before} before, {now} now; too few incidents to tell a real change "
            "from chance."
        )
    if verdict in ("rise", "fall"):
        moved = "rose" if verdict == "rise" else "fell"
        checked = f", among the {tests} changes checked here" if tests else ""
        return (
            f"{label} {moved} from {before} to {now}, more than usual variation explains "
            f"(about {change.expected:.0f} if it had followed the force{checked})."
        )
    went = "stayed at" if now == before else "went from"
    counts = f"{now}" if now == before else f"{before} to {now}"
    return f"{label} {went} {counts}; changes this small are normal {span}."


def count_flags(
    counts: npt.ArrayLike,
    now: npt.ArrayLike,
    before: npt.ArrayLike,
    *,
    labels: Sequence[str],
    lines: Sequence[tuple[str, npt.ArrayLike]] = (),
) -> dict[str, int]:
    """How many changes every ward's briefing would flag, for a before/after figure.

    Method: :func:`ward_changes` for every ward with one dispersion per category from the
    whole array, then: ``tests`` the testable changes, ``unadjusted`` those with
    ``p < ALPHA``, ``per_page`` those a page flags after :func:`adjust_page` over the
    ward's own changes (what a briefing shows), ``force_wide`` those flagged after one
    Benjamini-Hochberg adjustment over every ward's changes together, ``wards`` the wards
    with at least one ``per_page`` flag, and ``too_few`` the changes with no statement.
    """
    x = np.asarray(counts, dtype=np.int64)
    phi, totals = dispersion(x), x.sum(axis=0)
    pages = [
        adjust_page(
            ward_changes(
                x, w, now, before, labels=labels, dispersions=phi, lines=lines, totals=totals
            )
        )
        for w in range(x.shape[0])
    ]
    every = [c for page in pages for c in page if c.testable]
    force_q = bh_adjust(np.array([c.p for c in every], dtype=np.float64))
    return {
        "tests": len(every),
        "unadjusted": sum(1 for c in every if c.p is not None and c.p < ALPHA),
        "per_page": sum(1 for page in pages for c in page if c.verdict in ("rise", "fall")),
        "force_wide": int((force_q < ALPHA).sum()),
        "wards": sum(1 for page in pages if any(c.verdict in ("rise", "fall") for c in page)),
        "too_few": sum(1 for page in pages for c in page if not c.testable),
    }
