"""The concern forms and the JSON body of a new concern, checked by ``geodata.concerns``.

A form here only turns what was typed into values: a day, a number, a slug. Whether a
concern may be stored is decided once, by :func:`geodata.concerns.concern_problems`, and its
(column, problem) pairs are put next to the fields they name (:func:`add_problems`). A field
whose text could not be read at all (a day that is not a day) keeps that one message.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from geodata.concerns import (
    CHANNELS,
    COMMUNITY_EXAMPLES,
    MAX_DESCRIPTION,
    MAX_SHORT_TEXT,
    STATUSES,
    Concern,
    ConcernTag,
    concern_problems,
    normalise_community,
)
from geodata.errors import ConcernError
from service.store.concerns import check_filters
from service.store.versions import StaleEditError

FIELD_OF_COLUMN: Mapping[str, str] = {"location": "location_text"}
"""``concern_problems`` names CSV columns; forms and JSON use the :class:`Concern` fields."""

JSON_FIELDS: tuple[str, ...] = (
    "tag",
    "description",
    "raised_on",
    "channel",
    "community",
    "location_text",
    "longitude",
    "latitude",
    "status",
    "recorded_by",
)
"""The fields of a new concern's JSON body; the ward comes from the URL."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _typed_text(value: Any) -> Any:
    """Ends stripped, and line breaks as typed: browsers send CRLF, which would count twice."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _text_or_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def _choices(labels: Mapping[str, str], prompt: str | None = None) -> list[SelectChoice]:
    """Options of a select: slug → label, after a blank ``prompt`` when given."""
    first = [SelectChoice("", prompt)] if prompt is not None else []
    return first + [SelectChoice(value, label) for value, label in labels.items()]


def tag_labels(tags: Mapping[str, ConcernTag]) -> dict[str, str]:
    """Tag slug → the label people read."""
    return {tag: item.label for tag, item in tags.items()}


def concern_of(row: Mapping[str, Any]) -> Concern:
    """The :class:`Concern` fields of a stored concern row."""
    return Concern(**{item.name: row[item.name] for item in dataclasses.fields(Concern)})


CHOOSE: Mapping[str, str] = {
    "tag": "Choose a theme",
    "channel": "Choose how the concern reached the police",
    "ward_code": "Choose a ward",
    "ward_codes": "Choose at least one ward",
    "status": "Choose a status",
    "target_kind": "Choose the kind of target area",
    "categories": "Choose police.uk categories from the list",
}
"""What a list field's problem says on a page. The domain's message lists the allowed codes
("unknown tag 'litter'; one of asb, ..."), right for a file import, but a person choosing from
a list needs only to be told to choose."""


def add_problems(form: Form, problems: Iterable[tuple[str, str]]) -> None:
    """Show each (column, problem) with the field it names, or above the form when none does.

    A field that already has a message (its text could not be read) keeps only that one:
    a problem found with a stand-in value would mislead. A problem with a list field is put
    in words (:data:`CHOOSE`), never as the list of codes it allows.
    """
    for column, problem in problems:
        field = form._fields.get(FIELD_OF_COLUMN.get(column, column))
        if field is None:
            form.form_errors.append(f"{column}: {problem}")
        elif not field.errors:
            if isinstance(field, SelectField | SelectMultipleField):
                problem = CHOOSE.get(field.name, f"Choose {field.label.text.lower()}")
            field.errors.append(problem)


def add_store_error(form: Form, error: ConcernError) -> None:
    """Show a store refusal (``"<field>: <problem>"``) with its field, or above the form."""
    name, _, problem = str(error).partition(": ")
    if problem and name in form._fields:
        add_problems(form, [(name, problem)])
    else:
        form.form_errors.append(str(error))


def stale_edit(form: Form, error: StaleEditError) -> bool:
    """Show a refused stale edit above the form, which now carries the record's current
    version: saving again, having seen what changed, overrides knowingly."""
    form.form_errors.append(str(error).removeprefix("version: "))
    form["version"].data = str(error.current)
    return True


class FilterForm(Form):
    """The register's filters: a GET form that changes nothing, so it carries no CSRF token."""

    ward = SelectField("Ward", validate_choice=False)
    status = SelectField("Status", choices=_choices(STATUSES, "Any"), validate_choice=False)
    tag = SelectField("Tag", validate_choice=False)
    channel = SelectField("Channel", choices=_choices(CHANNELS, "Any"), validate_choice=False)

    def __init__(
        self, formdata: Any, *, wards: Mapping[str, str], tags: Mapping[str, ConcernTag]
    ) -> None:
        super().__init__(formdata)
        self.ward.choices = _choices(_ward_labels(wards), "Any")
        self.tag.choices = _choices(tag_labels(tags), "Any")

    def filters(self, *, wards: Collection[str]) -> dict[str, Any]:
        """The chosen filters as ``list_concerns`` arguments (blank: any).

        Raises
        ------
        ConcernError
            Naming the first unknown filter and what it may be.
        """
        chosen = {
            "ward_code": self.ward.data or None,
            "status": self.status.data or None,
            "tag": self.tag.data or None,
            "channel": self.channel.data or None,
        }
        ward = chosen["ward_code"]
        if ward is not None and ward not in wards:
            raise ConcernError(f"ward: {ward!r} is not a ward of the latest boundary vintage")
        check_filters(status=chosen["status"], tag=chosen["tag"], channel=chosen["channel"])
        return chosen


