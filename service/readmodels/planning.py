"""The planning summary: every ward's combined priorities, gaps and seldom-heard coverage.

The community safety team reads all wards at once. The summary is assembled from exactly
what the API serves (``priority_matrix`` and ``ward_priorities`` of each ward), so the page
and ``/api/priorities/matrix`` never disagree, and it is kept in the app: a summary depends
on the data version (the latest import ledger id), the period, the day (concern ages and
the 12-month window) and the stored concerns, which the web app changes without an import,
so the concerns' own fields that the scores read are part of the key, and so are the
active plans, which close force-priority gaps (:mod:`service.readmodels.cache`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.overview import gaps_by_kind, matrix_rows, score_legend, seldom_heard_wards
from geodata.period import Period
from geodata.priorities import WEIGHTS_NOTE
from service.readmodels.cache import data_cache
from service.readmodels.ward_priorities import priority_matrix, priority_weights, ward_priorities
from service.readmodels.ward_profiles import shared_figures
from service.store.concerns import list_concerns
from service.store.plans import list_plans
from service.store.wards import list_wards

CACHED = 16
"""Summaries kept for the current data version: a few periods, each for one day."""

_CONCERN_FIELDS = ("id", "ward_code", "tag", "raised_on", "channel", "community", "status")
"""What of a concern the priorities read; any change to one of these changes the summary."""


def planning_summary(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> dict[str, Any] | None:
    """The matrix, gaps and seldom-heard wards for ``period``, or None when no wards are stored."""
    shared = shared_figures(app, engine)
    if shared.vintage is None:
        return None
    concerns = tuple(
        tuple(row[name] for name in _CONCERN_FIELDS) for row in list_concerns(engine, today=today)
    )
    plans = tuple(
        (p["id"], tuple(p["ward_codes"]), tuple(p["categories"]))
        for p in list_plans(engine, status="active")
    )
    vintage = shared.vintage
    return data_cache(app, "planning summaries", size=CACHED).get(
        shared.version,
        (period, today, concerns, plans),
        lambda: _build(app, engine, vintage=vintage, period=period, today=today),
    )


def _build(
    app: Flask, engine: sa.Engine, *, vintage: str, period: Period, today: date
) -> dict[str, Any]:
    matrix = priority_matrix(app, engine, period=period, today=today)
    names = {ward["code"]: ward["name"] for ward in list_wards(engine, vintage=vintage)}
    found = {
        row["ward"]: ward_priorities(app, engine, code=row["ward"], period=period, today=today)
        for row in matrix["wards"]
    }
    wards = {code: result for code, result in found.items() if result is not None}
    return {
        "period": period,
        "assessment": matrix["threat_assessment"],
        "themes": matrix["themes"],
        "rows": matrix_rows(matrix, names),
        "legend": score_legend(),
        "gaps": gaps_by_kind({code: r["gaps"] for code, r in wards.items()}, names),
        "seldom_heard": seldom_heard_wards(
            {code: r["seldom_heard"] for code, r in wards.items()}, names
        ),
        "weights": priority_weights(app),
        "weights_note": WEIGHTS_NOTE,
    }
