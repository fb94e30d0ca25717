"""Problem-solving plans (SARA): the plan record, its checks, quality checklist and files.

A plan follows SARA, the problem-solving model taught to neighbourhood teams: **Scanning**
(how the problem was spotted: recorded data, community concerns, partners), **Analysis**
(offenders, victims and places, a root cause and a hypothesis), **Response** (actions, each
with an owner, a due date, partners and the evidence that it works, rated from the College
of Policing Crime Reduction Toolkit) and **Assessment** (a measure, a measurable objective
and the day it will be judged). A plan also names its target area (a ward, a drawn polygon
or a point with a radius), a buffer around it for displacement, the police.uk categories it
aims at, its start and review dates, its status, its partners and how the community is
involved.

This module holds the vocabulary, the plan record and its checks (:func:`plan_problems`).
The quality checklist is ``geodata/plan_quality.py``, the target and buffer areas
``geodata/areas.py``, the JSON and CSV readers and writers ``geodata/io/plans.py`` and the
synthetic demo plans ``geodata/demo/plans.py``. It stores nothing: ``service.store.plans``
keeps every plan with its full history. Evaluating a plan against recorded crime lives in
``geodata/evaluation.py``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from types import MappingProxyType
from typing import Any

import shapely
from shapely.geometry import shape

from geodata.crime import CATEGORIES
from geodata.crs import ENGLAND_WALES_BOUNDS
from geodata.errors import PlanError

# --- Vocabulary ----------------------------------------------------------------------------

PLAN_STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "draft": "Draft",
        "active": "Active",
        "under-review": "Under review",
        "closed": "Closed",
    }
)
"""Where a plan stands: slug → label. ``draft``: being written; ``active``: responses under
way; ``under-review``: being assessed; ``closed``: finished (worked, or stopped)."""

SCANNING_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "data": "Recorded crime and ASB data",
        "concerns": "Community concerns",
        "partners": "Partner agencies' information",
        "community": "Community engagement",
    }
)
"""Where the problem was spotted: slug → label."""

TOOLKIT_RATINGS: Mapping[str, str] = MappingProxyType(
    {
        "effective": "Effective: the toolkit's reviews find it reduced crime overall",
        "promising": "Promising: it reduced crime in some studies, or on limited evidence",
        "mixed": "Mixed: some studies found more crime, others less",
        "no-effect": "No effect: the reviews find no overall impact on crime",
        "harmful": "Harmful: the reviews find it increased crime",
        "unknown": "Unknown: not in the toolkit, or not rated yet",
    }
)
"""A response's rating from the College of Policing Crime Reduction Toolkit: slug → label.

