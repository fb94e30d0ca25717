"""SYNTHETIC residents of the demo force by synthetic small areas, so rates show on first run.

SYNTHETIC DATA - NOT A CENSUS. The demo force's snap points already carry invented LSOA
codes (``X01...``, a letter ONS does not use) and names ("Northvale 001A"); this module
draws a polygon for each of those small areas and an invented count of residents, in the
layouts the real importer reads (an ONS-like LSOA boundary file with ``LSOA21CD`` and
``LSOA21NM``, and a census-like CSV with ``lsoa21_code``, ``lsoa21_name`` and
``usual_residents``). Every name ends "(synthetic)" so no page can pass them off as real.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84

MEAN_RESIDENTS = 1_600
"""Residents of a typical synthetic small area: an English LSOA has 1,000 to 3,000."""

SPREAD = 400
"""Half the range of residents drawn around :data:`MEAN_RESIDENTS` (uniform)."""


def demo_population(
    wards: gpd.GeoDataFrame, months: dict[str, pd.DataFrame], *, seed: int
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The synthetic small areas (WGS84 polygons) and their residents.

    Method. Each small area is the set of demo snap points carrying its code; its seed is
    the mean of those points in British National Grid. The polygons are the Voronoi cells
    of the seeds clipped to the union of the wards, so they tile the force area exactly
    like real LSOAs tile a district (small areas whose points all lie outside the force
    get no polygon, and so no ward, as real LSOAs over a border would). Residents are drawn
    uniformly from :data:`MEAN_RESIDENTS` plus or minus :data:`SPREAD` by
    ``numpy.random.default_rng(seed)``, in code order, so one seed gives one population.

    Returns
    -------
    (areas, residents)
        ``areas`` with ``LSOA21CD``, ``LSOA21NM`` and the polygon (WGS84); ``residents`` with
        ``lsoa21_code``, ``lsoa21_name`` and ``usual_residents``, one row per small area
        that has a polygon.
    """
    rows = pd.concat(months.values(), ignore_index=True)
    rows = rows[(rows["LSOA code"] != "") & (rows["Longitude"] != "")]
    points = gpd.GeoDataFrame(
        {"code": rows["LSOA code"], "name": rows["LSOA name"]},
        geometry=gpd.points_from_xy(
            rows["Longitude"].astype(float), rows["Latitude"].astype(float)
        ),
        crs=WGS84,
    ).to_crs(BNG)
    points["x"], points["y"] = points.geometry.x, points.geometry.y
    seeds = points.groupby(["code", "name"], as_index=False)[["x", "y"]].mean()
    outline = shapely.union_all(wards.to_crs(BNG).geometry.to_numpy())
    seeds = seeds[shapely.contains_xy(outline, seeds["x"], seeds["y"])].reset_index(drop=True)
    cells = shapely.voronoi_polygons(
        shapely.multipoints(np.column_stack([seeds["x"], seeds["y"]])), extend_to=outline
    )
    polygons = np.empty(len(seeds), dtype=object)
    for cell in shapely.get_parts(cells):
        inside = np.flatnonzero(shapely.contains_xy(cell, seeds["x"], seeds["y"]))
        polygons[inside[0]] = shapely.intersection(cell, outline)
    names = [f"{name} (synthetic)" for name in seeds["name"]]
    areas = gpd.GeoDataFrame(
        {"LSOA21CD": seeds["code"], "LSOA21NM": names}, geometry=list(polygons), crs=BNG
    ).to_crs(WGS84)
    rng = np.random.default_rng(seed)
    counts = rng.integers(MEAN_RESIDENTS - SPREAD, MEAN_RESIDENTS + SPREAD + 1, len(seeds))
    residents = pd.DataFrame(
        {"lsoa21_code": seeds["code"], "lsoa21_name": names, "usual_residents": counts}
    )
    return areas, residents
