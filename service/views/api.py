"""The JSON API: wards, ward profiles and GeoJSON, documented at /api/openapi.json."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.crime import CATEGORIES
from geodata.errors import ConcernError, PlanError
from geodata.features import incident_features, ward_features
from geodata.io.plans import plan_from_dict
from geodata.period import Period, PeriodError, latest_period
from geodata.profile import headline_figures, to_json
from service.access import shown_concerns
from service.auth import role_required
from service.forms import concern_from_json
from service.openapi import OPENAPI
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.ward_priorities import priority_matrix, ward_priorities
from service.readmodels.ward_profiles import (
    default_period,
    shared_figures,
    ward_frame,
    ward_profile,
)
from service.store.aggregates import ward_facts
from service.store.concerns import (
    check_filters,
    concern_tags,
    get_concern,
    list_concerns,
    record_concern,
    ward_codes,
)
from service.store.db import get_engine
from service.store.plans import check_filters as check_plan_filters
from service.store.plans import create_plan, get_plan, list_plans, update_plan
from service.store.population import list_ward_population
from service.store.threat import active_assessment, list_assessments
from service.store.versions import StaleEditError
from service.store.wards import latest_vintage, list_wards

bp = Blueprint("api", __name__, url_prefix="/api")


def requested_period() -> Period:
    """The ?from=YYYY-MM&to=YYYY-MM range, by default the latest 12 months held.

    A period must lie within the months that can be shown, from the first month held (or
    the start of the default period, when fewer than 12 months are held) to the last, and
    be at most ``MAX_PERIOD_MONTHS`` long, so a request's cost is bounded by what is stored;
    anything else is a 400 naming the parameter and the months held.
    """
    first, last = request.args.get("from"), request.args.get("to")
    default = default_period(current_app, get_engine())
    if first is None and last is None:
        if default is None:
            abort(404, description="no police.uk records are stored")
        return default
    if first is None or last is None:
        missing = "from" if first is None else "to"
        raise BadRequest(f"{missing}: give both from and to, or neither")
    try:
        period = Period.parse(first, last)
    except PeriodError as error:
        raise BadRequest(str(error)) from error
    if default is None:
        abort(404, description="no police.uk records are stored")
    check_period(period, held=shared_figures(current_app, get_engine()).months_held)
    return period


class PeriodRefused(BadRequest):
    """A well-formed period that cannot be shown: outside the months held, or too long."""


def check_period(period: Period, *, held: list[str]) -> None:
    """Refuse a period outside the months that can be shown, or longer than the cap."""
    earliest = min(held[0], latest_period(held).first)  # type: ignore[union-attr]
    latest = held[-1]
    holding = f"police.uk records are held from {held[0]} to {latest}"
    if period.first < earliest:
        raise PeriodRefused(f"from: {period.first} is before the months held ({holding})")
    if period.last > latest:
        raise PeriodRefused(f"to: {period.last} is after the months held ({holding})")
    cap = int(current_app.config["MAX_PERIOD_MONTHS"])
    if len(period.months) > cap:
        raise PeriodRefused(f"from: a period can be at most {cap} months long ({holding})")


def current_vintage() -> str:
    vintage = latest_vintage(get_engine())
    if vintage is None:
        abort(404, description="no ward boundaries are stored")
    return vintage


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(OPENAPI)


@bp.get("/wards")
def wards() -> ResponseReturnValue:
    vintage = current_vintage()
    population = list_ward_population(get_engine(), vintage=vintage)
    return jsonify(
        [
            {**ward, "population": population.get(ward["code"], {}).get("residents")}
            for ward in list_wards(get_engine(), vintage=vintage)
        ]
    )


@bp.get("/wards/<code>/profile")
def profile(code: str) -> ResponseReturnValue:
    period = requested_period()
    result = ward_profile(current_app, get_engine(), code=code, period=period)
    if result is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    return jsonify(to_json(result))


@bp.get("/wards/<code>/incidents.geojson")
def incidents(code: str) -> ResponseReturnValue:
    period = requested_period()
    category = request.args.get("category")
    if category is not None and category not in CATEGORIES:
        raise BadRequest(f"category: {category!r} is not one of {', '.join(CATEGORIES)}")
    vintage = current_vintage()
    if not any(w["code"] == code for w in list_wards(get_engine(), vintage=vintage)):
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    facts = ward_facts(
        get_engine(), vintage=vintage, ward_code=code, first=period.first, last=period.last
    )
    if category is not None:
        facts = facts[facts["category"] == category]
    return jsonify(incident_features(facts))


@bp.get("/wards/<code>/concerns")
def concerns(code: str) -> ResponseReturnValue:
    """A ward's community concerns as they stand, newest first, filtered by query."""
    status, tag, channel = (request.args.get(name) for name in ("status", "tag", "channel"))
    try:
        check_filters(status=status, tag=tag, channel=channel)
    except ConcernError as error:
        raise BadRequest(str(error)) from error
    vintage = current_vintage()
    if not any(w["code"] == code for w in list_wards(get_engine(), vintage=vintage)):
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    rows = list_concerns(get_engine(), ward_code=code, status=status, tag=tag, channel=channel)
    shown_concerns(rows)
    return jsonify([{k: _iso(v) for k, v in row.items()} for row in rows])


