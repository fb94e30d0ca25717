"""Maps: one escaping helper, local assets only, and what a ward map holds."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box, mapping

from geodata.context import MapContext
from geodata.maps import MapParts, force_map, incident_points, map_text, render, ward_map

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`;alert(1);`",
    "\\`${alert(1)}",
    "</script><script>alert(1)</script>",
]
WARD = box(-1.22, 54.60, -1.18, 54.62)


def facts(**overrides: object) -> pd.DataFrame:
    row = {
        "month": "2025-01",
        "category": "Burglary",
        "outcome": "Under investigation",
        "location": "On or near High Street",
        "longitude": -1.2,
        "latitude": 54.61,
        "n": 1,
    }
    return pd.DataFrame([{**row, **overrides}])


@given(st.text())
def test_map_text_leaves_nothing_active(text: str) -> None:
    safe = map_text(text)

    assert not set("<>`$\\\"'") & set(safe)


def test_map_text_keeps_the_text_a_reader_sees() -> None:
    assert map_text("Tom & Jerry's `x` ${y} \\") == (
        "Tom &amp; Jerry&#x27;s &#96;x&#96; &#36;{y} &#92;"
    )
    assert map_text(None) == ""


def west_map(**options: object) -> MapParts:
    """The map of a plain ward with one incident, offline, with ``options`` changed."""
    arguments: dict[str, object] = {
        "ward_name": "West",
        "ward_geometry": WARD,
        "neighbours": [],
        "incidents": facts(),
        "hotspot_cells": [],
        "concerns": [],
        "tile_url": "",
        "attribution": "",
        "asset_url": "/static/vendor",
    }
    return render(ward_map(**(arguments | options)))  # type: ignore[arg-type]


def test_ward_map_uses_only_local_assets_and_no_network() -> None:
    parts = west_map()
    page = parts.head + parts.body + parts.script

    assert re.findall(r"https?://", page) == []
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in page
    assert "/static/vendor/markercluster/leaflet.markercluster.js" in page


def test_tile_url_is_configuration() -> None:
    parts = render(
        ward_map(
            ward_name="West",
            ward_geometry=WARD,
            neighbours=[],
            incidents=facts(),
            hotspot_cells=[],
            concerns=[],
            tile_url="https://tiles.example.police.uk/{z}/{x}/{y}.png",
            attribution="Force GIS",
            asset_url="/assets",
        )
    )

    assert re.findall(r"https?://[\w./-]+", parts.script) == ["https://tiles.example.police.uk/"]


def test_every_user_string_reaches_the_map_escaped() -> None:
    for payload in PAYLOADS:
        parts = render(
            ward_map(
                ward_name=payload,
                ward_geometry=WARD,
                neighbours=[(payload, box(-1.18, 54.60, -1.16, 54.62))],
                incidents=facts(location=payload, outcome=payload),
                # A hot square's label is built from police.uk location names.
                hotspot_cells=[
                    {
                        "hot": True,
                        "count": 12,
                        "z": 4.2,
                        "label": payload,
                        "geometry": mapping(box(-1.21, 54.60, -1.20, 54.61)),
                    }
                ],
                concerns=[
                    {
                        "longitude": -1.2,
                        "latitude": 54.61,
                        "tag": payload,
                        "description": payload,
                        "status": "open",
                        "raised_on": "2025-01-01",
                    }
                ],
                tile_url="",
                attribution=payload,
                asset_url="/static/vendor",
                context=context_of(payload),
            )
        )
        script = parts.script
        assert payload not in script
        # folium's JSON turns a raw "<" into \u003c; escaped text shows as \u0026lt;.
        assert "<img" not in script and "\\u003cimg" not in script
        assert "\\u003c/script" not in script and "</script><script>" not in script
        assert "${alert" not in script and "`;alert" not in script


def context_of(name: str, *, ref: str = "A1") -> MapContext:
    return MapContext(
        gpd.GeoDataFrame(
            {"kind": ["road", "place"], "name": [name, name], "ref": [ref, ""]},
            geometry=[LineString([(-1.21, 54.605), (-1.19, 54.615)]), Point(-1.2, 54.61)],
            crs="EPSG:4326",
        ),
        name,
    )


def test_roads_and_places_are_drawn_with_their_credit_under_the_data() -> None:
    parts = west_map(context=context_of("Station Road"))

    script = parts.script
    assert '"n": "Station Road (A1)"' in script and '"n": "Station Road"' in script
    assert '"attribution": "Station Road"' in script
    assert "[[54.605, -1.21], [54.615, -1.19]]" in script  # latitude first, 5 decimals
    assert script.index('createPane("context")') < script.index("L.circleMarker")
    assert 'createPane("context")' in script


def test_incident_points_group_by_snap_point_and_category() -> None:
    rows = pd.concat(
        [
            facts(n=2),
            facts(month="2025-02"),
            facts(category="Anti-social behaviour", outcome=""),
            facts(longitude=None, latitude=None, location="No location"),
        ]
    )

    points = incident_points(rows)

    assert points[["category", "n", "months"]].values.tolist() == [
        ["Anti-social behaviour", 1, "2025-01"],
        ["Burglary", 3, "2025-01 (2); 2025-02"],
    ]


def test_force_map_greys_out_wards_without_population() -> None:
    import geopandas as gpd

    wards = gpd.GeoDataFrame(
        {"code": ["A", "B"], "name": ["<b>A</b>", "B"], "rate": [10.0, None]},
        geometry=[WARD, box(-1.18, 54.60, -1.16, 54.62)],
        crs="EPSG:4326",
    )

    script = render(
        force_map(
            wards,
            value_column="rate",
            label="crimes per 1,000",
            tile_url="",
            attribution="",
            asset_url="/a",
        )
    ).script

    assert "#BBBBBB" in script
    assert "<b>A</b>" not in script


# Neighbours, the embedded head and the incident layer (ward pages).


def test_neighbours_are_the_wards_that_touch_by_edge_or_corner() -> None:
    import geopandas as gpd
    import pytest

    from geodata.maps import neighbours

    wards = gpd.GeoDataFrame(
        {
            "code": ["E1", "E2", "E3", "E4", "E5"],
            "name": ["East", "West", "North", "Corner", "Far"],
        },
        geometry=[
            box(-1.20, 54.60, -1.18, 54.62),  # East
            box(-1.22, 54.60, -1.20, 54.62),  # West: shares East's western edge
            box(-1.22, 54.62, -1.18, 54.64),  # North: shares East's northern edge
            box(-1.18, 54.58, -1.16, 54.60),  # Corner: meets East at one point
            box(-1.10, 54.60, -1.08, 54.62),  # Far: touches nothing
        ],
        crs="EPSG:4326",
    )

    found = neighbours(wards, "E1")

    assert [name for name, _ in found] == ["West", "North", "Corner"]
    assert found[0][1].equals(box(-1.22, 54.60, -1.20, 54.62))
    assert neighbours(wards, "E5") == []
    with pytest.raises(LookupError, match="code: no ward 'E9'"):
        neighbours(wards, "E9")


def test_an_enclave_and_the_ward_around_it_are_neighbours() -> None:
    import geopandas as gpd

    from geodata.maps import neighbours

    inner = box(-1.21, 54.61, -1.19, 54.63)
    outer = box(-1.24, 54.58, -1.16, 54.66).difference(inner)
    wards = gpd.GeoDataFrame(
        {"code": ["A", "B"], "name": ["Fields", "Central"]},
        geometry=[outer, inner],
        crs="EPSG:4326",
    )

    assert [n for n, _ in neighbours(wards, "B")] == ["Fields"]
    assert [n for n, _ in neighbours(wards, "A")] == ["Central"]


def test_render_leaves_out_the_parts_folium_writes_for_a_page_of_its_own() -> None:
    parts = render(
        ward_map(
            ward_name="West",
            ward_geometry=WARD,
            neighbours=[],
            incidents=facts(),
            hotspot_cells=[],
            concerns=[],
            tile_url="",
            attribution="",
            asset_url="/static/vendor",
        )
    )

    assert "user-scalable" not in parts.head  # readers may zoom (WCAG 1.4.4)
    assert "html, body" not in parts.head and "<meta" not in parts.head
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in parts.head
    assert '"maxZoom": 18' in parts.script  # marker clusters need a zoom range, tiles or not


def test_incident_circles_carry_each_points_values_once_and_the_fixed_words_once() -> None:
    rows = pd.concat(
        [
            facts(n=2),
            facts(month="2025-02", outcome="Local resolution"),
            facts(location="On or near Mill Lane", longitude=-1.2012345, latitude=54.6054321),
            facts(category="Anti-social behaviour", outcome=""),
        ]
    )

    script = render(
        ward_map(
            ward_name="West",
            ward_geometry=WARD,
            neighbours=[("East", box(-1.18, 54.60, -1.16, 54.62))],
            incidents=rows,
            hotspot_cells=[],
            concerns=[],
            tile_url="",
            attribution="",
            asset_url="/static/vendor",
        )
    ).script

    # The popup's fixed words come once per category layer, not once per point.
    assert script.count("(snap point, not an address)") == 2
    assert '"l": ["On or near High Street", "On or near Mill Lane"]' in script
    assert '"m": ["2025-01 (2); 2025-02", "2025-01"]' in script
    assert '"o": ["Local resolution; Under investigation (2)", "Under investigation"]' in script
    assert '"n": [3, 1]' in script
    assert '"x": [-1.2, -1.20123]' in script and '"y": [54.61, 54.60543]' in script
    assert '"title": "\\u003cb\\u003eAnti-social behaviour\\u003c/b\\u003e: "' in script
    assert script.count('"o": [') == 1  # ASB has no outcomes


def test_no_two_category_colours_are_near_duplicates() -> None:
    """At least 50 apart in RGB: the old palette had Tol's bright green 24 from its muted one."""
    from itertools import combinations

    from geodata.maps import CATEGORY_COLOURS

    def rgb(colour: str) -> tuple[int, ...]:
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    closest = min(
        sum((x - y) ** 2 for x, y in zip(rgb(a), rgb(b), strict=True)) ** 0.5
        for a, b in combinations(CATEGORY_COLOURS.values(), 2)
    )
    assert closest >= 50
