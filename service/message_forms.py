"""The prevention-message form and the register's filters, checked by ``geodata.io.messages``.

The form only gathers text: its fields become the cells of one CSV row, which
:func:`geodata.io.messages.parse_row` reads and checks exactly as ``import-messages`` reads a
file, so a form and a file can never disagree on what may be stored. Each (column, problem)
is then shown with its field (:func:`service.forms.add_problems`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField

from geodata.io.messages import parse_row
from geodata.messages import (
    AREAS,
    AUDIENCES,
    CHANNELS,
    FORCE_WIDE,
    LIST_SEPARATOR,
    MAX_REFERENCE,
    MAX_SUMMARY,
    Message,
)
from service.forms import add_problems
from service.plan_forms import CheckboxesField
from service.store.messages import References


def _choices(labels: Mapping[str, str], prompt: str | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", prompt)] if prompt is not None else []
    return first + [SelectChoice(value, label) for value, label in labels.items()]


class MessageForm(FlaskForm):
    """A new prevention message: what went out, where, about what and to whom."""

    sent_on = StringField(
        "Day sent", render_kw={"type": "date", "placeholder": "YYYY-MM-DD"}, id="sent_on"
    )
    channel = SelectField("Channel", choices=_choices(CHANNELS, "Choose a channel"))
    area = SelectField("Sent to", choices=_choices(AREAS), default="wards")
    ward_codes = SelectMultipleField(
        "Wards (when sent to wards)",
        description="Choose one or more; hold Ctrl (Cmd on a Mac) to choose several.",
        validate_choice=False,
    )
    council = SelectField("Council area (when sent to a council area)", validate_choice=False)
    themes = SelectMultipleField(
        "Themes",
        description="The concern tags and the force's threat themes the message is about.",
        validate_choice=False,
    )
    audiences = CheckboxesField("Audience", choices=_choices(AUDIENCES), validate_choice=False)
    group = StringField(
        "Named group (optional)",
        description="Needed when the audience includes a named group.",
        render_kw={"maxlength": 200},
    )
    reach = StringField(
        "Reach (optional)",
        description="Recipients or views, when known: a whole number.",
        render_kw={"inputmode": "numeric"},
    )
    sent_by = StringField(
        "Sent by", description="The role or team, e.g. Neighbourhood team or Corporate comms."
    )
    summary = TextAreaField(
        "What the message said",
        description=f"A sentence or two; at most {MAX_SUMMARY:,} characters.",
        render_kw={"maxlength": MAX_SUMMARY, "rows": 4},
    )
    reference = StringField("Link or reference (optional)", render_kw={"maxlength": MAX_REFERENCE})

    def __init__(
        self,
        *,
        ward_names: Mapping[str, str],
        council_names: Mapping[str, str],
        themes: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.ward_codes.choices = _choices(ward_names)
        self.council.choices = _choices(council_names, "Choose a council area")
        self.themes.choices = _choices(themes)

    def cells(self) -> dict[str, str]:
        """The fields as the text cells of one ``import-messages`` row."""
        if self.area.data == FORCE_WIDE:
            area = FORCE_WIDE
        elif self.area.data == "council":
            area = self.council.data or ""
        else:
            area = LIST_SEPARATOR.join(self.ward_codes.data or [])
        return {
            "sent_on": (self.sent_on.data or "").strip(),
            "channel": self.channel.data or "",
            "area": area,
            "themes": LIST_SEPARATOR.join(self.themes.data or []),
            "audiences": LIST_SEPARATOR.join(self.audiences.data or []),
            "group": (self.group.data or "").strip(),
            "reach": (self.reach.data or "").strip(),
            "sent_by": (self.sent_by.data or "").strip(),
            "summary": (self.summary.data or "").replace("\r\n", "\n").strip(),
            "reference": (self.reference.data or "").strip(),
        }

    def valid_message(self, references: References, *, today: date) -> Message | None:
        """The message when the form was sent with its token and every check passes; else
        None, with every problem put next to its field."""
        self.validate()
        message, problems = parse_row(
            self.cells(),
            wards=references.wards,
            councils=references.councils,
            themes=references.themes,
            today=today,
        )
        field = "council" if self.area.data == "council" else "ward_codes"
        add_problems(self, [(field if c == "area" else c, p) for c, p in problems])
        return None if self.errors else message


class MessageFilterForm(Form):
    """The register's filters: a GET form that changes nothing, so it carries no CSRF token."""

    ward = SelectField("Ward", validate_choice=False)
    theme = SelectField("Theme", validate_choice=False)
    channel = SelectField("Channel", choices=_choices(CHANNELS, "Any"), validate_choice=False)

    def __init__(
        self, formdata: Any, *, ward_names: Mapping[str, str], themes: Mapping[str, str]
    ) -> None:
        super().__init__(formdata)
        self.ward.choices = _choices(ward_names, "Any")
        self.theme.choices = _choices(themes, "Any")

    def filters(
        self, *, ward_names: Mapping[str, str], themes: Mapping[str, str]
    ) -> dict[str, Any]:
        """The chosen filters as ``list_messages`` arguments; ValueError naming a bad one."""
        chosen = {
            "ward_code": self.ward.data or None,
            "theme": self.theme.data or None,
            "channel": self.channel.data or None,
        }
        for name, value, allowed in (
            ("ward", chosen["ward_code"], ward_names),
            ("theme", chosen["theme"], themes),
            ("channel", chosen["channel"], CHANNELS),
        ):
            if value is not None and value not in allowed:
                raise ValueError(f"{name}: {value!r} is not one of the choices")
        return chosen
