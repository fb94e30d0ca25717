"""Ward profiles: the store's grouped records handed to ``geodata.profile``.

The figures every profile shares (each ward's counts, populations, the months held) are
read once per version of the data and kept in the app (:mod:`service.readmodels.cache`), and
so are the profiles built from them, the wards' boundaries, the categories' over-dispersion
that every trend test uses and the force's hot-spot grid of each period asked for; a version
is the latest import ledger id, since every import of any kind adds a ledger row, so nothing
kept can outlive the data it came from. The force's counts and its hot-spot grids, seconds
to build on a region, are also kept in the database per data version
(:mod:`service.readmodels.kept`), so only the first process to need one builds it, and the
import commands build the usual ones before they finish
(:func:`service.readmodels.ward_priorities.keep_force_figures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import sqlalchemy as sa
from flask import Flask

from geodata.force_hotspots import ForceHotspots, force_hotspots
from geodata.harm import DEFAULT_WEIGHTS_PATH, HarmWeights
from geodata.io.harm import read_harm_weights
from geodata.period import Period, comparison_span, latest_period
from geodata.profile import ForceCounts, WardProfile, build_profile
from geodata.trends import dispersion, dispersion_without_each
from service.readmodels.cache import data_cache, request_version
from service.readmodels.kept import (
    decode_force_counts,
    decode_grid,
    encode_force_counts,
    encode_grid,
    kept_figure,
)
from service.store.aggregates import count_by_ward, force_points, months_held, ward_facts
from service.store.population import list_area_weighted_population, list_ward_population
from service.store.wards import get_ward, latest_vintage, load_ward_frame

WEIGHTS = "wardprofiles.harm_weights"
CACHED = 512
"""Profiles kept per data version: a briefing room opens the same few wards again and again."""
GRIDS_CACHED = 8
"""Force hot-spot grids kept per data version: one per period asked for (the latest year, the
latest month of a briefing, a few chosen periods)."""
VINTAGES_CACHED = 2
"""Boundary vintages whose wards are kept per data version: the latest, and one a report of
an older vintage asks for."""


@dataclass(frozen=True)
class SharedFigures:
    """What every ward's profile reads, for one data version and the latest vintage."""

    version: int
    vintage: str | None
    force: ForceCounts
    population: dict[str, dict[str, Any]]
    months_held: list[str]
    residents: dict[str, int]
    """Usual residents by ward code (the ``residents`` of ``population``)."""
    dispersions: dict[str, npt.NDArray[np.float64]]
    """Over-dispersion of each category's monthly ward counts over every month held, by ward:
    measured on the rest of the force (:func:`geodata.trends.dispersion_without_each`), and
    under "" on the whole force for a ward with no incidents; every trend test of the
    version uses them."""
    area_weighted: dict[str, float]
    """Residents by ward code when LSOAs are split by area share, the check on ``residents``
    (empty when no LSOA polygons are stored)."""


def harm_weights(app: Flask) -> HarmWeights:
    """The configured weight table, read once per app (a bad table fails at first use)."""
    if WEIGHTS not in app.extensions:
        path = app.config["HARM_WEIGHTS"] or DEFAULT_WEIGHTS_PATH
        app.extensions[WEIGHTS] = read_harm_weights(path)
    weights: HarmWeights = app.extensions[WEIGHTS]
    return weights


def shared_figures(app: Flask, engine: sa.Engine) -> SharedFigures:
    """The figures every ward shares, for the data version of this request."""
    version = request_version(engine)
    return data_cache(app, "shared figures", size=1).get(
        version, None, lambda: _read_shared(engine, version)
    )


