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

This module holds the vocabulary, the checks (:func:`plan_problems`), the quality checklist
(:func:`quality`), the target geometry (:func:`target_geometry`), the JSON and CSV readers
and writers, and the synthetic demo plans. It stores nothing: ``service.store.plans`` keeps
every plan with its full history. Evaluating a plan against recorded crime lives in
``geodata/evaluation.py``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geodata.concerns import from_spreadsheet, spreadsheet_safe
from geodata.crime import ASB, CATEGORIES, canonical_category
from geodata.crs import BNG, ENGLAND_WALES_BOUNDS, WGS84
from geodata.demo import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError, PlanFileError, RowError
from geodata.io.text import csv_rows, read_text

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
_LIST_FIELDS = (
    "ward_codes",
    "scanning_sources",
    "linked_concern_ids",
    "categories",
    "review_dates",
    "partners",
)
NUMBER_FIELDS: tuple[str, ...] = ("longitude", "latitude", "radius_m", "buffer_m")
_DATE_FIELDS = ("start_date", "assessment_date")
_JSON_FIELDS = ("responses", "target_geojson")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


# --- Quality checklist ---------------------------------------------------------------------

QUALITY_ITEMS: Mapping[str, str] = MappingProxyType(
    {
        "specific-problem": "A specific problem statement",
        "root-cause": "The analysis names a root cause",
        "data-in-scanning": "Data used in scanning",
        "responses-linked": "Responses linked to the cause",
        "response-evidence": "Evidence for every response",
        "measurable-objective": "A measurable objective",
        "assessment-date": "An assessment date",
        "partners": "Partners named",
        "community": "Community involvement described",
    }
)
"""The checklist of a good SARA plan, in order: item slug → what the UI shows."""

MIN_PROBLEM_WORDS = 15
"""Words a specific problem statement has at least."""

MIN_ROOT_CAUSE_WORDS = 5
"""Words a root cause has at least: a cause, not a label."""

PLACE_WORDS: tuple[str, ...] = (
    "street", "road", "lane", "avenue", "park", "estate", "centre", "center", "station",
    "shop", "shops", "parade", "car park", "alley", "alleyway", "underpass", "square",
    "school", "precinct", "bus stop", "footpath", "towpath", "canal", "field", "fields",
    "playground", "play area", "garages", "flats", "high street", "market", "pub", "pubs",
    "bars", "nightclub", "takeaway", "taxi rank", "terrace", "back lane", "retail park",
)  # fmt: skip
"""Words and phrases that name a place in a problem statement."""

TIME_WORDS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
    "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december",
    "morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night",
    "nights", "overnight", "weekend", "weekends", "weekday", "weekdays", "daytime",
    "dusk", "after dark", "summer", "winter", "spring", "autumn", "holidays",
    "school holidays", "closing time", "midnight", "midday",
)  # fmt: skip
"""Words and phrases that name a time; clock times (``8pm``, ``22:00``) count too."""

CATEGORY_WORDS: tuple[str, ...] = (
    "asb", "anti-social", "antisocial", "burglary", "burglaries", "shoplifting",
    "violence", "violent", "assault", "assaults", "robbery", "robberies", "theft",
    "thefts", "drugs", "drug", "dealing", "criminal damage", "arson", "vandalism",
    "graffiti", "weapons", "knife", "knives", "public order", "vehicle crime", "car crime",
    "bicycle", "bike", "bikes", "sexual",
)  # fmt: skip
"""Words and phrases that name a kind of crime; police.uk category names count too."""

COMMON_WORDS: tuple[str, ...] = (
    "with", "that", "this", "from", "they", "them", "their", "there", "have", "been", "more",
    "less", "when", "where", "which", "will", "into", "over", "than", "were", "what", "also",
    "about", "after", "before", "other", "some", "such", "only", "very", "each", "most",
    "much", "many", "make", "made", "does", "done", "through", "would", "could", "should",
    "being", "these", "those", "while",
)  # fmt: skip
"""Words left out when :func:`quality` looks for a response linked to the cause."""

_WORD = re.compile(r"[0-9a-z]+(?:['-][0-9a-z]+)*")
_CLOCK = re.compile(r"\b(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2})\b")
_STEM = 5


class Check(NamedTuple):
    """One checklist item: its slug (:data:`QUALITY_ITEMS`), whether it is met, and why."""

    item: str
    met: bool
    why: str


