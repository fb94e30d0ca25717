"""The resourcing table: the stored teams and hours with the wards' figures of a period.

The ward figures are those the ward pages read (the shared per-version counts and
populations, the configured harm table), so a team's harm is the sum of its wards' profile
harm totals. Nothing is kept between requests: the table is sums over a few hundred wards.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import Flask

from geodata.concerns import OPEN_STATUSES
from geodata.period import Period
from geodata.resourcing import Resourcing, resourcing_table, ward_figures
from service.readmodels.ward_profiles import harm_weights, shared_figures
from service.store.concerns import list_concerns
from service.store.teams import get_teams, list_abstraction
from service.store.wards import list_wards


def team_resourcing(
    app: Flask, engine: sa.Engine, *, period: Period, blend: float
) -> Resourcing | None:
    """The table for ``period`` with harm weighing ``blend`` in the blended allocation, or
    None when no wards or no teams are stored. Hours per officer per month come from the
    ``OFFICER_HOURS_PER_MONTH`` setting."""
    shared = shared_figures(app, engine)
    teams, _ = get_teams(engine)
    if shared.vintage is None or not teams:
        return None
    names = {ward["code"]: ward["name"] for ward in list_wards(engine, vintage=shared.vintage)}
    concerns = Counter(
        row["ward_code"] for row in list_concerns(engine) if row["status"] in OPEN_STATUSES
    )
    wards = ward_figures(
        shared.force,
        period,
        names=names,
        residents=shared.residents,
        open_concerns=concerns,
        weights=harm_weights(app),
    )
    return resourcing_table(
        teams,
        wards,
        period=period,
        abstraction=list_abstraction(engine, first=period.first, last=period.last),
        blend=blend,
        hours_per_month=float(app.config["OFFICER_HOURS_PER_MONTH"]),
    )
