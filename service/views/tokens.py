"""Personal access tokens: make one (shown once), list them, revoke one."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from service.cli.create_token import WRITE_ROLE
from service.store.db import get_engine
from service.store.tokens import MAX_DAYS, create_token, list_tokens, revoke_token

bp = Blueprint("tokens", __name__, url_prefix="/tokens")


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=80)],
        description="What will use it, such as QGIS on my laptop.",
    )
    days = IntegerField(
        "Days until it stops working",
        default=90,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_DAYS)],
    )
    write = BooleanField("Allow it to record and change concerns and plans")


class RevokeForm(FlaskForm):
    pass


@bp.route("", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    form = TokenForm()
    made = None
    if form.validate_on_submit():
        token, row = create_token(
            get_engine(),
            user_id=int(current_user.id),
            name=form.name.data or "",
            days=form.days.data or 90,
            write=bool(form.write.data) and current_user.can(WRITE_ROLE),
        )
        made = {**row, "token": token}
    page = render_template(
        "tokens/index.html",
        form=form,
        revoke=RevokeForm(),
        made=made,
        may_write=current_user.can(WRITE_ROLE),
        tokens=list_tokens(get_engine(), user_id=int(current_user.id)),
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of the signed-in user's tokens (the CSRF check runs before every view)."""
    if not revoke_token(get_engine(), token_id=token_id, user_id=int(current_user.id)):
        raise NotFound(f"no token {token_id} of yours that still works")
    return redirect(url_for("tokens.index"))
