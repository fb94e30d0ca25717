"""Downloads and exports: the store's records laid out as products (:mod:`geodata.products`)
for a period and a set of wards, each with its provenance and, for the ward and hot-spot
layers, a QGIS style.

The ward figures come from the shared figures every profile reads; the hot-spot squares are
the force-wide grid (:func:`geodata.force_hotspots.force_hotspots`), built once per data
version and period and kept like the profiles; a ward's squares are those that reach into
it. Concerns and plans are included only when the caller says the reader may see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from flask import Flask

from geodata.disclosure import SENSITIVE_MARKING, Shown
from geodata.force_hotspots import ForceHotspots, force_hotspots
from geodata.io.downloads import Layer
from geodata.io.qgis_styles import hotspot_style, ward_style
from geodata.period import Period
from geodata.products import (
    PRODUCTS,
    Provenance,
    concern_points,
    hotspot_squares,
    incident_points,
    plan_table,
    priority_rows,
    public_hot_squares,
    public_ward_figures,
    ward_figures,
)
from service.exporting import PLAN_EXPORT_COLUMNS, export_items
from service.readmodels.cache import data_cache
from service.readmodels.ward_priorities import ranked_priorities
from service.readmodels.ward_profiles import harm_weights, shared_figures, ward_frame
from service.store.aggregates import list_facts
from service.store.concerns import list_concerns

DESCRIPTIONS = {
    "wards": "Wards with their crime and ASB counts, rates, ratios, ranks and harm",
    "incidents": "Incidents by police.uk snap point, month, category and outcome",
    "hotspots": "Force-wide hot-spot grid: Gi* z and FDR q per square, hot squares",
    "priorities": "Combined priorities: each ward's ranked themes with four components",
    "concerns": "Community concerns as they stand",
    "plans": "Problem-solving plans as they stand",
}


@dataclass(frozen=True)
class Selection:
    """What a download or export covers: a period, some wards (None: all) and whether the
    reader may see concerns and plans."""

    period: Period
    wards: Sequence[str] | None = None
    personal: bool = True
    today: date | None = None


def layers(
    app: Flask, engine: sa.Engine, selection: Selection, *, products: Sequence[str] = PRODUCTS
) -> list[Layer]:
    """The layers of ``products`` for ``selection`` (concerns and plans left out unless
    ``selection.personal``)."""
    return [
        product_layer(app, engine, name, selection)
        for name in products
        if selection.personal or name not in ("concerns", "plans")
    ]


PUBLIC = ("wards", "hotspots")
"""What the public (partnership open data) export holds: no incidents by snap point, no
priorities, concerns or plans."""


def public_layers(app: Flask, engine: sa.Engine, selection: Selection) -> list[Layer]:
    """The public report's disclosure rules over the ward and hot-spot layers: counts below
    ``PUBLIC_SUPPRESS_BELOW`` shown as ``<5``, the figures resting on them withheld, hot
    squares instead of snap points (:func:`geodata.products.public_ward_figures`)."""
    below = int(app.config["PUBLIC_SUPPRESS_BELOW"])
    shown = Shown.for_audience("public", suppress_below=below)
    note = f" (public: counts below {below} shown as <{below}, figures resting on them withheld)"
    public = []
    for layer in layers(app, engine, replace(selection, personal=False), products=PUBLIC):
        if layer.name == "wards":
            frame = public_ward_figures(gpd.GeoDataFrame(layer.frame), shown)
        else:
            frame = public_hot_squares(gpd.GeoDataFrame(layer.frame), shown)
        public.append(replace(layer, frame=frame, description=layer.description + note))
    return public


def product_layer(app: Flask, engine: sa.Engine, name: str, selection: Selection) -> Layer:
    """One product as a layer with its provenance (and style for wards and hot spots)."""
    shared = shared_figures(app, engine)
    if shared.vintage is None:
        raise LookupError("no ward boundaries are stored")
    wards = _wards(app, engine, shared.vintage, selection.wards)
    period = selection.period
    marking = str(app.config["PROTECTIVE_MARKING"])
    style = None
    if name == "wards":
        frame: pd.DataFrame = ward_figures(
            wards,
            shared.force,
            shared.residents,
            period,
            harm_weights=dict(harm_weights(app).weights),
        )
        style = ward_style(frame["crime_per_1000"].tolist())
    elif name == "incidents":
        frame = incident_points(
            list_facts(
                engine,
                vintage=shared.vintage,
                first=period.first,
                last=period.last,
                ward_codes=selection.wards,
            )
        )
    elif name == "hotspots":
        grid = force_grid(app, engine, period)
        frame = hotspot_squares(_reaching(grid.cells, wards) if selection.wards else grid.cells)
        style = hotspot_style()
    elif name == "priorities":
        ranked = ranked_priorities(
            app, engine, period=period, today=selection.today or date.today()
        )
        frame = priority_rows({c: ranked[c] for c in ranked if c in set(wards["code"])})
    elif name == "concerns":
        rows = list_concerns(engine, today=selection.today)
        frame = concern_points(r for r in rows if r["ward_code"] in set(wards["code"]))
        marking = SENSITIVE_MARKING
    elif name == "plans":
        items = export_items(engine)
        chosen = set(wards["code"])
        frame = plan_table(
            [i for i in items if selection.wards is None or chosen & set(i["ward_codes"])],
            columns=PLAN_EXPORT_COLUMNS,
        )
    else:
        raise LookupError(f"no product {name!r}")
    provenance = Provenance(period=period, boundary_vintage=shared.vintage, marking=marking)
    return Layer(name, frame, provenance, DESCRIPTIONS[name], style)


CACHED_FEATURES = frozenset({"wards", "incidents", "hotspots"})
"""Products built from imported data only, so kept per data version (concerns change
between imports and are read fresh)."""


def feature_frame(app: Flask, engine: sa.Engine, name: str, period: Period) -> gpd.GeoDataFrame:
    """The whole force's features of product ``name`` for ``period``, each with an id
    (``code`` for wards, ``id`` for concerns, ``fid`` otherwise: the incident's position in
    the store's key order, or the square's ``row_col``), for the OGC service to page."""

    def build() -> gpd.GeoDataFrame:
        frame = product_layer(app, engine, name, Selection(period=period)).frame
        if name == "incidents":
            frame = frame.assign(fid=range(1, len(frame) + 1))
        elif name == "hotspots":
            frame = frame.assign(fid=frame["row"].astype(str) + "_" + frame["col"].astype(str))
        return gpd.GeoDataFrame(frame)

    if name not in CACHED_FEATURES:
        return build()
    version = shared_figures(app, engine).version
    return data_cache(app, "feature frames", size=8).get(version, (name, period), build)


def force_grid(app: Flask, engine: sa.Engine, period: Period) -> ForceHotspots:
    """The force-wide hot-spot grid of ``period``, built once per data version and period."""
    shared = shared_figures(app, engine)
    vintage = shared.vintage or ""

    def build() -> ForceHotspots:
        wards = ward_frame(app, engine, vintage=vintage)
        facts = list_facts(engine, vintage=vintage, first=period.first, last=period.last)
        places = pd.DataFrame(
            facts.groupby(["location", "longitude", "latitude"], as_index=False)["n"].sum()
        )
        return force_hotspots(
            shapely.union_all(wards.geometry.to_numpy()),
            places,
            cell_size_m=float(app.config["HOTSPOT_CELL_M"]),
        )

    return data_cache(app, "force hot spots", size=4).get(shared.version, period, build)


def _wards(
    app: Flask, engine: sa.Engine, vintage: str, codes: Sequence[str] | None
) -> gpd.GeoDataFrame:
    frame = ward_frame(app, engine, vintage=vintage)
    if codes is None:
        return frame
    return frame[frame["code"].isin(list(codes))].reset_index(drop=True)


def _reaching(cells: gpd.GeoDataFrame, wards: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The squares whose area overlaps one of ``wards`` (touching the edge is not enough)."""
    area = shapely.union_all(wards.geometry.to_numpy())
    overlap = shapely.intersection(cells.geometry.to_numpy(), area)
    keep = ~shapely.is_empty(overlap) & (shapely.area(overlap) > 0)
    return cells[keep]