@dataclass(frozen=True)
class Quality:
    """The checklist result: items met (``score``) out of ``out_of``, and each item."""

    score: int
    out_of: int
    items: list[Check]

    @property
    def missing(self) -> list[str]:
        """What the plan still lacks, as the UI shows it."""
        return [QUALITY_ITEMS[check.item] for check in self.items if not check.met]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "out_of": self.out_of,
            "items": [
                {"item": c.item, "label": QUALITY_ITEMS[c.item], "met": c.met, "why": c.why}
                for c in self.items
            ],
        }


def quality(plan: Plan) -> Quality:
    """Score ``plan`` against the checklist of a good SARA plan, one point per item met.

    The rules, in the order of :data:`QUALITY_ITEMS` (words are runs of letters and
    digits, compared in any letter case):

    1. **A specific problem statement**: ``problem`` has at least :data:`MIN_PROBLEM_WORDS`
       words and names a place (:data:`PLACE_WORDS`), a time (:data:`TIME_WORDS` or a clock
       time such as ``8pm`` or ``22:00``) or a kind of crime (:data:`CATEGORY_WORDS` or a
       police.uk category name).
    2. **The analysis names a root cause**: ``root_cause`` has at least
       :data:`MIN_ROOT_CAUSE_WORDS` words.
    3. **Data used in scanning**: ``data`` is one of the ``scanning_sources``.
    4. **Responses linked to the cause**: there is at least one response, and every
       response's action or evidence shares a word stem with the root cause or the
       hypothesis: words of four letters or more, compared on their first five letters
       (so "lighting" matches "lights"), leaving out :data:`COMMON_WORDS`.
    5. **Evidence for every response**: there is at least one response, and every response
       has evidence text or a toolkit rating other than ``unknown``.
    6. **A measurable objective**: ``objective`` contains a number (``20 %``, ``halve`` does
       not count: write ``50 %``).
    7. **An assessment date**: ``assessment_date`` is set.
    8. **Partners named**: the plan or one of its responses names a partner.
    9. **Community involvement described**: ``community_involvement`` is not blank.

    The rules look for what a reviewer looks for first; they cannot tell a good root cause
    from a poor one, so a full score means complete, not right. Each item's ``why`` says
    what was found or what is missing.
    """
    checks = [
        _specific_problem(plan.problem),
        _root_cause(plan.root_cause),
        Check(
            "data-in-scanning",
            "data" in plan.scanning_sources,
            "scanning used recorded data"
            if "data" in plan.scanning_sources
            else "scanning sources do not include 'data' (recorded crime and ASB)",
        ),
        _responses_linked(plan),
        _response_evidence(plan.responses),
        _measurable(plan.objective),
        Check(
            "assessment-date",
            plan.assessment_date is not None,
            f"assessed on {plan.assessment_date.isoformat()}"
            if plan.assessment_date is not None
            else "no assessment date: say when the plan will be judged",
        ),
        _partners(plan),
        Check(
            "community",
            bool(plan.community_involvement.strip()),
            "describes how the community is involved"
            if plan.community_involvement.strip()
            else "community involvement is blank",
        ),
    ]
    return Quality(score=sum(c.met for c in checks), out_of=len(checks), items=checks)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _found(words: list[str], phrases: Iterable[str]) -> list[str]:
    """The phrases that occur in ``words``, in the order they first occur there."""
    padded = f" {' '.join(words)} "
    found = [phrase for phrase in phrases if f" {phrase} " in padded]
    return sorted(found, key=lambda phrase: padded.index(f" {phrase} "))


def _specific_problem(problem: str) -> Check:
    words = _words(problem)
    named: list[str] = []
    places = _found(words, PLACE_WORDS)
    times = _found(words, TIME_WORDS) + _CLOCK.findall(problem.casefold())
    kinds = _found(words, CATEGORY_WORDS) + _found(words, (" ".join(_words(c)) for c in CATEGORIES))
    for what, hits in (("a place", places), ("a time", times), ("a kind of crime", kinds)):
        if hits:
            named.append(f"{what} ({hits[0]})")
    if len(words) < MIN_PROBLEM_WORDS:
        return Check(
            "specific-problem",
            False,
            f"the problem statement has {len(words)} words; a specific one has at least "
            f"{MIN_PROBLEM_WORDS} and names a place, a time or a kind of crime",
        )
    if not named:
        return Check(
            "specific-problem",
            False,
            "the problem statement names no place, time or kind of crime",
        )
    return Check("specific-problem", True, "names " + ", ".join(named))


