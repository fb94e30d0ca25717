"""Sign-in and roles: every page and API call needs a signed-in user; writing needs a role.

Flask-Login keeps the user in the signed session; Flask-WTF protects every form with a CSRF
token. Access is closed by default: ``require_sign_in`` runs before every request and only
the sign-in page, static files and the health check (``/healthz``) are open.

A session names the user and their session generation (``<id>:<generation>``), and carries
when it started and when it was last used. It ends when the generation it names is no
longer the user's (sign-out, new password, new role, deactivation: see
``service.store.users``), after ``SESSION_IDLE_HOURS`` unused, and ``SESSION_MAX_HOURS``
after signing in, whatever happens in between.
"""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from service.store.db import get_engine
from service.store.users import ROLES, get_user

login_manager = LoginManager()
csrf = CSRFProtect()
OPEN_ENDPOINTS = {"auth.login", "static", "assets.file", "health.healthz"}

F = TypeVar("F", bound=Callable[..., Any])


class User(UserMixin):
    def __init__(self, row: dict[str, Any]) -> None:
        self.id = row["id"]
        self.username: str = row["username"]
        self.display_name: str = row["display_name"]
        self.role: str = row["role"]
        self.generation: int = row["session_generation"]

    def get_id(self) -> str:
        """What the session stores: the id and the session generation it is valid for."""
        return f"{self.id}:{self.generation}"

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def start_session(store: MutableMapping[str, Any], *, at: float | None = None) -> None:
    """Stamp a new session (sign-in) with its start, which bounds its whole lifetime."""
    store["signed_in_at"] = store["seen_at"] = int(time.time() if at is None else at)


def _session_is_current(now: float) -> bool:
    """False when the session has been idle too long or has outlived its lifetime."""
    started, seen = session.get("signed_in_at"), session.get("seen_at")
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    idle = float(current_app.config["SESSION_IDLE_HOURS"]) * 3600
    lifetime = float(current_app.config["SESSION_MAX_HOURS"]) * 3600
    return now - seen <= idle and now - started <= lifetime


@login_manager.user_loader
def load_user(token: str) -> User | None:
    user_id, _, generation = token.partition(":")
    now = time.time()
    if not (user_id.isdigit() and generation.isdigit()) or not _session_is_current(now):
        return None
    row = get_user(get_engine(), int(user_id))
    if row is None or not row["active"] or row["session_generation"] != int(generation):
        return None
    if now - session["seen_at"] >= 60:  # a minute's resolution spares a cookie per request
        session["seen_at"] = int(now)
    return User(row)


def require_sign_in() -> ResponseReturnValue | None:
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith(("/api/", "/ogc")):
        body = {"error": {"status": 401, "name": "Unauthorized", "message": "sign in first"}}
        return jsonify(body), 401
    return redirect(url_for("auth.login", next=request.full_path))


def role_required(role: str) -> Callable[[F], F]:
    """Refuse (403) users whose role is below ``role``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(role):
                abort(403, description=f"this needs the {role} role or above")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    app.before_request(require_sign_in)  # first, so a signed-out POST gets 401, not 400
    csrf.init_app(app)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