@bp.post("/wards/<code>/concerns")
@role_required("pcso")
def new_concern(code: str) -> ResponseReturnValue:
    """Record a concern in the ward from a JSON body; 400 lists every problem by field.

    Like every form, this needs the session's CSRF token, in the ``X-CSRFToken`` header
    (Flask-WTF's CSRFProtect checks it before the view runs); pages carry it in
    ``<meta name="csrf-token">``.
    """
    engine = get_engine()
    wards = ward_codes(engine, vintage=current_vintage())
    if code not in wards:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    by = current_user.display_name
    concern, problems = concern_from_json(
        request.get_json(silent=True),
        ward_code=code,
        recorded_by=by,
        wards=wards,
        tags=concern_tags(),
        today=date.today(),
    )
    if concern is None:
        return _problems(problems)
    concern_id = record_concern(engine, concern, recorded_by=by)
    page = url_for("concerns.show", concern_id=concern_id)
    return jsonify(_dated(get_concern(engine, concern_id))), 201, {"Location": page}


def _problems(problems: list[tuple[str, str]]) -> ResponseReturnValue:
    """400 in the shape of every API error, with each problem also listed by field."""
    message = "; ".join(f"{field}: {problem}" for field, problem in problems)
    listed = [{"field": field, "problem": problem} for field, problem in problems]
    body = {"status": 400, "name": "Bad Request", "message": message, "problems": listed}
    return jsonify({"error": body}), 400


def _dated(value: object) -> object:
    """``value`` with every day, however deep, as YYYY-MM-DD."""
    if isinstance(value, dict):
        return {key: _dated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dated(item) for item in value]
    return _iso(value)


def _iso(value: object) -> object:
    """Days as YYYY-MM-DD (Flask would write an HTTP date)."""
    return value.isoformat() if isinstance(value, date) else value


@bp.get("/threat")
def threat() -> ResponseReturnValue:
    """The active force threat assessment with its themes, and every stored version."""
    engine = get_engine()
    return jsonify({"active": active_assessment(engine), "versions": list_assessments(engine)})


@bp.get("/plans")
def plans_index() -> ResponseReturnValue:
    """Problem-solving plans as they stand, newest first, each with its quality score."""
    ward, status, category = (request.args.get(name) for name in ("ward", "status", "category"))
    try:
        check_plan_filters(status=status, category=category)
    except PlanError as error:
        raise BadRequest(str(error)) from error
    return jsonify(list_plans(get_engine(), ward=ward, status=status, category=category))


@bp.get("/plans/<int:plan_id>")
def plan_detail(plan_id: int) -> ResponseReturnValue:
    """One plan with its quality checklist and its full history."""
    found = get_plan(get_engine(), plan_id)
    if found is None:
        raise NotFound(f"no plan with id {plan_id}")
    return jsonify(found)


@bp.get("/plans/<int:plan_id>/evaluation")
def plan_evaluation_view(plan_id: int) -> ResponseReturnValue:
    """Before and after, target against the rest of the force, with displacement."""
    found = plan_evaluation(current_app, get_engine(), plan_id=plan_id)
    if found is None:
        raise NotFound(f"no plan with id {plan_id}")
    return jsonify(found)


@bp.post("/plans")
@role_required("pcso")
def new_plan() -> ResponseReturnValue:
    """Store a plan from a JSON body (the fields of ``geodata.plans.Plan``); 400 lists every
    problem by field. Needs the session's CSRF token in the ``X-CSRFToken`` header."""
    plan, problems = plan_from_dict(request.get_json(silent=True))
    if plan is None:
        return _problems(problems)
    try:
        plan_id = create_plan(get_engine(), plan, by=current_user.display_name)
    except PlanError as error:
        return _problems(error.problems or [("", str(error))])
    where = {"Location": url_for("api.plan_detail", plan_id=plan_id)}
    return jsonify(get_plan(get_engine(), plan_id)), 201, where


@bp.put("/plans/<int:plan_id>")
@role_required("pcso")
def edit_plan(plan_id: int) -> ResponseReturnValue:
    """Replace a plan with the JSON body; each changed field is recorded in its history.

    With ``version`` in the body (the plan's version as read), a plan changed since is
    refused with 409 and the changes made since, in ``error.changes``."""
    if get_plan(get_engine(), plan_id) is None:
        raise NotFound(f"no plan with id {plan_id}")
    body = request.get_json(silent=True)
    version = body.pop("version", None) if isinstance(body, dict) else None
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return _problems([("version", f"{version!r} is not a whole number")])
    plan, problems = plan_from_dict(body)
    if plan is None:
        return _problems(problems)
    try:
        changed = update_plan(
            get_engine(), plan_id, plan, by=current_user.display_name, version=version
        )
    except StaleEditError as error:
        changes = [{"at": c.at, "by": c.by, "change": c.change} for c in error.changes]
        body = {"status": 409, "name": "Conflict", "message": str(error), "changes": changes}
        return jsonify({"error": body | {"version": error.current}}), 409
    except PlanError as error:
        return _problems(error.problems or [("", str(error))])
    return jsonify({**(get_plan(get_engine(), plan_id) or {}), "changed": changed})


@bp.get("/wards.geojson")
def wards_geojson() -> ResponseReturnValue:
    engine = get_engine()
    shared = shared_figures(current_app, engine)
    if shared.vintage is None:
        abort(404, description="no ward boundaries are stored")
    period = requested_period()
    headline = headline_figures(shared.force, shared.residents, period)
    wards = ward_frame(current_app, engine, vintage=shared.vintage)
    return jsonify(ward_features(wards, headline, period))


@bp.get("/wards/<code>/priorities")
def priorities(code: str) -> ResponseReturnValue:
    period = requested_period()
    result = ward_priorities(
        current_app, get_engine(), code=code, period=period, today=date.today()
    )
    if result is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    shown_concerns(list_concerns(get_engine(), ward_code=code))  # who raised them: seldom-heard
    return jsonify(to_json(result))


@bp.get("/priorities/matrix")
def matrix() -> ResponseReturnValue:
    current_vintage()
    period = requested_period()
    return jsonify(priority_matrix(current_app, get_engine(), period=period, today=date.today()))
