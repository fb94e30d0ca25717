"""The Resourcing page and ``/api/resourcing``: neighbourhood teams set against risk and harm.

Who may see it: analysts and administrators (``LEAST_ROLE``). Establishment and abstraction
are staffing figures for those who plan where officers go (the community safety team and
the analysts who support it hold the analyst role); viewers and PCSOs are refused (403).
"""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from geodata.resourcing import method_notes, to_json
from service.auth import role_required
from service.readmodels.resourcing import team_resourcing
from service.readmodels.ward_profiles import shared_figures
from service.store.db import get_engine
from service.views.api import requested_period
from service.views.periods import page_period

bp = Blueprint("resourcing", __name__)

LEAST_ROLE = "analyst"
"""The least role that sees the Resourcing page and its API."""


def asked_blend() -> float | None:
    """?blend=, the weight of harm from 0 to 1; the setting when not given; None when bad."""
    given = request.args.get("blend")
    if given is None or given == "":
        return float(current_app.config["RESOURCING_HARM_BLEND"])
    try:
        blend = float(given)
    except ValueError:
        return None
    return blend if math.isfinite(blend) and 0 <= blend <= 1 else None


@bp.get("/resourcing")
@role_required(LEAST_ROLE)
def index() -> ResponseReturnValue:
    """?from&to as on the planning page, and ?blend; a bad value shows the page again with the
    problem at the top (status 400) and the figures of the default."""
    engine = get_engine()
    shared = shared_figures(current_app, engine)
    chosen = page_period(shared.months_held)
    blend = asked_blend()
    problems = list(chosen.problems)
    if blend is None:
        problems.append(("blend", "Enter the weight of harm as a number from 0 to 1, such as 0.5."))
        blend = float(current_app.config["RESOURCING_HARM_BLEND"])
    table = None
    if chosen.period is not None:
        table = team_resourcing(current_app, engine, period=chosen.period, blend=blend)
    html = render_template(
        "resourcing/index.html",
        table=table,
        notes=method_notes(table) if table else {},
        vintage=shared.vintage,
        held=shared.months_held,
        chosen=chosen,
        problems=problems,
        asked_blend=request.args.get("blend"),
    )
    return html, 400 if problems else 200


@bp.get("/api/resourcing")
@role_required(LEAST_ROLE)
def api() -> ResponseReturnValue:
    period = requested_period()
    blend = asked_blend()
    if blend is None:
        raise BadRequest("blend: give the weight of harm as a number from 0 to 1")
    table = team_resourcing(current_app, get_engine(), period=period, blend=blend)
    if table is None:
        abort(404, description="no neighbourhood teams are stored: run import-teams")
    return jsonify(to_json(table))
