"""Ward pages: the interactive ward profile and the PCSO shift briefing."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from service.access import shown_concerns
from service.readmodels.pages import briefing_page, profile_page
from service.store.db import get_engine
from service.views.api import page_period

bp = Blueprint("wards", __name__, url_prefix="/wards")


@bp.get("/<code>")
def profile(code: str) -> ResponseReturnValue:
    """?from=YYYY-MM&to=YYYY-MM, by default the latest 12 months held; a refused period shows
    the default one with the reason (400)."""
    period, refused = page_period()
    page = profile_page(
        current_app,
        get_engine(),
        code=code,
        period=period,
        today=date.today(),
        asset_url=url_for("static", filename="vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    shown_concerns(page.concerns)
    html = render_template("wards/profile.html", period=period, refused=refused, **vars(page))
    return html, 400 if refused else 200


@bp.get("/<code>/briefing")
def briefing(code: str) -> str:
    """The latest month held against the month before, for a phone held in one hand."""
    page = briefing_page(
        current_app,
        get_engine(),
        code=code,
        today=date.today(),
        asset_url=url_for("static", filename="vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} with police.uk records in the latest boundary vintage")
    shown_concerns(page.concerns)
    return render_template("wards/briefing.html", **vars(page))
