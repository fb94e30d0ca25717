"""A map written into its page: every script and stylesheet inline, no file or host left."""

from __future__ import annotations

import base64

import pandas as pd
import pytest
from shapely.geometry import box

from geodata.maps import (
    ASSETS_CSS,
    ASSETS_JS,
    MapAssetError,
    MapParts,
    inline_assets,
    render,
    ward_map,
)

PNG = b"\x89PNG\r\n\x1a\nfake"
FILES = {
    **{path: f"/* {name} */ var {name.replace('_', '')} = 1;".encode() for name, path in
       ASSETS_JS.items()},
    **{path: b"/* https://example.org/bug */ .x { background: url(images/layers.png); }"
       for path in ASSETS_CSS.values()},
    "leaflet/images/layers.png": PNG,
    "markercluster/images/layers.png": PNG,
}  # fmt: skip


def parts() -> MapParts:
    incidents = pd.DataFrame(
        [
            {
                "month": "2025-01",
                "category": "Burglary",
                "outcome": "Under investigation",
                "location": "On or near High Street",
                "longitude": -1.2,
                "latitude": 54.61,
                "n": 1,
            }
        ]
    )
    return render(
        ward_map(
            ward_name="West",
            ward_geometry=box(-1.22, 54.60, -1.18, 54.62),
            neighbours=[],
            incidents=incidents,
            hotspot_cells=[],
            concerns=[],
            tile_url="",
            attribution="",
            asset_url="vendor",
        )
    )


def test_scripts_and_stylesheets_are_written_in() -> None:
    inlined = inline_assets(parts(), asset_url="vendor", files=FILES)

    assert "src=" not in inlined.head and "href=" not in inlined.head
    assert "var leaflet = 1;" in inlined.head
    data = base64.b64encode(PNG).decode()
    assert f"url(data:image/png;base64,{data})" in inlined.head
    assert "example.org" not in inlined.head  # stylesheet comments are dropped


def test_a_missing_asset_is_named() -> None:
    files = {k: v for k, v in FILES.items() if k != ASSETS_JS["leaflet"]}

    with pytest.raises(MapAssetError, match=r"leaflet/leaflet\.js"):
        inline_assets(parts(), asset_url="vendor", files=files)


def test_a_script_that_would_close_its_tag_is_refused() -> None:
    files = FILES | {ASSETS_JS["jquery"]: b"var s = '</script>';"}

    with pytest.raises(MapAssetError, match="jquery"):
        inline_assets(parts(), asset_url="vendor", files=files)


def test_a_reference_left_outside_the_assets_is_refused() -> None:
    found = parts()
    tiled = MapParts(found.head + '<img src="https://tiles.example/1.png">', found.body, "")

    with pytest.raises(MapAssetError, match="still refers"):
        inline_assets(tiled, asset_url="vendor", files=FILES)
