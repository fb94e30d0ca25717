"""Periods: inclusive ranges of whole months, as every figure of a profile is counted over.

A period is written ``YYYY-MM`` to ``YYYY-MM``, both months included; months are compared as
strings, which sort in time order.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geodata.errors import GeodataError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(GeodataError, ValueError):
    """A month range that cannot be used; the message names the parameter."""


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of whole months, ``first`` and ``last`` as ``YYYY-MM``."""

    first: str
    last: str

    @classmethod
    def parse(cls, first: str, last: str, *, names: tuple[str, str] = ("from", "to")) -> Period:
        for name, value in zip(names, (first, last), strict=True):
            if not _MONTH.fullmatch(value or ""):
                raise PeriodError(f"{name}: {value!r} is not a month as YYYY-MM")
        if first > last:
            raise PeriodError(f"{names[0]}: {first} is after {names[1]} {last}")
        return cls(first, last)

    @property
    def months(self) -> list[str]:
        return [_month(i) for i in range(_index(self.first), _index(self.last) + 1)]

    def shifted(self, months: int) -> Period:
        return Period(_month(_index(self.first) + months), _month(_index(self.last) + months))

    def previous(self) -> Period:
        """The period of equal length that ends the month before this one starts."""
        return self.shifted(-len(self.months))

    def year_earlier(self) -> Period:
        return self.shifted(-12)

    @property
    def length(self) -> int:
        """The number of months."""
        return _index(self.last) - _index(self.first) + 1

    def to_json(self) -> dict[str, str | int]:
        return {"from": self.first, "to": self.last, "months": self.length}

    def words(self) -> str:
        """The period as people say it: see :func:`period_words`."""
        return period_words(self.first, self.last)


def month_words(month: str) -> str:
    """``2025-12`` as "December 2025", the one way every page and report writes a month.

    Anything that is not a ``YYYY-MM`` month is returned as it is, so a stored oddity still
    shows rather than failing the page.
    """
    if not _MONTH.fullmatch(month or ""):
        return month
    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def period_words(first: str, last: str) -> str:
    """A range of months in words: "December 2025" for one month, "January-December 2023"
    within one year, "January 2025 to March 2026" across years."""
    if first == last:
        return month_words(first)
    if first[:4] == last[:4] and _MONTH.fullmatch(first) and _MONTH.fullmatch(last):
        return f"{calendar.month_name[int(first[5:])]}-{month_words(last)}"
    return f"{month_words(first)} to {month_words(last)}"


def _index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def latest_period(months_held: Sequence[str], *, length: int = 12) -> Period | None:
    """The last ``length`` calendar months up to the latest month held, or None if none."""
    if not months_held:
        return None
    last = max(months_held)
    return Period(_month(_index(last) - length + 1), last)


def comparison_span(period: Period) -> Period:
    """The months a profile reads: the period, the one before it and a year earlier."""
    return Period(min(period.previous().first, period.year_earlier().first), period.last)
