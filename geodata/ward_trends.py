"""The trend section of a ward profile: monthly lines and their changes, tested honestly.

A profile's trend lines (all crime and each category) are compared with the previous period
and the same months a year earlier. Each change is the test of :mod:`geodata.trends` (the
ward's share of the force's change, over-dispersion allowed for, no statement on too few
incidents), corrected for the number of changes a page shows, and said in a plain sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from geodata.crime import ASB, CATEGORIES
from geodata.period import Period, comparison_span
from geodata.trends import (
    MIN_INCIDENTS,
    adjust_page,
    describe,
    dispersion_without_each,
    ward_changes,
)
from geodata.trends import Change as Tested

if TYPE_CHECKING:
    from geodata.profile import ForceCounts

ALL_CRIME = "All crime"
"""The trend line for every category except anti-social behaviour."""

_CRIME = np.array([c != ASB for c in CATEGORIES])


@dataclass(frozen=True, slots=True)
class Change:
    """One comparison of a period's count with another period's (see :func:`trends`).

    When ``available`` is false some month of the other period is not held: the other
    fields are then empty, and the JSON gives only the period and ``available``.
    ``count`` is the other period's count; ``p_value`` is the test of
    :func:`geodata.trends.change_test` (the ward's share of the force's change, allowing
    for over-dispersion), ``q_value`` the same after the Benjamini-Hochberg correction over
    every change of the page, and ``significant`` is ``q_value < 0.05``. Both are None when
    ``testable`` is false: too few incidents for any statement. ``verdict`` is "rise",
    "fall", "usual" or "too few"; ``sentence`` says it in plain words.
    """

    period: Period
    available: bool
    count: int | None = None
    change_pct: float | None = None
    p_value: float | None = None
    significant: bool = False
    testable: bool = False
    q_value: float | None = None
    expected: float | None = None
    dispersion: float | None = None
    verdict: str | None = None
    sentence: str | None = None

    def to_json(self) -> dict[str, Any]:
        if not self.available:
            return {"period": self.period.to_json(), "available": False}
        return {
            "period": self.period.to_json(),
            "available": True,
            "count": self.count,
            "change_pct": self.change_pct,
            "p_value": self.p_value,
            "significant": self.significant,
            "testable": self.testable,
            "q_value": self.q_value,
            "expected": self.expected,
            "dispersion": self.dispersion,
            "verdict": self.verdict,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str
    n: int


@dataclass(frozen=True, slots=True)
class Trend:
    """One line (all crime, or a category): its months, its count and its two changes.

    ``sentences`` are the plain sentences of the changes called a rise or a fall, previous
    period first (what a page lists as notable).
    """

    category: str
    monthly: tuple[MonthCount, ...]
    count: int
    previous: Change
    year_earlier: Change
    sentences: tuple[str, ...]


def monthly_counts(facts: pd.DataFrame, months: Sequence[str]) -> npt.NDArray[np.int64]:
    """Category by month sums of ``n`` over ``months``; rows of other months are ignored."""
    table = np.zeros((len(CATEGORIES), len(months)), dtype=np.int64)
    month_at = {m: i for i, m in enumerate(months)}
    category_at = {c: i for i, c in enumerate(CATEGORIES)}
    month = facts["month"].map(month_at)
    keep = month.notna().to_numpy()
    np.add.at(
        table,
        (
            facts["category"].map(category_at).to_numpy()[keep].astype(int),
            month.to_numpy()[keep].astype(int),
        ),
        facts["n"].to_numpy(np.int64)[keep],
    )
    return table


def trends(
    facts: pd.DataFrame,
    period: Period,
    months_held: Sequence[str],
    *,
    force: ForceCounts,
    ward_code: str,
    dispersions: npt.ArrayLike | None = None,
) -> tuple[Trend, ...]:
    """Monthly series and changes, for all crime (ASB excluded) and per category.

    Method: for each line, the monthly sums of ``n`` of the ward's facts; the period's
    total is compared with the previous period of equal length and with the same months a
    year earlier by :func:`geodata.trends.ward_changes` on the force's counts: the ward's
    share of the force's change, allowing for the category's over-dispersion
    (``dispersions``, one per category; by default :func:`geodata.trends.dispersion` of the
    force's counts), with no statement below :data:`geodata.trends.MIN_INCIDENTS`. Every
    testable change of the profile, both comparisons of every line, is then corrected
    together (Benjamini-Hochberg, :func:`geodata.trends.adjust_page`): that is the set a page
    or briefing shows. A comparison is unavailable (not zero) when any of its months is not
    held. Each available change gets :func:`geodata.trends.describe`'s sentence.
    """
    span = comparison_span(period)
    table = monthly_counts(facts, span.months)
    lines = np.vstack([table[_CRIME].sum(axis=0), table])
    names = (ALL_CRIME, *CATEGORIES)
    counts, row = _with_ward(force, ward_code)
    phi = dispersion_without_each(counts)[row] if dispersions is None else np.asarray(dispersions)
    others = {"previous": period.previous(), "year_earlier": period.year_earlier()}
    held = set(months_held)
    available = {kind: set(other.months) <= held for kind, other in others.items()}
    tested = {
        kind: ward_changes(
            counts,
            row,
            force.within(period),
            force.within(other),
            labels=CATEGORIES,
            dispersions=phi,
            lines=[(ALL_CRIME, _CRIME)],
            totals=force.totals,
        )
        for kind, other in others.items()
        if available[kind]
    }
    adjusted = iter(adjust_page([c for changes in tested.values() for c in changes]))
    page = {kind: [next(adjusted) for _ in changes] for kind, changes in tested.items()}
    checked = sum(c.testable for changes in page.values() for c in changes)
    result = []
    for i, (name, line) in enumerate(zip(names, lines, strict=True)):
        current = int(line[[m in set(period.months) for m in span.months]].sum())
        comparisons = {
            kind: _change(page[kind][i], other, span=_span(kind, period.length), tests=checked)
            if kind in page
            else Change(other, available=False)
            for kind, other in others.items()
        }
        result.append(
            Trend(
                category=name,
                monthly=tuple(
                    MonthCount(m, int(n))
                    for m, n in zip(span.months, line, strict=True)
                    if period.first <= m
                ),
                count=current,
                previous=comparisons["previous"],
                year_earlier=comparisons["year_earlier"],
                sentences=tuple(
                    c.sentence
                    for c in comparisons.values()
                    if c.significant and c.sentence is not None
                ),
            )
        )
    return tuple(result)


def _with_ward(force: ForceCounts, ward_code: str) -> tuple[npt.NDArray[np.int64], int]:
    """The force's counts and the ward's row; a ward without incidents gets a row of zeros."""
    if ward_code in force.wards:
        return force.counts, force.wards.index(ward_code)
    zeros = np.zeros((1, *force.counts.shape[1:]), dtype=np.int64)
    return np.concatenate([force.counts, zeros]), len(force.wards)


def _span(kind: str, length: int) -> str:
    """How a sentence names a comparison: "month to month", "from year to year"."""
    if kind == "year_earlier":
        return "from year to year"
    return "month to month" if length == 1 else f"from one {length}-month period to the next"


def _change(tested: Tested, period: Period, *, span: str, tests: int) -> Change:
    verdict = tested.verdict
    return Change(
        period,
        available=True,
        count=tested.before,
        change_pct=None
        if tested.before == 0
        else 100 * (tested.now - tested.before) / tested.before,
        p_value=tested.p,
        significant=verdict in ("rise", "fall"),
        testable=tested.testable,
        q_value=tested.q,
        expected=tested.expected,
        dispersion=tested.dispersion,
        verdict=verdict,
        sentence=describe(tested, span=span, tests=tests),
    )


def page_note(lines: Sequence[Trend]) -> str:
    """What a page says under its changes: how they were tested and how many together.

    The count is the testable changes of the page (both comparisons of every line), the set
    :func:`trends` corrects together; it also says how many made no statement.
    """
    changes = [c for t in lines for c in (t.previous, t.year_earlier) if c.available]
    tested = sum(c.testable for c in changes)
    few = len(changes) - tested
    if not changes:
        return ""
    few_text = (
        f"; {few} rest on fewer than {MIN_INCIDENTS} incidents and are not judged" if few else ""
    )
    return (
        "Each change is compared with the force's own change in the same category and "
        f"allows for the usual month-to-month variation. {tested} changes were checked "
        "together, so that at most about 1 in 20 of those called a rise or a fall is "
        f"chance{few_text}."
    )
