"""Ward pages: the interactive ward profile and the PCSO shift briefing."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from service.access import shown_concerns
from service.assets import asset_url
from service.readmodels.briefing import briefing_page
from service.readmodels.fragments import rendered_fragments
from service.readmodels.pages import profile_page
from service.readmodels.ward_profiles import shared_figures
from service.store.db import get_engine
from service.views.periods import page_period

bp = Blueprint("wards", __name__, url_prefix="/wards")


@bp.get("/<code>")
def profile(code: str) -> ResponseReturnValue:
    """?from=YYYY-MM&to=YYYY-MM, by default the latest 12 months held; a bad period or one
    with no month held shows the page again with the problem at the top (status 400)."""
    engine = get_engine()
    chosen = page_period(shared_figures(current_app, engine).months_held)
    if chosen.period is None:
        raise NotFound("no police.uk records are stored")
    page = profile_page(
        current_app,
        engine,
        code=code,
        period=chosen.period,
        today=date.today(),
        asset_url=asset_url("vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    shown_concerns(page.concerns)
    figures = rendered_fragments(
        current_app,
        engine,
        template="wards/_profile_figures.html",
        macros=("cards", "map_tables", "figures", "closing"),
        key=(code, chosen.period),
        values={"period": chosen.period, **vars(page)},
    )
    html = render_template(
        "wards/profile.html", period=chosen.period, chosen=chosen, figures=figures, **vars(page)
    )
    return html, 400 if chosen.problems else 200


@bp.get("/<code>/briefing")
def briefing(code: str) -> str:
    """The shift card of the latest month held, for a phone held in one hand."""
    page = briefing_page(
        current_app,
        get_engine(),
        code=code,
        today=date.today(),
        asset_url=asset_url("vendor"),
    )
    if page is None:
        raise NotFound(f"no ward {code!r} with police.uk records in the latest boundary vintage")
    shown_concerns(page.concerns)
    return render_template("wards/briefing.html", **vars(page))
