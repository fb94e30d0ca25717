"""Reading boundary files: formats, CRS handling and refusals, on hand-drawn squares."""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import box, mapping

from geodata.crs import BNG, WGS84
from geodata.errors import BoundaryError
from geodata.io.archives import ArchiveLimits
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


# --- Files that would make GDAL read something else (issue 13, item 1) ---------------------


def write_vrt(path: Path, source: str, layer: str) -> Path:
    """A GDAL VRT document, saved under ``path``, whose one layer is ``layer`` of
    ``source``, read with its polygons as WKT (from a CSV) or as they are (GeoJSON)."""
    path.write_text(
        "<OGRVRTDataSource>\n"
        '  <OGRVRTLayer name="wards">\n'
        f"    <SrcDataSource>{source}</SrcDataSource>\n"
        f"    <SrcLayer>{layer}</SrcLayer>\n"
        "    <LayerSRS>EPSG:4326</LayerSRS>\n"
        + ('    <GeometryField encoding="WKT" field="WKT"/>\n' if source.endswith(".csv") else "")
        + "  </OGRVRTLayer>\n"
        "</OGRVRTDataSource>\n"
    )
    return path


SECRET_CSV = (
    'WD25CD,WD25NM,WKT\nE05000001,SECRET,"POLYGON ((-1.22 54.6, -1.2 54.6, -1.2 54.62, -1.22 '
    '54.62, -1.22 54.6))"\n'
)


@pytest.mark.parametrize("name", ["wards.geojson", "wards.json", "wards.gpkg", "wards.shp"])
def test_a_vrt_reading_a_local_file_is_refused_under_any_boundary_name(
    tmp_path: Path, name: str
) -> None:
    secret = tmp_path / "private" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(SECRET_CSV)
    vrt = write_vrt(tmp_path / name, str(secret), "secret")
    # GDAL on its own follows the document and reads the other file.
    assert pyogrio.read_dataframe(vrt)["WD25NM"].tolist() == ["SECRET"]

    with pytest.raises(
        BoundaryError, match=r"but it is not .*; another format under a boundary file's"
    ):
        read_boundaries([vrt])


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this computer that answers every GET with a ward GeoJSON and
    notes the path asked for: (base URL, paths requested)."""
    requested: list[str] = []
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"WD25CD": "E05000001", "WD25NM": "FETCHED"},
                    "geometry": mapping(box(-1.22, 54.6, -1.2, 54.62)),
                }
            ],
        }
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()

        def do_GET(self) -> None:
            self.do_HEAD()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_vrt_fetching_a_url_is_refused_and_fetches_nothing(
    tmp_path: Path, web_server: tuple[str, list[str]]
) -> None:
    url, requested = web_server
    vrt = write_vrt(tmp_path / "wards.geojson", f"/vsicurl/{url}/vrt-wards.geojson", "vrt-wards")
    # GDAL on its own fetches the URL the document names.
    assert pyogrio.read_dataframe(vrt)["WD25NM"].tolist() == ["FETCHED"]
    requested.clear()

    with pytest.raises(BoundaryError, match="not a JSON object"):
        read_boundaries([vrt])
    assert requested == []


def test_a_gdal_virtual_path_is_refused_and_fetches_nothing(
    web_server: tuple[str, list[str]],
) -> None:
    url, requested = web_server
    path = f"/vsicurl/{url}/wards.geojson"

    with pytest.raises(BoundaryError, match=r"/vsi\.\.\.\) and URLs are not read"):
        read_boundaries([path])
    assert requested == []


def test_a_zip_with_a_member_leading_outside_it_is_refused(tmp_path: Path) -> None:
    path = write_zipped_shapefile(create_wards(), tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("../../outside.txt", "x")

    with pytest.raises(BoundaryError, match=r"wards\.zip: the archive holds member names leading"):
        read_boundaries([path])


def test_a_zipped_shapefile_larger_than_the_limit_is_not_unpacked(tmp_path: Path) -> None:
    squares = [
        box(
            E0 + 10 * (i % 100),
            N0 + 10 * (i // 100),
            E0 + 10 * (i % 100 + 1),
            N0 + 10 * (i // 100 + 1),
        )
        for i in range(8000)
    ]
    many = gpd.GeoDataFrame(
        {"WD25CD": [f"E05{i:06d}" for i in range(8000)]}, geometry=squares, crs=BNG
    )
    path = write_zipped_shapefile(many, tmp_path)

    with pytest.raises(BoundaryError, match=r"wards\.zip: not read: member 'wards/wards\.shp'"):
        read_boundaries([path], limits=ArchiveLimits(max_member_mb=1))
    assert len(read_boundaries([path], limits=ArchiveLimits(max_member_mb=2))) == 8000


# --- Where the boundaries lie (issue 13, item 7) --------------------------------------------


def write_geojson_without_crs(path: Path, frame: gpd.GeoDataFrame) -> Path:
    """GeoJSON with the frame's coordinates as they are and no ``crs`` member."""
    document = json.loads(frame.to_json(drop_id=True))
    del document["crs"]
    path.write_text(json.dumps(document))
    return path


def test_a_geojson_in_british_national_grid_without_crs_takes_the_crs_option(
    tmp_path: Path,
) -> None:
    path = write_geojson_without_crs(tmp_path / "wards.geojson", create_wards(codes=("E05000001",)))

    frame = read_boundaries([path], crs="EPSG:27700")

    assert is_west_square(frame)


def test_a_geojson_in_british_national_grid_without_crs_or_option_is_refused(
    tmp_path: Path,
) -> None:
    path = write_geojson_without_crs(tmp_path / "wards.geojson", create_wards())

    with pytest.raises(BoundaryError) as caught:
        read_boundaries([path])
    assert str(caught.value).startswith(
        f"{path}: 2 of 2 features lie outside England and Wales (longitude -6.5 to 2.0, "
        "latitude 49.8 to 55.9): feature 0 (longitude 450000 to 451000, latitude 520000 to "
        "521000), feature 1 (longitude 451000 to 452000"
    )
    assert "look like metres" in str(caught.value) and "--crs EPSG:27700" in str(caught.value)


def test_wards_with_latitude_and_longitude_swapped_are_refused(tmp_path: Path) -> None:
    wards = create_wards().to_crs(WGS84)
    swapped = wards.set_geometry(shapely.transform(wards.geometry.values, lambda xy: xy[:, ::-1]))
    path = tmp_path / "wards.geojson"
    swapped.to_file(path)

    with pytest.raises(BoundaryError, match=r"wards\.geojson: 2 of 2 features lie outside "):
        read_boundaries([path])
    with pytest.raises(BoundaryError, match="longitude and latitude look swapped"):
        read_boundaries([path])


def test_a_folder_whose_name_starts_with_vsi_is_an_ordinary_folder(tmp_path: Path) -> None:
    (tmp_path / "vsizip").mkdir()
    path = write_geojson(create_wards(), tmp_path / "vsizip")

    assert len(read_boundaries([path])) == 2
