"""Plan evaluations: a stored plan's areas and the force's incidents handed to
``geodata.evaluation``, recomputed from the data held whenever they are asked for, so
new months count as soon as they are imported; and "What works" (``geodata.what_works``)
over every closed plan, read in one batch."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.approaches import rank_approaches
from geodata.crime import CATEGORIES
from geodata.evaluation import EvaluationError, evaluated_categories
from geodata.what_works import WhatWorks, evaluate_plan, facts_window, shortlist, what_works
from service.readmodels.ward_profiles import SharedFigures, shared_figures
from service.store.aggregates import force_facts_in_windows
from service.store.plans import stored_plans
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
    shared = shared_figures(app, engine)
    if plan is None or shared.vintage is None:
        return None
    wards = load_ward_frame(engine, vintage=shared.vintage)
    window = facts_window(plan, months_held=shared.months_held)
    facts = force_facts_in_windows(engine, vintage=shared.vintage, windows=[window])
    try:
        evaluation = evaluate_plan(
            plan,
            facts,
            ward_geometries=dict(zip(wards["code"], wards.geometry, strict=True)),
            months_held=shared.months_held,
            dispersions=category_dispersions(shared),
        )
    except EvaluationError as error:
        reason = str(error).removeprefix("start: ")
        return {
            "plan_id": plan_id,
            "title": plan.title,
            "evaluated": False,
            "verdict": f"Not evaluated yet: {reason}.",
            "categories": list(evaluated_categories(plan.categories)),
            "counts": {"target": None},
            "caveats": [],
        }
    return {"plan_id": plan_id, "title": plan.title, "evaluated": True, **evaluation}


def what_works_now(
    app: Flask, engine: sa.Engine, *, query: str = "", theme: str | None = None
) -> WhatWorks:
    """ "What works" from the stored plans and the incidents held.

    A fixed number of reads whatever the number of plans: the closed plans, the shared
    figures (cached per data version), and, when any plan is shortlisted, the wards and the
    incidents of every shortlisted plan's window together; and those of
    :func:`service.readmodels.sustained.closed_plan_results` for the approaches and the
    follow-ups of every closed plan.
    """
    from service.readmodels.sustained import closed_plan_results  # it reads this module

    results = closed_plan_results(app, engine)
    extra = {
        "approaches": rank_approaches(results),
        "follow_ups": {r.plan_id: list(r.follow_ups) for r in results},
    }
    plans = shortlist(stored_plans(engine, status="closed"), query=query, theme=theme)
    shared = shared_figures(app, engine)
    if not plans or shared.vintage is None:
        return WhatWorks({}, 0, **extra)
    wards = load_ward_frame(engine, vintage=shared.vintage)
    windows = [facts_window(plan, months_held=shared.months_held) for _, plan in plans]
    found = what_works(
        plans,
        force_facts_in_windows(engine, vintage=shared.vintage, windows=windows),
        ward_geometries=dict(zip(wards["code"], wards.geometry, strict=True)),
        months_held=shared.months_held,
        query=query,
        theme=theme,
        dispersions=category_dispersions(shared),
    )
    return dataclasses.replace(found, **extra)
