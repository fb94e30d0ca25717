"""Ward pages: the profile, priorities, concerns and map a page shows, fetched in one place.

A view parses its input and renders; what a page reads (the cached profile of
:mod:`service.readmodels.ward_profiles`, the priorities of
:mod:`service.readmodels.ward_priorities`, the ward's concerns) and the map built from them
(:func:`geodata.maps.ward_map`) are gathered here. Every figure a page shows is one of the
profile's or the priorities' JSON values (``/api/wards/<code>/profile``,
``/api/wards/<code>/priorities``), only rounded for reading.

A rendered map is kept per data version, ward, period and set of mapped concerns, like the
profiles (:mod:`service.readmodels.cache`): building a busy ward's map with folium takes a
few hundred milliseconds, reading a kept one nothing, and a concern raised, moved or closed
changes the key.

A page is a frozen dataclass whose fields are the template's names (the view passes
``vars(page)``), so every value a template reads is typed and checked by mypy here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import Flask

from geodata.charts import trend_svg
from geodata.concerns import CHANNELS, OPEN_STATUSES, STATUSES
from geodata.crime import ASB
from geodata.maps import MapParts, neighbours, render, ward_map
from geodata.period import Period
from geodata.profile import ALL_CRIME, Change, Trend, WardProfile
from service.readmodels.cache import data_cache
from service.readmodels.ward_priorities import ward_priorities
from service.readmodels.ward_profiles import (
    default_period,
    shared_figures,
    ward_frame,
    ward_profile,
)
from service.store.aggregates import ward_facts
from service.store.concerns import list_concerns
from service.store.plans import list_plans

MAPS_CACHED = 64
"""Rendered maps kept per data version (each is a few hundred kilobytes of text)."""

BRIEFING_CATEGORIES = 5
"""Categories a briefing lists against the previous month when no change is significant."""

_NO_INCIDENTS = pd.DataFrame(
    {
        name: pd.Series(dtype=dtype)
        for name, dtype in (
            ("month", "str"),
            ("category", "str"),
            ("outcome", "str"),
            ("location", "str"),
            ("longitude", "float64"),
            ("latitude", "float64"),
            ("n", "int64"),
        )
    }
)


@dataclass(frozen=True, slots=True)
class HotSquare:
    """A hot-spot cell as a page lists it: the British National Grid easting and northing
    of its south-west corner, its incidents and its Gi* z-score."""

    easting: int
    northing: int
    count: int
    z: float


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str
    crime: int
    asb: int


@dataclass(frozen=True)
class ProfilePage:
    """What ``templates/wards/profile.html`` shows."""

    profile: WardProfile
    priorities: dict[str, Any] | None
    concerns: list[dict[str, Any]]
    open_concerns: int
    mapped_concerns: int
    active_plans: list[dict[str, Any]]
    map: MapParts
    hot_cells: list[HotSquare]
    charts: dict[str, str]
    """The trend charts (inline SVG) of all crime (``crime``) and of ASB (``asb``)."""
    monthly: list[MonthRow]
    sentences: list[str]
    months_held: list[str]
    channels: Mapping[str, str]
    statuses: Mapping[str, str]


@dataclass(frozen=True)
class BriefingPage:
    """What ``templates/wards/briefing.html`` shows."""

    latest: WardProfile
    """The profile of the latest month held."""
    profile: WardProfile
    """The profile of the latest 12 months held."""
    previous: Change
    """All crime in the latest month against the month before."""
    sentences: list[str]
    compared: list[Trend]
    """All crime, then the busiest categories of the latest month."""
    priorities: list[dict[str, Any]]
    threat_assessment: dict[str, Any] | None
    concerns: list[dict[str, Any]]
    active_plans: list[dict[str, Any]]
    statuses: Mapping[str, str]
    hot_cells: list[HotSquare]
    map: MapParts


def profile_page(
    app: Flask, engine: sa.Engine, *, code: str, period: Period, today: date, asset_url: str
) -> ProfilePage | None:
    """What the ward profile page shows for ``period``, or None when there is no such ward.

    The map holds the ward, its neighbours, the period's incidents, the profile's hot-spot
    cells and the open concerns that have a point; the trend charts draw the profile's
    monthly series of all crime and of ASB.
    """
    profile = ward_profile(app, engine, code=code, period=period)
    if profile is None:
        return None
    concerns = list_concerns(engine, ward_code=code, today=today)
    mapped = mapped_concerns(concerns)
    crime, asb = profile.trend(ALL_CRIME).monthly, profile.trend(ASB).monthly
    name = profile.ward.name
    return ProfilePage(
        profile=profile,
        priorities=ward_priorities(app, engine, code=code, period=period, today=today),
        concerns=concerns,
        open_concerns=sum(c["status"] in OPEN_STATUSES for c in concerns),
        mapped_concerns=len(mapped),
        active_plans=list_plans(engine, ward=code, status="active"),
        map=_ward_map(
            app,
            engine,
            profile=profile,
            period=period,
            concerns=mapped,
            with_incidents=True,
            asset_url=asset_url,
        ),
        hot_cells=hot_cells(profile),
        charts={
            "crime": trend_svg(crime, title=f"Crimes per month in {name}", unit="crimes"),
            "asb": trend_svg(
                asb, title=f"Anti-social behaviour per month in {name}", unit="ASB incidents"
            ),
        },
        monthly=[MonthRow(c.month, c.n, a.n) for c, a in zip(crime, asb, strict=True)],
        sentences=[s for t in profile.trends for s in t.sentences],
        months_held=shared_figures(app, engine).months_held,
        channels=CHANNELS,
        statuses=STATUSES,
    )


def briefing_page(
    app: Flask, engine: sa.Engine, *, code: str, today: date, asset_url: str
) -> BriefingPage | None:
    """What a PCSO's shift briefing shows, or None when there is no such ward or no records.

    The changes are the profile of the latest month held against the month before (its
    significant trend sentences, else the busiest categories' counts side by side); the
    priorities and the hot spots are those of the latest 12 months, because one month is too
    few incidents to rank or to find hot spots in; the concerns are the open ones, newest
    first. The map holds the ward, its neighbours, the hot-spot cells and the open concerns,
    not every incident, so the page stays light on a phone.
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
    priorities = ward_priorities(app, engine, code=code, period=year, today=today) or {}
    concerns = [
        c
        for c in list_concerns(engine, ward_code=code, today=today)
        if c["status"] in OPEN_STATUSES
    ]
    all_crime, *categories = latest.trends
    busiest = sorted(categories, key=lambda t: (-t.count, t.category))
    return BriefingPage(
        latest=latest,
        profile=profile,
        previous=all_crime.previous,
        sentences=[s for t in latest.trends for s in t.sentences],
        compared=[all_crime, *busiest[:BRIEFING_CATEGORIES]],
        priorities=priorities.get("priorities", [])[:3],
        threat_assessment=priorities.get("threat_assessment"),
        concerns=concerns,
        active_plans=list_plans(engine, ward=code, status="active"),
        statuses=STATUSES,
        hot_cells=hot_cells(profile),
        map=_ward_map(
            app,
            engine,
            profile=profile,
            period=year,
            concerns=mapped_concerns(concerns),
            with_incidents=False,
            asset_url=asset_url,
        ),
    )


def hot_cells(profile: WardProfile) -> list[HotSquare]:
    """The profile's hot-spot cells, most incidents first, each with the British National
    Grid easting and northing of its south-west corner (``col`` and ``row`` times the cell
    size, as ``geodata.hotspots`` defines them) so it can be found on any OS map."""
    size = profile.hotspots.cell_size_m
    cells = [c for c in profile.hotspots.cells if c["hot"]]
    return [
        HotSquare(round(c["col"] * size), round(c["row"] * size), c["count"], c["z"])
        for c in sorted(cells, key=lambda c: (-c["count"], c["row"], c["col"]))
    ]


def mapped_concerns(concerns: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The open concerns that have a point, with the fields a map popup shows."""
    fields = ("id", "tag", "status", "description", "raised_on", "longitude", "latitude")
    return [
        {name: c[name] for name in fields}
        for c in concerns
        if c["status"] in OPEN_STATUSES and c["longitude"] is not None
    ]


def _ward_map(
    app: Flask,
    engine: sa.Engine,
    *,
    profile: WardProfile,
    period: Period,
    concerns: list[dict[str, Any]],
    with_incidents: bool,
    asset_url: str,
) -> MapParts:
    code, vintage = profile.ward.code, profile.ward.vintage
    key = (
        code,
        period,
        with_incidents,
        asset_url,
        app.config["TILE_URL"],
        app.config["TILE_ATTRIBUTION"],
        tuple(tuple(c.values()) for c in concerns),
    )

    def build() -> MapParts:
        wards = ward_frame(app, engine, vintage=vintage)
        incidents = (
            ward_facts(
                engine, vintage=vintage, ward_code=code, first=period.first, last=period.last
            )
            if with_incidents
            else _NO_INCIDENTS
        )
        return render(
            ward_map(
                ward_name=profile.ward.name,
                ward_geometry=wards.geometry[wards["code"] == code].iloc[0],
                neighbours=neighbours(wards, code),
                incidents=incidents,
                hotspot_cells=profile.hotspots.cells,
                concerns=concerns,
                tile_url=app.config["TILE_URL"],
                attribution=app.config["TILE_ATTRIBUTION"],
                asset_url=asset_url,
                heat=with_incidents,
            )
        )

    version = shared_figures(app, engine).version
    return data_cache(app, "ward maps", size=MAPS_CACHED).get(version, key, build)
