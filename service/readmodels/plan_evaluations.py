"""Plan evaluations: a stored plan's areas and the force's incidents handed to
``geodata.evaluation``, recomputed from the data held whenever they are asked for, so
new months count as soon as they are imported; and "What works" (``geodata.what_works``)
over every closed plan, read in one batch."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.crime import CATEGORIES
from geodata.evaluation import EvaluationError, evaluated_categories
from geodata.plans import Plan
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


def what_works_now(
    app: Flask, engine: sa.Engine, *, query: str = "", theme: str | None = None
) -> WhatWorks:
    """ "What works" from the stored plans and the incidents held.

    A fixed number of reads whatever the number of plans: the closed plans, the shared
    figures (cached per data version), and, when any plan is shortlisted, the wards and the
    incidents of every shortlisted plan's window together.
    """
    plans = shortlist(stored_plans(engine, status="closed"), query=query, theme=theme)
    shared = shared_figures(app, engine)
    if not plans or shared.vintage is None:
        return WhatWorks({}, 0)
    wards = load_ward_frame(engine, vintage=shared.vintage)
    windows = [facts_window(plan, months_held=shared.months_held) for _, plan in plans]
    return what_works(
        plans,
        force_facts_in_windows(engine, vintage=shared.vintage, windows=windows),
        ward_geometries=dict(zip(wards["code"], wards.geometry, strict=True)),
        months_held=shared.months_held,
        query=query,
        theme=theme,
        dispersions=category_dispersions(shared),
    )