def _root_cause(root_cause: str) -> Check:
    n = len(_words(root_cause))
    if n >= MIN_ROOT_CAUSE_WORDS:
        return Check("root-cause", True, "the analysis names a root cause")
    if n == 0:
        return Check("root-cause", False, "no root cause: say why the problem happens here")
    return Check(
        "root-cause",
        False,
        f"the root cause has {n} words; say why the problem happens here in at least "
        f"{MIN_ROOT_CAUSE_WORDS}",
    )


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in _words(text) if len(w) >= 4 and w not in COMMON_WORDS}


def _responses_linked(plan: Plan) -> Check:
    if not plan.responses:
        return Check("responses-linked", False, "no responses yet")
    cause = _stems(plan.root_cause) | _stems(plan.hypothesis)
    if not cause:
        return Check("responses-linked", False, "no root cause or hypothesis to link them to")
    unlinked = [
        n
        for n, response in enumerate(plan.responses, start=1)
        if not (_stems(response.action) | _stems(response.evidence)) & cause
    ]
    if unlinked:
        return Check(
            "responses-linked",
            False,
            f"response {_numbers(unlinked)} shares no word with the root cause or hypothesis",
        )
    return Check("responses-linked", True, "every response addresses the cause")


def _response_evidence(responses: Sequence[Response]) -> Check:
    if not responses:
        return Check("response-evidence", False, "no responses yet")
    bare = [
        n
        for n, r in enumerate(responses, start=1)
        if not r.evidence.strip() and r.toolkit_rating in (None, "unknown")
    ]
    if bare:
        return Check(
            "response-evidence",
            False,
            f"response {_numbers(bare)} has no evidence text and no toolkit rating",
        )
    return Check("response-evidence", True, "every response gives its evidence")


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _measurable(objective: str) -> Check:
    if re.search(r"\d", objective):
        return Check("measurable-objective", True, "the objective has a number to judge by")
    if not objective.strip():
        return Check("measurable-objective", False, "no objective")
    return Check(
        "measurable-objective",
        False,
        "the objective has no number: say how much, e.g. 'reduce ASB reports by 20 %'",
    )


def _partners(plan: Plan) -> Check:
    named = list(plan.partners) + [p for r in plan.responses for p in r.partners]
    if named:
        return Check("partners", True, f"names {len(set(named))} partner(s)")
    return Check("partners", False, "no partner is named, for the plan or any response")


# --- Target area ---------------------------------------------------------------------------


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _reproject(geometry: BaseGeometry, source: str, target: str) -> BaseGeometry:
    transformer = _transformer(source, target)

    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometry, move)


def _to_bng(geometry: BaseGeometry) -> BaseGeometry:
    return _reproject(geometry, WGS84, BNG)


def _to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    return _reproject(geometry, BNG, WGS84)


def target_geometry(plan: Plan, *, ward_geometries: Mapping[str, BaseGeometry]) -> BaseGeometry:
    """The plan's target area in WGS84.

    Method. ``ward``: the union of the geometries of the plan's wards, taken from
    ``ward_geometries`` (code → WGS84 geometry). ``polygon``: ``target_geojson`` as it is.
    ``point-buffer``: the point is projected to British National Grid, buffered by
    ``radius_m`` metres (a circle of 64 segments) and projected back, so the radius is
    true metres rather than degrees.

    Raises
    ------
    PlanError
        When a ward code is missing from ``ward_geometries`` or the target fields do not
        fit the kind (check the plan with :func:`plan_problems` first).
    """
    if plan.target_kind == "ward":
        missing = [code for code in plan.ward_codes if code not in ward_geometries]
        if missing or not plan.ward_codes:
            raise PlanError(f"ward_codes: no geometry for {', '.join(missing) or 'any ward'}")
        return shapely.union_all([ward_geometries[code] for code in plan.ward_codes])
    if plan.target_kind == "polygon":
        if plan.target_geojson is None:
            raise PlanError("target_geojson: a polygon target needs its GeoJSON")
        return shape(plan.target_geojson)
    if plan.target_kind == "point-buffer":
        if plan.longitude is None or plan.latitude is None or plan.radius_m is None:
            raise PlanError("a point-buffer target needs longitude, latitude and radius_m")
        centre = _to_bng(shapely.Point(plan.longitude, plan.latitude))
        return _to_wgs84(centre.buffer(plan.radius_m, quad_segs=16))
    raise PlanError(f"target_kind: unknown target kind {plan.target_kind!r}")


