"""Sustained results: did an intervention's effect last 6 and 12 months after it ended?

An evaluation (``geodata/evaluation.py``) compares the months before a plan started with its
first months. That says whether the target area fell while the work was under way, not
whether the fall lasted. This module looks again, at each of :data:`FOLLOW_UPS` months
after the intervention **ended**, and says one of three things:

- **sustained**: in the follow-up window the target area is still below its level before
  the intervention, relative to the rest of the force, beyond chance (the 95 % interval of
  the rate ratio against the months before lies wholly under 1);
- **faded**: the target area rose back, relative to the rest of the force, from its months
  under the intervention to the follow-up window, beyond chance (the 95 % interval of that
  rate ratio lies wholly above 1). A rise that chance could explain is not called a fade;
- **not enough data yet**: the window's months are not all held yet, the intervention has
  no end date, or the counts cannot tell a lasting fall from a fade (neither interval
  clears 1), which more months or a larger area would settle.

Method
------
The intervention is anything with a target area, categories, a start and an end date
(:class:`Intervention`): a closed problem-solving plan (:func:`plan_intervention`), or an
operation once its end date has passed (``service.readmodels.sustained``). Its months are
those of :func:`geodata.evaluation.plan_periods` with the
end month as the latest: ``before`` (up to :data:`~geodata.evaluation.DEFAULT_MONTHS` whole
months before the start) and ``during`` (as many whole months from the start, not past the
end month). The follow-up window at ``h`` months is the :data:`WINDOW_MONTHS` months ending
``h`` months after the end month: at 6 months the first half-year after the end, at 12 the
second. Every month of the window must be held.

Counting is :func:`geodata.evaluation.count_in_areas` (the target covers its points, the
control is every other located incident in the facts, usually the rest of the force) and
the comparison :func:`geodata.effects.rate_ratio`, widened by the force's over-dispersion
as the evaluation is. A rate ratio does not depend on the periods' lengths, since the target
and the control share them. Two ratios are made per window: since ``before`` (is it still
down?) and since ``during`` (did it come back?). A fade is tested first: an effect that has
come back beyond chance is faded even if the area is still below its old level. On data
with no change at all, a fade is called in about 2.5 % of windows (one tail of a two-sided
95 % interval); ``tests/geodata/test_sustained.py`` checks this on simulated counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geodata.areas import target_geometry
from geodata.effects import RateRatio, rate_ratio
from geodata.errors import EvaluationError
from geodata.evaluation import DEFAULT_MONTHS, count_in_areas, evaluated_categories, plan_periods
from geodata.period import Period, period_words
from geodata.plans import Plan

FOLLOW_UPS: tuple[int, ...] = (6, 12)
"""Months after the end at which an intervention is looked at again."""

WINDOW_MONTHS = 6
"""Months in each follow-up window, ending at its horizon."""

SUSTAINED, FADED, NOT_YET = "sustained", "faded", "not-enough-data"
RESULTS: Mapping[str, str] = {
    SUSTAINED: "Sustained",
    FADED: "Faded",
    NOT_YET: "Not enough data yet",
}
"""A follow-up's result: slug → label."""


