"""The plan form: what was typed turned into a plan's JSON values, checked by ``geodata.plans``.

The form only reads text: a response per line, a list from commas, a number, a GeoJSON
object. :func:`geodata.io.plans.plan_from_dict` reads the types and
:func:`geodata.plans.plan_problems` decides whether the plan may be stored; their
(field, problem) pairs are shown next to the fields they name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from geodata.crime import CATEGORIES
from geodata.io.plans import plan_from_dict
from geodata.plans import (
    DEFAULT_BUFFER_M,
    NUMBER_FIELDS,
    PLAN_STATUSES,
    SCANNING_SOURCES,
    TARGET_KINDS,
    TEXT_FIELDS,
    TOOLKIT_RATINGS,
    Plan,
    plan_problems,
)

RESPONSE_FORMAT = "action | owner | YYYY-MM-DD | evidence | rating"
"""One response per line of the responses box; an optional sixth part lists its partners."""


def _choices(labels: Mapping[str, str], prompt: str | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", prompt)] if prompt is not None else []
    return first + [SelectChoice(value, label) for value, label in labels.items()]


def _text(value: Any) -> str:
    """Stripped, with the CRLF browsers send read as one line break."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_responses(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The responses typed one per line (``RESPONSE_FORMAT``), and the lines that cannot be read.

    Blank parts are left out (a blank due date or rating is none); a sixth part lists the
    response's partners, separated by ``;``.
    """
    responses: list[dict[str, Any]] = []
    problems: list[str] = []
    for n, line in enumerate(_text(text).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 6:
            problems.append(
                f"line {n} has {len(parts)} parts; at most 6 ({RESPONSE_FORMAT} | partners)"
            )
            continue
        parts += [""] * (6 - len(parts))
        action, owner, due, evidence, rating, partners = parts
        responses.append(
            {
                "action": action,
                "owner": owner,
                "due": due or None,
                "evidence": evidence,
                "toolkit_rating": rating or None,
                "partners": [p.strip() for p in partners.split(";") if p.strip()],
            }
        )
    return responses, problems


def response_lines(responses: Iterable[Mapping[str, Any]]) -> str:
    """Stored responses as the lines of the responses box."""
    lines = []
    for r in responses:
        parts = [
            r.get("action") or "",
            r.get("owner") or "",
            r.get("due") or "",
            r.get("evidence") or "",
            r.get("toolkit_rating") or "",
        ]
        if r.get("partners"):
            parts.append("; ".join(r["partners"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def form_data(plan: Mapping[str, Any]) -> dict[str, Any]:
    """A stored plan's JSON (``plan_to_dict``) as the form's starting values."""
    data = {name: plan.get(name) or "" for name in TEXT_FIELDS}
    data |= {
        "ward_codes": list(plan.get("ward_codes") or []),
        "scanning_sources": list(plan.get("scanning_sources") or []),
        "categories": list(plan.get("categories") or []),
        "responses": response_lines(plan.get("responses") or []),
        "assessment_date": plan.get("assessment_date") or "",
        "start_date": plan.get("start_date") or "",
        "status": plan.get("status") or "draft",
        "target_kind": plan.get("target_kind") or "ward",
        "target_geojson": json.dumps(plan["target_geojson"]) if plan.get("target_geojson") else "",
        "partners": ", ".join(plan.get("partners") or []),
    }
    for name in NUMBER_FIELDS:
        value = plan.get(name)
        data[name] = "" if value is None else repr(float(value)).removesuffix(".0")
    return data


class PlanForm(FlaskForm):
    """The main fields of a plan, in SARA order. Linked concerns and review dates are kept
    as they are stored (the JSON API and CSV import set them)."""

    version = HiddenField(description="the plan's version when the form was opened")
    ward_codes = SelectMultipleField("Wards", validate_choice=False)
    title = StringField("Title")
    problem = TextAreaField("Problem", description="What happens, where, when, to whom.")
    scanning = TextAreaField("Scanning: how the problem was spotted")
    scanning_sources = CheckboxesField(
        "Scanning sources", choices=_choices(SCANNING_SOURCES), validate_choice=False
    )
    offenders = TextAreaField("Analysis: offenders")
    victims = TextAreaField("Analysis: victims")
    places = TextAreaField("Analysis: places")
    root_cause = TextAreaField("Root cause")
    hypothesis = TextAreaField("Hypothesis")
    responses = TextAreaField(
        "Responses",
        description=(
            f"One response per line: {RESPONSE_FORMAT}. The due date and rating may be left "
            f"blank; rating is one of {', '.join(TOOLKIT_RATINGS)}. An optional sixth part "
            "lists the response's partners, separated by ';'."
        ),
    )
    measure = TextAreaField("Assessment: measure")
    objective = TextAreaField("Objective", description="Measurable: give a number, e.g. 20 %.")
    assessment_date = StringField("Assessment date", description="YYYY-MM-DD")
    target_kind = SelectField("Target area", choices=_choices(TARGET_KINDS), validate_choice=False)
    target_geojson = TextAreaField(
        "Target polygon", description="For a drawn area: a GeoJSON Polygon in WGS84."
    )
    longitude = StringField("Longitude", description="For a circle round a point (WGS84).")
    latitude = StringField("Latitude")
    radius_m = StringField("Radius (m)")
    buffer_m = StringField(
        "Displacement buffer (m)", description="The ring round the target, 0 to 5000 m."
    )
    categories = SelectMultipleField(
        "Categories", choices=_choices({c: c for c in CATEGORIES}), validate_choice=False
    )
    start_date = StringField("Start date", description="YYYY-MM-DD")
    status = SelectField("Status", choices=_choices(PLAN_STATUSES), validate_choice=False)
    partners = StringField("Partners", description="Separated by commas.")
    community_involvement = TextAreaField("Community involvement")

    def __init__(self, *, wards: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ward_codes.choices = [
            SelectChoice(code, f"{name} ({code})") for code, name in wards.items()
        ]
        if not self.buffer_m.data and not self.is_submitted():
            self.buffer_m.data = f"{DEFAULT_BUFFER_M:g}"

    def opened_version(self) -> int | None:
        """The version the editor started from (None when the form did not say)."""
        text = _text(self.version.data)
        return int(text) if text.isdigit() else None

    def plan_values(self) -> dict[str, Any]:
        """What was typed as a plan's JSON values; a field that cannot be read gets its
        message and is left out."""
        values: dict[str, Any] = {name: _text(self[name].data) for name in TEXT_FIELDS}
        values["ward_codes"] = [c for c in self.ward_codes.data or [] if c]
        values["scanning_sources"] = [s for s in self.scanning_sources.data or [] if s]
        values["categories"] = [c for c in self.categories.data or [] if c]
        values["status"] = self.status.data or "draft"
        values["target_kind"] = self.target_kind.data or "ward"
        values["start_date"] = _text(self.start_date.data)
        values["assessment_date"] = _text(self.assessment_date.data) or None
        values["partners"] = [p.strip() for p in _text(self.partners.data).split(",") if p.strip()]
        responses, unread = parse_responses(self.responses.data or "")
        values["responses"] = responses
        self.responses.errors = list(self.responses.errors) + unread
        for name in NUMBER_FIELDS:
            text = _text(self[name].data)
            if not text:
                values[name] = DEFAULT_BUFFER_M if name == "buffer_m" else None
                continue
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                values[name] = number
            else:
                self[name].errors = [*self[name].errors, f"{text!r} is not a number"]
        geojson = _text(self.target_geojson.data)
        if geojson:
            try:
                values["target_geojson"] = json.loads(geojson)
            except ValueError as error:
                self.target_geojson.errors = [
                    *self.target_geojson.errors,
                    f"is not JSON: {error}",
                ]
        else:
            values["target_geojson"] = None
        return values

    def valid_plan(
        self,
        *,
        keep: Mapping[str, Any],
        wards: Collection[str] | None,
        concern_ids: Collection[int] | None,
    ) -> Plan | None:
        """The plan typed, or None with every problem shown next to its field.

        ``keep`` holds the stored values of fields the form does not show
        (``linked_concern_ids``, ``review_dates``).
        """
        self.validate()
        values = self.plan_values() | dict(keep)
        plan, problems = plan_from_dict(values)
        if plan is not None:
            problems = plan_problems(plan, wards=wards, concern_ids=concern_ids)
        add_plan_problems(self, problems)
        return plan if not self.errors else None


def add_plan_problems(form: Form, problems: Iterable[tuple[str, str]]) -> None:
    """Show each (field, problem) with its field (``responses[2].owner`` with the responses,
    as "response 2 owner: ..."), or above the form when no field is named."""
    for name, problem in problems:
        base, dot, rest = name.partition("[")
        field = form._fields.get(base)
        if field is None or field.name == "csrf_token":
            form.form_errors.append(f"{name}: {problem}" if name else problem)
            continue
        if dot:
            number, _, part = rest.partition("].")
            problem = f"response {number}{' ' + part if part else ''}: {problem}"
        if problem not in field.errors:
            field.errors = [*field.errors, problem]


class PlanStatusForm(FlaskForm):
    """A plan's new status with a note for its history."""

    status = SelectField("New status", choices=_choices(PLAN_STATUSES), validate_choice=False)
    note = StringField("Note", description="Why: kept in the plan's history.")