def buffer_geometry(plan: Plan, *, ward_geometries: Mapping[str, BaseGeometry]) -> BaseGeometry:
    """The displacement buffer in WGS84: the ring ``buffer_m`` metres wide round the target.

    Method. The target area (:func:`target_geometry`) is projected to British National
    Grid, buffered outwards by ``buffer_m`` metres, and the target itself taken out, so the
    ring holds only what lies beyond the target's edge. A buffer of 0 gives an empty
    polygon.
    """
    target = _to_bng(target_geometry(plan, ward_geometries=ward_geometries))
    if plan.buffer_m <= 0:
        return shapely.Polygon()
    return _to_wgs84(target.buffer(plan.buffer_m, quad_segs=16).difference(target))


# --- JSON ----------------------------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-ready values: lists for tuples, ``YYYY-MM-DD`` for dates."""
    data: dict[str, Any] = {}
    for name in PLAN_FIELDS:
        value = getattr(plan, name)
        if name == "responses":
            value = [_response_to_dict(r) for r in value]
        elif name == "target_geojson":
            value = None if value is None else json.loads(json.dumps(value))
        elif name in _LIST_FIELDS:
            value = [v.isoformat() if isinstance(v, date) else v for v in value]
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    return data


def _response_to_dict(response: Response) -> dict[str, Any]:
    return {
        "action": response.action,
        "owner": response.owner,
        "due": None if response.due is None else response.due.isoformat(),
        "partners": list(response.partners),
        "evidence": response.evidence,
        "toolkit_rating": response.toolkit_rating,
    }


