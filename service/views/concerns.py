"""Community concern pages: the register, one concern with its history, and the forms that
record a concern, edit it and change its status.

Everyone signed in reads; recording and changing need the pcso role. Every change goes
through ``service.store.concerns``, which writes it to the concern's history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.concerns import CHANNELS, STATUSES
from geodata.errors import ConcernError
from service.access import shown_concerns
from service.auth import role_required
from service.forms import (
    ConcernForm,
    EditConcernForm,
    FilterForm,
    StatusForm,
    add_store_error,
    stale_edit,
    tag_labels,
)
from service.store.concerns import (
    concern_tags,
    concern_version,
    edit_concern,
    get_concern,
    list_concerns,
    record_concern,
    update_concern,
    ward_codes,
)
from service.store.db import get_engine
from service.store.versions import StaleEditError
from service.store.wards import latest_vintage, list_wards

bp = Blueprint("concerns", __name__, url_prefix="/concerns")


def ward_names(engine: sa.Engine, vintage: str | None = None) -> dict[str, str]:
    """Code → name of one vintage's wards (default: the latest); empty when none are stored."""
    vintage = vintage or latest_vintage(engine)
    return {w["code"]: w["name"] for w in list_wards(engine, vintage=vintage)} if vintage else {}


def labels() -> dict[str, Any]:
    """What templates show instead of slugs."""
    return {"tags": tag_labels(concern_tags()), "channels": CHANNELS, "statuses": STATUSES}


def stored_concern(concern_id: int) -> dict[str, Any]:
    concern = get_concern(get_engine(), concern_id)
    if concern is None:
        raise NotFound(f"no concern with id {concern_id}")
    return concern


@bp.get("")
def index() -> ResponseReturnValue:
    wards = ward_names(get_engine())
    form = FilterForm(request.args, wards=wards, tags=concern_tags())
    try:
        filters = form.filters(wards=wards)
    except ConcernError as error:
        raise BadRequest(str(error)) from error
    rows = list_concerns(get_engine(), **filters)
    shown_concerns(rows)
    return render_template(
        "concerns/index.html", form=form, concerns=rows, ward_names=wards, **labels()
    )


@bp.get("/<int:concern_id>")
def show(concern_id: int) -> ResponseReturnValue:
    concern = stored_concern(concern_id)
    return render_show(concern, StatusForm(status=concern["status"]))


def render_show(
    concern: dict[str, Any], form: StatusForm, status: int = 200
) -> ResponseReturnValue:
    names = ward_names(get_engine(), concern["ward_vintage"])
    return render_template(
        "concerns/show.html",
        concern=concern,
        form=form,
        ward_name=names.get(concern["ward_code"], concern["ward_code"]),
        **labels(),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@role_required("pcso")
def new() -> ResponseReturnValue:
    engine, today, by = get_engine(), date.today(), current_user.display_name
    wards = ward_names(engine)
    form = ConcernForm(
        wards=wards, tags=concern_tags(), ward_code=request.args.get("ward"), recorded_by=by
    )
    concern = (
        form.valid_concern(wards=wards, tags=concern_tags(), today=today)
        if form.is_submitted()
        else None
    )
    if concern is not None:
        try:
            concern_id = record_concern(engine, concern, recorded_by=by)
        except ConcernError as error:
            add_store_error(form, error)
        else:
            flash(f"Concern {concern_id} recorded.")
            return redirect(url_for(".show", concern_id=concern_id), 303)
    return render_template("concerns/new.html", form=form), 400 if form.errors else 200


@bp.route("/<int:concern_id>/edit", methods=["GET", "POST"])
@role_required("pcso")
def edit(concern_id: int) -> ResponseReturnValue:
    engine, concern = get_engine(), stored_concern(concern_id)
    version = concern_version(engine, concern_id)
    form = EditConcernForm(tags=concern_tags(), data={**concern, "version": version})
    stale = False
    wards = ward_codes(engine, vintage=concern["ward_vintage"])
    changes = (
        form.valid_changes(concern, wards=wards, tags=concern_tags(), today=date.today())
        if form.is_submitted()
        else None
    )
    if changes is not None:
        try:
            changed = edit_concern(
                engine,
                concern_id,
                by=current_user.display_name,
                version=form.opened_version(),
                **changes,
            )
        except StaleEditError as error:
            stale, concern = stale_edit(form, error), stored_concern(concern_id)
        except ConcernError as error:
            add_store_error(form, error)
        else:
            flash(f"Changed: {', '.join(changed)}." if changed else "Nothing changed.")
            return redirect(url_for(".show", concern_id=concern_id), 303)
    return render_template("concerns/edit.html", form=form, concern=concern, **labels()), (
        409 if stale else 400 if form.errors else 200
    )


@bp.post("/<int:concern_id>/status")
@role_required("pcso")
def status(concern_id: int) -> ResponseReturnValue:
    concern, form = stored_concern(concern_id), StatusForm()
    if form.validate():
        try:
            update_concern(
                get_engine(),
                concern_id,
                status=form.status.data,
                note=form.note.data,
                by=current_user.display_name,
                on=form.on.data,
            )
        except ConcernError as error:
            add_store_error(form, error)
        else:
            flash(f"Status recorded: {STATUSES[form.status.data]}.")
            return redirect(url_for(".show", concern_id=concern_id), 303)
    return render_show(concern, form, 400)
