"""Prevention-message pages: the log, one message with its history, and the form recording one.

Everyone signed in reads; recording needs the pcso role. Every change goes through
``service.store.messages``, which writes it to the message's history. The ward page and the
planning page show the alignment of messages with priorities through two template functions
registered here, so each of those pages only includes a partial.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.errors import MessageError
from geodata.messages import AREAS, AUDIENCES, CHANNELS, is_link
from geodata.period import Period
from service.auth import role_required
from service.message_forms import MessageFilterForm, MessageForm
from service.readmodels.message_alignment import gaps_by_theme, message_alignment
from service.store.db import get_engine
from service.store.messages import (
    get_message,
    list_messages,
    message_references,
    record_message,
)
from service.store.wards import latest_vintage, list_wards

bp = Blueprint("messages", __name__, url_prefix="/messages")


def names(engine: sa.Engine) -> tuple[dict[str, str], dict[str, str]]:
    """Ward code → name and council code → name, of the latest boundary vintage."""
    vintage = latest_vintage(engine)
    rows = list_wards(engine, vintage=vintage) if vintage else []
    wards = {row["code"]: row["name"] for row in sorted(rows, key=lambda r: r["name"])}
    councils = {
        row["lad_code"]: row["lad_name"] or row["lad_code"] for row in rows if row["lad_code"]
    }
    return wards, dict(sorted(councils.items(), key=lambda item: item[1]))


def labels() -> dict[str, Any]:
    """What templates show instead of slugs."""
    return {"channels": CHANNELS, "audiences": AUDIENCES, "areas": AREAS, "is_link": is_link}


@bp.get("")
def index() -> ResponseReturnValue:
    engine = get_engine()
    ward_names, council_names = names(engine)
    themes = _themes(engine)
    form = MessageFilterForm(request.args, ward_names=ward_names, themes=themes)
    try:
        filters = form.filters(ward_names=ward_names, themes=themes)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    return render_template(
        "messages/index.html",
        form=form,
        messages=list_messages(engine, **filters),
        ward_names=ward_names,
        council_names=council_names,
        **labels(),
    )


@bp.get("/<int:message_id>")
def show(message_id: int) -> ResponseReturnValue:
    engine = get_engine()
    message = get_message(engine, message_id)
    if message is None:
        raise NotFound(f"no prevention message with id {message_id}")
    ward_names, council_names = names(engine)
    return render_template(
        "messages/show.html",
        message=message,
        ward_names=ward_names,
        council_names=council_names,
        themes=_themes(engine),
        **labels(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("pcso")
def new() -> ResponseReturnValue:
    engine = get_engine()
    ward_names, council_names = names(engine)
    try:
        references = message_references(engine)
    except MessageError:
        references = None
    themes = dict(references.themes) if references else {}
    form = MessageForm(
        ward_names=ward_names,
        council_names=council_names,
        themes=themes,
        data={"ward_codes": request.args.getlist("ward")},
    )
    if form.is_submitted() and references is not None:
        message = form.valid_message(references, today=date.today())
        if message is not None:
            try:
                message_id = record_message(engine, message, by=current_user.display_name)
            except MessageError as error:
                form.form_errors.append(str(error))
            else:
                flash(f"Prevention message {message_id} recorded.")
                return redirect(url_for(".show", message_id=message_id), 303)
    elif form.is_submitted():
        form.form_errors.append("No wards are stored yet: import ward boundaries first.")
    page = render_template("messages/new.html", form=form, stored=references is not None)
    return page, 400 if form.errors else 200


def _themes(engine: sa.Engine) -> dict[str, str]:
    try:
        return dict(message_references(engine).themes)
    except MessageError:
        return {}


@bp.app_template_global()
def ward_message_alignment(code: str, period: Period | None) -> dict[str, Any] | None:
    """One ward's alignment for the ward page's partial, or None when there is nothing to show."""
    if period is None:
        return None
    found = message_alignment(current_app, get_engine(), period=period, today=date.today())
    if found is None or code not in found["wards"]:
        return None
    return {**found, "ward": found["wards"][code]}


@bp.app_template_global()
def force_message_alignment(period: Period | None) -> dict[str, Any] | None:
    """The force-wide alignment for the planning page's partial, with gaps grouped by theme."""
    if period is None:
        return None
    found = message_alignment(current_app, get_engine(), period=period, today=date.today())
    if found is None:
        return None
    return {**found, "gaps_by_theme": gaps_by_theme(found["gaps"], found["names"])}