def plan_from_dict(
    data: Any, *, ignore: Collection[str] = ()
) -> tuple[Plan | None, list[tuple[str, str]]]:
    """A plan from a JSON object's values, or None and every problem with their types.

    The keys are :data:`PLAN_FIELDS`; :data:`REQUIRED_FIELDS` must be given, the others
    default. Keys in ``ignore`` (those an export adds, such as ``id``) are skipped; any
    other key is a problem, so a misspelt field is never lost. Values are read as JSON
    gives them: texts are stripped (None is blank), lists are lists, dates ``YYYY-MM-DD``
    text, numbers numbers. Slugs may be written as labels in any case (``Under review``,
    ``no effect``); categories may use any label :func:`geodata.crime.canonical_category`
    accepts and are kept under their current police.uk name. This checks types only: pass
    the plan to :func:`plan_problems` for the rest.
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        return None, [("", f"a plan is a JSON object of its fields, not {_kind(data)}")]
    unknown = sorted(set(data) - set(PLAN_FIELDS) - set(ignore))
    problems.extend((name, f"unknown field; fields: {', '.join(PLAN_FIELDS)}") for name in unknown)
    for name in REQUIRED_FIELDS:  # blank text and empty lists are for plan_problems to name
        if data.get(name) is None or (name == "start_date" and data[name] == ""):
            problems.append((name, "is missing; it is required"))
    values: dict[str, Any] = {}
    reader = _Reader(problems)
    for name in TEXT_FIELDS:
        values[name] = reader.text(data.get(name), name)
    values["ward_codes"] = tuple(
        reader.text(v, "ward_codes") for v in reader.list(data, "ward_codes")
    )
    values["scanning_sources"] = tuple(
        _slug(reader.text(v, "scanning_sources"), SCANNING_SOURCES)
        for v in reader.list(data, "scanning_sources")
    )
    values["linked_concern_ids"] = tuple(
        reader.integer(v, "linked_concern_ids") for v in reader.list(data, "linked_concern_ids")
    )
    values["categories"] = tuple(
        _category(reader.text(v, "categories")) for v in reader.list(data, "categories")
    )
    listed = reader.list(data, "review_dates")
    days = [reader.day(v, "review_dates") for v in listed]
    if any(v is None or v == "" for v in listed):
        reader.note("review_dates", "an empty entry is not a date written YYYY-MM-DD")
    values["review_dates"] = tuple(day for day in days if day is not None)
    values["partners"] = tuple(reader.text(v, "partners") for v in reader.list(data, "partners"))
    values["start_date"] = reader.day(data.get("start_date"), "start_date")
    values["assessment_date"] = reader.day(data.get("assessment_date"), "assessment_date")
    for name in NUMBER_FIELDS:
        values[name] = reader.number(data.get(name), name)
    if values["buffer_m"] is None:
        values["buffer_m"] = DEFAULT_BUFFER_M
    values["status"] = _slug(reader.text(data.get("status"), "status") or "draft", PLAN_STATUSES)
    values["target_kind"] = _slug(
        reader.text(data.get("target_kind"), "target_kind") or "ward", TARGET_KINDS
    )
    geojson = data.get("target_geojson")
    if geojson is not None and not isinstance(geojson, Mapping):
        problems.append(("target_geojson", "is not a GeoJSON geometry object"))
        geojson = None
    values["target_geojson"] = None if geojson is None else json.loads(json.dumps(geojson))
    values["responses"] = tuple(
        response
        for n, item in enumerate(reader.list(data, "responses"), start=1)
        if (response := _response_from_dict(item, n, reader)) is not None
    )
    if problems:
        return None, problems
    return Plan(**values), []


class _Reader:
    """Reads JSON values of the expected type, noting a problem (and a blank) otherwise."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems

    def note(self, name: str, problem: str) -> None:
        self.problems.append((name, problem))

    def list(self, data: Mapping[str, Any], name: str) -> list[Any]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(name, f"is not a list (a JSON array), but {_kind(value)}")
            return []
        return value

    def text(self, value: Any, name: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.note(name, f"{value!r} is not text")
            return ""
        return value.strip()

    def integer(self, value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.note(name, f"{value!r} is not a whole number")
            return 0
        return value

    def number(self, value: Any, name: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.note(name, f"{value!r} is not a number")
            return None
        if not math.isfinite(value):
            self.note(name, f"{value!r} is not a finite number")
            return None
        return float(value)

    def day(self, value: Any, name: str) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            self.note(name, f"{value!r} is not a date written YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.note(name, f"{value!r} is not a real date")
            return None


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "an array", str: "text", bool: "true or false"}
    return "nothing" if value is None else kinds.get(type(value), type(value).__name__)


def _response_from_dict(item: Any, n: int, reader: _Reader) -> Response | None:
    at = f"responses[{n}]"
    if not isinstance(item, Mapping):
        reader.note(at, f"is not an object with {', '.join(RESPONSE_FIELDS)}")
        return None
    before = len(reader.problems)
    for name in sorted(set(item) - set(RESPONSE_FIELDS)):
        reader.note(f"{at}.{name}", f"unknown field; fields: {', '.join(RESPONSE_FIELDS)}")
    rating = reader.text(item.get("toolkit_rating"), f"{at}.toolkit_rating")
    response = Response(
        action=reader.text(item.get("action"), f"{at}.action"),
        owner=reader.text(item.get("owner"), f"{at}.owner"),
        due=reader.day(item.get("due"), f"{at}.due"),
        partners=tuple(reader.text(p, f"{at}.partners") for p in reader.list(item, "partners")),
        evidence=reader.text(item.get("evidence"), f"{at}.evidence"),
        toolkit_rating=_slug(rating, TOOLKIT_RATINGS) if rating else None,
    )
    return response if len(reader.problems) == before else None


def _fold(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def _slug(text: str, vocabulary: Mapping[str, str]) -> str:
    """The slug ``text`` names (slug, or label up to its first colon), else ``text``."""
    wanted = _fold(text)
    for slug, label in vocabulary.items():
        if wanted in (_fold(slug), _fold(label), _fold(label.split(":")[0])):
            return slug
    return text


def _category(text: str) -> str:
    return canonical_category(text) or text


EXPORT_EXTRAS: tuple[str, ...] = (
    "id",
    "ward_vintage",
    "created_by",
    "created_at",
    "updated_at",
    "quality_score",
)
"""Keys and columns an export adds after the plan's own; the readers ignore them."""


def plans_to_json(plans: Iterable[Plan | Mapping[str, Any]]) -> str:
    """A JSON document ``{"plans": [...]}`` with one object per plan (:func:`plan_to_dict`).

    Mappings are written as they are (the store's export passes each plan's dict with the
    :data:`EXPORT_EXTRAS` added). Text is written as it is: JSON is not opened in a
    spreadsheet, so it needs no formula guard.
    """
    items = [plan_to_dict(p) if isinstance(p, Plan) else dict(p) for p in plans]
    return json.dumps({"plans": items}, indent=2, ensure_ascii=False) + "\n"


def read_plans_json(
    data: str | bytes | os.PathLike[str],
    *,
    source: str,
    wards: Collection[str] | None = None,
    concern_ids: Collection[int] | None = None,
) -> tuple[list[Plan], list[RowError]]:
    """Read a plans JSON document and check every plan.

    Layout: an object ``{"plans": [plan, ...]}`` (or just the array), each plan an object
    with the keys of :data:`PLAN_FIELDS` (:func:`plan_from_dict` says how values are
    written); the keys of :data:`EXPORT_EXTRAS` are ignored, so an export reads back. A plan
    with any problem (:func:`plan_from_dict`, then :func:`plan_problems` against ``wards``
    and ``concern_ids`` when given) is rejected with one ``RowError`` per problem; in a
    JSON file the error's ``line`` is the plan's number in the array (1 = the first).

    Raises
    ------
    PlanFileError
        When the file is missing, not UTF-8 JSON, or not an array of plans.
    """
    text = read_text(data, source=source, error=PlanFileError)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{source}: is not JSON ({error})") from error
    if isinstance(document, Mapping) and set(document) == {"plans"}:
        document = document["plans"]
    if not isinstance(document, list):
        raise PlanFileError(
            f'{source}: expected {{"plans": [...]}} or an array of plans, not {_kind(document)}'
        )
    plans: list[Plan] = []
    errors: list[RowError] = []
    for number, item in enumerate(document, start=1):
        plan, problems = _checked(item, wards=wards, concern_ids=concern_ids)
        errors.extend(RowError(source, number, name, problem) for name, problem in problems)
        if plan is not None:
            plans.append(plan)
    return plans, errors


def _checked(
    data: Any, *, wards: Collection[str] | None, concern_ids: Collection[int] | None
) -> tuple[Plan | None, list[tuple[str, str]]]:
    plan, problems = plan_from_dict(data, ignore=EXPORT_EXTRAS)
    if plan is None:
        return None, problems
    problems = plan_problems(plan, wards=wards, concern_ids=concern_ids)
    return (None, problems) if problems else (plan, [])


# --- CSV -----------------------------------------------------------------------------------


def plan_rows(
    plans: Iterable[Plan | Mapping[str, Any]], *, columns: Sequence[str] = PLAN_COLUMNS
) -> list[list[str]]:
    """The header and one row of text cells per plan, safe to open in a spreadsheet.

    ``plans`` are :class:`Plan` objects or their :func:`plan_to_dict` mappings (with any
    :data:`EXPORT_EXTRAS`). List fields are joined with ``;``; ``responses`` and
    ``target_geojson`` are written as compact JSON (starting ``[`` or ``{``, never read as
    a formula); every other text cell, and every joined list, goes through
    :func:`geodata.concerns.spreadsheet_safe`. Numbers are written as numbers (a negative
    longitude stays ``-1.2``) and None as an empty cell.
    """
    rows = [list(columns)]
    for plan in plans:
        data = plan_to_dict(plan) if isinstance(plan, Plan) else plan
        rows.append([_cell(name, data.get(name)) for name in columns])
    return rows


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in _JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    if name in _LIST_FIELDS:
        return spreadsheet_safe(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return spreadsheet_safe(str(value))


def plans_to_csv(
    plans: Iterable[Plan | Mapping[str, Any]], *, columns: Sequence[str] = PLAN_COLUMNS
) -> str:
    """:func:`plan_rows` as CSV text (``\\r\\n`` line ends, cells quoted when needed)."""
    stream = io.StringIO()
    csv.writer(stream).writerows(plan_rows(plans, columns=columns))
    return stream.getvalue()


def read_plans_csv(
    data: str | bytes | os.PathLike[str],
    *,
    source: str,
    wards: Collection[str] | None = None,
    concern_ids: Collection[int] | None = None,
) -> tuple[list[Plan], list[RowError]]:
    """Read a plans CSV (one row per plan, the columns of :data:`PLAN_COLUMNS`) and check it.

    Method
    ------
    The header must name every column of :data:`PLAN_COLUMNS`, in any order and letter
    case; other columns (those :data:`EXPORT_EXTRAS` an export adds) are ignored; a header
    missing a column is refused as a whole. Each cell first has the spreadsheet-safety
    prefix taken off (:func:`geodata.concerns.from_spreadsheet`), so an exported file reads
    back as it was. List cells are split on ``;`` (items stripped, blanks dropped);
    ``responses`` and ``target_geojson`` are parsed as JSON; numbers and concern ids as
    numbers; a blank cell is the field's default. The plan is then read by
    :func:`plan_from_dict` and checked by :func:`plan_problems`; a row with any problem is
    rejected with one ``RowError`` per problem naming its field. A row's line is where it
    starts (the header is line 1). Blank lines are skipped.

    Raises
    ------
    PlanFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    plans: list[Plan] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, PLAN_COLUMNS, source=source, error=PlanFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell) for name, cell in raw.items()}
        values, problems = _values_of_cells(cells)
        plan = None
        if not problems:
            plan, problems = _checked(values, wards=wards, concern_ids=concern_ids)
        errors.extend(RowError(source, line, name, problem) for name, problem in problems)
        if plan is not None:
            plans.append(plan)
    return plans, errors


def _values_of_cells(cells: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """JSON-like values of one CSV row, as :func:`plan_from_dict` reads them."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, cell in cells.items():
        text = cell.strip()
        if name in _JSON_FIELDS:
            try:
                values[name] = json.loads(text) if text else None
            except json.JSONDecodeError as error:
                problems.append((name, f"is not JSON ({error})"))
        elif name in _LIST_FIELDS:
            items = [item.strip() for item in cell.split(LIST_SEPARATOR)]
            values[name] = [item for item in items if item]
            if name == "linked_concern_ids":
                ids = []
                for item in values[name]:
                    if re.fullmatch(r"[0-9]+", item):
                        ids.append(int(item))
                    else:
                        problems.append((name, f"{item!r} is not a concern id (a number)"))
                values[name] = ids
        elif name in NUMBER_FIELDS:
            try:
                values[name] = float(text) if text else None
            except ValueError:
                problems.append((name, f"{text!r} is not a number"))
        else:
            values[name] = text or None
    return values, problems


# --- Synthetic demo plans ------------------------------------------------------------------

DEMO_PARK_RADIUS_M = 400.0
"""Radius of the demo ASB plan's circle round the park: the demo park cluster is 350 m."""


def demo_park_point(ward: BaseGeometry) -> tuple[float, float]:
    """Where the demo draws the Ashby Vale park: the centre of the largest circle in the ward.

    :mod:`geodata.demo` puts its park cluster round the centre of the largest circle
    inscribed in the ward (found in British National Grid); this finds it again from the
    ward's WGS84 geometry, within a few metres. Returns (longitude, latitude).
    """
    circle = shapely.maximum_inscribed_circle(_to_bng(ward))
    centre = _to_wgs84(shapely.Point(shapely.get_coordinates(circle)[0]))
    return round(centre.x, 6), round(centre.y, 6)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1) + timedelta(days=day.day - 1)


def demo_plans(
    ward_codes: Sequence[str],
    *,
    names: Mapping[str, str],
    start: date,
    ward_geometries: Mapping[str, BaseGeometry] | None = None,
) -> list[Plan]:
    """Three SYNTHETIC example plans for the demo force: good, medium and weak.

    SYNTHETIC DATA - NOT REAL PLANS. Every text is made up for the invented Demoshire
    force; owners and partners are named "... (synthetic)".

    ``names`` maps the demo's ward names to codes (as :func:`geodata.concerns.demo_concerns`
    takes them); a plan whose ward is missing from ``names`` or ``ward_codes`` is left out.
    ``start`` is every plan's start date: for the demo's twelve months 2025-01 to 2025-12,
    2025-07-01 leaves six months before and six after.

    - **Ashby Vale park ASB** (:data:`~geodata.demo.ASB_PARK`, ``active``, all 9 checklist
      items met): a circle of :data:`DEMO_PARK_RADIUS_M` metres round the park
      (:func:`demo_park_point`, which needs the ward's geometry in ``ward_geometries``;
      without it the target is the whole ward), assessed six months after the start.
    - **Town-centre night-time violence** (:data:`~geodata.demo.TOWN_CENTRE`, ``active``,
      5 of 9: no measurable objective, no assessment date, no community involvement, and
      one response not linked to the cause): the ward as target.
    - **Hollin Green burglary** (:data:`~geodata.demo.BURGLARY_RISING`, ``draft``, 1 of 9:
      only data in scanning).
    """
    codes = set(ward_codes)

    def code_of(name: str) -> str | None:
        code = names.get(name)
        return code if code in codes else None

    made: list[Plan] = []
    park = code_of(ASB_PARK)
    if park is not None:
        made.append(_demo_park_plan(park, start, (ward_geometries or {}).get(park)))
    town = code_of(TOWN_CENTRE)
    if town is not None:
        made.append(_demo_town_plan(town, start))
    burglary = code_of(BURGLARY_RISING)
    if burglary is not None:
        made.append(_demo_burglary_plan(burglary, start))
    return made


def _demo_park_plan(code: str, start: date, ward: BaseGeometry | None) -> Plan:
    target: dict[str, Any] = {"target_kind": "ward"}
    if ward is not None:
        longitude, latitude = demo_park_point(ward)
        target = {
            "target_kind": "point-buffer",
            "longitude": longitude,
            "latitude": latitude,
            "radius_m": DEMO_PARK_RADIUS_M,
        }
    return Plan(
        ward_codes=(code,),
        title="Ashby Vale park: evening anti-social behaviour (synthetic example)",
        start_date=start,
        problem=(
            "Groups of young people gather in Ashby Vale park on summer evenings and "
            "weekends; ASB reports around the play area and footbridge have doubled, and "
            "residents avoid the park after dark."
        ),
        status="active",
        scanning=(
            "Police.uk ASB records put the park among the force's densest hot spots (Gi* "
            "cells at 250 m); residents raised it at the ward panel."
        ),
        scanning_sources=("data", "concerns", "community"),
        offenders="A group of about 15 local teenagers, most aged 14 to 17 (synthetic).",
        victims="Park users, families at the play area and residents along the park edge.",
        places="The play area, the shelter by the footbridge and the unlit path to the gates.",
        root_cause=(
            "The unlit shelter and path give groups a hidden place to gather, with nothing "
            "else for young people to do in the evenings and no one in charge of the park."
        ),
        hypothesis=(
            "Lighting the path, removing the shelter's hidden corner and running evening "
            "youth sessions will cut gatherings and the ASB that comes with them."
        ),
        responses=(
            Response(
                action="Install lighting along the path and by the shelter",
                owner="Southmere Council parks team (synthetic)",
                due=_add_months(start, 2),
                partners=("Southmere Council (synthetic)",),
                evidence="Improved street lighting: the toolkit's reviews find crime reduced.",
                toolkit_rating="effective",
            ),
            Response(
                action="Run youth sessions on Tuesday and Friday evenings in the park",
                owner="Ashby Vale youth service (synthetic)",
                due=_add_months(start, 1),
                partners=("Ashby Vale Youth Trust (synthetic)",),
                evidence="Gives the young people somewhere to go in the evenings instead.",
                toolkit_rating="promising",
            ),
            Response(
                action="Foot patrols at the shelter and play area, 6pm to 10pm at weekends",
                owner="Ashby Vale neighbourhood team (synthetic)",
                due=start,
                evidence="Hot spots policing: short visible patrols where gatherings happen.",
                toolkit_rating="effective",
            ),
        ),
        measure="Monthly police.uk ASB records within 400 m of the park, and ward panel views.",
        objective="Reduce ASB records in the target area by 30 % over six months.",
        assessment_date=_add_months(start, 6) - timedelta(days=1),
        **target,
        categories=(ASB, "Criminal damage and arson"),
        review_dates=(_add_months(start, 1), _add_months(start, 3)),
        community_involvement=(
            "Residents' association walkabout to map where people feel unsafe; young people "
            "asked what sessions they want; results reported back at the ward panel."
        ),
        partners=("Southmere Council (synthetic)", "Ashby Vale Youth Trust (synthetic)"),
    )


def _demo_town_plan(code: str, start: date) -> Plan:
    return Plan(
        ward_codes=(code,),
        title="Millbrook Central: night-time violence (synthetic example)",
        start_date=start,
        problem=(
            "Violence and public order offences in Millbrook Central cluster around the "
            "late bars and the taxi rank on Friday and Saturday nights after midnight."
        ),
        status="active",
        scanning="Town-centre violence is the ward's largest category in the police.uk data.",
        scanning_sources=("data", "partners"),
        offenders="Mostly young men who have been drinking in the late bars.",
        victims="Other night-time visitors, door staff and taxi marshals.",
        places="The taxi rank, two late bars and the bus station.",
        root_cause=(
            "Crowds leave the late bars at the same time and queue at one crowded taxi rank "
            "with no marshals."
        ),
        responses=(
            Response(
                action="Add taxi marshals at the rank from midnight to 3am",
                owner="Millbrook Business Improvement District (synthetic)",
                partners=("Millbrook BID (synthetic)",),
                evidence="Spreads out the queue at the crowded rank.",
            ),
            Response(
                action="Leaflet drop on personal safety",
                owner="Millbrook neighbourhood team (synthetic)",
                evidence="Residents asked for advice.",
            ),
        ),
        measure="Violence and public order records in the ward.",
        objective="Make the town centre feel safer at night.",
        categories=("Violence and sexual offences", "Public order"),
        review_dates=(_add_months(start, 3),),
        partners=("Millbrook BID (synthetic)", "Licensing, Northvale Council (synthetic)"),
    )


def _demo_burglary_plan(code: str, start: date) -> Plan:
    return Plan(
        ward_codes=(code,),
        title="Hollin Green burglary (synthetic example)",
        start_date=start,
        problem="Burglary keeps going up in Hollin Green.",
        scanning_sources=("data", "concerns"),
        responses=(Response(action="More patrols", owner="Neighbourhood team (synthetic)"),),
        objective="Reduce burglary.",
        categories=("Burglary",),
    )