def _read_shared(engine: sa.Engine, version: int) -> SharedFigures:
    vintage = latest_vintage(engine)
    held = months_held(engine)
    force = kept_figure(
        engine,
        version=version,
        name="force counts",
        key=f"{vintage} {held[0]} {held[-1]}" if vintage and held else "",
        build=lambda: ForceCounts.from_frame(
            count_by_ward(engine, vintage=vintage, first=held[0], last=held[-1])
            if vintage and held
            else pd.DataFrame(columns=["status", "ward_code", "month", "category", "n"])
        ),
        encode=encode_force_counts,
        decode=decode_force_counts,
    )
    population = list_ward_population(engine, vintage=vintage) if vintage else {}
    residents = {code: p["residents"] for code, p in population.items()}
    phi = dict(zip(force.wards, dispersion_without_each(force.counts), strict=True))
    phi[""] = dispersion(force.counts)
    area_weighted = list_area_weighted_population(engine, vintage=vintage) if vintage else {}
    return SharedFigures(version, vintage, force, population, held, residents, phi, area_weighted)


def ward_frame(app: Flask, engine: sa.Engine, *, vintage: str) -> gpd.GeoDataFrame:
    """The wards of ``vintage`` with their polygons, read once per data version (every map
    needs the ward and its neighbours, and a report run needs them for every ward)."""
    return data_cache(app, "ward boundaries", size=VINTAGES_CACHED).get(
        request_version(engine), vintage, lambda: load_ward_frame(engine, vintage=vintage)
    )


def force_grid(app: Flask, engine: sa.Engine, *, period: Period) -> ForceHotspots | None:
    """The force's hot-spot grid of ``period``: one grid over every ward of the latest vintage,
    built from every snap point's incidents (:func:`geodata.force_hotspots.force_hotspots`) and
    kept per data version, period and cell size, in the app and in the database; None when
    no wards are stored."""
    shared = shared_figures(app, engine)
    vintage = shared.vintage
    if vintage is None:
        return None

    cell_size_m = float(app.config["HOTSPOT_CELL_M"])

    def build() -> ForceHotspots:
        wards = ward_frame(app, engine, vintage=vintage)
        return force_hotspots(
            shapely.union_all(wards.geometry.values),
            force_points(engine, vintage=vintage, first=period.first, last=period.last),
            cell_size_m=cell_size_m,
        )

    def kept() -> ForceHotspots:
        return kept_figure(
            engine,
            version=shared.version,
            name="force grid",
            key=f"{vintage} {period.first} {period.last} {cell_size_m!r}",
            build=build,
            encode=encode_grid,
            decode=decode_grid,
        )

    return data_cache(app, "force grids", size=GRIDS_CACHED).get(shared.version, period, kept)


def default_period(app: Flask, engine: sa.Engine) -> Period | None:
    """The latest twelve months held, or None when no records are stored."""
    return latest_period(shared_figures(app, engine).months_held)


def ward_profile(app: Flask, engine: sa.Engine, *, code: str, period: Period) -> WardProfile | None:
    """The profile of ward ``code`` in the latest vintage, or None when there is no such ward."""
    shared = shared_figures(app, engine)
    return data_cache(app, "profiles", size=CACHED).get(
        shared.version,
        (code, period),
        lambda: _build(app, engine, shared, code=code, period=period),
    )


def _build(
    app: Flask, engine: sa.Engine, shared: SharedFigures, *, code: str, period: Period
) -> WardProfile | None:
    found = get_ward(engine, vintage=shared.vintage, code=code) if shared.vintage else None
    if shared.vintage is None or found is None:
        return None
    fields, geometry = found
    span = comparison_span(period)
    return build_profile(
        ward=fields,
        geometry=geometry,
        period=period,
        facts=ward_facts(
            engine, vintage=shared.vintage, ward_code=code, first=span.first, last=span.last
        ),
        force=shared.force,
        population=shared.residents,
        population_method=shared.population.get(code, {}).get("method"),
        harm_weights=harm_weights(app),
        months_held=shared.months_held,
        cell_size_m=float(app.config["HOTSPOT_CELL_M"]),
        grid=force_grid(app, engine, period=period),
        dispersions=shared.dispersions.get(code, shared.dispersions[""]),
        area_weighted=shared.area_weighted,
    )
