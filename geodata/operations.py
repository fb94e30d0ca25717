"""Operations: a named, time-bound push on a problem, in some wards or across the force.

Forces run operations at set times of year (organised crime, violence, drug dealing,
anti-social behaviour), often partly on overtime. An operation names its start and end
dates, the wards it worked in (or force-wide), its themes (free words such as "knife
crime" or the concern tags and threat themes it answers) and the police.uk categories it
aims at, whether it ran on overtime and a short description.

This module holds the record and its checks (:func:`operation_problems`); the JSON and CSV
readers are ``geodata/io/operations.py``, the demo operations ``geodata/demo/operations.py``;
``service.store.operations`` keeps each one with its full history.

An operation is evaluated exactly as a problem-solving plan is, by
:func:`equivalent_plan`: the plan with the same wards, categories and start date (and the
default displacement buffer), so the target wards are compared with the rest of the force,
the months before the start against the same number from the start (during and after the
operation, :func:`geodata.evaluation.plan_periods`). A force-wide operation has no rest of
the force to compare with and is not evaluated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from geodata.crime import CATEGORIES
from geodata.errors import GeodataError
from geodata.plans import LIST_SEPARATOR, MAX_TEXT, MAX_TITLE, Plan

MAX_THEME = 80
"""Longest theme, in characters."""

MAX_LIST = 40
"""Most wards, themes or categories one operation names."""

FORCE_WIDE_NOT_EVALUATED = (
    "a force-wide operation covers every ward, so there is no rest of the force to compare it with"
)


class OperationError(GeodataError, ValueError):
    """An operation cannot be stored as given; ``problems`` lists (field, problem)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = list(problems or [])


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One operation (fields described in the module docstring).

    ``force_wide`` operations name no wards; the others name at least one. The dates are
    inclusive: an operation of one day starts and ends on it.
    """

    name: str
    start_date: date
    end_date: date
    ward_codes: tuple[str, ...] = ()
    force_wide: bool = False
    themes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    overtime: bool = False
    description: str = ""


OPERATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Operation))
"""Every field, in order: the keys of an operation's JSON and the columns of its CSV."""

REQUIRED_FIELDS: tuple[str, ...] = ("name", "start_date", "end_date")
"""Fields an operation's JSON or CSV row must give; the others have defaults."""

LIST_FIELDS: tuple[str, ...] = ("ward_codes", "themes", "categories")
"""Fields that are lists: JSON arrays, or items joined with ``;`` in one CSV cell."""

FLAG_FIELDS: tuple[str, ...] = ("force_wide", "overtime")
"""Yes-or-no fields: JSON true/false, or yes/no (true/false, 1/0) in a CSV cell."""


def operation_problems(
    operation: Operation, *, wards: Collection[str] | None
) -> list[tuple[str, str]]:
    """Every reason ``operation`` cannot be stored, as (field, problem); empty when fine.

    Checked: a name that is not blank, within :data:`~geodata.plans.MAX_TITLE` characters;
    an end date not before the start; either force-wide with no wards, or at least one ward,
    each one of ``wards`` (not checked when None) and none repeated; themes not blank,
    within :data:`MAX_THEME` characters, without ``;`` and none repeated; categories that
    are police.uk categories, none repeated; at most :data:`MAX_LIST` items in each list;
    a description within :data:`~geodata.plans.MAX_TEXT` characters.
    """
    problems: list[tuple[str, str]] = []
    add = problems.append
    if not operation.name.strip():
        add(("name", "is blank; give the operation its name"))
    elif len(operation.name) > MAX_TITLE:
        add(("name", f"is {len(operation.name)} characters long; at most {MAX_TITLE}"))
    if operation.end_date < operation.start_date:
        add(("end_date", f"{operation.end_date} is before the start date {operation.start_date}"))
    if operation.force_wide and operation.ward_codes:
        add(("ward_codes", "name no wards for a force-wide operation"))
    if not operation.force_wide and not operation.ward_codes:
        add(("ward_codes", "is empty; give at least one ward code, or mark it force-wide"))
    for code in operation.ward_codes:
        if wards is not None and code not in wards:
            add(("ward_codes", f"unknown ward code {code!r}: not a ward of the boundaries in use"))
    for theme in operation.themes:
        if not theme.strip():
            add(("themes", "has a blank theme"))
        elif len(theme) > MAX_THEME or LIST_SEPARATOR in theme:
            add(("themes", f"{theme[:20]!r}... is over {MAX_THEME} characters or holds ';'"))
    for category in operation.categories:
        if category not in CATEGORIES:
            add(
                (
                    "categories",
                    f"{category!r} is not a police.uk category; one of {', '.join(CATEGORIES)}",
                )
            )
    for name in LIST_FIELDS:
        items = getattr(operation, name)
        problems.extend((name, f"{item!r} is given twice") for item in _repeated(items))
        if len(items) > MAX_LIST:
            add((name, f"names {len(items)} items; at most {MAX_LIST}"))
    if len(operation.description) > MAX_TEXT:
        add(("description", f"is {len(operation.description)} characters long; at most {MAX_TEXT}"))
    return problems


def check_operation(operation: Operation, *, wards: Collection[str] | None) -> None:
    """Raise :class:`OperationError` carrying every problem of :func:`operation_problems`."""
    problems = operation_problems(operation, wards=wards)
    if problems:
        raise OperationError("; ".join(f"{f}: {p}" for f, p in problems), problems)


def _repeated(values: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    twice = []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.add(value)
    return twice


def equivalent_plan(operation: Operation) -> Plan:
    """The problem-solving plan whose evaluation is the operation's (module docstring).

    Raises
    ------
    OperationError
        For a force-wide operation, which cannot be evaluated against the rest of the force.
    """
    if operation.force_wide:
        raise OperationError(FORCE_WIDE_NOT_EVALUATED)
    return Plan(
        ward_codes=operation.ward_codes,
        title=operation.name,
        problem=operation.description or operation.name,
        start_date=operation.start_date,
        status="closed",
        categories=operation.categories,
    )


def running_on(operation: Operation, day: date) -> bool:
    """Whether the operation runs on ``day`` (its dates are inclusive)."""
    return operation.start_date <= day <= operation.end_date


def calendar_months(operation: Operation) -> list[int]:
    """The calendar months (1-12) the operation ran in, in the order it ran them (a run of
    a year or more gives all twelve once)."""
    first = operation.start_date.year * 12 + operation.start_date.month - 1
    last = operation.end_date.year * 12 + operation.end_date.month - 1
    return [m % 12 + 1 for m in range(first, min(last, first + 11) + 1)]
