"""Sharing what works from a plan's page: whether its result lasted, its good-practice
record (nominate, award, withdraw) and its case study to download.

Everyone signed in reads and downloads; nominating needs the pcso role, awarding and
withdrawing the analyst role (``service.store.awards.ACTION_ROLES``), which the store checks
again. Every step is kept in the plan's good-practice history.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden, NotFound
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from service.auth import role_required
from service.readmodels.sustained import plan_follow_ups
from service.reports.case_study import case_study_file
from service.store.awards import (
    ACTION_ROLES,
    ACTIONS,
    MAX_NOTE,
    NOMINATED,
    AwardError,
    allowed_actions,
    award_history,
    award_states,
    record_award_step,
)
from service.store.db import get_engine

bp = Blueprint("plan_sharing", __name__, url_prefix="/plans")

STEP_WORDS = {"nominated": "Nominate", "awarded": "Award", "withdrawn": "Withdraw"}
"""The verb each step is chosen by on the form."""


class AwardForm(FlaskForm):
    """A step of a plan's good-practice record, with a note for its history."""

    action = SelectField("Step", validate_choice=False)
    note = TextAreaField(
        "Note",
        description="Why: what other teams can learn from it. Kept in the plan's history.",
        validators=[InputRequired("Say why, in a sentence or two."), Length(max=MAX_NOTE)],
    )


def sharing(plan_id: int, form: AwardForm | None = None) -> dict[str, Any]:
    """What the plan page's sharing section (``plans/_sharing.html``) shows."""
    engine = get_engine()
    state = award_states(engine).get(plan_id)
    actions = allowed_actions(state, role=current_user.role)
    if form is None:
        form = AwardForm()
    form.action.choices = [(a, STEP_WORDS[a]) for a in actions]
    return {
        "follow_ups": plan_follow_ups(current_app, engine, plan_id=plan_id),
        "award_state": None if state is None else ACTIONS[state],
        "award_history": award_history(engine, plan_id),
        "award_form": form,
        "award_actions": actions,
    }


@bp.post("/<int:plan_id>/good-practice")
@role_required(ACTION_ROLES[NOMINATED])
def good_practice(plan_id: int) -> ResponseReturnValue:
    from service.plan_forms import PlanStatusForm
    from service.views.plans import render_show, stored_plan  # plans imports this module

    plan, form = stored_plan(plan_id), AwardForm()
    action = form.action.data or ""
    if action in ACTION_ROLES and not current_user.can(ACTION_ROLES[action]):
        raise Forbidden(f"only a {ACTION_ROLES[action]} or above may record this step")
    if form.validate():
        try:
            record_award_step(
                get_engine(),
                plan_id,
                action,
                by=current_user.display_name,
                role=current_user.role,
                note=form.note.data or "",
            )
        except AwardError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Good practice: {ACTIONS[action].lower()} recorded.")
            return redirect(url_for("plans.show", plan_id=plan_id, _anchor="good-practice"), 303)
    return render_show(plan, PlanStatusForm(status=plan["status"]), 400, award_form=form)


@bp.get("/<int:plan_id>/case-study.<any(pdf, html):kind>")
def case_study(plan_id: int, kind: str) -> ResponseReturnValue:
    """The plan's case study (public rules: no names, no concern text, small counts hidden)."""
    made = case_study_file(
        current_app, get_engine(), plan_id=plan_id, format=kind, today=date.today()
    )
    if made is None:
        raise NotFound(f"no plan with id {plan_id}")
    return send_file(
        io.BytesIO(made.content),
        mimetype=made.media_type,
        as_attachment=True,
        download_name=f"case-study-plan-{plan_id}.{kind}",
        max_age=0,
    )
