"""import-context: roads and places stored with their credit; the same file changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store.context import list_context_sources, load_context
from service.store.db import get_engine
from tests.factories import run_json

OSM = ("--attribution", "(c) OpenStreetMap contributors", "--licence", "ODbL")


def write_context(path: Path, *, road: str = "Station Road") -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"name": road, "ref": "B1"},
            "geometry": {"type": "LineString", "coordinates": [[-1.21, 54.60], [-1.19, 54.62]]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Hilltown", "ref": None},
            "geometry": {"type": "Point", "coordinates": [-1.2, 54.61]},
        },
        {
            "type": "Feature",
            "properties": {"name": "A park", "ref": None},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-1.2, 54.6], [-1.19, 54.6], [-1.19, 54.61], [-1.2, 54.6]]],
            },
        },
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_import_stores_roads_and_places_with_attribution_once(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_context(tmp_path / "roads.geojson")

    first = run_json(runner, "import-context", str(path), *OSM)
    again = run_json(runner, "import-context", str(path), *OSM)

    assert (first["status"], first["roads"], first["places"]) == ("stored", 1, 1)
    assert first["rows_rejected"] == 1 and first["rejected"][0]["line"] == 3
    assert again["status"] == "unchanged"
    with app.app_context():
        sources = list_context_sources(get_engine())
        context = load_context(get_engine(), bounds=(-1.25, 54.55, -1.15, 54.65))
        elsewhere = load_context(get_engine(), bounds=(-2.0, 53.0, -1.9, 53.1))
    assert [(s["name"], s["attribution"], s["licence"]) for s in sources] == [
        ("roads.geojson", "(c) OpenStreetMap contributors", "ODbL")
    ]
    assert sorted(context.features["name"]) == ["Hilltown", "Station Road"]
    assert context.attribution == "(c) OpenStreetMap contributors"
    assert elsewhere.empty


def test_a_newer_file_of_the_same_name_replaces_the_old_one(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_context(tmp_path / "roads.geojson")
    run_json(runner, "import-context", str(path), *OSM)
    write_context(path, road="New Road")

    assert run_json(runner, "import-context", str(path), *OSM)["status"] == "stored"
    with app.app_context():
        names = sorted(load_context(get_engine()).features["name"])
    assert names == ["Hilltown", "New Road"]


def test_attribution_is_required_and_a_bad_file_is_named(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_context(tmp_path / "roads.geojson")
    missing = runner.invoke(args=["import-context", str(path), "--licence", "ODbL"])
    blank = runner.invoke(
        args=["import-context", str(path), "--attribution", " ", "--licence", "x"]
    )
    table = tmp_path / "roads.csv"
    table.write_text("name\nA\n")
    bad = runner.invoke(args=["import-context", str(table), *OSM])

    assert missing.exit_code == 2 and "--attribution" in missing.output
    assert blank.exit_code == 2 and "attribution" in blank.output
    assert bad.exit_code == 1 and "roads.csv" in bad.output and "Traceback" not in bad.output


@pytest.mark.realdata
def test_real_roads_and_places_of_cleveland(runner: FlaskCliRunner, real_data: Path) -> None:
    roads = run_json(
        runner,
        "import-context",
        str(real_data / "streets" / "tees_valley_main_roads_osm_2020.geojson"),
        *OSM,
    )
    places = run_json(
        runner,
        "import-context",
        str(real_data / "streets" / "cleveland_places_geonames.geojson"),
        "--attribution",
        "GeoNames",
        "--licence",
        "CC BY 4.0",
    )

    assert (roads["roads"], roads["places"], roads["rows_rejected"]) == (1687, 0, 0)
    assert (places["roads"], places["places"], places["rows_rejected"]) == (0, 36, 0)
