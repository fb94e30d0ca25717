"""Sustained results of stored plans (``geodata.sustained``) and which approaches work
(``geodata.approaches``), recomputed from the plans and incidents held whenever asked for,
so a follow-up window counts as soon as its last month is imported."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Flask

from geodata.approaches import PlanResult
from geodata.errors import EvaluationError, PlanError
from geodata.plans import Plan
from geodata.sustained import FollowUp, follow_ups, plan_intervention
from geodata.what_works import evaluate_plan, facts_window, plan_dispersion
from service.readmodels.plan_evaluations import category_dispersions
from service.readmodels.ward_profiles import shared_figures
from service.store.aggregates import force_facts_in_windows
from service.store.plans import closed_dates, stored_plans
from service.store.wards import load_ward_frame


def plan_results(
    app: Flask, engine: sa.Engine, plans: Sequence[tuple[int, Plan]], *, evaluate: bool = True
) -> list[PlanResult]:
    """Each of ``plans`` with its rate ratio (when ``evaluate``; None when it cannot be
    evaluated) and its follow-ups, in the order given.

    A fixed number of reads whatever the number of plans: the shared figures (cached per
    data version), the closing days, the wards, and the incidents of every plan's window
    together (:func:`geodata.what_works.facts_window` runs to the latest month held, so it
    covers every follow-up window that is held).
    """
    shared = shared_figures(app, engine)
    if not plans or shared.vintage is None:
        return []
    held = shared.months_held
    wards = load_ward_frame(engine, vintage=shared.vintage)
    geometries = dict(zip(wards["code"], wards.geometry, strict=True))
    windows = [facts_window(plan, months_held=held) for _, plan in plans]
    facts = force_facts_in_windows(engine, vintage=shared.vintage, windows=windows)
    dispersions = category_dispersions(shared)
    closed = closed_dates(engine)
    found = []
    for plan_id, plan in plans:
        ratio = log_se = None
        lasting: list[FollowUp] = []
        try:
            if evaluate:
                rate = evaluate_plan(
                    plan,
                    facts,
                    ward_geometries=geometries,
                    months_held=held,
                    dispersions=dispersions,
                )["rate_ratio"]
                ratio, log_se = rate["ratio"], rate["log_se"]
            intervention = plan_intervention(
                plan, ward_geometries=geometries, closed_on=closed.get(plan_id)
            )
            lasting = follow_ups(
                facts,
                intervention,
                months_held=held,
                dispersion=plan_dispersion(plan, dispersions),
            )
        except (EvaluationError, PlanError):
            pass  # no evaluation yet (or wards no longer held): nothing to pool or follow up
        found.append(PlanResult(plan_id, plan, ratio, log_se, tuple(lasting)))
    return found


def closed_plan_results(app: Flask, engine: sa.Engine) -> list[PlanResult]:
    """Every closed plan with its evaluated effect and follow-ups, newest first."""
    return plan_results(app, engine, stored_plans(engine, status="closed"))


def plan_follow_ups(app: Flask, engine: sa.Engine, *, plan_id: int) -> list[FollowUp]:
    """The follow-ups of plan ``plan_id`` (none for no such plan, or none possible)."""
    plan = dict(stored_plans(engine)).get(plan_id)
    if plan is None:
        return []
    found = plan_results(app, engine, [(plan_id, plan)], evaluate=False)
    return list(found[0].follow_ups) if found else []
