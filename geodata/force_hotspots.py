"""Hot spots over the whole force: one grid, Gi* against the force, cells named by street.

The per-ward grid of :mod:`geodata.hotspots` compares each square with its own ward's mean
and stops at the ward boundary, so a quiet ward turns a handful of incidents into "hot"
squares (144 of 2025's 706 ward hot squares in Cleveland held no incident at all), a square
on a boundary counts only one ward's incidents, and a square the whole force would call hot
can be missed. Here the force area is one grid: every square is counted whole, its
neighbours across ward boundaries count, and it is compared with the force's mean. A hot
square must also hold a minimum of incidents itself, records logged at a police station are
left out, and each square is named by the streets police.uk gives for its snap points, the
name a PCSO knows ("Linthorpe Road and Albert Road area"), not a grid reference.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import project, transformers
from geodata.hotspots import EDGE_TOLERANCE_M, HotspotError, _boxes, hotspot_grid

MIN_HOT_COUNT = 10
"""A square is hot only when it holds at least this many incidents itself.

Gi* scores a square by its 3x3 neighbourhood, so a square with few or no incidents beside a
busy one scores high: without a floor, 1 in 5 ward hot squares of 2025 held no incident. Ten
incidents over the period is under one a month for a year's map, the least a PCSO could
walk to and find something behind; a square is on the map because of what happens in it.
"""

STATION_NAMES: tuple[str, ...] = ("Police Station", "Police Headquarters", "Custody Suite")
"""police.uk location names of points where records logged at a station are snapped."""

PILE_UP_FACTOR = 10.0
"""A station-named point is a snap point for logged records when it holds at least this many
times the mean incidents of the snap points in the data (Cleveland 2025: about 12 a point)."""

PLACE_TYPES: frozenset[str] = frozenset(
    {
        "Airport/Airfield/Aerodrome",
        "Bus/Coach Station",
        "Conference/Exhibition Centre",
        "Further/Higher Educational Building",
        "Hospital",
        "Nightclub",
        "Park/Open Space",
        "Parking Area",
        "Petrol Station",
        "Police Station",
        "Prison",
        "Shopping Area",
        "Sports/Recreation Area",
        "Supermarket",
        "Theatre/Concert Hall",
        "Theme/Adventure Park",
    }
)
"""police.uk names that are kinds of place, not streets: used in a label only without a street."""

STATION_NOTE = (
    "Records police.uk places at a police station (often crimes reported or logged there, "
    "not committed there) are left out of the hot spots."
)

_PREFIX = re.compile(r"^\s*on or near\s+", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class ForceHotspots:
    """The force's scored grid, the snap points left out, and how it was made.

    ``cells`` has the columns of :class:`geodata.hotspots.HotspotGrid` (``row``, ``col``,
    ``count``, ``z``, ``p``, ``q``, ``hot``, ``cold``, ``geometry`` in WGS84) plus
    ``label``, the street label of each square ("" for a square with no incident);
    ``hot`` is already limited to squares of at least ``min_count`` incidents.
    ``excluded`` lists the station snap points left out (``location``, ``longitude``,
    ``latitude``, ``n``); ``note`` says so in words for the page ("" when none).
    """

    cell_size_m: float
    alpha: float
    min_count: int
    cells: gpd.GeoDataFrame
    excluded: pd.DataFrame
    note: str
    method: str


def place_name(location: str) -> str:
    """A police.uk ``Location`` without its "On or near " prefix: "On or near Albert Road" ->
    "Albert Road"."""
    return _PREFIX.sub("", str(location)).strip()


def station_points(
    incidents: pd.DataFrame,
    *,
    names: Collection[str] = STATION_NAMES,
    pile_up_factor: float = PILE_UP_FACTOR,
) -> pd.DataFrame:
    """The snap points where records are logged at a station, by name and pile-up.

    Method: incidents (``location``, ``longitude``, ``latitude`` and optionally ``n``, the
    incidents per row) are grouped by snap point (location name and coordinates). A point is
    a station point when its name, without "On or near ", is one of ``names`` (any letter
    case) **and** it holds at least ``pile_up_factor`` times the mean incidents per snap
    point of the data: a station with a broken window is an incident; 679 records at one
    station point in a year are records logged there.

    Returns
    -------
    pandas.DataFrame
        ``location``, ``longitude``, ``latitude``, ``n``, most incidents first.
    """
    points = _snap_points(incidents)
    if points.empty:
        return points
    wanted = {name.lower() for name in names}
    named = points["location"].map(lambda text: place_name(text).lower() in wanted)
    piled = points["n"] >= pile_up_factor * points["n"].mean()
    return points[named & piled].sort_values("n", ascending=False, ignore_index=True)


def _snap_points(incidents: pd.DataFrame) -> pd.DataFrame:
    frame = incidents.assign(
        n=incidents["n"] if "n" in incidents.columns else 1,
        location=incidents["location"].fillna("").astype(str),
    )
    frame = frame[frame["longitude"].notna() & frame["latitude"].notna()]
    grouped = frame.groupby(["location", "longitude", "latitude"])["n"].sum()
    return grouped.reset_index()


def force_hotspots(
    area: shapely.Geometry,
    incidents: pd.DataFrame,
    *,
    cell_size_m: float = 250.0,
    alpha: float = 0.05,
    min_count: int = MIN_HOT_COUNT,
    leave_out_stations: bool = True,
) -> ForceHotspots:
    """One Gi* grid over the force area, hot squares with a minimum count, named by street.

    Method
    ------
    1. **Stations.** With ``leave_out_stations`` (the default), the incidents at
       :func:`station_points` are removed first and listed in ``excluded``.
    2. **Grid and Gi*.** :func:`geodata.hotspots.hotspot_grid` with the force area (the union
       of the wards) as its one polygon: squares of ``cell_size_m`` on the British National
       Grid, every square the area reaches kept whole, each incident counted in its square
       whatever ward it is in, the 3x3 neighbourhood taken across ward boundaries, each
       square compared with the mean of every square of the force, Benjamini-Hochberg over
       all squares at ``alpha``. See that function for the formulas.
    3. **Minimum.** A square stays hot only when it holds at least ``min_count`` incidents
       itself (:data:`MIN_HOT_COUNT`); cold squares are unchanged.
    4. **Labels.** :func:`label_cells` names every square with incidents.

    Parameters
    ----------
    area
        The force area in WGS84 (for example ``shapely.union_all`` of the ward polygons).
    incidents
        ``location``, ``longitude``, ``latitude`` (WGS84) and optionally ``n`` (incidents
        per row, as the store groups them); NaN coordinates are ignored.
    """
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 0:
        raise HotspotError(f"min_count must be a whole number >= 0, got {min_count!r}")
    for column in ("location", "longitude", "latitude"):
        if column not in incidents.columns:
            raise HotspotError(f"incidents must have a {column!r} column")
    excluded = (
        station_points(incidents)
        if leave_out_stations
        else pd.DataFrame(columns=["location", "longitude", "latitude", "n"])
    )
    kept = incidents
    if not excluded.empty:
        key = pd.MultiIndex.from_frame(excluded[["location", "longitude", "latitude"]])
        at_station = pd.MultiIndex.from_frame(
            incidents[["location", "longitude", "latitude"]].fillna({"location": ""})
        ).isin(key)
        kept = incidents[~at_station]
    grid = hotspot_grid(
        area,
        kept["longitude"].to_numpy(np.float64),
        kept["latitude"].to_numpy(np.float64),
        cell_size_m=cell_size_m,
        alpha=alpha,
        weights=kept["n"].to_numpy(np.int64) if "n" in kept.columns else None,
    )
    cells = grid.cells.copy()
    cells["hot"] = cells["hot"] & (cells["count"] >= min_count)
    labels = label_cells(kept, cell_size_m=grid.cell_size_m)
    cells["label"] = [
        labels.get((row, col), "") for row, col in zip(cells["row"], cells["col"], strict=True)
    ]
    note = STATION_NOTE if not excluded.empty else ""
    return ForceHotspots(
        cell_size_m=grid.cell_size_m,
        alpha=grid.alpha,
        min_count=min_count,
        cells=cells,
        excluded=excluded.reset_index(drop=True),
        note=note,
        method=_method_text(grid.method, min_count=min_count, stations=not excluded.empty),
    )


def label_cells(
    incidents: pd.DataFrame, *, cell_size_m: float, names: int = 2
) -> dict[tuple[int, int], str]:
    """Each square's label from the police.uk location names of the snap points inside it.

    Method: incidents are placed in squares exactly as the grid places them (BNG,
    ``floor(easting / s)``, ``floor(northing / s)``); within a square, names (without "On
    or near ") are ranked by incidents, then alphabetically. Street names come first: the
    kinds of place police.uk uses when a point has no street (:data:`PLACE_TYPES`:
    "Supermarket", "Parking Area") are used only when the square has no street name. The
    label joins the first ``names`` with "and" and adds "area": "Linthorpe Road and Albert
    Road area", or "Albert Road area" for one name.
    """
    frame = incidents[incidents["longitude"].notna() & incidents["latitude"].notna()]
    if frame.empty:
        return {}
    to_bng, _ = transformers()
    easting, northing = to_bng.transform(
        frame["longitude"].to_numpy(np.float64), frame["latitude"].to_numpy(np.float64)
    )
    table = pd.DataFrame(
        {
            "row": np.floor(np.asarray(northing) / cell_size_m).astype(np.int64),
            "col": np.floor(np.asarray(easting) / cell_size_m).astype(np.int64),
            "name": frame["location"].fillna("").map(place_name).to_numpy(),
            "n": frame["n"].to_numpy(np.int64) if "n" in frame.columns else 1,
        }
    )
    table = table[table["name"] != ""]
    table["type"] = table["name"].isin(PLACE_TYPES)
    ranked = (
        table.groupby(["row", "col", "type", "name"])["n"]
        .sum()
        .reset_index()
        .sort_values(["row", "col", "type", "n", "name"], ascending=[True, True, True, False, True])
    )
    # A square with a street name is labelled by its streets only: drop its place types.
    has_street = (~ranked["type"]).groupby([ranked["row"], ranked["col"]]).transform("any")
    chosen = ranked[~(ranked["type"] & has_street)].groupby(["row", "col"], sort=False).head(names)
    named: dict[tuple[int, int], list[str]] = {}
    for row, col, name in zip(*(chosen[c].tolist() for c in ("row", "col", "name")), strict=True):
        named.setdefault((row, col), []).append(name)
    return {square: " and ".join(chosen_names) + " area" for square, chosen_names in named.items()}


def ward_cells(hotspots: ForceHotspots, ward: shapely.Geometry) -> gpd.GeoDataFrame:
    """The force's squares, hot or not, that reach into a ward (WGS84 polygon), in grid order.

    Method: a square is the ward's when the ward reaches more than
    :data:`geodata.hotspots.EDGE_TOLERANCE_M` into it, the rule the ward grid keeps squares
    by, so a square merely touching the boundary is not listed. The square's figures are
    the force's: its whole count, z and q, not the ward's share of it.
    """
    cells = hotspots.cells
    if cells.empty:
        return cells
    to_bng, _ = transformers()
    ward_bng = project(ward, to_bng)
    size = hotspots.cell_size_m
    inset = min(EDGE_TOLERANCE_M, size / 10)
    # Only the squares over the ward's box can reach into it: test those (a force grid
    # has tens of thousands of squares, a ward a few dozen).
    min_x, min_y, max_x, max_y = shapely.bounds(ward_bng)
    row, col = cells["row"].to_numpy(), cells["col"].to_numpy()
    near = np.flatnonzero(
        (col * size + inset <= max_x)
        & ((col + 1) * size - inset >= min_x)
        & (row * size + inset <= max_y)
        & ((row + 1) * size - inset >= min_y)
    )
    boxes = _boxes(row[near], col[near], size, inset=inset)
    reaches = np.zeros(len(cells), dtype=bool)
    reaches[near] = np.asarray(shapely.intersects(ward_bng, boxes), dtype=bool)
    return cells[reaches]


def hot_cells_for_ward(hotspots: ForceHotspots, ward: shapely.Geometry) -> gpd.GeoDataFrame:
    """The force's hot squares that reach into a ward (see :func:`ward_cells`), most
    incidents first."""
    cells = ward_cells(hotspots, ward)
    hot = cells[cells["hot"]] if not cells.empty else cells
    return hot.sort_values(["count", "z"], ascending=False)


def _method_text(grid_method: str, *, min_count: int, stations: bool) -> str:
    stations_text = (
        " Records police.uk places at a police station point holding many times the usual "
        "number of records are left out first: they are mostly crimes reported or logged "
        "at the station."
        if stations
        else ""
    )
    return (
        "One grid covers the whole force area, so each square counts every incident in it "
        "whatever ward it is in, its neighbours across ward boundaries are included, and it "
        "is compared with the force's average square. "
        + grid_method.replace("the ward's average", "the force's average")
        .replace("every square of the ward", "every square of the force")
        .replace("squares for this ward", "squares for the force")
        .replace("the ward is covered", "the force area is covered")
        .replace("the ward reaches", "the force area reaches")
        + f" A square is shown as a hot spot only if it holds at least {min_count} incidents "
        "itself, so a quiet square beside a busy one is not called hot."
        + stations_text
        + " Each square is named after the streets police.uk gives for the map points inside "
        "it, busiest first."
    )
