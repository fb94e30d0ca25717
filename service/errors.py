"""One handler turns every HTTP error into the error page, or into JSON under /api."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**63 - 1
"""The largest integer SQLite (and PostgreSQL's bigint) can hold, so the largest record id."""


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in every route, capped at :data:`LARGEST_ID`: an id no record can have
    finds no route (404) instead of overflowing the database driver (500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Called before any blueprint, since a route takes its converters when it is added."""
    app.url_map.converters["int"] = RecordIdConverter


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        # The error's own headers (Allow on a 405, WWW-Authenticate, Retry-After) stay.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if request.path.startswith("/api/"):
            body = {"error": {"status": status, "name": error.name, "message": error.description}}
            return jsonify(body), status, headers
        return render_template("error.html", error=error), status, headers
