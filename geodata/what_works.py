"""What works: the closed plans of good quality whose evaluation found a significant fall.

A plan is listed when four things hold, cheapest first (so the evaluations, which count
incidents, are made only for plans that can still be listed):

1. its status is ``closed`` (the work is finished, so its assessment is final);
2. its quality checklist (:func:`geodata.plans.quality`) scores at least
   :data:`GOOD_QUALITY` of 9, so the plan is specific enough for another team to repeat;
3. it matches the reader's search: the words ``query`` appear (any letter case) in its
   title, problem statement or categories, and ``theme`` is one of its categories;
4. its evaluation (:func:`geodata.evaluation.evaluate`, the rest of the force as control)
   found a significant fall, see :func:`worked`.

The listed plans are grouped by theme: each of their categories (only ``theme`` when one
is chosen), themes in alphabetical order. A plan without categories has no evaluation, so
it is never listed.

The evaluations read the force's incidents of each plan's categories over its months
(:func:`facts_window`). The caller reads the windows of every shortlisted plan in one batch
and passes them all together: each evaluation keeps only the rows of its own categories and
periods, so the other plans' rows change no count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geodata.approaches import Approach, PlanResult
from geodata.areas import buffer_geometry, target_geometry
from geodata.errors import PlanError
from geodata.evaluation import DEFAULT_MONTHS, EvaluationError, evaluate, evaluated_categories
from geodata.period import Period
from geodata.plan_quality import Quality, quality
from geodata.plans import Plan
from geodata.sustained import FollowUp, follow_ups, plan_intervention

GOOD_QUALITY = 7
"""Least quality score (out of 9) of a plan listed under "What works"."""


@dataclass(frozen=True, slots=True)
class WorkedPlan:
    """A listed plan: its stored id, the plan, its checklist and its evaluation."""

    plan_id: int
    plan: Plan
    quality: Quality
    evaluation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WhatWorks:
    """The listed plans (``count`` of them) under each theme, themes in alphabetical order;
    the ``approaches`` of every evaluated closed plan ranked by effect
    (:func:`geodata.approaches.rank_approaches`) and each closed plan's ``follow_ups``
    (:func:`geodata.sustained.follow_ups`) by plan id."""

    themes: dict[str, list[WorkedPlan]]
    count: int
    approaches: list[Approach] = field(default_factory=list)
    follow_ups: dict[int, list[FollowUp]] = field(default_factory=dict)


class FactsWindow(NamedTuple):
    """The months (``first`` to ``last``) and categories one evaluation reads."""

    first: str
    last: str
    categories: tuple[str, ...]


def worked(evaluation: Mapping[str, Any] | None) -> bool:
    """A positive, significant result: rate ratio under 1 with its 95 % upper bound under 1.

    The rate ratio compares the target's change with the control's (see
    :func:`geodata.evaluation.rate_ratio`); an upper bound under 1 means the whole 95 %
    interval lies below "no change".
    """
    ratio = (evaluation or {}).get("rate_ratio") or {}
    value, high = ratio.get("ratio"), ratio.get("high")
    return value is not None and high is not None and value < 1 and high < 1


def shortlist(
    plans: Iterable[tuple[int, Plan]], *, query: str = "", theme: str | None = None
) -> list[tuple[int, Plan]]:
    """The plans that pass tests 1 to 3 of the module docstring, in the order given."""
    words = query.strip().casefold()
    found = []
    for plan_id, plan in plans:
        if plan.status != "closed" or quality(plan).score < GOOD_QUALITY:
            continue
        if theme is not None and theme not in plan.categories:
            continue
        text = " ".join([plan.title, plan.problem, *plan.categories]).casefold()
        if words and words not in text:
            continue
        found.append((plan_id, plan))
    return found


def facts_window(plan: Plan, *, months_held: Sequence[str]) -> FactsWindow:
    """The months and categories the evaluation of ``plan`` reads.

    Method: from :data:`~geodata.evaluation.DEFAULT_MONTHS` months before the plan's start
    month to the latest month held (or the start month, if later), in the plan's categories.
    """
    start = plan.start_date.strftime("%Y-%m")
    latest = max(months_held) if months_held else start
    return FactsWindow(
        first=Period(start, start).shifted(-DEFAULT_MONTHS).first,
        last=max(latest, start),
        categories=evaluated_categories(plan.categories),
    )


def evaluate_plan(
    plan: Plan,
    facts: pd.DataFrame,
    *,
    ward_geometries: Mapping[str, BaseGeometry],
    months_held: Sequence[str],
    dispersions: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The evaluation of ``plan``: its target and buffer drawn from ``ward_geometries``
    (:func:`geodata.plans.target_geometry`, :func:`geodata.plans.buffer_geometry`; an empty
    buffer means none), counted in ``facts`` by :func:`geodata.evaluation.evaluate`.

    ``dispersions`` are the force's over-dispersion by category
    (:func:`geodata.trends.dispersion`); the evaluation takes the largest of the plan's
    categories' (a plan mixing categories is as over-dispersed as its most clustered part,
    at worst), or 1 (Poisson) when none is given."""
    buffer = buffer_geometry(plan, ward_geometries=ward_geometries)
    return evaluate(
        facts,
        target=target_geometry(plan, ward_geometries=ward_geometries),
        buffer=None if buffer.is_empty else buffer,
        categories=plan.categories,
        start=plan.start_date.isoformat(),
        months_held=months_held,
        dispersion=plan_dispersion(plan, dispersions),
    )


