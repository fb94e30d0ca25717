"""Map context: the roads and place names drawn under a ward's data so a reader can tell
where things are, offline, from files a force supplies (and credits).

A context feature is a road (a line, with its name and road number when known) or a place
(a point with its name). Readers turn a file into these rows (``geodata/io/context.py``);
the store keeps them with the file's attribution and licence; maps draw only what falls in
their view, simplified (:func:`clip_context`), so a ward page stays light.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84

ROAD = "road"
PLACE = "place"
KINDS = (ROAD, PLACE)

CONTEXT_COLUMNS = ("kind", "name", "ref")
"""The columns of a context frame, besides its geometry (WGS84)."""

NAME_FIELDS = ("name", "name1", "roadname", "road_name", "street", "placename", "place_name")
"""Columns holding a feature's name, in the order they are looked for (any letter case):
OpenStreetMap and GeoNames use ``name``, Ordnance Survey Open Roads ``name1``."""

REF_FIELDS = ("ref", "roadnumber", "road_number", "number")
"""Columns holding a road's number ("A66"), in the order they are looked for (any case)."""

MARGIN_M = 300.0
"""How far beyond a ward's bounding box a ward map's roads and places reach."""

TOLERANCE_M = 4.0
"""Douglas-Peucker tolerance of the roads a ward map draws: under a pixel at street zoom."""


@dataclass(frozen=True)
class MapContext:
    """The roads and places of one view and the credits every map showing them must carry."""

    features: gpd.GeoDataFrame
    """Rows of :data:`CONTEXT_COLUMNS` and a WGS84 geometry: roads as (multi)lines, places as
    points."""
    attribution: str
    """The sources' attributions, joined by "; "."""

    @property
    def empty(self) -> bool:
        return self.features.empty


def empty_context() -> MapContext:
    return MapContext(
        gpd.GeoDataFrame(
            {c: pd.Series(dtype="str") for c in CONTEXT_COLUMNS}, geometry=[], crs=WGS84
        ),
        "",
    )


def clip_context(
    context: MapContext,
    bounds: tuple[float, float, float, float],
    *,
    margin_m: float = MARGIN_M,
    tolerance_m: float = TOLERANCE_M,
) -> MapContext:
    """The context of a view: the features within ``bounds`` (WGS84 min lon, min lat, max lon,
    max lat) widened by ``margin_m``, roads cut at the edge, merged by name and number and
    simplified.

    Method: in British National Grid, roads are intersected with the widened box, the
    pieces of one (name, number) are merged into as few lines as their ends allow
    (shapely ``line_merge``) and simplified by Douglas-Peucker with ``tolerance_m``
    (topology kept); places outside the box are dropped. The result is in WGS84.
    """
    if context.empty:
        return context
    projected = context.features.to_crs(BNG)
    x0, y0, x1, y1 = gpd.GeoSeries([shapely.box(*bounds)], crs=WGS84).to_crs(BNG).total_bounds
    view = shapely.box(x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m)
    inside = projected[projected.intersects(view)]
    roads = inside[inside["kind"] == ROAD]
    rows: list[dict[str, object]] = []
    for (name, ref), group in roads.groupby(["name", "ref"], sort=True):
        cut = shapely.intersection(shapely.union_all(group.geometry.to_numpy()), view)
        lines = shapely.line_merge(cut) if cut.geom_type == "MultiLineString" else cut
        lines = shapely.simplify(lines, tolerance_m, preserve_topology=True)
        if not lines.is_empty and lines.length > 0:
            rows.append({"kind": ROAD, "name": name, "ref": ref, "geometry": lines})
    places = inside[inside["kind"] == PLACE]
    rows += places[["kind", "name", "ref", "geometry"]].to_dict(orient="records")
    frame = gpd.GeoDataFrame(rows, columns=[*CONTEXT_COLUMNS, "geometry"], crs=BNG)
    return MapContext(frame.to_crs(WGS84), context.attribution)


def road_label(name: str, ref: str) -> str:
    """How a road is named on a map: "Linthorpe Road (A1032)", the name or the number alone
    when only one is known."""
    if name and ref:
        return f"{name} ({ref})"
    return name or ref


def lines_of(geometry: object) -> list[np.ndarray]:
    """The coordinate arrays of each line of a (multi)line geometry."""
    return [np.asarray(part.coords) for part in shapely.get_parts(geometry) if not part.is_empty]
