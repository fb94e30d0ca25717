"""Map context: roads and places clipped, merged and simplified for one view."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point

from geodata.context import MapContext, clip_context, road_label
from geodata.crs import WGS84

# A road crossing the view west to east in two pieces, a road far away, a place inside and
# a place outside the view (WGS84, near Middlesbrough).
VIEW = (-1.24, 54.57, -1.22, 54.58)
FEATURES = gpd.GeoDataFrame(
    {
        "kind": ["road", "road", "road", "place", "place"],
        "name": ["Long Road", "Long Road", "Far Lane", "Middletown", "Distant"],
        "ref": ["A1", "A1", "", "", ""],
    },
    geometry=[
        LineString([(-1.26, 54.575), (-1.23, 54.575)]),
        LineString([(-1.23, 54.575), (-1.20, 54.575)]),
        LineString([(-1.10, 54.70), (-1.09, 54.70)]),
        Point(-1.23, 54.576),
        Point(-1.00, 54.60),
    ],
    crs=WGS84,
)


def test_clip_keeps_the_view_merges_a_road_and_cuts_it_at_the_margin() -> None:
    clipped = clip_context(MapContext(FEATURES, "(c) test"), VIEW, margin_m=100)

    frame = clipped.features
    assert clipped.attribution == "(c) test"
    assert sorted(zip(frame["kind"], frame["name"], strict=True)) == [
        ("place", "Middletown"),
        ("road", "Long Road"),
    ]
    road = frame.geometry[frame["kind"] == "road"].iloc[0]
    assert road.geom_type == "LineString"  # the two pieces are one line
    west, _, east, _ = road.bounds
    # cut about 100 m (0.0016 degree of longitude here) beyond the view
    assert -1.2425 < west < -1.2410 and -1.2190 < east < -1.2175


def test_an_empty_context_stays_empty() -> None:
    empty = MapContext(FEATURES.iloc[0:0], "")
    assert clip_context(empty, VIEW).empty


def test_road_label_uses_what_is_known() -> None:
    assert road_label("Linthorpe Road", "A1032") == "Linthorpe Road (A1032)"
    assert road_label("", "A66") == "A66"
    assert road_label("Back Lane", "") == "Back Lane"
