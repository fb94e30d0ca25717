"""Sustained results of stored plans (``geodata.sustained``) and which approaches work
(``geodata.approaches``), recomputed from the plans and incidents held whenever asked for,
so a follow-up window counts as soon as its last month is imported."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from geodata.sustained import FollowUp, not_ended
from service.readmodels.plan_evaluations import plan_results
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
