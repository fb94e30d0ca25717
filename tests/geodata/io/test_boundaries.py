"""Reading boundary files: formats, CRS handling and refusals, on hand-drawn squares."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geodata.crs import BNG, WGS84
from geodata.errors import BoundaryError
from geodata.io.boundaries import read_boundaries

E0, N0 = 450_000, 520_000
"""A corner in Middlesbrough, in British National Grid metres."""

WEST_SQUARE = box(E0, N0, E0 + 1000, N0 + 1000)
EAST_SQUARE = box(E0 + 1000, N0, E0 + 2000, N0 + 1000)

ROUND_TRIP_M = 0.01
"""British National Grid to WGS84 and back moves a point by about a millimetre."""
ROUND_TRIP_M2 = 0.01
"""... and the area of a 1 km square by a few thousandths of a square metre."""

WEST_SQUARE_LONLAT = [
    (-1.228092, 54.572753),
    (-1.212625, 54.572654),
    (-1.212452, 54.581640),
    (-1.227922, 54.581739),
]
"""Corners of WEST_SQUARE in WGS84, as pyproj gives them; the test allows 1e-4 degrees
(under 10 m), since PROJ's OSGB36 to WGS84 step differs by a metre or two between the
Helmert and grid transformations."""


def create_wards(*, codes: tuple[str, ...] = ("E05000001", "E05000002")) -> gpd.GeoDataFrame:
    """Side-by-side 1 km squares in British National Grid, one per code."""
    squares = [box(E0 + 1000 * i, N0, E0 + 1000 * (i + 1), N0 + 1000) for i in range(len(codes))]
    return gpd.GeoDataFrame(
        {"WD25CD": list(codes), "WD25NM": [f"Ward {code[-1]}" for code in codes]},
        geometry=squares,
        crs=BNG,
    )


def write_geojson(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "wards.geojson"
    frame.to_file(path)
    return path


def write_geopackage(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "wards.gpkg"
    frame.to_file(path, layer="wards")
    return path


def write_shapefile(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "wards.shp"
    frame.to_file(path)
    return path


def write_zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    (folder / "unzipped").mkdir()
    shapefile = write_shapefile(frame, folder / "unzipped")
    path = folder / "wards.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in shapefile.parent.iterdir():
            archive.write(part, f"wards/{part.name}")
    return path


@pytest.mark.parametrize(
    "write",
    [write_geojson, write_geopackage, write_shapefile, write_zipped_shapefile],
    ids=["geojson", "geopackage", "shapefile", "zipped-shapefile"],
)
def test_reads_each_format_into_wgs84(
    tmp_path: Path, write: Callable[[gpd.GeoDataFrame, Path], Path]
) -> None:
    path = write(create_wards(), tmp_path)

    frame = read_boundaries([path])

    assert frame.crs == WGS84
    assert frame["WD25CD"].tolist() == ["E05000001", "E05000002"]
    assert frame["WD25NM"].tolist() == ["Ward 1", "Ward 2"]
    assert frame["source"].tolist() == [str(path), str(path)]
    assert frame.to_crs(BNG).area.tolist() == pytest.approx([1e6, 1e6], abs=ROUND_TRIP_M2)


def test_reprojects_british_national_grid_to_wgs84(tmp_path: Path) -> None:
    path = write_geojson(create_wards(codes=("E05000001",)), tmp_path)

    frame = read_boundaries([path])

    corners = sorted(frame.geometry.iloc[0].exterior.coords[:4])
    expected = sorted(WEST_SQUARE_LONLAT)
    assert [xy for corner in corners for xy in corner] == pytest.approx(
        [xy for corner in expected for xy in corner], abs=1e-4
    )


def test_concatenates_files_in_order_and_names_the_source(tmp_path: Path) -> None:
    first = tmp_path / "E06000001.geojson"
    second = tmp_path / "E06000002.gpkg"
    create_wards(codes=("E05000003", "E05000004")).to_file(first)
    create_wards(codes=("E05000001",)).to_file(second)

    frame = read_boundaries([first, second])

    assert frame["WD25CD"].tolist() == ["E05000003", "E05000004", "E05000001"]
    assert frame["source"].tolist() == [str(first), str(first), str(second)]
    assert frame.index.tolist() == [0, 1, 2]


def is_west_square(frame: gpd.GeoDataFrame) -> bool:
    """Whether the frame holds WEST_SQUARE alone, in whatever CRS and vertex order."""
    in_bng = frame.to_crs(BNG).normalize()
    return bool(in_bng.geom_equals_exact(WEST_SQUARE.normalize(), ROUND_TRIP_M).all())


def write_shapefile_without_crs(folder: Path) -> Path:
    path = write_shapefile(create_wards(codes=("E05000001",)), folder)
    path.with_suffix(".prj").unlink()
    return path


def test_refuses_a_file_without_crs(tmp_path: Path) -> None:
    path = write_shapefile_without_crs(tmp_path)

    with pytest.raises(BoundaryError, match=r"wards\.shp: has no coordinate reference .*--crs"):
        read_boundaries([path])


def test_assigns_the_given_crs_to_a_file_without_one(tmp_path: Path) -> None:
    path = write_shapefile_without_crs(tmp_path)

    frame = read_boundaries([path], crs="EPSG:27700")

    assert frame.crs == WGS84
    assert is_west_square(frame)


def test_a_file_with_its_own_crs_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "wards.geojson"
    create_wards(codes=("E05000001",)).to_crs(WGS84).to_file(path)

    frame = read_boundaries([path], crs="EPSG:27700")

    assert is_west_square(frame)


def test_refuses_an_unknown_crs_option(tmp_path: Path) -> None:
    path = write_geojson(create_wards(), tmp_path)

    with pytest.raises(BoundaryError, match="'EPSG:99999999' is not a coordinate reference"):
        read_boundaries([path], crs="EPSG:99999999")


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match=r"nowhere\.geojson: no such file"):
        read_boundaries([tmp_path / "nowhere.geojson"])


def test_refuses_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "wards.csv"
    path.write_text("WD25CD,WD25NM\nE05000001,Ward 1\n")

    with pytest.raises(BoundaryError, match=r"wards\.csv: has no geometry"):
        read_boundaries([path])


def test_refuses_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "wards.geojson"
    path.write_text("these are not the wards you are looking for\n")

    with pytest.raises(BoundaryError, match=r"wards\.geojson: cannot be read as a boundary file"):
        read_boundaries([path])


def test_refuses_a_file_without_features(tmp_path: Path) -> None:
    path = tmp_path / "wards.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')

    with pytest.raises(BoundaryError, match=r"wards\.geojson: contains no features"):
        read_boundaries([path])


def test_refuses_a_geopackage_with_several_layers(tmp_path: Path) -> None:
    path = tmp_path / "wards.gpkg"
    create_wards().to_file(path, layer="wards_2024")
    create_wards().to_file(path, layer="wards_2025")

    with pytest.raises(BoundaryError, match=r"holds 2 layers \(wards_2024, wards_2025\)"):
        read_boundaries([path])


def test_refuses_a_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "wards.zip"
    path.write_bytes(b"PK\x03\x04 truncated")

    with pytest.raises(BoundaryError, match=r"wards\.zip: is not a valid zip archive"):
        read_boundaries([path])


def test_refuses_a_zip_without_a_shapefile(tmp_path: Path) -> None:
    path = tmp_path / "wards.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "boundaries to follow")

    with pytest.raises(BoundaryError, match=r"wards\.zip: the zip archive holds no Shapefile"):
        read_boundaries([path])


def test_refuses_a_file_with_a_source_column(tmp_path: Path) -> None:
    path = tmp_path / "wards.geojson"
    create_wards().assign(source="ONS").to_file(path)

    with pytest.raises(BoundaryError, match="already has a column named 'source'"):
        read_boundaries([path])


def test_refuses_no_files() -> None:
    with pytest.raises(BoundaryError, match="no boundary files given"):
        read_boundaries([])


def test_refuses_a_single_path_that_is_not_in_a_list(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="wrap a single path in a list"):
        read_boundaries(str(tmp_path / "wards.geojson"))


@pytest.mark.realdata
def test_reads_the_four_cleveland_ward_files(real_data: Path) -> None:
    paths = sorted((real_data / "boundaries" / "wards_wd25").glob("*.geojson"))

    frame = read_boundaries(paths)

    assert frame.crs == WGS84
    assert frame.groupby("source").size().tolist() == [12, 20, 24, 27]
