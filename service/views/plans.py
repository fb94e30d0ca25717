"""Problem-solving plan pages: the list, one plan (SARA record, quality checklist, evaluation,
history), the forms that write and edit a plan and change its status, and "What works".

Everyone signed in reads; writing needs the pcso role (as for concerns). Every change goes through
``service.store.plans``, which writes it to the plan's history.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.approaches import KINDS, MIN_PLANS
from geodata.crime import CATEGORIES
from geodata.errors import PlanError
from geodata.plans import PLAN_STATUSES, SCANNING_SOURCES, TARGET_KINDS, TOOLKIT_RATINGS
from geodata.what_works import GOOD_QUALITY
from service.auth import role_required
from service.forms import stale_edit
from service.plan_forms import (
    RESPONSE_FORMAT,
    PlanForm,
    PlanStatusForm,
    add_plan_problems,
    form_data,
)
from service.readmodels.plan_evaluations import plan_evaluation, what_works_now
from service.store.db import get_engine
from service.store.plans import (
    check_filters,
    create_plan,
    get_plan,
    list_plans,
    plan_references,
    set_status,
    update_plan,
)
from service.store.versions import StaleEditError
from service.views.concerns import ward_names
from service.views.plan_sharing import sharing

bp = Blueprint("plans", __name__, url_prefix="/plans")


def labels() -> dict[str, Any]:
    """What templates show instead of slugs."""
    return {
        "statuses": PLAN_STATUSES,
        "sources": SCANNING_SOURCES,
        "ratings": TOOLKIT_RATINGS,
        "target_kinds": TARGET_KINDS,
    }


def stored_plan(plan_id: int) -> dict[str, Any]:
    plan = get_plan(get_engine(), plan_id)
    if plan is None:
        raise NotFound(f"no plan with id {plan_id}")
    return plan


def references(engine: sa.Engine) -> tuple[set[str] | None, set[int] | None]:
    """Ward codes of the latest vintage and concern ids; None when no wards are stored."""
    try:
        return plan_references(engine)
    except PlanError:
        return None, None


@bp.get("")
def index() -> ResponseReturnValue:
    engine = get_engine()
    ward = request.args.get("ward") or None
    status = request.args.get("status") or None
    category = request.args.get("category") or None
    try:
        check_filters(status=status, category=category)
    except PlanError as error:
        raise BadRequest(str(error)) from error
    rows = list_plans(engine, ward=ward, status=status, category=category)
    return render_template(
        "plans/index.html",
        plans=rows,
        ward_names=ward_names(engine),
        categories=CATEGORIES,
        chosen={"ward": ward, "status": status, "category": category},
        **labels(),
    )


@bp.get("/what-works")
def what_works() -> ResponseReturnValue:
    """Closed plans of good quality whose evaluation found a significant fall
    (``geodata.what_works``)."""
    query = (request.args.get("q") or "").strip()
    theme = request.args.get("theme") or None
    if theme is not None and theme not in CATEGORIES:
        raise BadRequest(f"theme: {theme!r} is not one of {', '.join(CATEGORIES)}")
    found = what_works_now(current_app, get_engine(), query=query, theme=theme)
    return render_template(
        "plans/what_works.html",
        themes=found.themes,
        count=found.count,
        query=query,
        theme=theme,
        categories=CATEGORIES,
        good_quality=GOOD_QUALITY,
        approaches=found.approaches,
        follow_ups=found.follow_ups,
        min_plans=MIN_PLANS,
        kinds=KINDS,
        **labels(),
    )


@bp.get("/<int:plan_id>")
def show(plan_id: int) -> ResponseReturnValue:
    plan = stored_plan(plan_id)
    return render_show(plan, PlanStatusForm(status=plan["status"]))


def render_show(
    plan: dict[str, Any], form: PlanStatusForm, status: int = 200, *, award_form: Any = None
) -> ResponseReturnValue:
    engine = get_engine()
    return render_template(
        "plans/show.html",
        plan=plan,
        p=plan["plan"],
        form=form,
        evaluation=plan_evaluation(current_app, engine, plan_id=plan["id"]),
        ward_names=ward_names(engine, plan["ward_vintage"]),
        **sharing(plan["id"], award_form),
        **labels(),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@role_required("pcso")
def new() -> ResponseReturnValue:
    engine = get_engine()
    wards = ward_names(engine)
    chosen = request.args.get("ward")
    form = PlanForm(wards=wards, ward_codes=[chosen] if chosen in wards else [])
    if form.is_submitted():
        known, concern_ids = references(engine)
        plan = form.valid_plan(keep={}, wards=known, concern_ids=concern_ids)
        if plan is not None:
            try:
                plan_id = create_plan(engine, plan, by=current_user.display_name)
            except (PlanError, LookupError) as error:
                add_store_error(form, error)
            else:
                flash(f"Plan {plan_id} saved.")
                return redirect(url_for(".show", plan_id=plan_id), 303)
    return render_template(
        "plans/new.html", form=form, response_format=RESPONSE_FORMAT, **labels()
    ), (400 if form.errors else 200)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@role_required("pcso")
def edit(plan_id: int) -> ResponseReturnValue:
    engine, stored = get_engine(), stored_plan(plan_id)
    wards = ward_names(engine)
    for code in stored["plan"]["ward_codes"]:  # codes of an older vintage stay choosable
        wards.setdefault(code, code)
    form = PlanForm(wards=wards, data={**form_data(stored["plan"]), "version": stored["version"]})
    stale = False
    if form.is_submitted():
        known, concern_ids = references(engine)
        keep = {
            "linked_concern_ids": stored["plan"]["linked_concern_ids"],
            "review_dates": stored["plan"]["review_dates"],
        }
        if known is not None and set(form.ward_codes.data or []) == set(
            stored["plan"]["ward_codes"]
        ):
            known = known | set(stored["plan"]["ward_codes"])  # its own vintage's codes
        plan = form.valid_plan(keep=keep, wards=known, concern_ids=concern_ids)
        if plan is not None:
            try:
                changed = update_plan(
                    engine,
                    plan_id,
                    plan,
                    by=current_user.display_name,
                    version=form.opened_version(),
                )
            except StaleEditError as error:
                stale = stale_edit(form, error)
                stored = stored_plan(plan_id)
            except (PlanError, LookupError) as error:
                add_store_error(form, error)
            else:
                flash(f"Changed: {', '.join(changed)}." if changed else "Nothing changed.")
                return redirect(url_for(".show", plan_id=plan_id), 303)
    return render_template(
        "plans/edit.html", form=form, plan=stored, response_format=RESPONSE_FORMAT, **labels()
    ), (409 if stale else 400 if form.errors else 200)


@bp.post("/<int:plan_id>/status")
@role_required("pcso")
def status(plan_id: int) -> ResponseReturnValue:
    plan, form = stored_plan(plan_id), PlanStatusForm()
    if form.validate():
        try:
            set_status(
                get_engine(),
                plan_id,
                form.status.data or "",
                by=current_user.display_name,
                note=form.note.data,
            )
        except PlanError as error:
            add_store_error(form, error)
        else:
            flash(f"Status recorded: {PLAN_STATUSES[form.status.data or '']}.")
            return redirect(url_for(".show", plan_id=plan_id), 303)
    return render_show(plan, form, 400)


def add_store_error(form: Any, error: Exception) -> None:
    """Show a store refusal with its fields, or above the form."""
    problems = getattr(error, "problems", None)
    if problems:
        add_plan_problems(form, problems)
    else:
        form.form_errors.append(str(error))