The toolkit (https://whatworks.college.police.uk/toolkit) rates each intervention's
*effect* on crime from systematic reviews, with the quality of the evidence given apart
(the EMMIE framework). These six slugs are Ward Profiles' own short vocabulary for that
effect verdict, not the toolkit's wording, which we could not check word for word: copy the
toolkit's verdict into the response's evidence text and choose the slug that fits it.
``no effect`` and ``No effect`` are read as ``no-effect``.
"""

TARGET_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "ward": "The plan's wards",
        "polygon": "A drawn area (GeoJSON polygon, WGS84)",
        "point-buffer": "A circle round a point (longitude, latitude, radius in metres)",
    }
)
"""What a plan's target area is: slug → label."""

DEFAULT_BUFFER_M = 250.0
"""Default width of the displacement buffer round the target area, in metres."""

MAX_RADIUS_M = 5_000.0
"""Largest point-buffer radius and displacement buffer, in metres: a neighbourhood."""

MAX_TITLE = 200
"""Longest title, owner, partner or other short text, in characters."""

MAX_TEXT = 4_000
"""Longest free text (problem, analysis, evidence ...), in characters."""

LIST_SEPARATOR = ";"
"""Joins the items of a list field in one CSV cell."""


@dataclass(frozen=True, kw_only=True)
class Response:
    """One response: what will be done, who owns it, by when, with whom and on what evidence.

    ``evidence`` says why it should work (a toolkit entry, a past result, a partner's
    experience); ``toolkit_rating`` is one of :data:`TOOLKIT_RATINGS` or None.
    """

    action: str
    owner: str
    due: date | None = None
    partners: tuple[str, ...] = ()
    evidence: str = ""
    toolkit_rating: str | None = None


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A problem-solving plan in SARA order; the fields are described in the module docstring.

    Target area: ``target_kind`` ``ward`` is the union of ``ward_codes``; ``polygon`` is
    ``target_geojson``, a GeoJSON Polygon or MultiPolygon in WGS84; ``point-buffer`` is a
    circle of ``radius_m`` metres round (``longitude``, ``latitude``), WGS84, drawn in
    British National Grid. ``buffer_m`` is the width of the ring round the target area in
    which displacement (or a diffusion of benefits) is looked for.
    """

    ward_codes: tuple[str, ...]
    title: str
    problem: str
    start_date: date
    status: str = "draft"
    # Scanning
    scanning: str = ""
    scanning_sources: tuple[str, ...] = ()
    linked_concern_ids: tuple[int, ...] = ()
    # Analysis
    offenders: str = ""
    victims: str = ""
    places: str = ""
    root_cause: str = ""
    hypothesis: str = ""
    # Response
    responses: tuple[Response, ...] = ()
    # Assessment
    measure: str = ""
    objective: str = ""
    assessment_date: date | None = None
    # Where and what
    target_kind: str = "ward"
    target_geojson: Mapping[str, Any] | None = None
    longitude: float | None = None
    latitude: float | None = None
    radius_m: float | None = None
    buffer_m: float = DEFAULT_BUFFER_M
    categories: tuple[str, ...] = ()
    review_dates: tuple[date, ...] = ()
    community_involvement: str = ""
    partners: tuple[str, ...] = ()


PLAN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Plan))
"""Every field of a plan, in order: the keys of a plan's JSON and the CSV columns."""

RESPONSE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Response))

REQUIRED_FIELDS: tuple[str, ...] = ("ward_codes", "title", "problem", "start_date")
"""Fields a plan's JSON must give; every other field has a default."""

PLAN_COLUMNS: tuple[str, ...] = PLAN_FIELDS
"""The columns of a plans CSV, one row per plan (any order; other columns are ignored).

List fields (``ward_codes``, ``scanning_sources``, ``linked_concern_ids``, ``categories``,
``review_dates``, ``partners``) are joined with ``;`` in one cell; ``responses`` is a JSON
array of response objects and ``target_geojson`` a GeoJSON geometry object, each in one
cell; dates are ``YYYY-MM-DD``; a blank cell is the field's default.
"""

TEXT_FIELDS: tuple[str, ...] = (
    # A plan's free-text fields, in form order (the plan form lists the same ones).
    "title",
    "problem",
    "scanning",
    "offenders",
    "victims",
    "places",
    "root_cause",
    "hypothesis",
    "measure",
    "objective",
    "community_involvement",
)
NUMBER_FIELDS: tuple[str, ...] = ("longitude", "latitude", "radius_m", "buffer_m")


# --- Checks --------------------------------------------------------------------------------