@dataclass(frozen=True, slots=True)
class Intervention:
    """What any evaluated intervention has: a target area (WGS84), the police.uk categories
    it aims at (none: all of them), the day it started and the day it ended (None: not
    ended, or not known)."""

    target: BaseGeometry
    categories: tuple[str, ...]
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The look again ``months_after`` months after the end (see the module docstring).

    ``counts`` are the target's and the control's incidents before, during and in the
    window (empty when not counted); ``since_before`` and ``since_during`` the two rate
    ratios (None when not counted); ``reason`` says in words why the result is what it is.
    """

    months_after: int
    result: str
    window: Period | None
    counts: Mapping[str, int]
    since_before: RateRatio | None
    since_during: RateRatio | None
    reason: str

    @property
    def label(self) -> str:
        return RESULTS[self.result]

    def to_json(self) -> dict[str, Any]:
        return {
            "months_after": self.months_after,
            "result": self.result,
            "label": self.label,
            "window": None if self.window is None else self.window.to_json(),
            "counts": dict(self.counts),
            "since_before": None if self.since_before is None else self.since_before.to_json(),
            "since_during": None if self.since_during is None else self.since_during.to_json(),
            "reason": self.reason,
        }


def plan_intervention(
    plan: Plan, *, ward_geometries: Mapping[str, BaseGeometry], closed_on: date | None
) -> Intervention:
    """A plan as an intervention: its target area (:func:`geodata.areas.target_geometry`),
    its evaluated categories, its start, and its end.

    A plan ends when it is closed: ``closed_on`` is the day its status last became
    ``closed`` (from its history). A plan stored as closed with no such change (an import)
    ends on its assessment date. A plan that is not closed has not ended.
    """
    end = None
    if plan.status == "closed":
        end = closed_on or plan.assessment_date
    return Intervention(
        target=target_geometry(plan, ward_geometries=ward_geometries),
        categories=evaluated_categories(plan.categories),
        start=plan.start_date,
        end=end,
    )


def _month(day: date) -> str:
    return day.strftime("%Y-%m")


def _not_yet(months_after: int, reason: str, window: Period | None = None) -> FollowUp:
    return FollowUp(months_after, NOT_YET, window, {}, None, None, reason)


def not_ended(horizons: Sequence[int] = FOLLOW_UPS) -> list[FollowUp]:
    """The follow-ups of an intervention that has not ended: not enough data yet."""
    reason = "it has not ended (or has no end date), so there is no after to look at"
    return [_not_yet(h, reason) for h in horizons]


def follow_ups(
    facts: pd.DataFrame,
    intervention: Intervention,
    *,
    months_held: Sequence[str],
    dispersion: float = 1.0,
    horizons: Sequence[int] = FOLLOW_UPS,
) -> list[FollowUp]:
    """The intervention looked at again at each of ``horizons`` months after its end.

    ``facts`` are grouped incidents as :func:`geodata.evaluation.count_in_areas` takes them,
    covering the months before the start to the last window (and the control's area);
    ``months_held`` the months of data held. The method is the module docstring's.
    """
    if intervention.end is None:
        return not_ended(horizons)
    start, end_month = intervention.start.isoformat(), _month(intervention.end)
    try:
        periods = plan_periods(start, months=DEFAULT_MONTHS, latest=end_month)
    except EvaluationError:
        reason = "it ended before a whole month of it had passed, so it cannot be compared"
        return [_not_yet(h, reason) for h in horizons]
    held = set(months_held)
    categories = evaluated_categories(intervention.categories)
    found = []
    for horizon in horizons:
        anchor = Period(end_month, end_month)
        window = Period(
            anchor.shifted(horizon - WINDOW_MONTHS + 1).first, anchor.shifted(horizon).first
        )
        missing = [m for m in window.months if m not in held]
        if missing:
            reason = (
                f"the months {period_words(window.first, window.last)} are not all held yet "
                f"({len(missing)} of {len(window.months)} missing)"
            )
            found.append(_not_yet(horizon, reason, window))
            continue
        found.append(
            _look_again(
                facts,
                intervention.target,
                categories,
                before=periods.before,
                during=periods.after,
                window=window,
                horizon=horizon,
                dispersion=dispersion,
            )
        )
    return found


def _look_again(
    facts: pd.DataFrame,
    target: BaseGeometry,
    categories: Sequence[str],
    *,
    before: Period,
    during: Period,
    window: Period,
    horizon: int,
    dispersion: float,
) -> FollowUp:
    """One follow-up window counted and judged (see the module docstring)."""
    since_start = count_in_areas(
        facts, target=target, buffer=None, categories=categories, before=before, after=window
    )
    since_end = count_in_areas(
        facts, target=target, buffer=None, categories=categories, before=during, after=window
    )
    counts = {
        "target_before": since_start.target_before,
        "target_during": since_end.target_before,
        "target_window": since_start.target_after,
        "control_before": since_start.control_before,
        "control_during": since_end.control_before,
        "control_window": since_start.control_after,
    }
    down = rate_ratio(
        since_start.target_before,
        since_start.target_after,
        since_start.control_before,
        since_start.control_after,
        dispersion=dispersion,
    )
    back = rate_ratio(
        since_end.target_before,
        since_end.target_after,
        since_end.control_before,
        since_end.control_after,
        dispersion=dispersion,
    )
    if back.low > 1:
        result = FADED
        reason = (
            f"the target area rose back beyond chance since the intervention's months, "
            f"relative to the rest of the force (rate ratio {_ratio(back)})"
        )
        if down.high < 1:
            reason += ", though it is still below its level before"
    elif down.high < 1:
        result = SUSTAINED
        reason = (
            f"the target area is still below its level before, relative to the rest of the "
            f"force, beyond chance (rate ratio {_ratio(down)}), and has not come back beyond "
            "chance"
        )
    else:
        result = NOT_YET
        reason = (
            "the counts cannot tell a lasting fall from a fade: against the months before "
            f"the rate ratio is {_ratio(down)}, against the intervention's months "
            f"{_ratio(back)}, and neither interval clears 1"
        )
    return FollowUp(horizon, result, window, counts, down, back, reason)


def _ratio(rate: RateRatio) -> str:
    return f"{rate.ratio:.2f}, 95 % CI {rate.low:.2f}\N{EN DASH}{rate.high:.2f}"


def latest_result(found: Sequence[FollowUp]) -> FollowUp | None:
    """The follow-up furthest from the end that has a result (sustained or faded), else
    None: what a summary counts a plan as."""
    decided = [f for f in found if f.result != NOT_YET]
    return max(decided, key=lambda f: f.months_after) if decided else None
