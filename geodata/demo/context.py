"""SYNTHETIC roads and place names for the demo force, so its maps have streets to read.

SYNTHETIC DATA - NOT A MAP. The roads are straight spokes and rings drawn round the demo
town centre; their names are the demo's own town street names (which its snap points use
too); the places are the demo's district names. The file is imported with the attribution
:data:`ATTRIBUTION`, which every map showing it carries.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from geodata.crs import BNG, WGS84
from geodata.demo.wards import LADS, TOWN_CENTRE

ATTRIBUTION = "Synthetic demo roads and places (invented, not a real map)"
LICENCE = "Synthetic demo data, no licence needed"

SPOKES = (
    ("Station Road", "A901"),
    ("High Street", "A902"),
    ("Victoria Road", ""),
    ("Church Street", ""),
    ("Bridge Street", "B903"),
    ("King Street", ""),
    ("Queen Street", ""),
    ("Castle Street", "B904"),
)
"""The spokes from the town centre, clockwise from north-east (name, road number)."""

RINGS = (("Inner Ring Road", "A900", 1_500.0), ("Outer Ring Road", "A905", 5_000.0))
"""Rings round the town centre: name, road number and radius in metres."""


def demo_context(wards: gpd.GeoDataFrame, *, seed: int) -> gpd.GeoDataFrame:
    """The demo force's roads (lines) and places (points), WGS84, columns ``name``, ``ref``.

    Method: in British National Grid, from the representative point of the town-centre
    ward (:data:`geodata.demo.wards.TOWN_CENTRE`), one spoke per :data:`SPOKES` name at
    evenly spaced bearings turned by a seeded angle, each cut where it leaves the force's
    outline; and the :data:`RINGS` (circles) cut to the outline. The places are the town
    ("Millbrook") and each district's name at the representative point of its wards.
    """
    projected = wards.to_crs(BNG)
    outline = shapely.union_all(projected.geometry.to_numpy())
    centre = projected.geometry[projected["WD25NM"] == TOWN_CENTRE].iloc[0].representative_point()
    turn = np.random.default_rng(seed).uniform(0, 2 * math.pi / len(SPOKES))
    reach = 50_000.0
    rows: list[tuple[str, str, object]] = []
    for i, (name, ref) in enumerate(SPOKES):
        angle = turn + 2 * math.pi * i / len(SPOKES)
        end = (centre.x + reach * math.sin(angle), centre.y + reach * math.cos(angle))
        spoke = shapely.LineString([(centre.x, centre.y), end]).intersection(outline)
        rows.append((name, ref, shapely.segmentize(spoke, 100.0)))
    for name, ref, radius in RINGS:
        ring = centre.buffer(radius, quad_segs=32).exterior.intersection(outline)
        if not ring.is_empty:
            rows.append((name, ref, ring))
    rows.append(("Millbrook", "", centre))
    for code, _, short in LADS:
        district = shapely.union_all(projected.geometry[projected["LAD25CD"] == code].to_numpy())
        rows.append((short, "", district.representative_point()))
    names, refs, geometries = zip(*rows, strict=True)
    frame = gpd.GeoDataFrame(
        {"name": list(names), "ref": list(refs)}, geometry=list(geometries), crs=BNG
    )
    return frame.to_crs(WGS84)