class _ConcernDetails(FlaskForm):
    """The fields a new concern and an edit share."""

    tag = SelectField("Tag", validate_choice=False)
    description = TextAreaField(
        "Description",
        description=f"What was raised, in the words used; at most {MAX_DESCRIPTION:,} characters.",
        filters=[_typed_text],
        render_kw={"maxlength": MAX_DESCRIPTION, "rows": 5},
    )
    channel = SelectField(
        "Channel", choices=_choices(CHANNELS, "How it reached us"), validate_choice=False
    )
    community = StringField(
        "Community (optional)",
        description=f"Who raised it, when known: {', '.join(COMMUNITY_EXAMPLES)}, ...",
        render_kw={"maxlength": MAX_SHORT_TEXT},
    )
    location_text = StringField(
        "Location (optional)",
        description="A street or place as described, e.g. the alley behind Mill Lane.",
        render_kw={"maxlength": MAX_SHORT_TEXT},
    )

    def __init__(self, *, tags: Mapping[str, ConcernTag], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tag.choices = _choices(tag_labels(tags), "Choose a theme")

    def details(self) -> dict[str, Any]:
        """The shared fields as :class:`Concern` values."""
        return {
            "tag": self.tag.data or "",
            "description": self.description.data or "",
            "channel": self.channel.data or "",
            "community": normalise_community(self.community.data),
            "location_text": _text_or_none(self.location_text.data),
        }

    def _storable(
        self, concern: Concern, *, wards: Collection[str], tags: Mapping[str, Any], today: date
    ) -> bool:
        self.validate()
        add_problems(self, concern_problems(concern, wards=wards, tags=tags, today=today))
        return not self.errors


class ConcernForm(_ConcernDetails):
    """Record a new concern."""

    ward_code = SelectField("Ward", validate_choice=False)
    raised_on = DateField("Raised on", default=date.today)
    longitude = FloatField(
        "Longitude (optional)",
        description="WGS84, with the latitude; inside England and Wales.",
        validators=[Optional()],
    )
    latitude = FloatField("Latitude (optional)", validators=[Optional()])
    recorded_by = StringField(
        "Recorded by",
        description="Who took the concern down.",
        filters=[_stripped],
        render_kw={"maxlength": MAX_SHORT_TEXT},
    )

    def __init__(
        self, *, wards: Mapping[str, str], tags: Mapping[str, ConcernTag], **kwargs: Any
    ) -> None:
        super().__init__(tags=tags, **kwargs)
        self.ward_code.choices = _choices(_ward_labels(wards), "Choose a ward")

    def concern(self, *, today: date) -> Concern:
        """The concern as typed; a day that could not be read stands in as ``today``."""
        return Concern(
            ward_code=self.ward_code.data or "",
            raised_on=self.raised_on.data or today,
            recorded_by=self.recorded_by.data or "",
            longitude=self.longitude.data,
            latitude=self.latitude.data,
            **self.details(),
        )

    def valid_concern(
        self, *, wards: Collection[str], tags: Mapping[str, Any], today: date
    ) -> Concern | None:
        """The concern when it may be stored; otherwise None, with every problem on the form."""
        concern = self.concern(today=today)
        return concern if self._storable(concern, wards=wards, tags=tags, today=today) else None


class EditConcernForm(_ConcernDetails):
    """Change what a concern says; the store records each old value. ``version`` is the
    concern's version when the form was opened, so a stale edit is refused."""

    version = HiddenField()

    def opened_version(self) -> int | None:
        text = str(self.version.data or "")
        return int(text) if text.isdigit() else None

    def valid_changes(
        self,
        stored: Mapping[str, Any],
        *,
        wards: Collection[str],
        tags: Mapping[str, Any],
        today: date,
    ) -> dict[str, Any] | None:
        """The edited fields when the concern as changed may be stored; otherwise None."""
        changes = self.details()
        concern = dataclasses.replace(concern_of(stored), **changes)
        return changes if self._storable(concern, wards=wards, tags=tags, today=today) else None


class StatusForm(FlaskForm):
    """A dated change of status saying what was done; ``update_concern`` checks it."""

    status = SelectField("New status", choices=_choices(STATUSES), validate_choice=False)
    note = TextAreaField(
        "What was done", filters=[_typed_text], render_kw={"rows": 3, "maxlength": MAX_DESCRIPTION}
    )
    on = DateField("On", default=date.today)


def concern_from_json(
    body: Any,
    *,
    ward_code: str,
    recorded_by: str,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date,
) -> tuple[Concern | None, list[tuple[str, str]]]:
    """A new concern from a JSON body, or None with every problem as (field, problem).

    The body is an object of :data:`JSON_FIELDS`: ``tag``, ``description``, ``raised_on``
    (``YYYY-MM-DD``) and ``channel`` are needed; ``status`` defaults to ``open`` and
    ``recorded_by`` to the signed-in user. Values of the wrong kind and unknown fields are
    problems here; everything else is :func:`geodata.concerns.concern_problems`.
    """
    if not isinstance(body, dict):
        return None, [("body", "must be a JSON object of the concern's fields")]
    problems = [
        (key, f"is not a field of a concern; one of {', '.join(JSON_FIELDS)}")
        for key in body
        if key not in JSON_FIELDS
    ]
    values: dict[str, Any] = {"status": "open", "recorded_by": recorded_by} | {
        key: value for key, value in body.items() if key in JSON_FIELDS and value is not None
    }
    for name in ("tag", "description", "channel", "community", "location_text", "status"):
        if not isinstance(values.get(name, ""), str):
            problems.append((name, f"{values.pop(name)!r} is not text"))
    if not isinstance(values["recorded_by"], str):
        problems.append(("recorded_by", f"{values.pop('recorded_by')!r} is not text"))
    for name in ("longitude", "latitude"):
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append((name, f"{values.pop(name)!r} is not a number"))
    raised_on = _day(values.get("raised_on"))
    if raised_on is None:
        given = values.get("raised_on")
        shown = "is missing" if given is None else f"{given!r} is not a day"
        problems.append(("raised_on", f"{shown}; give the day it was raised as YYYY-MM-DD"))
    concern = Concern(
        ward_code=ward_code,
        tag=values.get("tag", ""),
        description=values.get("description", ""),
        raised_on=raised_on or today,
        channel=values.get("channel", ""),
        recorded_by=values.get("recorded_by", ""),
        community=values.get("community"),
        location_text=values.get("location_text"),
        longitude=values.get("longitude"),
        latitude=values.get("latitude"),
        status=values.get("status", ""),
    )
    named = {name for name, _ in problems}
    for column, problem in concern_problems(concern, wards=wards, tags=tags, today=today):
        name = FIELD_OF_COLUMN.get(column, column)
        if name not in named:
            problems.append((name, problem))
    return (None, problems) if problems else (concern, [])


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _ward_labels(wards: Mapping[str, str]) -> dict[str, str]:
    return {code: f"{name} ({code})" for code, name in wards.items()}