def plan_dispersion(plan: Plan, dispersions: Mapping[str, float] | None) -> float:
    """The over-dispersion a plan's figures allow for: the largest of its categories' (a
    plan mixing categories is as over-dispersed as its most clustered part, at worst), at
    least 1 (Poisson), 1 when none is given."""
    phi = max((float((dispersions or {}).get(c, 1.0)) for c in plan.categories), default=1.0)
    return max(phi, 1.0)


def plan_result(
    plan_id: int,
    plan: Plan,
    facts: pd.DataFrame,
    *,
    ward_geometries: Mapping[str, BaseGeometry],
    months_held: Sequence[str],
    closed_on: date | None,
    dispersions: Mapping[str, float] | None = None,
    evaluate: bool = True,
) -> PlanResult:
    """A plan's rate ratio (:func:`evaluate_plan`, when ``evaluate``) and its follow-ups
    (:func:`geodata.sustained.follow_ups` of :func:`geodata.sustained.plan_intervention`,
    ``closed_on`` the day it was closed), from ``facts`` covering its :func:`facts_window`.

    A plan that cannot be evaluated yet, or whose wards are no longer held, has no ratio
    and no follow-ups: there is nothing to pool or to look at again.
    """
    ratio = log_se = None
    lasting: list[FollowUp] = []
    try:
        if evaluate:
            rate = evaluate_plan(
                plan,
                facts,
                ward_geometries=ward_geometries,
                months_held=months_held,
                dispersions=dispersions,
            )["rate_ratio"]
            ratio, log_se = rate["ratio"], rate["log_se"]
        intervention = plan_intervention(plan, ward_geometries=ward_geometries, closed_on=closed_on)
        lasting = follow_ups(
            facts,
            intervention,
            months_held=months_held,
            dispersion=plan_dispersion(plan, dispersions),
        )
    except (EvaluationError, PlanError):
        pass
    return PlanResult(plan_id, plan, ratio, log_se, tuple(lasting))


def what_works(
    plans: Iterable[tuple[int, Plan]],
    facts: pd.DataFrame,
    *,
    ward_geometries: Mapping[str, BaseGeometry],
    months_held: Sequence[str],
    query: str = "",
    theme: str | None = None,
    dispersions: Mapping[str, float] | None = None,
) -> WhatWorks:
    """The listed plans by theme (see the module docstring for the four tests).

    ``facts`` are the force's incidents grouped as ``geodata.evaluation.count_in_areas``
    takes them, covering at least the :func:`facts_window` of every shortlisted plan. A plan
    whose evaluation cannot be made yet (no whole month after its start is held) has
    shown no fall and is not listed.
    """
    listed = []
    for plan_id, plan in shortlist(plans, query=query, theme=theme):
        try:
            evaluation = evaluate_plan(
                plan,
                facts,
                ward_geometries=ward_geometries,
                months_held=months_held,
                dispersions=dispersions,
            )
        except EvaluationError:
            continue
        if worked(evaluation):
            listed.append(WorkedPlan(plan_id, plan, quality(plan), evaluation))
    themes: dict[str, list[WorkedPlan]] = {}
    for item in listed:
        for category in item.plan.categories:
            if theme is None or category == theme:
                themes.setdefault(category, []).append(item)
    return WhatWorks(dict(sorted(themes.items())), len(listed))
