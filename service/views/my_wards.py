"""My wards: where signing in lands, the chooser of a user's wards, and who works where."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from service.auth import role_required
from service.store.db import get_engine
from service.store.users import list_user_wards, list_users, set_user_wards
from service.store.wards import latest_vintage, list_wards, unknown_ward_codes

bp = Blueprint("my_wards", __name__)

_SEPARATORS = re.compile(r"[\s,;]+")


def landing(user_id: int) -> str:
    """Where signing in goes without a page asked for: the briefing of the user's one ward,
    the chooser when they have several, the home page when none."""
    wards = list_user_wards(get_engine(), user_id)
    if len(wards) == 1:
        return url_for("wards.briefing", code=wards[0])
    if wards:
        return url_for("my_wards.chooser")
    return url_for("home.index")


@bp.get("/my-wards")
def chooser() -> str:
    """The signed-in user's wards, each linked to its briefing and profile."""
    engine = get_engine()
    codes = set(list_user_wards(engine, current_user.id))
    vintage = latest_vintage(engine)
    wards = (
        [w for w in list_wards(engine, vintage=vintage) if w["code"] in codes] if vintage else []
    )
    return render_template("my_wards/chooser.html", wards=wards)


class WardsForm(FlaskForm):
    wards = StringField("Ward codes, separated by spaces or commas")


@bp.route("/admin/wards", methods=["GET", "POST"])
@role_required("admin")
def users() -> ResponseReturnValue:
    """Every user with their wards; an admin gives a user their wards by code."""
    engine = get_engine()
    form = WardsForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        username = request.form.get("username", "")
        codes = [c for c in _SEPARATORS.split(form.wards.data or "") if c]
        unknown = unknown_ward_codes(engine, codes)
        if unknown:
            errors[username] = (
                f"{', '.join(unknown)} {'is not a ward' if len(unknown) == 1 else 'are not wards'}"
                " of the latest boundary set: use codes such as those on the home page"
            )
        else:
            try:
                set_user_wards(engine, username=username, codes=codes)
            except LookupError:
                errors[username] = "No such user."
            else:
                return redirect(url_for("my_wards.users"), code=303)
    vintage = latest_vintage(engine)
    names = {w["code"]: w["name"] for w in list_wards(engine, vintage=vintage)} if vintage else {}
    return render_template(
        "my_wards/users.html", users=list_users(engine), names=names, form=form, errors=errors
    ), (400 if errors else 200)
