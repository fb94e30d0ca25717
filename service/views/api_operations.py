"""The operations API: list, record and read operations (documented at /api/openapi.json)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import NotFound

from geodata.io.operations import operation_from_dict
from geodata.operations import OperationError
from service.auth import role_required
from service.readmodels.operations import evaluated_operations
from service.store.db import get_engine
from service.store.operations import create_operation, get_operation, stored_operations
from service.views.api import _problems

bp = Blueprint("api_operations", __name__, url_prefix="/api")


@bp.get("/operations")
def index() -> ResponseReturnValue:
    """Operations as they stand, latest start first, each with its evaluation; ``ward``
    keeps those working in that ward (and the force-wide ones)."""
    engine = get_engine()
    found = stored_operations(engine, ward=request.args.get("ward") or None)
    return jsonify(evaluated_operations(current_app, engine, found))


@bp.get("/operations/<int:operation_id>")
def detail(operation_id: int) -> ResponseReturnValue:
    """One operation with its full history."""
    found = get_operation(get_engine(), operation_id)
    if found is None:
        raise NotFound(f"no operation with id {operation_id}")
    return jsonify(found)


@bp.post("/operations")
@role_required("pcso")
def new() -> ResponseReturnValue:
    """Store an operation from a JSON body (the fields of ``geodata.operations.Operation``);
    400 lists every problem by field. Needs the session's CSRF token in ``X-CSRFToken``."""
    operation, problems = operation_from_dict(request.get_json(silent=True))
    if operation is None:
        return _problems(problems)
    try:
        operation_id = create_operation(get_engine(), operation, by=current_user.display_name)
    except OperationError as error:
        return _problems(error.problems or [("", str(error))])
    where = {"Location": url_for("api_operations.detail", operation_id=operation_id)}
    return jsonify(get_operation(get_engine(), operation_id)), 201, where
