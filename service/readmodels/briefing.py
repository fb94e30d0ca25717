"""The PCSO's shift briefing: one ward, the latest month held, in the order a shift needs it.

The sections and their order (``templates/wards/briefing.html``): the age of the data; what
to look out for this shift (the streets that rose, the hot spots named by street, the open
concerns with the overdue ones first, the plan actions due, the top priorities); what
usually rises in the coming month; what changed since the month before; the map. Each
section's figures come from :mod:`geodata.shift` (the street changes use
:mod:`geodata.trends`), the cached profiles and priorities, and the store.

Hot spots: the squares are the force's one hot-spot grid of the latest 12 months
(:mod:`geodata.force_hotspots`, carried by the profile) that reach into the ward, each named
by the police.uk street names of the snap points inside it; :func:`_hot_squares` is the one
place that chooses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import Flask

from geodata.concerns import OPEN_STATUSES, STATUSES
from geodata.crime import CATEGORIES
from geodata.maps import MapParts
from geodata.period import Period, month_words
from geodata.priorities import WEIGHTS_NOTE
from geodata.profile import Change, Trend, WardProfile
from geodata.shift import (
    DUE_WITHIN_DAYS,
    OVERDUE_DAYS,
    DataAge,
    DueAction,
    Season,
    StreetChanges,
    data_age,
    due_actions,
    overdue_first,
    priority_line,
    street_changes,
    usual_rises,
)
from geodata.ward_trends import page_note
from service.readmodels.pages import HotSquare, hot_cells, mapped_concerns, ward_map_parts
from service.readmodels.ward_priorities import ward_priorities
from service.readmodels.ward_profiles import default_period, shared_figures, ward_profile
from service.store.aggregates import ward_facts
from service.store.concerns import concern_tags, list_concerns
from service.store.plans import list_plans, stored_plans

BRIEFING_CATEGORIES = 5
"""Categories a briefing lists against the previous month when no change is significant."""

PRIORITIES_SHOWN = 3


@dataclass(frozen=True)
class BriefingPage:
    """What ``templates/wards/briefing.html`` shows."""

    latest: WardProfile
    """The profile of the latest month held."""
    profile: WardProfile
    """The profile of the latest 12 months held."""
    month: str
    """The latest month in words ("December 2025")."""
    year: str
    """The latest 12 months in words."""
    age: DataAge
    streets: StreetChanges | None
    hot_cells: list[HotSquare]
    concerns: list[dict[str, Any]]
    """Open concerns, overdue first, each with ``theme`` (the tag's label), ``quiet_days``
    and ``overdue``."""
    overdue_days: int
    actions: list[DueAction]
    due_days: int
    priorities: list[str]
    """The top priorities, one line each."""
    weights_note: str
    """That the priority weights are a design choice, not a validated model."""
    threat_assessment: dict[str, Any] | None
    season: Season
    previous: Change
    """All crime in the latest month against the month before."""
    previous_month: str
    sentences: list[str]
    """The plain sentences of the changes called a rise or a fall."""
    compared: list[Trend]
    """All crime, then the busiest categories of the latest month; each comparison carries
    its plain sentence (``previous.sentence``)."""
    trend_note: str
    """How the changes were tested, and how many together (:func:`page_note`)."""
    active_plans: list[dict[str, Any]]
    statuses: dict[str, str]
    map: MapParts


def briefing_page(
    app: Flask, engine: sa.Engine, *, code: str, today: date, asset_url: str
) -> BriefingPage | None:
    """What a PCSO's shift briefing shows, or None when there is no such ward or no records.

    The changes are the profile of the latest month held against the month before (the
    sentences of the changes that survive the page's false discovery rate control, else the
    busiest categories' counts side by side, each with its plain sentence); the
    priorities and the hot spots are those of the latest 12 months, because one month is too
    few incidents to rank or to find hot spots in. The map holds the ward, its neighbours,
    its roads and places, the hot-spot cells and the open concerns, not every incident, so
    the page stays light on a phone.
    """
    year = default_period(app, engine)
    if year is None:
        return None
    month = Period(year.last, year.last)
    latest = ward_profile(app, engine, code=code, period=month)
    if latest is None:
        return None
    profile = ward_profile(app, engine, code=code, period=year)
    assert profile is not None
    shared = shared_figures(app, engine)
    vintage = profile.ward.vintage
    first = f"{int(year.last[:4]) - 1}{year.last[4:]}"
    facts = ward_facts(engine, vintage=vintage, ward_code=code, first=first, last=year.last)
    force_monthly = dict(
        zip(shared.force.months, shared.force.counts.sum(axis=(0, 1)).tolist(), strict=True)
    )
    priorities = ward_priorities(app, engine, code=code, period=year, today=today) or {}
    tags = concern_tags()
    concerns = [
        c | {"theme": tags[c["tag"]].label if c["tag"] in tags else c["tag"]}
        for c in list_concerns(engine, ward_code=code, today=today)
        if c["status"] in OPEN_STATUSES
    ]
    all_crime, *categories = latest.trends
    busiest = sorted(categories, key=lambda t: (-t.count, t.category))
    ward_row = shared.force.wards.index(code) if code in shared.force.wards else None
    coming = today.month % 12 + 1
    return BriefingPage(
        latest=latest,
        profile=profile,
        month=month_words(year.last),
        year=year.words(),
        age=data_age(year.last, today=today),
        streets=street_changes(facts, force_monthly, latest=year.last),
        hot_cells=_hot_squares(profile),
        concerns=overdue_first(concerns, today=today),
        overdue_days=OVERDUE_DAYS,
        actions=due_actions(stored_plans(engine, status="active"), ward=code, today=today),
        due_days=DUE_WITHIN_DAYS,
        priorities=[priority_line(p) for p in priorities.get("priorities", [])][:PRIORITIES_SHOWN],
        weights_note=WEIGHTS_NOTE,
        threat_assessment=priorities.get("threat_assessment"),
        season=usual_rises(
            shared.force.counts[ward_row] if ward_row is not None else np.zeros((0, 0)),
            shared.force.months if ward_row is not None else [],
            CATEGORIES,
            coming=coming,
        ),
        previous=all_crime.previous,
        previous_month=month_words(all_crime.previous.period.first),
        sentences=[s for t in latest.trends for s in t.sentences],
        compared=[all_crime, *busiest[:BRIEFING_CATEGORIES]],
        trend_note=page_note(latest.trends),
        active_plans=list_plans(engine, ward=code, status="active"),
        statuses=dict(STATUSES),
        map=ward_map_parts(
            app,
            engine,
            profile=profile,
            period=year,
            concerns=mapped_concerns(concerns),
            with_incidents=False,
            asset_url=asset_url,
        ),
    )


def _hot_squares(profile: WardProfile) -> list[HotSquare]:
    """The hot squares the briefing lists: the force's hot squares of the profile's period
    that reach into the ward (a square's count is its whole count, across ward boundaries),
    busiest first, each named by the streets inside it."""
    return hot_cells(profile)
