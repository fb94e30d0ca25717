"""Static figures: a ward map in British National Grid and a trend chart, as image bytes."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import LineString, Point, box

from geodata.context import MapContext
from geodata.static_maps import FigureError, ward_static_map

WARD = box(-1.22, 54.60, -1.20, 54.62)
EAST = box(-1.20, 54.60, -1.18, 54.62)
INCIDENTS = pd.DataFrame(
    {
        "category": ["Burglary", "Burglary", "Anti-social behaviour", "Drugs"],
        "longitude": [-1.21, -1.21, -1.215, None],
        "latitude": [54.61, 54.61, 54.605, None],
        "n": [2, 1, 7, 3],
    }
)
CELLS = [
    {"row": 2237, "col": 1710, "count": 3, "hot": True},
    {"row": 2237, "col": 1711, "count": 0, "hot": False},
]


def draw(**options: object) -> bytes:
    arguments: dict[str, object] = {
        "ward_geometry": WARD,
        "neighbours": [("East Ward", EAST)],
        "incidents": INCIDENTS,
        "hotspot_cells": CELLS,
        "cell_size_m": 250.0,
        "attribution": "Test attribution",
    }
    return ward_static_map(**(arguments | options))  # type: ignore[arg-type]


@pytest.mark.parametrize("layer", ["incidents", "hotspots"])
def test_map_is_a_png_of_the_asked_size(layer: str) -> None:
    image = Image.open(io.BytesIO(draw(layer=layer, size_cm=(10.0, 8.0), dpi=100)))

    assert image.format == "PNG"
    assert image.size == (int(10 / 2.54 * 100), int(8 / 2.54 * 100))


def test_map_as_jpeg_and_svg() -> None:
    assert Image.open(io.BytesIO(draw(format="jpeg"))).format == "JPEG"
    assert draw(format="svg").lstrip().startswith(b"<?xml")


def test_a_ward_without_incidents_or_cells_still_draws() -> None:
    empty = INCIDENTS.iloc[0:0]

    assert Image.open(io.BytesIO(draw(incidents=empty, hotspot_cells=[], neighbours=[])))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("layer", "heat", "layer: 'heat' is not one of incidents, hotspots"),
     ("format", "gif", "format: 'gif' is not one of png, jpeg, svg")],
)  # fmt: skip
def test_bad_options_are_named(option: str, value: str, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        draw(**{option: value})


def test_roads_are_drawn_under_the_data_with_their_credit() -> None:
    context = MapContext(
        gpd.GeoDataFrame(
            {"kind": ["road", "place"], "name": ["Station Road", "Hilltown"], "ref": ["", ""]},
            geometry=[LineString([(-1.22, 54.61), (-1.20, 54.61)]), Point(-1.21, 54.615)],
            crs="EPSG:4326",
        ),
        "(c) Road makers",
    )

    def casing(png: bytes) -> int:
        pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
        return int((np.abs(pixels.astype(int) - 0xA0).max(axis=1) <= 8).sum())

    plain = draw(dpi=100)
    with_roads = draw(dpi=100, context=context)
    no_credit_line = draw(dpi=100, context=context, attribution="")

    assert casing(with_roads) > casing(plain) + 100
    assert with_roads != plain and no_credit_line != draw(dpi=100, attribution="")