def plan_problems(
    plan: Plan, *, wards: Collection[str] | None, concern_ids: Collection[int] | None
) -> list[tuple[str, str]]:
    """Every reason ``plan`` cannot be stored, as (field, problem); empty when it is fine.

    Checked: at least one ward code, none repeated, each one of ``wards`` (not checked when
    ``wards`` is None); a title and a problem statement that are not blank; texts within
    :data:`MAX_TITLE` or :data:`MAX_TEXT` characters; scanning sources from
    :data:`SCANNING_SOURCES`; linked concerns among ``concern_ids`` (not checked when None);
    each response with an action and an owner, a toolkit rating from
    :data:`TOOLKIT_RATINGS` and a due date not before the start; the status from
    :data:`PLAN_STATUSES`; categories that are police.uk categories, none repeated;
    the assessment and review dates not before the start date; list items not blank and
    without ``;`` (it separates items in the CSV); and a target area that fits its kind
    (:data:`TARGET_KINDS`): a ``polygon`` is a valid GeoJSON Polygon or MultiPolygon inside
    England and Wales; a ``point-buffer`` has a point inside England and Wales and a radius
    over 0 and at most :data:`MAX_RADIUS_M`; fields of the other kinds are left empty. The
    displacement buffer is 0 to :data:`MAX_RADIUS_M` metres.
    """
    problems: list[tuple[str, str | None]] = []
    add = problems.append
    if not plan.ward_codes:
        add(("ward_codes", "is empty; give at least one ward code (e.g. E05013038)"))
    for code in _repeated(plan.ward_codes):
        add(("ward_codes", f"{code!r} is given twice"))
    for code in plan.ward_codes:
        if not code.strip():
            add(("ward_codes", "has a blank code"))
        elif wards is not None and code not in wards:
            add(("ward_codes", f"unknown ward code {code!r}: not a ward of the boundaries in use"))
    add(("title", _text_problem(plan.title, limit=MAX_TITLE, required="give the plan a title")))
    add(("problem", _text_problem(plan.problem, required="state the problem")))
    for name in TEXT_FIELDS[2:]:
        add((name, _text_problem(getattr(plan, name))))
    add(("status", _choice_problem(plan.status, PLAN_STATUSES, what="status")))
    for source in plan.scanning_sources:
        add(("scanning_sources", _choice_problem(source, SCANNING_SOURCES, what="source")))
    for source in _repeated(plan.scanning_sources):
        add(("scanning_sources", f"{source!r} is given twice"))
    if concern_ids is not None:
        for concern_id in plan.linked_concern_ids:
            if concern_id not in concern_ids:
                add(("linked_concern_ids", f"no stored concern has the id {concern_id}"))
    for n, response in enumerate(plan.responses, start=1):
        problems.extend(_response_problems(response, n, start=plan.start_date))
    for category in plan.categories:
        if category not in CATEGORIES:
            add(
                (
                    "categories",
                    f"{category!r} is not a police.uk category; one of {', '.join(CATEGORIES)}",
                )
            )
    for category in _repeated(plan.categories):
        add(("categories", f"{category!r} is given twice"))
    if plan.assessment_date is not None and plan.assessment_date < plan.start_date:
        add(("assessment_date", _before_start(plan.assessment_date, plan.start_date)))
    for day in plan.review_dates:
        if day < plan.start_date:
            add(("review_dates", _before_start(day, plan.start_date)))
    for partner in plan.partners:
        add(("partners", _item_problem(partner)))
    problems.extend(_target_problems(plan))
    return [(name, problem) for name, problem in problems if problem]


def check_plan(
    plan: Plan, *, wards: Collection[str] | None, concern_ids: Collection[int] | None
) -> None:
    """Raise :class:`PlanError` carrying every problem :func:`plan_problems` finds."""
    problems = plan_problems(plan, wards=wards, concern_ids=concern_ids)
    if problems:
        raise PlanError("; ".join(f"{name}: {problem}" for name, problem in problems), problems)


