"""The planning page: every ward by every theme, the gaps and the seldom-heard wards."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from service.readmodels.planning import planning_summary
from service.readmodels.ward_profiles import shared_figures
from service.store.db import get_engine
from service.views.api import page_period

bp = Blueprint("planning", __name__)


@bp.get("/planning")
def index() -> ResponseReturnValue:
    engine = get_engine()
    shared = shared_figures(current_app, engine)
    summary, refused = None, None
    if request.args or shared.months_held:
        period, refused = page_period()
        summary = planning_summary(current_app, engine, period=period, today=date.today())
    page = render_template(
        "planning/index.html",
        summary=summary,
        vintage=shared.vintage,
        held=shared.months_held,
        refused=refused,
    )
    return page, 400 if refused else 200
