"""Sustained results of stored plans and operations (``geodata.sustained``), recomputed from
the records and incidents held whenever asked for, so a follow-up window counts as soon as
its last month is imported."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask

from geodata.areas import target_geometry
from geodata.errors import EvaluationError, PlanError
from geodata.evaluation import evaluated_categories
from geodata.operations import Operation, equivalent_plan
from geodata.sustained import FollowUp, Intervention, follow_ups, not_ended
from geodata.what_works import plan_dispersion
from service.readmodels.plan_evaluations import (
    category_dispersions,
    evaluation_inputs,
    plan_results,
)
from service.readmodels.ward_profiles import shared_figures
from service.store.plans import closed_plans


def plan_follow_ups(app: Flask, engine: sa.Engine, *, plan_id: int) -> list[FollowUp]:
    """The follow-ups of plan ``plan_id``: looked at only when it is closed, since a plan
    that has not ended has no after to look at."""
    closed = [entry for entry in closed_plans(engine) if entry[0] == plan_id]
    if not closed:
        return not_ended()
    found = plan_results(engine, shared_figures(app, engine), closed, evaluate=False)
    return list(found[0].follow_ups) if found else []


def operation_follow_ups(
    app: Flask, engine: sa.Engine, operation: Operation, *, today: date | None = None
) -> list[FollowUp]:
    """The follow-ups of an operation in wards, 6 and 12 months after its end date, by the
    same rule as a plan's (:func:`geodata.sustained.follow_ups`).

    An operation ends on its end date: one whose end date is today or later has not ended.
    Its target is its wards and its categories its own, as in its evaluation (the
    equivalent plan, :func:`geodata.operations.equivalent_plan`). A force-wide operation
    has no rest of the force to compare with, and one that cannot be evaluated with the
    data held (its wards no longer held, no month before it), has no follow-ups: empty.
    """
    shared = shared_figures(app, engine)
    if operation.force_wide or shared.vintage is None or not shared.months_held:
        return []
    plan = equivalent_plan(operation)
    ended = operation.end_date < (today or date.today())
    try:
        geometries, facts = evaluation_inputs(engine, shared, [plan])
        intervention = Intervention(
            target=target_geometry(plan, ward_geometries=geometries),
            categories=evaluated_categories(operation.categories),
            start=operation.start_date,
            end=operation.end_date if ended else None,
        )
        return follow_ups(
            facts,
            intervention,
            months_held=shared.months_held,
            dispersion=plan_dispersion(plan, category_dispersions(shared)),
        )
    except (EvaluationError, PlanError):
        return []
