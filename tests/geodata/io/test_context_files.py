"""Reading map context files: roads and places from GeoJSON, GeoPackage and Shapefile."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geodata.crs import BNG, WGS84
from geodata.errors import ContextError
from geodata.io.context import read_context

FRAME = gpd.GeoDataFrame(
    {"NAME1": ["Station Road", None, "Hilltown", None], "roadNumber": ["B1", "A2", None, None]},
    geometry=[
        LineString([(-1.23, 54.57), (-1.22, 54.58)]),
        LineString([(-1.21, 54.57), (-1.20, 54.58)]),
        Point(-1.23, 54.575),
        Point(-1.22, 54.575),
    ],
    crs=WGS84,
)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_roads_and_places_from_any_format_and_crs(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"context{suffix}"
    FRAME.to_crs(BNG).to_file(path, engine="pyogrio")

    rows, errors = read_context(path)

    assert rows["kind"].tolist() == ["road", "road", "place"]
    assert rows["name"].tolist() == ["Station Road", "", "Hilltown"]
    assert rows["ref"].tolist() == ["B1", "A2", ""]
    assert rows.crs == WGS84
    assert abs(rows.geometry.iloc[2].x - -1.23) < 1e-6
    assert [(e.line, e.column, e.problem) for e in errors] == [(4, "NAME1", "a place needs a name")]


def test_places_from_a_shapefile_without_a_prj_with_crs_given(tmp_path: Path) -> None:
    path = tmp_path / "places.shp"
    FRAME.iloc[2:].to_crs(BNG).to_file(path, engine="pyogrio")
    path.with_suffix(".prj").unlink()

    with pytest.raises(ContextError, match="no coordinate reference system"):
        read_context(path)
    rows, errors = read_context(path, crs="EPSG:27700")

    assert rows["name"].tolist() == ["Hilltown"] and len(errors) == 1
    assert abs(rows.geometry.iloc[0].y - 54.575) < 1e-6


def test_a_polygon_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.geojson"
    gpd.GeoDataFrame(
        {"name": ["Park", "Road"]},
        geometry=[box(-1.23, 54.57, -1.22, 54.58), LineString([(-1.2, 54.5), (-1.1, 54.5)])],
        crs=WGS84,
    ).to_file(path, engine="pyogrio")

    rows, errors = read_context(path)

    assert rows["name"].tolist() == ["Road"]
    assert [(e.line, e.problem) for e in errors] == [
        (1, "a Polygon is neither a road (line) nor a place (point)")
    ]


def test_a_file_without_a_name_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nameless.geojson"
    gpd.GeoDataFrame({"width": [3]}, geometry=[Point(-1.2, 54.5)], crs=WGS84).to_file(
        path, engine="pyogrio"
    )

    with pytest.raises(ContextError, match=r"nameless\.geojson: no name column.*--name-field"):
        read_context(path)
    with pytest.raises(ContextError, match="no name column 'label'"):
        read_context(path, name_field="label")


def test_a_table_or_a_gdal_path_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "roads.csv"
    table.write_text("name,x,y\nA,1,2\n")
    with pytest.raises(ContextError, match=r"roads\.csv"):
        read_context(table)
    with pytest.raises(ContextError, match=r"missing\.geojson: no such file"):
        read_context(tmp_path / "missing.geojson")
    with pytest.raises(ContextError, match=r"/vsi"):
        read_context(f"/vsizip/{tmp_path}/roads.zip/roads.shp")
    vrt = tmp_path / "roads.geojson"
    vrt.write_text('<OGRVRTDataSource><OGRVRTLayer name="x"/></OGRVRTDataSource>')
    with pytest.raises(ContextError, match="not a JSON object"):
        read_context(vrt)
