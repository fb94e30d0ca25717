"""The shift card: what a PCSO should know before going out, worked out from stored figures.

Each function here is one section of the briefing: how old the data is, the streets that
rose, the concerns overdue for an update, the plan actions falling due, what usually rises
in the coming month. The briefing page puts them in that order (``service/readmodels/
briefing.py``); every sentence says what was compared with what.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from geodata.force_hotspots import place_name
from geodata.period import month_words, period_words
from geodata.plans import Plan
from geodata.trends import adjust_page, change_test, dispersion

PUBLICATION_LAG_MONTHS = 2
"""police.uk publishes a month's records about two months after it ends."""

OVERDUE_DAYS = 28
"""An open concern with no update for this many days is overdue: four weeks is the usual
neighbourhood meeting cycle, by which a resident expects to hear something back."""

DUE_WITHIN_DAYS = 14
"""Plan actions falling due within this many days are shown: the next two weeks of shifts."""

STREETS_SHOWN = 5
"""Streets listed as rising, the clearest first."""

MIN_STREET_NOW = 3
"""A street is listed as rising only with at least this many incidents in the latest month."""

DRIVERS = {
    "force": "a force priority",
    "excess": "above the force's rate",
    "concerns": "raised by residents",
    "trend": "rising",
}
"""Each priority score component in words: what mostly puts a theme on the list."""


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class DataAge:
    """How old the latest month held is, on ``today``, and the banner that says so."""

    latest: str
    months_ago: int
    late: bool
    """True when the latest month is older than police.uk's publication lag explains."""
    sentence: str


def data_age(latest: str, *, today: date) -> DataAge:
    """The banner over the briefing.

    Method: whole calendar months from the latest month held to ``today``'s month. police.uk
    publishes about :data:`PUBLICATION_LAG_MONTHS` behind, so up to that plus one (a
    month's records come out during the second month after it) is as fresh as data can be
    and the banner says why; anything older is late and the banner asks for an import.
    """
    ago = today.year * 12 + today.month - 1 - _index(latest)
    words = month_words(latest)
    months = f"{ago} month{'' if ago == 1 else 's'} ago"
    late = ago > PUBLICATION_LAG_MONTHS + 1
    if late:
        sentence = (
            f"The latest police.uk records held are for {words}, {months}. police.uk "
            "publishes about two months behind, so newer months should be out: ask an "
            "analyst to import them."
        )
    else:
        sentence = (
            f"The latest police.uk records held are for {words}, {months}: police.uk "
            "publishes about two months behind, so this is the latest there is."
        )
    return DataAge(latest=latest, months_ago=ago, late=late, sentence=sentence)


@dataclass(frozen=True)
class StreetRise:
    """A street whose incidents rose in the latest month, with the sentence a PCSO reads."""

    street: str
    now: int
    before: float
    """Incidents a month in the comparison months (their mean)."""
    significant: bool
    sentence: str


@dataclass(frozen=True)
class StreetChanges:
    """The streets that rose and what they were compared with."""

    latest: str
    comparison: str
    """The comparison months in words: "December 2024" or "September-November 2025"."""
    rises: list[StreetRise]
    tested: int
    note: str
    """How the significance was judged, for the page's "how this is worked out"."""


def street_changes(
    facts: pd.DataFrame, force_monthly: Mapping[str, int], *, latest: str
) -> StreetChanges | None:
    """The streets of a ward that rose in the latest month, clearest first.

    ``facts`` has rows of (month, location, n) for the ward (police.uk's "On or near ..."
    names; the prefix is dropped and rows of one name are added up); ``force_monthly`` is
    the force's incidents per month held. The latest month is compared with the same month
    a year earlier when that is held, else with the (up to) three months before it that
    are held; None when neither is held.

    Method: for each street, :func:`geodata.trends.change_test` tests the street's count now
    against before, given the rest of the force in the same months (so the season and a
    force-wide rise cancel, and unequal period lengths are allowed for), with the
    over-dispersion of the ward's street counts month to month
    (:func:`geodata.trends.dispersion` over streets x months). The false discovery rate is
    controlled over every street tested (:func:`geodata.trends.adjust_page`). A street is
    listed when it had at least :data:`MIN_STREET_NOW` incidents and more than the rest of
    the force's change would have given it; those the test calls a rise come first, the
    others are said to be within usual variation (or too few to tell).
    """
    held = set(force_monthly)
    year_before = _month(_index(latest) - 12)
    if year_before in held:
        before_months = [year_before]
    else:
        before_months = [m for m in (_month(_index(latest) - k) for k in (1, 2, 3)) if m in held]
    if not before_months:
        return None
    comparison = (
        month_words(before_months[0])
        if len(before_months) == 1
        else period_words(min(before_months), max(before_months))
    )
    frame = facts.assign(street=facts["location"].fillna("").map(place_name))
    frame = frame[frame["street"] != ""]
    months = sorted(held & set(frame["month"]))
    table = frame.pivot_table(
        index="street", columns="month", values="n", aggfunc="sum", fill_value=0
    ).reindex(columns=sorted(held), fill_value=0)
    if table.empty:
        return StreetChanges(latest, comparison, [], 0, "")
    phi = float(dispersion(table[months].to_numpy()[:, None, :])[0]) if months else 1.0
    now = table[latest].to_numpy()
    before = table[before_months].sum(axis=1).to_numpy()
    force_now = force_monthly[latest]
    force_before = sum(force_monthly[m] for m in before_months)
    changes = adjust_page(
        [
            change_test(
                int(n),
                int(b),
                max(force_now - int(n), 0),
                max(force_before - int(b), 0),
                dispersion=phi,
                label=str(street),
            )
            for street, n, b in zip(table.index, now, before, strict=True)
        ]
    )
    tested = sum(c.testable for c in changes)
    span = len(before_months)
    rising = [c for c in changes if c.now >= MIN_STREET_NOW and c.now > c.expected]
    rising.sort(key=lambda c: (c.verdict != "rise", -(c.now - c.expected), c.label))
    rises = [_street_rise(c, latest=latest, comparison=comparison, span=span) for c in rising]
    note = (
        f"Each street's count in {month_words(latest)} is tested against {comparison} given "
        "the rest of the force in the same months, so the season and force-wide changes "
        f"cancel; month-to-month variation of the ward's streets (dispersion {phi:.2f}) is "
        f"allowed for and the false discovery rate is held at 5 % over the {tested} streets "
        "with enough incidents to test."
    )
    return StreetChanges(latest, comparison, rises[:STREETS_SHOWN], tested, note)


