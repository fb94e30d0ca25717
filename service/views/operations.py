"""Operation pages: the list, one operation (its details, evaluation and history) and the
forms that record and edit one; and the helpers the ward, briefing and planning pages
include to list operations and seasonal expectations.

Everyone signed in reads; writing needs the pcso role (as for plans). Every change goes
through ``service.store.operations``, which writes it to the operation's history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import NotFound

from geodata.io.operations import operation_from_dict
from geodata.operations import OperationError
from service.auth import role_required
from service.forms import stale_edit
from service.operation_forms import OperationForm, form_data
from service.readmodels.operations import (
    coming_rises,
    force_operations,
    in_season,
    operation_evaluation,
    ward_operations,
    ward_season_lines,
)
from service.readmodels.sustained import operation_follow_ups
from service.store.db import get_engine
from service.store.operations import (
    create_operation,
    get_operation,
    list_operations,
    operation_wards,
    update_operation,
)
from service.store.versions import StaleEditError
from service.views.concerns import ward_names
from service.views.plans import add_store_error

bp = Blueprint("operations", __name__, url_prefix="/operations")

_STORED_EXTRAS = (
    "id",
    "version",
    "ward_vintage",
    "created_by",
    "created_at",
    "updated_at",
    "import_id",
    "history",
)
"""Keys a stored operation carries beyond the operation's own fields."""


def stored_operation(operation_id: int) -> dict[str, Any]:
    found = get_operation(get_engine(), operation_id)
    if found is None:
        raise NotFound(f"no operation with id {operation_id}")
    return found


@bp.get("")
def index() -> ResponseReturnValue:
    engine = get_engine()
    return render_template(
        "operations/index.html", operations=list_operations(engine), ward_names=ward_names(engine)
    )


@bp.get("/<int:operation_id>")
def show(operation_id: int) -> ResponseReturnValue:
    engine, stored = get_engine(), stored_operation(operation_id)
    operation, _ = operation_from_dict(stored, ignore=_STORED_EXTRAS)
    assert operation is not None  # the store reads every row it returns
    return render_template(
        "operations/show.html",
        operation=stored,
        evaluation=operation_evaluation(current_app, engine, operation, operation_id=operation_id),
        ward_names=ward_names(engine, stored["ward_vintage"]),
        seasonal=in_season(current_app, engine, operation),
        follow_ups=operation_follow_ups(current_app, engine, operation),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("pcso")
def new() -> ResponseReturnValue:
    engine = get_engine()
    form = OperationForm(wards=ward_names(engine))
    if form.is_submitted():
        operation = form.valid_operation(wards=operation_wards(engine))
        if operation is not None:
            try:
                operation_id = create_operation(engine, operation, by=current_user.display_name)
            except OperationError as error:
                add_store_error(form, error)
            else:
                flash(f"Operation {operation_id} saved.")
                return redirect(url_for(".show", operation_id=operation_id), 303)
    html = render_template("operations/new.html", form=form)
    return html, 400 if form.errors else 200


@bp.route("/<int:operation_id>/edit", methods=["GET", "POST"])
@role_required("pcso")
def edit(operation_id: int) -> ResponseReturnValue:
    engine, stored = get_engine(), stored_operation(operation_id)
    wards = ward_names(engine)
    for code in stored["ward_codes"]:  # codes of an older vintage stay choosable
        wards.setdefault(code, code)
    form = OperationForm(wards=wards, data=form_data(stored))
    stale = False
    if form.is_submitted():
        known = (operation_wards(engine) or set()) | set(stored["ward_codes"])
        operation = form.valid_operation(wards=known)
        if operation is not None:
            try:
                changed = update_operation(
                    engine,
                    operation_id,
                    operation,
                    by=current_user.display_name,
                    version=form.opened_version(),
                )
            except StaleEditError as error:
                stale = stale_edit(form, error)
            except (OperationError, LookupError) as error:
                add_store_error(form, error)
            else:
                flash(f"Changed: {', '.join(changed)}." if changed else "Nothing changed.")
                return redirect(url_for(".show", operation_id=operation_id), 303)
    html = render_template("operations/edit.html", form=form, operation=stored)
    return html, 409 if stale else 400 if form.errors else 200


@bp.app_context_processor
def page_helpers() -> dict[str, Callable[..., Any]]:
    """What the included partials of the ward, briefing and planning pages call: each reads
    through the read models, so those pages' views stay as they are."""

    def operations_of_ward(code: str) -> list[dict[str, Any]]:
        return ward_operations(current_app, get_engine(), code=code)

    def operations_of_force() -> list[dict[str, Any]]:
        return force_operations(current_app, get_engine())

    def seasons_coming() -> Any:
        return coming_rises(current_app, get_engine(), today=date.today())

    def ward_coming_season(code: str) -> list[str]:
        coming = date.today().month % 12 + 1
        return ward_season_lines(current_app, get_engine(), code=code, month=coming)

    return {
        "operations_of_ward": operations_of_ward,
        "operations_of_force": operations_of_force,
        "seasons_coming": seasons_coming,
        "ward_coming_season": ward_coming_season,
    }