def _repeated(values: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    twice: list[Any] = []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.add(value)
    return twice


def _text_problem(text: str, *, limit: int = MAX_TEXT, required: str | None = None) -> str | None:
    if required and not text.strip():
        return f"is blank; {required}"
    if len(text) > limit:
        return f"is {len(text):,} characters long; at most {limit:,}"
    return None


def _item_problem(text: str) -> str | None:
    if not text.strip():
        return "has a blank item"
    if LIST_SEPARATOR in text:
        return f"{text!r} contains ';', which separates list items in a CSV cell"
    return _text_problem(text, limit=MAX_TITLE)


def _choice_problem(value: str | None, allowed: Mapping[str, Any], *, what: str) -> str | None:
    if value in allowed:
        return None
    if value is None or not value.strip():
        return f"is blank; one of {', '.join(allowed)}"
    return f"unknown {what} {value!r}; one of {', '.join(allowed)}"


def _before_start(day: date, start: date) -> str:
    return f"{day.isoformat()} is before the start date ({start.isoformat()})"


def _response_problems(response: Response, n: int, *, start: date) -> list[tuple[str, str | None]]:
    at = f"responses[{n}]"
    problems: list[tuple[str, str | None]] = [
        (f"{at}.action", _text_problem(response.action, required="say what will be done")),
        (
            f"{at}.owner",
            _text_problem(response.owner, limit=MAX_TITLE, required="name who owns it"),
        ),
        (f"{at}.evidence", _text_problem(response.evidence)),
    ]
    if response.toolkit_rating is not None:
        problems.append(
            (
                f"{at}.toolkit_rating",
                _choice_problem(response.toolkit_rating, TOOLKIT_RATINGS, what="rating"),
            )
        )
    if response.due is not None and response.due < start:
        problems.append((f"{at}.due", _before_start(response.due, start)))
    problems.extend((f"{at}.partners", _item_problem(p)) for p in response.partners)
    return problems


def _in_england_and_wales(longitude: float, latitude: float) -> bool:
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    return min_x <= longitude <= max_x and min_y <= latitude <= max_y


def _target_problems(plan: Plan) -> list[tuple[str, str | None]]:
    kind = plan.target_kind
    problems: list[tuple[str, str | None]] = [
        ("target_kind", _choice_problem(kind, TARGET_KINDS, what="target kind"))
    ]
    if not 0 <= plan.buffer_m <= MAX_RADIUS_M:
        problems.append(("buffer_m", f"{plan.buffer_m} is not from 0 to {MAX_RADIUS_M:g} metres"))
    if kind not in TARGET_KINDS:
        return problems
    point = {"longitude": plan.longitude, "latitude": plan.latitude, "radius_m": plan.radius_m}
    if kind != "polygon" and plan.target_geojson is not None:
        problems.append(("target_geojson", "is only for a polygon target; leave it empty"))
    if kind != "point-buffer":
        problems.extend(
            (name, "is only for a point-buffer target; leave it empty")
            for name, value in point.items()
            if value is not None
        )
    if kind == "polygon":
        problems.append(("target_geojson", _polygon_problem(plan.target_geojson)))
    elif kind == "point-buffer":
        for name, value in point.items():
            if value is None:
                problems.append((name, "is blank; a point-buffer target needs it"))
            elif not math.isfinite(value):
                problems.append((name, f"{value} is not a number"))
        if (
            plan.longitude is not None
            and plan.latitude is not None
            and not _in_england_and_wales(plan.longitude, plan.latitude)
        ):
            problems.append(
                (
                    "longitude",
                    f"({plan.longitude}, {plan.latitude}) lies outside England and Wales",
                )
            )
        if plan.radius_m is not None and not 0 < plan.radius_m <= MAX_RADIUS_M:
            problems.append(
                ("radius_m", f"{plan.radius_m} is not over 0 and at most {MAX_RADIUS_M:g} metres")
            )
    return problems


def _polygon_problem(geojson: Mapping[str, Any] | None) -> str | None:
    if geojson is None:
        return "is blank; a polygon target needs a GeoJSON Polygon or MultiPolygon"
    try:
        geometry = shape(geojson)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as error:
        return f"is not a GeoJSON geometry ({error})"
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return f"is a {geometry.geom_type}; give a Polygon or MultiPolygon"
    if geometry.is_empty:
        return "is empty"
    if not geometry.is_valid:
        return f"is not a valid polygon ({shapely.is_valid_reason(geometry)})"
    min_x, min_y, max_x, max_y = geometry.bounds
    if not (_in_england_and_wales(min_x, min_y) and _in_england_and_wales(max_x, max_y)):
        return "lies outside England and Wales (WGS84 longitude, latitude expected)"
    return None
