"""One handler turns every HTTP error into the error page, or into JSON under /api and /ogc."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        if request.path.startswith(("/api/", "/ogc")):
            body = {"error": {"status": status, "name": error.name, "message": error.description}}
            kept = {k: v for k, v in error.get_headers() if k in ("Retry-After", "Allow")}
            return jsonify(body), status, kept
        return render_template("error.html", error=error), status
