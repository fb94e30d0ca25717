"""Sign in and sign out, with failed sign-ins counted and logged.

Password guessing is slowed down by counting failed sign-ins in the store, which every
server process reads (Flask-Limiter would need a shared Redis or Memcached for that; the
database is already shared): past ``SIGN_IN_FAILURES_PER_USER`` failures for one user name,
or ``SIGN_IN_FAILURES_PER_ADDRESS`` from one client address, within
``SIGN_IN_WINDOW_MINUTES``, sign-in is refused (429) until the window has passed, even with
the right password. Every failure is also written to the access log (kind ``sign-in``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from service.auth import User, start_session
from service.store.access import record_access
from service.store.db import get_engine
from service.store.users import (
    authenticate,
    clear_sign_in_failures,
    count_sign_in_failures,
    end_sessions,
    record_sign_in_failure,
    user_id_named,
)

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in page cannot send anyone elsewhere."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/"):
        return url_for("home.index")
    return target or url_for("home.index")


def _too_many_failures(username: str, address: str) -> str | None:
    """Why sign-in is refused for now, or None; in words that do not say whether the user
    name exists."""
    config = current_app.config
    minutes = int(config["SIGN_IN_WINDOW_MINUTES"])
    since = datetime.now(UTC) - timedelta(minutes=minutes)
    by_name, by_address = count_sign_in_failures(
        get_engine(), username=username, address=address, since=since
    )
    if by_name >= int(config["SIGN_IN_FAILURES_PER_USER"]):
        return f"Too many failed sign-ins for this user name. Try again in {minutes} minutes."
    if by_address >= int(config["SIGN_IN_FAILURES_PER_ADDRESS"]):
        return f"Too many failed sign-ins from this computer. Try again in {minutes} minutes."
    return None


def _failed(username: str, address: str, *, refused: bool) -> None:
    """Log a failed sign-in (ref: the client address); a wrong password also counts
    towards the limits, a refused attempt does not (the limit is already reached)."""
    engine = get_engine()
    if not refused:
        record_sign_in_failure(engine, username=username, address=address)
    why = "refused: too many failed sign-ins" if refused else "wrong user name or password"
    record_access(
        engine,
        user_id=user_id_named(engine, username),
        username=username[:200],
        kind="sign-in",
        refs=[address],
        path=f"{request.path} ({why})",
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = SignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        username, address = form.username.data or "", request.remote_addr or "unknown"
        error = _too_many_failures(username, address)
        row = (
            None
            if error
            else authenticate(get_engine(), username=username, password=form.password.data)
        )
        if row is not None:
            clear_sign_in_failures(get_engine(), username=username)
            session.clear()
            login_user(User(row))
            start_session(session)
            return redirect(_safe_next(request.args.get("next")))
        _failed(username, address, refused=error is not None)
        error, status = error or "That user name and password do not match.", 429 if error else 401
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out, here and in every other browser this user signed in with."""
    if current_user.is_authenticated:
        end_sessions(get_engine(), user_id=int(current_user.id))
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
