"""Ward pages: the interactive ward profile and the PCSO shift briefing."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from werkzeug.exceptions import NotFound

from service.assets import asset_url
from service.readmodels.pages import briefing_page, profile_page
from service.store.db import get_engine
from service.views.api import requested_period

bp = Blueprint("wards", __name__, url_prefix="/wards")


@bp.get("/<code>")
def profile(code: str) -> str:
    """?from=YYYY-MM&to=YYYY-MM, by default the latest 12 months held."""
    period = requested_period()
    page = profile_page(
        current_app,
        get_engine(),
        code=code,
        period=period,
        today=date.today(),
        asset_url=asset_url("vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    return render_template("wards/profile.html", period=period, **vars(page))


@bp.get("/<code>/briefing")
def briefing(code: str) -> str:
    """The latest month held against the month before, for a phone held in one hand."""
    page = briefing_page(
        current_app,
        get_engine(),
        code=code,
        today=date.today(),
        asset_url=asset_url("vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} with police.uk records in the latest boundary vintage")
    return render_template("wards/briefing.html", **vars(page))
