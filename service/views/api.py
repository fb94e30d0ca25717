"""The JSON API: wards, ward profiles and GeoJSON, documented at /api/openapi.json."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, NotFound

from geodata.crime import CATEGORIES
from geodata.errors import ConcernError
from geodata.features import incident_features, ward_features
from geodata.profile import Period, PeriodError, headline_figures
from service.openapi import OPENAPI
from service.priorities import priority_matrix, ward_priorities
from service.profiles import default_period, shared_figures, ward_profile
from service.store.aggregates import ward_facts
from service.store.concerns import check_filters, list_concerns
from service.store.db import get_engine
from service.store.population import list_ward_population
from service.store.threat import active_assessment, list_assessments
from service.store.wards import latest_vintage, list_wards, load_ward_frame

bp = Blueprint("api", __name__, url_prefix="/api")


def requested_period() -> Period:
    """The ?from=YYYY-MM&to=YYYY-MM range, by default the latest 12 months held."""
    first, last = request.args.get("from"), request.args.get("to")
    if first is None and last is None:
        period = default_period(current_app, get_engine())
        if period is None:
            abort(404, description="no police.uk records are stored")
        return period
    if first is None or last is None:
        missing = "from" if first is None else "to"
        raise BadRequest(f"{missing}: give both from and to, or neither")
    try:
        return Period.parse(first, last)
    except PeriodError as error:
        raise BadRequest(str(error)) from error


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
    return jsonify(result)


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
    """A ward's community concerns as they stand, newest first, filtered by query.

    Read only: there is no POST yet, because writing needs the sign-in that arrives with the
    web app. Until then concerns are written through the store functions of
    ``service.store.concerns`` (``record_concern``, ``update_concern``, ``edit_concern``) and
    the import-concerns command.
    """
    status, tag, channel = (request.args.get(name) for name in ("status", "tag", "channel"))
    try:
        check_filters(status=status, tag=tag, channel=channel)
    except ConcernError as error:
        raise BadRequest(str(error)) from error
    vintage = current_vintage()
    if not any(w["code"] == code for w in list_wards(get_engine(), vintage=vintage)):
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    rows = list_concerns(get_engine(), ward_code=code, status=status, tag=tag, channel=channel)
    return jsonify([{k: _iso(v) for k, v in row.items()} for row in rows])


def _iso(value: object) -> object:
    """Days as YYYY-MM-DD (Flask would write an HTTP date)."""
    return value.isoformat() if isinstance(value, date) else value


@bp.get("/threat")
def threat() -> ResponseReturnValue:
    """The active force threat assessment with its themes, and every stored version."""
    engine = get_engine()
    return jsonify({"active": active_assessment(engine), "versions": list_assessments(engine)})


@bp.get("/wards.geojson")
def wards_geojson() -> ResponseReturnValue:
    engine = get_engine()
    shared = shared_figures(current_app, engine)
    if shared.vintage is None:
        abort(404, description="no ward boundaries are stored")
    period = requested_period()
    population = {code: p["residents"] for code, p in shared.population.items()}
    headline = headline_figures(shared.force, population, period)
    return jsonify(ward_features(load_ward_frame(engine, vintage=shared.vintage), headline, period))


@bp.get("/wards/<code>/priorities")
def priorities(code: str) -> ResponseReturnValue:
    period = requested_period()
    result = ward_priorities(
        current_app, get_engine(), code=code, period=period, today=date.today()
    )
    if result is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    return jsonify(result)


@bp.get("/priorities/matrix")
def matrix() -> ResponseReturnValue:
    current_vintage()
    period = requested_period()
    return jsonify(priority_matrix(current_app, get_engine(), period=period, today=date.today()))
