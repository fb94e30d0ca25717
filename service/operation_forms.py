"""The operation form: what was typed turned into an operation's JSON values, checked by
``geodata.operations``; problems are shown next to the fields they name."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from geodata.crime import CATEGORIES
from geodata.io.operations import operation_from_dict
from geodata.operations import Operation, operation_problems
from service.plan_forms import add_plan_problems


def _text(value: Any) -> str:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


class OperationForm(FlaskForm):
    """Every field of an operation."""

    version = HiddenField(description="the operation's version when the form was opened")
    name = StringField("Name", description="For example: Operation Nightfall.")
    start_date = StringField("Start date", description="YYYY-MM-DD")
    end_date = StringField("End date", description="YYYY-MM-DD, the last day it ran.")
    force_wide = BooleanField("Force-wide (no wards chosen)")
    ward_codes = SelectMultipleField("Wards", validate_choice=False)
    themes = StringField("Themes", description="Separated by commas, e.g. knife crime, drugs.")
    categories = SelectMultipleField(
        "Categories",
        choices=[SelectChoice(c, c) for c in CATEGORIES],
        validate_choice=False,
    )
    overtime = BooleanField("Ran on overtime (in part or whole)")
    description = TextAreaField("Description", description="What was done, in a few lines.")

    def __init__(self, *, wards: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ward_codes.choices = [
            SelectChoice(code, f"{name} ({code})") for code, name in wards.items()
        ]

    def opened_version(self) -> int | None:
        text = _text(self.version.data)
        return int(text) if text.isdigit() else None

    def valid_operation(self, *, wards: Collection[str] | None) -> Operation | None:
        """The operation typed, or None with every problem shown next to its field."""
        self.validate()
        values = {
            "name": _text(self.name.data),
            "start_date": _text(self.start_date.data),
            "end_date": _text(self.end_date.data),
            "force_wide": bool(self.force_wide.data),
            "ward_codes": [c for c in self.ward_codes.data or [] if c],
            "themes": [t.strip() for t in _text(self.themes.data).split(",") if t.strip()],
            "categories": [c for c in self.categories.data or [] if c],
            "overtime": bool(self.overtime.data),
            "description": _text(self.description.data),
        }
        operation, problems = operation_from_dict(values)
        if operation is not None:
            problems = operation_problems(operation, wards=wards)
        add_plan_problems(self, problems)
        return operation if not self.errors else None


def form_data(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored operation as the form's starting values."""
    return {
        "version": stored["version"],
        "name": stored["name"],
        "start_date": stored["start_date"],
        "end_date": stored["end_date"],
        "force_wide": stored["force_wide"],
        "ward_codes": list(stored["ward_codes"]),
        "themes": ", ".join(stored["themes"]),
        "categories": list(stored["categories"]),
        "overtime": stored["overtime"],
        "description": stored["description"],
    }
