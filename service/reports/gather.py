"""What a ward report reads: the profile, priorities, concerns and plans, and the map's wards.

A report reads what the ward pages read (:func:`service.readmodels.ward_profiles.ward_profile`,
:func:`service.readmodels.ward_priorities.ward_priorities`, the ward's concerns and the
evaluations of its plans), and draws its maps from the stored ward boundaries and incidents.
Nothing here formats or decides what an audience may see (:mod:`geodata.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import Flask

from geodata.concerns import OPEN_STATUSES
from geodata.disclosure import report_marking as marking_rule
from geodata.maps import neighbours
from geodata.period import Period
from geodata.profile import WardProfile
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.ward_priorities import ward_priorities
from service.readmodels.ward_profiles import (
    SharedFigures,
    shared_figures,
    ward_frame,
    ward_profile,
)
from service.store.aggregates import ward_facts
from service.store.concerns import list_concerns
from service.store.plans import list_plans


@dataclass(frozen=True)
class Gathered:
    """Everything one ward's report is made from."""

    profile: WardProfile
    priorities: dict[str, Any]
    concerns: list[dict[str, Any]]
    plans: list[tuple[dict[str, Any], dict[str, Any] | None]]
    geometry: Any
    """The ward's boundary (WGS84)."""
    nearby: list[tuple[str, Any]]
    """The wards that touch it, by name, for the maps."""
    facts: pd.DataFrame
    """The period's incidents in the ward, for the maps."""
    shared: SharedFigures
    """The force-wide figures a report compares the ward with."""


def gather(
    app: Flask, engine: sa.Engine, *, code: str, period: Period, today: date
) -> Gathered | None:
    """Read what the report of ward ``code`` for ``period`` shows, or None for no such ward."""
    profile = ward_profile(app, engine, code=code, period=period)
    if profile is None:
        return None
    wards = ward_frame(app, engine, vintage=profile.ward.vintage)
    return Gathered(
        profile=profile,
        priorities=ward_priorities(app, engine, code=code, period=period, today=today) or {},
        concerns=list_concerns(engine, ward_code=code, today=today),
        plans=_evaluated_plans(app, engine, code=code),
        geometry=wards.geometry[wards["code"] == code].iloc[0],
        nearby=neighbours(wards, code),
        facts=ward_facts(
            engine,
            vintage=profile.ward.vintage,
            ward_code=code,
            first=period.first,
            last=period.last,
        ),
        shared=shared_figures(app, engine),
    )


def _evaluated_plans(
    app: Flask, engine: sa.Engine, *, code: str
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """The plans covering ward ``code``, each with its evaluation (None for a draft, which
    has nothing to evaluate yet)."""
    return [
        (
            plan,
            None if plan["status"] == "draft" else plan_evaluation(app, engine, plan_id=plan["id"]),
        )
        for plan in list_plans(engine, ward=code)
    ]


def report_marking(app: Flask, engine: sa.Engine, *, codes: Iterable[str], audience: str) -> str:
    """The marking a report (or a combined PDF) of wards ``codes`` carries
    (:func:`geodata.disclosure.report_marking`): sensitive when it is internal and one of the
    wards has an open concern, whose text it then lists."""
    wanted = set(codes)
    return marking_rule(
        audience=audience,
        open_concerns=any(c["ward_code"] in wanted for c in open_concerns(list_concerns(engine))),
        default=app.config["PROTECTIVE_MARKING"],
    )


def open_concerns(concerns: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for c in concerns if c["status"] in OPEN_STATUSES]
