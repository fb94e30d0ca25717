"""Download writers: formula-safe CSV, GeoJSON with provenance, GeoPackage in either CRS."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import Point, box

from geodata.io.downloads import Layer, csv_bytes, geojson_bytes, read_provenance, write_geopackage
from geodata.io.qgis_styles import hotspot_style, ward_style
from geodata.period import Period
from geodata.products import Provenance

PROVENANCE = Provenance(
    period=Period("2025-01", "2025-12"), boundary_vintage="2025", marking="OFFICIAL"
)


def points() -> Layer:
    frame = gpd.GeoDataFrame(
        {
            "text": ["=SUM(A1)", "+44 1642", "-x", "@cmd", "\tTab", "\rCR", "plain"],
            "n": [-3, 1, 2, 3, 4, 5, 6],
        },
        geometry=[Point(-1.21, 54.61)] * 7,
        crs="EPSG:4326",
    )
    return Layer("things", frame, PROVENANCE, "Things")


def test_csv_escapes_every_formula_cell_and_keeps_numbers() -> None:
    text = csv_bytes(points()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[:5] == [
        ["# period: 2025-01 to 2025-12"],
        ["# boundary_vintage: 2025"],
        [f"# source: {PROVENANCE.source}"],
        [f"# licence: {PROVENANCE.licence}"],
        ["# protective_marking: OFFICIAL"],
    ]
    assert rows[5] == ["text", "n", "longitude", "latitude"]
    assert [r[0] for r in rows[6:]] == [
        "'=SUM(A1)",
        "'+44 1642",
        "'-x",
        "'@cmd",
        "'\tTab",
        "'\rCR",
        "plain",
    ]
    assert [r[1] for r in rows[6:]] == ["-3", "1", "2", "3", "4", "5", "6"]
    assert rows[6][2:] == ["-1.21", "54.61"]


def test_geojson_is_wgs84_with_the_provenance_beside_the_features() -> None:
    layer = points()
    bng = Layer(layer.name, layer.frame.to_crs("EPSG:27700"), PROVENANCE, "Things")
    collection = json.loads(geojson_bytes(bng))

    assert collection["period"] == "2025-01 to 2025-12"
    assert collection["licence"] == PROVENANCE.licence
    x, y = collection["features"][0]["geometry"]["coordinates"]
    assert (round(x, 6), round(y, 6)) == (-1.21, 54.61)
    assert collection["features"][0]["properties"]["text"] == "=SUM(A1)"
    table = Layer("t", pd.DataFrame({"a": [1, None]}), PROVENANCE, "T")
    assert [f["geometry"] for f in json.loads(geojson_bytes(table))["features"]] == [None, None]


def test_geopackage_layers_keep_text_and_provenance_in_british_national_grid(
    tmp_path: Path,
) -> None:
    wards = gpd.GeoDataFrame(
        {"code": ["E1"], "crime_per_1000": [12.5]},
        geometry=[box(-1.22, 54.6, -1.2, 54.62)],
        crs="EPSG:4326",
    )
    path = tmp_path / "out.gpkg"
    write_geopackage(
        path,
        [
            points(),
            Layer("wards", wards, PROVENANCE, "Wards", ward_style([12.5, None])),
            Layer("table", pd.DataFrame({"a": ["=1"]}), PROVENANCE, "A table"),
        ],
    )

    assert sorted(n for n, _ in pyogrio.list_layers(path)) == [
        "layer_styles",
        "table",
        "things",
        "wards",
    ]
    things = pyogrio.read_dataframe(path, layer="things")
    assert things.crs.to_epsg() == 27700 and things["text"].iloc[0] == "=SUM(A1)"
    assert read_provenance(path, layer="table")["protective_marking"] == "OFFICIAL"
    assert not list(tmp_path.glob(".*part*"))


def test_styles_are_qgis_documents() -> None:
    ward = ET.fromstring(ward_style([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).split("\n", 1)[1])
    ranges = ward.findall("renderer-v2/ranges/range")
    assert len(ranges) == 5 and ranges[0].get("lower") == "1.000000"
    assert ward.find("labeling/settings/text-style").get("fieldName") == "name"  # type: ignore[union-attr]
    hot = ET.fromstring(hotspot_style().split("\n", 1)[1])
    assert [r.get("filter") for r in hot.findall("renderer-v2/rules/rule")] == [
        '"hot"',
        '"cold"',
        'NOT "hot" AND NOT "cold"',
    ]
