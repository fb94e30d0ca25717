"""The planning page: every ward by every theme, the gaps and the seldom-heard wards."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from service.readmodels.planning import planning_summary
from service.readmodels.ward_profiles import shared_figures
from service.store.db import get_engine
from service.views.periods import page_period

bp = Blueprint("planning", __name__)


@bp.get("/planning")
def index() -> ResponseReturnValue:
    """?from=YYYY-MM&to=YYYY-MM as on a ward page: a bad period, or one with no month held,
    shows the page again with the problem at the top (status 400)."""
    engine = get_engine()
    shared = shared_figures(current_app, engine)
    chosen = page_period(shared.months_held)
    summary = None
    if chosen.period is not None:
        summary = planning_summary(current_app, engine, period=chosen.period, today=date.today())
    html = render_template(
        "planning/index.html",
        summary=summary,
        vintage=shared.vintage,
        held=shared.months_held,
        chosen=chosen,
    )
    return html, 400 if chosen.problems else 200
