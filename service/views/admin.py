"""User administration for admins: list users, change a role, deactivate or reactivate.

Each change ends the user's sessions (``service.store.users``). An admin cannot change
their own role or deactivate themselves here, so the last admin cannot lock everyone out.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound
from wtforms import BooleanField, SelectChoice, SelectField

from service.auth import role_required
from service.store.db import get_engine
from service.store.users import ROLES, get_user, list_users, set_active, set_role

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(role, role) for role in ROLES])
    active = BooleanField("May sign in")


@bp.get("/users")
@role_required("admin")
def users() -> ResponseReturnValue:
    rows = list_users(get_engine())
    forms = {
        row["id"]: UserForm(formdata=None, role=row["role"], active=row["active"]) for row in rows
    }
    return render_template("admin/users.html", users=rows, forms=forms)


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int) -> ResponseReturnValue:
    engine, form = get_engine(), UserForm()
    row = get_user(engine, user_id)
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    if not form.validate():
        flash(f"Not changed: {'; '.join(e for errors in form.errors.values() for e in errors)}.")
    elif user_id == int(current_user.id):
        flash("You cannot change your own role or deactivate yourself here.")
    else:
        name = row["username"]
        if form.role.data != row["role"]:
            set_role(engine, username=name, role=form.role.data)
            flash(f"{name} is now {form.role.data}; their sessions have ended.")
        if form.active.data != row["active"]:
            set_active(engine, username=name, active=form.active.data)
            flash(f"{name} {'may sign in again' if form.active.data else 'is deactivated'}.")
    return redirect(url_for(".users"), 303)
