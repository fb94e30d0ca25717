from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.crs import BNG
from service.store.db import get_engine
from tests.factories import HAND_DRAWN_WARDS, run_json, write_wards


def count(app: Flask, sql: str) -> int:
    with app.app_context(), get_engine().connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())


def test_import_wards_reports_wards_vintage_and_authorities(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    summary = run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))

    assert summary["wards"] == 3
    assert summary["vintage"] == "2025"
    assert summary["local_authorities"] == {"Testborough": 3}
    assert summary["repaired"] == 0


def test_human_summary_is_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-wards", str(write_wards(tmp_path / "w.geojson"))])

    assert result.exit_code == 0
    assert result.stdout.strip().splitlines() == [
        "Stored 3 wards, vintage 2025 (Testborough 3); 0 repaired."
    ]


def test_reimporting_a_vintage_replaces_it(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "a.geojson")))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "b.geojson", HAND_DRAWN_WARDS[:2])))

    assert count(app, "SELECT count(*) FROM wards") == 2
    assert count(app, "SELECT count(*) FROM boundary_sets") == 1


def test_another_vintage_is_kept_beside_the_first(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "a.geojson", year="24")))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "b.geojson", year="25")))

    assert count(app, "SELECT count(DISTINCT vintage) FROM wards") == 2


def test_bad_file_fails_clearly_and_keeps_what_was_stored(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "good.geojson")))
    bad = tmp_path / "bad.geojson"
    bad.write_text("this is not GeoJSON")

    result = runner.invoke(args=["import-wards", str(bad)])

    assert result.exit_code != 0
    assert "bad.geojson" in result.output
    assert count(app, "SELECT count(*) FROM wards") == 3


def test_a_vrt_saved_as_geojson_is_refused_and_its_file_never_read(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Issue 13, item 1: a GDAL VRT under a GeoJSON name would read another file on the
    server and store its cells as ward names."""
    secret = tmp_path / "secret.csv"
    secret.write_text(
        'WD25CD,WD25NM,WKT\nE05000001,SECRET,"POLYGON ((-1.22 54.6, -1.2 54.6, -1.2 54.62, '
        '-1.22 54.62, -1.22 54.6))"\n'
    )
    vrt = tmp_path / "wards.geojson"
    vrt.write_text(
        f'<OGRVRTDataSource><OGRVRTLayer name="wards"><SrcDataSource>{secret}</SrcDataSource>'
        "<SrcLayer>secret</SrcLayer><LayerSRS>EPSG:4326</LayerSRS>"
        '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>'
    )

    result = runner.invoke(args=["import-wards", str(vrt)])

    assert result.exit_code == 1
    assert f"Error: {vrt}: cannot be read as a boundary file" in result.output
    assert "SECRET" not in result.output
    assert count(app, "SELECT count(*) FROM wards") == 0


def write_bng_wards_without_crs(path: Path) -> Path:
    """The hand-drawn wards in British National Grid metres, in a GeoJSON with no crs."""
    frame = gpd.read_file(write_wards(path)).to_crs(BNG)
    document = json.loads(frame.to_json(drop_id=True))
    del document["crs"]
    path.write_text(json.dumps(document))
    return path


def test_a_geojson_in_british_national_grid_takes_the_crs_option(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_bng_wards_without_crs(tmp_path / "bng.geojson")

    summary = run_json(runner, "import-wards", "--crs", "EPSG:27700", str(path))

    assert summary["wards"] == 3
    # the same 11 km² as the wards in WGS84 (write_wards), not a NULL area
    assert count(app, "SELECT round(sum(area_km2)) FROM wards") == 11


def test_a_geojson_in_british_national_grid_without_the_crs_option_is_refused_clearly(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_bng_wards_without_crs(tmp_path / "bng.geojson")

    result = runner.invoke(args=["import-wards", str(path)])

    assert result.exit_code == 1
    assert f"Error: {path}: 3 of 3 features lie outside England and Wales" in result.output
    assert "--crs EPSG:27700" in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert count(app, "SELECT count(*) FROM wards") == 0


def test_a_file_without_a_code_field_is_named_in_the_refusal(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "wards.geojson"
    path.write_text(write_wards(tmp_path / "w.geojson").read_text().replace("WD25CD", "CODE"))

    result = runner.invoke(args=["import-wards", str(path)])

    assert result.exit_code == 1
    assert f"Error: {path}: no ONS ward code column (WDyyCD" in result.output
