"""Static figures: a ward map in British National Grid and a trend chart, as image bytes."""

from __future__ import annotations

import io
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from PIL import Image
from shapely.geometry import LineString, Point, box

from geodata import static_maps
from geodata.context import MapContext
from geodata.crs import project, transformers
from geodata.maps import CATEGORY_COLOURS, SEQUENTIAL
from geodata.static_maps import HOT_COLOUR, FigureError, ward_static_map

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


# What the map draws, read from the figure's artists. The hot square is the 250 m square of
# the British National Grid holding the Burglary point (451,123 E, 524,157 N): columns and
# rows count 250 m squares from the grid's origin.
HOT = {"row": 2096, "col": 1804, "count": 3, "hot": True}
COLD = {"row": 2096, "col": 1803, "count": 0, "hot": False}


def figure_of(monkeypatch: pytest.MonkeyPatch, **options: object) -> Figure:
    """The figure :func:`ward_static_map` draws, caught at its one save step."""
    kept: list[Figure] = []

    def save(figure: Figure, **_: object) -> bytes:
        kept.append(figure)
        return b""

    monkeypatch.setattr(static_maps, "_save", save)
    draw(**({"hotspot_cells": [HOT, COLD]} | options))
    (figure,) = kept
    return figure


def edged(figure: Figure, colour: str) -> list[Any]:
    """The map's collections outlined in ``colour``."""
    wanted = to_rgba(colour)
    return [
        c
        for c in figure.axes[0].collections
        if len(edge := np.asarray(c.get_edgecolor())) and tuple(edge[0]) == wanted
    ]


def circles(figure: Figure) -> list[Any]:
    """The map's collections of more than one point (a scatter of incidents)."""
    return [c for c in figure.axes[0].collections if len(np.asarray(c.get_offsets())) > 1]


def hexes(colours: object) -> list[str]:
    return [to_hex(c) for c in np.asarray(colours)]


def bng(lon: float, lat: float) -> tuple[float, float]:
    x, y = transformers()[0].transform(lon, lat)
    return float(x), float(y)


def legend_of(figure: Figure) -> list[str]:
    (legend,) = figure.images
    return str(legend.get_label()).split("; ")


@pytest.mark.parametrize("layer", ["incidents", "hotspots"])
def test_hot_squares_are_outlined_in_red_on_both_layers(
    monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    figure = figure_of(monkeypatch, layer=layer)

    (outlines,) = edged(figure, HOT_COLOUR)
    assert len(outlines.get_facecolor()) == 0  # outlines only
    (square,) = outlines.get_paths()
    assert tuple(square.get_extents().bounds) == pytest.approx((451_000, 524_000, 250, 250))
    assert "Hot-spot square" in legend_of(figure)


def test_no_hot_square_no_outline_and_no_legend_line(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = figure_of(monkeypatch, hotspot_cells=[COLD])

    assert edged(figure, HOT_COLOUR) == []
    assert "Hot-spot square" not in legend_of(figure)


def test_incidents_are_one_circle_per_point_and_category(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = figure_of(monkeypatch, layer="incidents")

    (points,) = circles(figure)
    # Burglary 2 + 1 at one point; ASB 7 at another, drawn first as the larger; Drugs has
    # no location and is not drawn.
    assert np.allclose(points.get_offsets(), [bng(-1.215, 54.605), bng(-1.21, 54.61)])
    assert points.get_sizes().tolist() == pytest.approx([6 * 7**0.8, 6 * 3**0.8])
    assert hexes(points.get_facecolor()) == [
        CATEGORY_COLOURS["Anti-social behaviour"].lower(),
        CATEGORY_COLOURS["Burglary"].lower(),
    ]
    assert legend_of(figure) == [
        "1 at one snap point",
        "10 at one snap point",
        "50 at one snap point",
        "Anti-social behaviour",  # the colour key, busiest first (7, then 3)
        "Burglary",
        "Hot-spot square",
        "Ward boundary",
    ]


def test_the_colour_key_names_the_eight_busiest_categories_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    categories = list(CATEGORY_COLOURS)[:10]
    incidents = pd.DataFrame(
        {
            "category": categories,
            "longitude": [-1.21] * 10,
            "latitude": [54.61] * 10,
            "n": list(range(10, 0, -1)),
        }
    )
    figure = figure_of(monkeypatch, layer="incidents", incidents=incidents)

    key = legend_of(figure)[3:-2]
    assert key == [*categories[:8], "2 more: see the table of categories"]


def test_hotspots_layer_shades_the_squares_not_the_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    figure = figure_of(monkeypatch, layer="hotspots")

    assert circles(figure) == []
    (grid,) = edged(figure, "#D0D0D0")
    assert np.allclose(
        [p.get_extents().bounds for p in grid.get_paths()],
        [(451_000, 524_000, 250, 250), (450_750, 524_000, 250, 250)],
    )
    # Five classes up to max(3, 5) = 5 incidents: 3 falls in the third (2-3); 0 is white.
    assert hexes(grid.get_facecolor()) == [SEQUENTIAL[2].lower(), "#ffffff"]
    assert legend_of(figure)[:3] == ["0 incidents", "1-1 incidents", "2-2 incidents"]


def test_ward_boundary_neighbours_and_view(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = figure_of(monkeypatch)
    axes = figure.axes[0]

    (boundary,) = edged(figure, "#000000")
    ward = shapely.Polygon(boundary.get_paths()[0].vertices)
    expected = project(WARD, transformers()[0])
    assert ward.symmetric_difference(expected).area < 1.0  # m2 of a 2.8 km2 ward
    assert "East Ward" in [t.get_text() for t in axes.texts]
    min_x, min_y, max_x, max_y = expected.bounds
    assert axes.get_xlim()[0] < min_x and axes.get_xlim()[1] > max_x
    assert axes.get_ylim()[0] < min_y and axes.get_ylim()[1] > max_y
    assert "Ward boundary" in legend_of(figure)


def test_an_empty_ward_draws_its_boundary_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    figure = figure_of(monkeypatch, incidents=INCIDENTS.iloc[0:0], hotspot_cells=[], neighbours=[])

    assert legend_of(figure) == ["No located incidents", "Ward boundary"]
    assert circles(figure) == []
    assert edged(figure, HOT_COLOUR) == []
    assert len(edged(figure, "#000000")) == 1
