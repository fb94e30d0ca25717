"""The period a page shows, from ``?from=YYYY-MM&to=YYYY-MM``, with any problem in words.

The API refuses a bad period with a 400 naming the parameter
(:func:`service.views.api.requested_period`). A page instead shows itself again: an error
summary at the top says what is wrong in words and links to the field, the form keeps what
was typed, and the figures are those of the latest 12 months held, said as such. A period
none of whose months is held is a problem too ("No police.uk records are held for
January-December 2023; records run from January 2025 to December 2025"), so a page never
shows zeros, rates and ranks for months that simply were not imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import request

from geodata.period import Period, PeriodError, latest_period, month_words, period_words
from service.views.api import PeriodRefused, check_period


@dataclass(frozen=True)
class PagePeriod:
    period: Period | None
    """The period whose figures the page shows; None when no month is held at all."""
    asked: tuple[str, str] | None
    """The months as typed, shown again in the form; None when none were given."""
    problems: list[tuple[str, str]]
    """(field id, message in words) for the error summary; empty when the period is good."""


def page_period(months_held: Sequence[str]) -> PagePeriod:
    """The period a page shows for the request's ``from`` and ``to``."""
    first, last = request.args.get("from"), request.args.get("to")
    fallback = latest_period(months_held)
    if first is None and last is None:
        return PagePeriod(fallback, None, [])
    asked = (first or "", last or "")
    problem = _problem(first, last, months_held)
    if problem is None:
        return PagePeriod(Period.parse(first or "", last or ""), asked, [])
    return PagePeriod(fallback, asked, [problem])


def _problem(
    first: str | None, last: str | None, months_held: Sequence[str]
) -> tuple[str, str] | None:
    if not first or not last:
        missing = "from" if not first else "to"
        return missing, "Give both the first and the last month, or neither."
    try:
        period = Period.parse(first, last)
    except PeriodError as error:
        field = str(error).split(":", 1)[0]
        if "after" in str(error):
            return "from", (
                f"The first month, {month_words(first)}, is after the last month, "
                f"{month_words(last)}."
            )
        which = "first" if field == "from" else "last"
        return field, f"Enter the {which} month as a month and a year, such as December 2025."
    if not months_held:
        return "from", f"No police.uk records are held for {period_words(first, last)}."
    held = f"records run from {month_words(months_held[0])} to {month_words(months_held[-1])}"
    if not any(month in months_held for month in period.months):
        return "from", f"No police.uk records are held for {period_words(first, last)}; {held}."
    try:
        check_period(period, held=list(months_held))
    except PeriodRefused as error:
        message = str(error.description)
        if "at most" in message:
            cap = message.split("at most ", 1)[1].split(" ", 1)[0]
            return "from", f"A period can be at most {cap} months long; {held}."
        field = message.split(":", 1)[0]
        which, month = ("first", first) if field == "from" else ("last", last)
        return (
            field,
            f"The {which} month, {month_words(month)}, is outside the records held; {held}.",
        )
    return None