def _street_rise(change: Any, *, latest: str, comparison: str, span: int) -> StreetRise:
    before = change.before / span
    if span == 1:
        counts = f"{change.now} in {month_words(latest)} against {change.before} in {comparison}"
    else:
        counts = (
            f"{change.now} in {month_words(latest)} against {before:.1f} a month over {comparison}"
        )
    verdict = change.verdict
    if verdict == "rise":
        judged = "more than usual variation explains"
    elif verdict == "too few":
        judged = "too few incidents to tell a real rise from chance"
    else:
        judged = "within usual variation"
    return StreetRise(
        street=change.label,
        now=change.now,
        before=before,
        significant=verdict == "rise",
        sentence=f"{change.label}: {counts}; {judged}.",
    )


def overdue_first(
    concerns: Sequence[Mapping[str, Any]], *, today: date, days: int = OVERDUE_DAYS
) -> list[dict[str, Any]]:
    """Open concerns with ``overdue`` (no update for ``days`` or more) and ``quiet_days``:
    the overdue ones first, longest without an update first, then the rest newest first.

    Each concern's ``updated_on`` is the day of its latest update (raising counts as one).
    """
    marked = []
    for concern in concerns:
        updated = concern.get("updated_on") or concern["raised_on"]
        quiet = (today - date.fromisoformat(str(updated)[:10])).days
        marked.append({**concern, "quiet_days": quiet, "overdue": quiet >= days})
    overdue = sorted((c for c in marked if c["overdue"]), key=lambda c: -c["quiet_days"])
    recent = sorted((c for c in marked if not c["overdue"]), key=lambda c: str(c["raised_on"]))
    return overdue + recent[::-1]


@dataclass(frozen=True)
class DueAction:
    plan_id: int
    plan: str
    action: str
    owner: str
    due: date


def due_actions(
    plans: Sequence[tuple[int, Plan]], *, ward: str, today: date, days: int = DUE_WITHIN_DAYS
) -> list[DueAction]:
    """The responses of ``ward``'s plans due from ``today`` to ``days`` ahead, soonest first."""
    last = today + timedelta(days=days)
    found = [
        DueAction(plan_id, plan.title, r.action, r.owner, r.due)
        for plan_id, plan in plans
        if ward in plan.ward_codes
        for r in plan.responses
        if r.due is not None and today <= r.due <= last
    ]
    return sorted(found, key=lambda a: (a.due, a.plan, a.action))


@dataclass(frozen=True)
class SeasonalRise:
    category: str
    rises: list[int]
    """The rise in each earlier year held, oldest first."""


@dataclass(frozen=True)
class Season:
    """What usually rises from one calendar month to the next, and over how many years."""

    month: str
    """The coming month in words ("January")."""
    years: int
    rises: list[SeasonalRise]


def usual_rises(
    counts: np.ndarray, months: Sequence[str], categories: Sequence[str], *, coming: int
) -> Season:
    """The categories that rose into calendar month ``coming`` (1-12) in every year held.

    ``counts`` is categories x months of one ward over ``months`` (``YYYY-MM``, held).
    Method: for every year in which both the month before ``coming`` and ``coming`` itself
    are held, each category's change between them; a category is listed when it rose in
    every such year and there are at least two (one year is one chance event, not a
    pattern). No test is made: the page says in how many years and by how much.
    """
    at = {m: i for i, m in enumerate(months)}
    pairs = []
    for year in sorted({int(m[:4]) for m in months} | {int(m[:4]) + 1 for m in months}):
        this = f"{year:04d}-{coming:02d}"
        previous = _month(_index(this) - 1)
        if this in at and previous in at:
            pairs.append((at[previous], at[this]))
    name = date(2000, coming, 1).strftime("%B")
    if len(pairs) < 2:
        return Season(name, len(pairs), [])
    x = np.asarray(counts, dtype=np.int64)
    rises = []
    for c, category in enumerate(categories):
        steps = [int(x[c, b] - x[c, a]) for a, b in pairs]
        if all(step > 0 for step in steps):
            rises.append(SeasonalRise(category, steps))
    rises.sort(key=lambda r: (-min(r.rises), r.category))
    return Season(name, len(pairs), rises)


def priority_line(priority: Mapping[str, Any]) -> str:
    """One line of a ranked priority: its theme, score and what mostly drives it."""
    driver = DRIVERS.get(str(priority.get("driver", "")), "")
    score = priority.get("display_score", math.floor(float(priority["score"]) + 0.5))
    return f"{priority['theme']} ({score} of 100)" + (f": mainly {driver}" if driver else "")
