"""Plan evaluations: a stored plan's areas and the force's incidents handed to
``geodata.evaluation``, recomputed from the data held whenever they are asked for, so
new months count as soon as they are imported."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.evaluation import DEFAULT_MONTHS, EvaluationError, evaluate, evaluated_categories
from geodata.plans import buffer_geometry, target_geometry
from geodata.profile import Period
from service.readmodels.ward_profiles import shared_figures
from service.store.aggregates import force_facts
from service.store.plans import stored_plans
from service.store.wards import load_ward_frame


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
    geometries = dict(zip(wards["code"], wards.geometry, strict=True))
    start = plan.start_date.strftime("%Y-%m")
    earliest = Period(start, start).shifted(-DEFAULT_MONTHS).first
    latest = shared.months_held[-1] if shared.months_held else start
    facts = force_facts(
        engine,
        vintage=shared.vintage,
        first=earliest,
        last=max(latest, start),
        categories=evaluated_categories(plan.categories),
    )
    buffer = buffer_geometry(plan, ward_geometries=geometries)
    try:
        evaluation = evaluate(
            facts,
            target=target_geometry(plan, ward_geometries=geometries),
            buffer=None if buffer.is_empty else buffer,
            categories=plan.categories,
            start=plan.start_date.isoformat(),
            months_held=shared.months_held,
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
