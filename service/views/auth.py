"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from service.auth import User
from service.store.db import get_engine
from service.store.users import authenticate
from service.views.my_wards import landing

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


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        row = authenticate(get_engine(), username=form.username.data, password=form.password.data)
        if row is not None:
            login_user(User(row))
            asked = request.args.get("next")
            if asked in (None, "", "/"):
                return redirect(landing(row["id"]))
            return redirect(_safe_next(asked))
        error = "That user name and password do not match."
    return render_template("auth/login.html", form=form, error=error), 401 if error else 200


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    logout_user()
    return redirect(url_for("auth.login"))
