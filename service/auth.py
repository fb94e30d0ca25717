"""Sign-in and roles: every page and API call needs a signed-in user; writing needs a role.

Flask-Login keeps the user in the signed session; Flask-WTF protects every form with a CSRF
token. Access is closed by default: ``require_sign_in`` runs before every request and only
the sign-in page and static files are open.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from service.store.db import get_engine
from service.store.users import ROLES, get_user

login_manager = LoginManager()
csrf = CSRFProtect()
OPEN_ENDPOINTS = {"auth.login", "static", "assets.file"}

F = TypeVar("F", bound=Callable[..., Any])


class User(UserMixin):
    def __init__(self, row: dict[str, Any]) -> None:
        self.id = row["id"]
        self.username: str = row["username"]
        self.display_name: str = row["display_name"]
        self.role: str = row["role"]

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    row = get_user(get_engine(), int(user_id))
    return User(row) if row and row["active"] else None


def require_sign_in() -> ResponseReturnValue | None:
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
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
