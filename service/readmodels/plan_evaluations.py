"""Plan evaluations: a stored plan's areas and the force's incidents handed to
``geodata.evaluation``, recomputed from the data held whenever they are asked for, so
new months count as soon as they are imported; and "What works" (``geodata.what_works``)
over every closed plan, read in one batch."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import Flask

from geodata.approaches import PlanResult, rank_approaches
from geodata.crime import CATEGORIES
from geodata.evaluation import EvaluationError, evaluated_categories
from geodata.plans import Plan
from geodata.what_works import (
    WhatWorks,
    evaluate_plan,
    facts_window,
    plan_result,
    what_works,
)
from service.readmodels.ward_profiles import SharedFigures, shared_figures
from service.store.aggregates import force_facts_in_windows
from service.store.plans import closed_plans, stored_plans
from service.store.wards import load_ward_frame


def category_dispersions(shared: SharedFigures) -> dict[str, float]:
    """The force's over-dispersion of each category's monthly ward counts (every ward)."""
    return dict(zip(CATEGORIES, shared.dispersions[""].tolist(), strict=True))


def plan_evaluation(app: Flask, engine: sa.Engine, *, plan_id: int) -> dict[str, Any] | None:
    """The evaluation of plan ``plan_id``, or None when there is no such plan.

    A plan that cannot be evaluated yet (no whole month after its start is held) gets
    ``evaluated`` false and a ``verdict`` saying why in words, not an error: a new plan's
    page must show.
    """
    plan = dict(stored_plans(engine)).get(plan_id)
    if plan is None:
        return None
    found = evaluations_of(app, engine, [(plan_id, plan)])
    if plan_id not in found:
        return None
    return {"plan_id": plan_id, "title": plan.title, **found[plan_id]}


def evaluations_of(
    app: Flask, engine: sa.Engine, plans: Sequence[tuple[Hashable, Plan]]
) -> dict[Hashable, dict[str, Any]]:
    """The evaluation of each plan by its key: the one entry point for plans and for the
    operations evaluated as their equivalent plans (``geodata.operations.equivalent_plan``).

    The incidents of every plan's window are read in one batch (each evaluation keeps only
    the rows of its own categories and periods, ``geodata.what_works.facts_window``). A
    plan that cannot be evaluated yet gets ``evaluated`` false and a ``verdict`` saying
    why. Empty when no boundaries or records are stored.
    """
    shared = shared_figures(app, engine)
    if not plans or shared.vintage is None:
        return {}
    wards = load_ward_frame(engine, vintage=shared.vintage)
    geometries = dict(zip(wards["code"], wards.geometry, strict=True))
    windows = [facts_window(plan, months_held=shared.months_held) for _, plan in plans]
    facts = force_facts_in_windows(engine, vintage=shared.vintage, windows=windows)
    found: dict[Hashable, dict[str, Any]] = {}
    for key, plan in plans:
        try:
            evaluation = evaluate_plan(
                plan,
                facts,
                ward_geometries=geometries,
                months_held=shared.months_held,
                dispersions=category_dispersions(shared),
            )
        except EvaluationError as error:
            found[key] = not_evaluated(plan.categories, str(error).removeprefix("start: "))
        else:
            found[key] = {"evaluated": True, **evaluation}
    return found


def not_evaluated(categories: Sequence[str], reason: str) -> dict[str, Any]:
    """The answer for what cannot be evaluated: ``verdict`` says why in words."""
    return {
        "evaluated": False,
        "verdict": f"Not evaluated yet: {reason}.",
        "categories": list(evaluated_categories(categories)),
        "counts": {"target": None},
        "caveats": [],
    }


def plan_results(
    engine: sa.Engine,
    shared: SharedFigures,
    plans: Sequence[tuple[int, Plan, date | None]],
    *,
    evaluate: bool = True,
) -> list[PlanResult]:
    """Each of ``plans`` (id, plan, closed on) with its rate ratio (when ``evaluate``) and
    its follow-ups (:func:`geodata.what_works.plan_result`), in the order given; two reads
    whatever the number of plans (:func:`evaluation_inputs`)."""
    if not plans or shared.vintage is None:
        return []
    geometries, facts = evaluation_inputs(engine, shared, [plan for _, plan, _ in plans])
    return _results(plans, facts, geometries, shared, evaluate=evaluate)


def evaluation_inputs(
    engine: sa.Engine, shared: SharedFigures, plans: Sequence[Plan]
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The ward geometries and the incidents of every plan's window, read together
    (:func:`geodata.what_works.facts_window` runs to the latest month held, so it covers
    every follow-up window that is held)."""
    wards = load_ward_frame(engine, vintage=shared.vintage or "")
    windows = [facts_window(plan, months_held=shared.months_held) for plan in plans]
    facts = force_facts_in_windows(engine, vintage=shared.vintage or "", windows=windows)
    return dict(zip(wards["code"], wards.geometry, strict=True)), facts


def _results(
    plans: Sequence[tuple[int, Plan, date | None]],
    facts: pd.DataFrame,
    geometries: dict[str, Any],
    shared: SharedFigures,
    *,
    evaluate: bool = True,
) -> list[PlanResult]:
    return [
        plan_result(
            plan_id,
            plan,
            facts,
            ward_geometries=geometries,
            months_held=shared.months_held,
            closed_on=closed_on,
            dispersions=category_dispersions(shared),
            evaluate=evaluate,
        )
        for plan_id, plan, closed_on in plans
    ]


def what_works_now(
    app: Flask, engine: sa.Engine, *, query: str = "", theme: str | None = None
) -> WhatWorks:
    """ "What works" from the stored plans and the incidents held, with the approaches of
    every evaluated closed plan ranked (:func:`geodata.approaches.rank_approaches`) and each
    closed plan's follow-ups.

    A fixed number of reads whatever the number of plans: the closed plans with their
    closing days, the shared figures (cached per data version), and, when any plan is
    closed, the wards and the incidents of every closed plan's window together.
    """
    closed = closed_plans(engine)
    shared = shared_figures(app, engine)
    if not closed or shared.vintage is None:
        return WhatWorks({}, 0)
    geometries, facts = evaluation_inputs(engine, shared, [plan for _, plan, _ in closed])
    found = what_works(
        [(plan_id, plan) for plan_id, plan, _ in closed],
        facts,
        ward_geometries=geometries,
        months_held=shared.months_held,
        query=query,
        theme=theme,
        dispersions=category_dispersions(shared),
    )
    results = _results(closed, facts, geometries, shared)
    return dataclasses.replace(
        found,
        approaches=rank_approaches(results),
        follow_ups={r.plan_id: list(r.follow_ups) for r in results},
    )
