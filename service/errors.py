"""One handler turns every HTTP error into the error page, or into JSON under /api; a full
disk or a read-only database becomes a sentence, on a page or on the command line."""

from __future__ import annotations

import errno
import functools
import sqlite3
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import adbc_driver_manager
import click
import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, ServiceUnavailable
from werkzeug.routing import IntegerConverter

P = ParamSpec("P")
R = TypeVar("R")

STORAGE_ERRORS = (sa.exc.DBAPIError, sqlite3.Error, adbc_driver_manager.Error, OSError)
"""What the database drivers (SQLAlchemy's, SQLite's own, ADBC's for the bulk import) and
the file system raise when the database cannot be written."""

_STORAGE_PROBLEMS = (
    ("database or disk is full", "the disk holding the database is full"),
    ("disk i/o error", "the database could not be written (the disk may be full or failing)"),
    ("readonly database", "the database is read-only"),
    ("read-only file system", "the database is on a read-only file system"),
)
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def storage_problem(error: BaseException) -> str | None:
    """The sentence for a database that cannot be written (full disk, read-only file), or
    None for any other error, which stays a traceback for a developer to read."""
    if not isinstance(error, STORAGE_ERRORS):
        return None
    if isinstance(error, OSError) and error.errno in _DISK_FULL:
        return "the disk is full"
    text = str(error).casefold()
    return next((problem for needle, problem in _STORAGE_PROBLEMS if needle in text), None)


def storage_errors_as_messages(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a full disk or a read-only database into one clear message on the command line.

    Every import runs in one transaction, so by the time the error arrives it has been
    rolled back: the message can promise that nothing of the run was stored.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except STORAGE_ERRORS as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            raise click.ClickException(
                f"{problem}: nothing of this run was stored; make room (or make the database "
                "writable) and run it again"
            ) from error

    return run


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

    @app.errorhandler(sa.exc.DBAPIError)
    def storage_error(error: sa.exc.DBAPIError) -> ResponseReturnValue:
        problem = storage_problem(error)
        if problem is None:
            raise error  # any other database error is a 500, logged with its traceback
        app.logger.error("database not written: %s", error)
        return http_error(
            ServiceUnavailable(f"{problem.capitalize()}, so nothing was saved; try again later.")
        )
