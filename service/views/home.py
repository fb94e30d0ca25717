"""The home page: find a ward, see every ward on the force map and in one sortable table."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from geodata.overview import OverviewError, WardQuery, exact_code
from service.assets import asset_url
from service.readmodels.force_overview import get_overview, overview_map
from service.store.db import get_engine

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    try:
        query = WardQuery.parse(request.args)
    except OverviewError as error:
        raise BadRequest(str(error)) from error
    overview = get_overview(current_app, get_engine())
    code = exact_code(overview.rows, query.q) if query.q else None
    if code is not None:
        return redirect(f"/wards/{quote(code, safe='')}")
    vendor = asset_url("vendor")
    parts = overview_map(current_app, get_engine(), overview, metric=query.metric, asset_url=vendor)
    rows = query.rows(overview.rows)
    return render_template("home/index.html", overview=overview, rows=rows, map=parts, query=query)
