"""The home page's overview: every ward with its headline figures, and the force map.

Built from the shared figures of ``service.readmodels.ward_profiles`` once per data version (the
latest import ledger id) and kept in the app (:mod:`service.readmodels.cache`), as the
profiles are; each force map is rendered once per metric on first use. Every import, failed
ones included, adds a ledger row, so the ledger shown with the overview is never older than
the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from flask import Flask

from geodata.context import clip_context
from geodata.harm import plain_note
from geodata.maps import MapParts, force_map, render
from geodata.overview import METRICS, map_frame, ward_rows, ward_table
from geodata.period import Period, latest_period
from geodata.priorities import harm_rates
from geodata.profile import headline_figures
from service.readmodels.cache import data_cache
from service.readmodels.ward_profiles import SharedFigures, harm_weights, shared_figures, ward_frame
from service.store.context import load_context
from service.store.imports import list_imports
from service.store.incidents import summarise_forces

LEDGER = 10
"""Import ledger rows shown: the latest ten."""

FORCE_TOLERANCE_M = 25.0
"""Douglas-Peucker tolerance of the roads on the force map: a few pixels at its zoom."""


@dataclass(frozen=True)
class Overview:
    """The wards of the latest vintage with their figures for the latest 12 months held."""

    version: int
    vintage: str | None
    period: Period | None
    table: pd.DataFrame
    """One row per ward (:func:`geodata.overview.ward_table`), by code."""
    rows: list[dict[str, Any]]
    """The table as records (:func:`geodata.overview.ward_rows`), for searching and sorting."""
    boundaries: gpd.GeoDataFrame
    forces: list[dict[str, Any]]
    imports: list[dict[str, Any]]
    harm_source: str
    """Where the harm weights come from, said next to the harm figures in plain words (no
    links or commits, :func:`geodata.harm.plain_note`)."""


def get_overview(app: Flask, engine: sa.Engine) -> Overview:
    """The overview of the current data version, built on first use after each import."""
    shared = shared_figures(app, engine)
    return data_cache(app, "overview", size=1).get(
        shared.version, None, lambda: _build(app, engine, shared)
    )


def _build(app: Flask, engine: sa.Engine, shared: SharedFigures) -> Overview:
    period = latest_period(shared.months_held)
    boundaries = (
        ward_frame(app, engine, vintage=shared.vintage)
        if shared.vintage
        else gpd.GeoDataFrame({"code": [], "name": [], "lad_name": []}, geometry=[])
    )
    population = shared.residents
    if period is None:
        headline = pd.DataFrame(
            columns=["crime_total", "asb_total", "population", "crime_per_1000"]
        )
        harm: dict[str, float] = {}
    else:
        headline = headline_figures(shared.force, population, period)
        harm = harm_rates(shared.force, population, period, dict(harm_weights(app).weights))
    table = ward_table(boundaries, headline, harm)
    return Overview(
        version=shared.version,
        vintage=shared.vintage,
        period=period,
        table=table,
        rows=ward_rows(table),
        boundaries=boundaries,
        forces=summarise_forces(engine),
        imports=list_imports(engine, limit=LEDGER),
        harm_source=plain_note(harm_weights(app).source),
    )


def overview_map(
    app: Flask, engine: sa.Engine, overview: Overview, *, metric: str, asset_url: str
) -> MapParts | None:
    """The force map shaded by ``metric`` (a key of ``METRICS``), with the stored roads and
    places (simplified by :data:`FORCE_TOLERANCE_M`, no road labels), rendered once and
    kept; None when no wards are stored."""
    if overview.boundaries.empty:
        return None
    column, label = METRICS[metric]
    return data_cache(app, "force maps", size=2 * len(METRICS)).get(
        overview.version,
        (metric, asset_url),
        lambda: render(
            force_map(
                map_frame(overview.boundaries, overview.table),
                value_column=column,
                label=label,
                tile_url=app.config["TILE_URL"],
                attribution=app.config["TILE_ATTRIBUTION"],
                asset_url=asset_url,
                context=clip_context(
                    load_context(engine),
                    tuple(overview.boundaries.total_bounds),
                    tolerance_m=FORCE_TOLERANCE_M,
                ),
            )
        ),
    )
