"""API tokens: ``Authorization: Bearer <token>`` signs a request in on ``/api/*`` and ``/ogc``.

QGIS, GDAL, OWSLib, Power BI and scripts cannot keep a session cookie, so a user makes a
personal access token (the Tokens page, or ``flask create-token``) and the client sends it
with every request. Flask-Login's request loader turns a good token into its user, so
roles and every view's checks apply unchanged; the token is read-only unless it was made
with the write scope (and its user's role may write). A request signed in by a token needs
no CSRF token (nothing the browser sends by itself can carry it), every such request is
written to the access log, and a client that fails to authenticate too often is refused
for a while (429) before its token is even looked up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, Request, Response, abort, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from service.auth import User, csrf, login_manager
from service.store.access import record_access
from service.store.db import get_engine
from service.store.tokens import authenticate_token
from service.store.users import count_sign_in_failures, get_user, record_sign_in_failure

PATHS = ("/api/", "/ogc")
"""Where a token is accepted: the JSON API and the OGC API - Features service."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FAILED_TOKEN = "(bearer token)"
"""The user name a failed token authentication is recorded under with the sign-in failures,
so one limit per client address (``SIGN_IN_FAILURES_PER_ADDRESS`` within
``SIGN_IN_WINDOW_MINUTES``) covers passwords and tokens alike."""


def bearer_token(incoming: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header on a path that accepts one."""
    if not incoming.path.startswith(PATHS):
        return None
    scheme, _, token = incoming.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@login_manager.request_loader
def load_user_from_token(incoming: Request) -> User | None:
    """The token's user, or None (then the request is refused as signed out)."""
    token = bearer_token(incoming)
    if token is None:
        return None
    engine, config = get_engine(), current_app.config
    client = incoming.remote_addr or "unknown"
    window = timedelta(minutes=int(config["SIGN_IN_WINDOW_MINUTES"]))
    _, failures = count_sign_in_failures(
        engine, username=FAILED_TOKEN, address=client, since=datetime.now(UTC) - window
    )
    if failures >= int(config["SIGN_IN_FAILURES_PER_ADDRESS"]):
        raise TooManyRequests(
            "too many failed sign-ins from this address; try again later",
            retry_after=int(window.total_seconds()),
        )
    found = authenticate_token(engine, token)
    row = None if found is None else get_user(engine, int(found["user_id"]))
    if found is None or row is None or not row["active"]:
        record_sign_in_failure(engine, username=FAILED_TOKEN, address=client)
        return None
    g.api_token = found
    return User(row)


def check_token_request() -> ResponseReturnValue | None:
    """A token request may write only with the write scope; any other request that writes
    needs the session's CSRF token, as before."""
    token = g.get("api_token")
    if token is None:
        if current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect(apply_exemptions=True)
        return None
    if request.method not in SAFE_METHODS and "write" not in token["scope"].split():
        abort(403, description="this token is read-only")
    return None


def log_token_use(response: Response) -> Response:
    """Every request a token signs in, in the access log like a page view."""
    token = g.get("api_token")
    if token is not None and current_user.is_authenticated:
        record_access(
            get_engine(),
            user_id=int(current_user.id),
            username=current_user.username,
            consulted=[("token", f"{token['id']} {token['name']}")],
            path=request.full_path.rstrip("?"),
        )
    return response


def init_app(app: Flask) -> None:
    """After :func:`service.auth.init_app`: its sign-in check runs first (and so loads the
    token's user); the CSRF check moves here so a token request can skip it."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_token_request)
    app.after_request(log_token_use)
