"""``/healthz`` for a load balancer: the database answers and its schema is current.

Open without signing in, and says nothing but the state of the service: 200 with
``{"status": "ok"}`` or 503 with the reason, so a worker whose database is unreachable, or
behind or ahead of the code's migrations, is taken out of rotation.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from service.store import migrate
from service.store.db import get_engine

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        revision = migrate.current_revision(get_engine())
    except sa.exc.SQLAlchemyError:
        return jsonify(status="unavailable", problem="the database does not answer"), 503
    head = migrate.head_revision()
    if revision != head:
        problem = f"the database schema is at {revision or 'none'}, the code needs {head}"
        return jsonify(status="unavailable", problem=problem, schema=revision), 503
    return jsonify(status="ok", schema=revision)
