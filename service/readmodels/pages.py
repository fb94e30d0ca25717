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
``vars(page)``), so every value a template reads is typed and checked by mypy here. A
whole profile page is kept under the edit version (:func:`service.readmodels.cache.
edit_version`), ward, period and day: its concerns, plans and priorities change with a
concern or plan written on the web as its figures change with an import, and either change
makes the next request, in any worker, build it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import shapely
import sqlalchemy as sa
from flask import Flask

from geodata.charts import trend_svg
from geodata.concerns import CHANNELS, OPEN_STATUSES, STATUSES
from geodata.context import MapContext, clip_context
from geodata.crime import ASB
from geodata.maps import MapParts, neighbours, render, ward_map
from geodata.period import Period
from geodata.priorities import DRIVERS, WEIGHTS_NOTE
from geodata.profile import ALL_CRIME, WardProfile
from geodata.ward_trends import page_note
from service.readmodels.cache import data_cache, edit_version
from service.readmodels.ward_priorities import ward_priorities
from service.readmodels.ward_profiles import (
    shared_figures,
    ward_frame,
    ward_profile,
)
from service.store.aggregates import ward_facts
from service.store.concerns import list_concerns
from service.store.context import load_context
from service.store.plans import list_plans

MAPS_CACHED = 64
"""Rendered maps kept per data version (each is a few hundred kilobytes of text)."""

PAGES_CACHED = 64
"""Profile pages kept per edit version (their maps and charts are those kept above)."""

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
    """A hot-spot cell as a page lists it: its street label, the British National Grid
    easting and northing of its south-west corner, its incidents and its Gi* z-score."""

    label: str
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
    """The plain sentences of the changes called a rise or a fall."""
    trend_note: str
    """How the changes were tested, and how many together (:func:`page_note`)."""
    weights_note: str
    """That the priority weights are a design choice, not a validated model."""
    drivers: Mapping[str, str]
    """Each priority component in words, for the component that drives a score."""
    months_held: list[str]
    channels: Mapping[str, str]
    statuses: Mapping[str, str]


def profile_page(
    app: Flask, engine: sa.Engine, *, code: str, period: Period, today: date, asset_url: str
) -> ProfilePage | None:
    """What the ward profile page shows for ``period``, or None when there is no such ward,
    kept per edit version, ward, period, day and asset URL."""
    return data_cache(app, "profile pages", size=PAGES_CACHED).get(
        edit_version(engine),
        (code, period, today, asset_url),
        lambda: _profile_page(
            app, engine, code=code, period=period, today=today, asset_url=asset_url
        ),
    )


def _profile_page(
    app: Flask, engine: sa.Engine, *, code: str, period: Period, today: date, asset_url: str
) -> ProfilePage | None:
    """The page built afresh.

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
        priorities=ward_priorities(
            app, engine, code=code, period=period, today=today, concerns=concerns
        ),
        concerns=concerns,
        open_concerns=sum(c["status"] in OPEN_STATUSES for c in concerns),
        mapped_concerns=len(mapped),
        active_plans=list_plans(engine, ward=code, status="active"),
        map=ward_map_parts(
            app,
            engine,
            profile=profile,
            period=period,
            concerns=mapped,
            with_incidents=True,
            asset_url=asset_url,
        ),
        hot_cells=hot_cells(profile),
        charts=data_cache(app, "trend charts", size=MAPS_CACHED).get(
            shared_figures(app, engine).version,
            (code, period),
            lambda: {
                "crime": trend_svg(crime, title=f"Crimes per month in {name}", unit="crimes"),
                "asb": trend_svg(
                    asb, title=f"Anti-social behaviour per month in {name}", unit="ASB incidents"
                ),
            },
        ),
        monthly=[MonthRow(c.month, c.n, a.n) for c, a in zip(crime, asb, strict=True)],
        sentences=[s for t in profile.trends for s in t.sentences],
        trend_note=page_note(profile.trends),
        weights_note=WEIGHTS_NOTE,
        drivers=DRIVERS,
        months_held=shared_figures(app, engine).months_held,
        channels=CHANNELS,
        statuses=STATUSES,
    )


def hot_cells(profile: WardProfile) -> list[HotSquare]:
    """The force's hot-spot cells that reach into the ward, most incidents first, each named
    by its streets and by the British National Grid easting and northing of its south-west
    corner (``col`` and ``row`` times the cell size) so it can be found on any OS map."""
    cells = [c for c in profile.hotspots.cells if c["hot"]]
    return [
        HotSquare(c["label"], c["easting"], c["northing"], c["count"], c["z"])
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


def ward_map_parts(
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
        geometry = wards.geometry[wards["code"] == code].iloc[0]
        return render(
            ward_map(
                ward_name=profile.ward.name,
                ward_geometry=geometry,
                neighbours=neighbours(wards, code),
                incidents=incidents,
                hotspot_cells=profile.hotspots.cells,
                concerns=concerns,
                tile_url=app.config["TILE_URL"],
                attribution=app.config["TILE_ATTRIBUTION"],
                asset_url=asset_url,
                heat=with_incidents,
                context=ward_context(engine, geometry),
            )
        )

    version = shared_figures(app, engine).version
    return data_cache(app, "ward maps", size=MAPS_CACHED).get(version, key, build)


def ward_context(engine: sa.Engine, geometry: Any) -> MapContext:
    """The stored roads and places a map of one ward (WGS84 geometry) draws, clipped to it
    and simplified (:func:`geodata.context.clip_context`).

    The store is asked for the features whose boxes meet the ward's box widened by 0.01
    degree (700 m to 1.1 km in Britain), more than the clip's margin, so none it keeps is
    missed."""
    bounds = tuple(shapely.bounds(geometry))
    min_x, min_y, max_x, max_y = bounds
    wide = (min_x - 0.01, min_y - 0.01, max_x + 0.01, max_y + 0.01)
    return clip_context(load_context(engine, bounds=wide), bounds)
