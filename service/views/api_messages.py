"""The JSON API of prevention messages: the log, recording one, and their alignment with
priorities; documented at /api/openapi.json with the rest of /api."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.errors import MessageError
from geodata.io.messages import message_from_dict
from geodata.messages import CHANNELS
from service.auth import role_required
from service.readmodels.message_alignment import alignment_json, message_alignment
from service.store.db import get_engine
from service.store.messages import get_message, list_messages, message_references, record_message
from service.views.api import _dated, _problems, current_vintage, requested_period

bp = Blueprint("api_messages", __name__, url_prefix="/api/messages")


@bp.get("")
def index() -> ResponseReturnValue:
    """Prevention messages as they stand, newest sent first, filtered by ward, theme, channel."""
    ward, theme, channel = (request.args.get(name) for name in ("ward", "theme", "channel"))
    if channel is not None and channel not in CHANNELS:
        raise BadRequest(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
    if ward is not None and ward not in message_references(get_engine()).wards:
        raise BadRequest(f"ward: {ward!r} is not a ward of the latest boundary vintage")
    rows = list_messages(get_engine(), ward_code=ward, theme=theme, channel=channel)
    return jsonify(_dated(rows))


@bp.get("/<int:message_id>")
def detail(message_id: int) -> ResponseReturnValue:
    """One message with its full history."""
    found = get_message(get_engine(), message_id)
    if found is None:
        raise NotFound(f"no prevention message with id {message_id}")
    return jsonify(_dated(found))


@bp.post("")
@role_required("pcso")
def new() -> ResponseReturnValue:
    """Record a message from a JSON body; 400 lists every problem by field. Like every form,
    this needs the session's CSRF token in the ``X-CSRFToken`` header."""
    engine = get_engine()
    current_vintage()
    references = message_references(engine)
    message, problems = message_from_dict(
        request.get_json(silent=True),
        wards=references.wards,
        councils=references.councils,
        themes=references.themes,
        today=date.today(),
    )
    if message is None:
        return _problems(problems)
    try:
        message_id = record_message(engine, message, by=current_user.display_name)
    except MessageError as error:
        return _problems(error.problems or [("", str(error))])
    where = {"Location": url_for("messages.show", message_id=message_id)}
    return jsonify(_dated(get_message(engine, message_id))), 201, where


@bp.get("/alignment")
def alignment() -> ResponseReturnValue:
    """Messages against the combined priorities over ?from=YYYY-MM&to=YYYY-MM (default: the
    latest 12 months held): each ward's ranked themes with their messages, and the gaps,
    noise and fatigue found (method: ``geodata/message_alignment.py``)."""
    current_vintage()
    period = requested_period()
    found = message_alignment(current_app, get_engine(), period=period, today=date.today())
    if found is None:
        raise NotFound("no ward boundaries are stored")
    return jsonify(alignment_json(found))
