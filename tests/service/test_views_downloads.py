"""Downloads on the pages: each product in three formats, provenance, formula-safe CSV,
concern downloads in the access log."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyogrio
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store.access import list_access
from service.store.db import get_engine
from tests.factories import (
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)

PERIOD = "from=2025-01&to=2025-02"


@pytest.fixture
def force(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [
        street_row(month=month, lon=lon, category=category)
        for month in ("2025-01", "2025-02")
        for lon, category in (("-1.21", "Burglary"), ("-1.19", "Drugs"))
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "street.csv", rows)))
    concerns = [concern_row(description="=HYPERLINK(1)"), concern_row(ward_code="E05000001")]
    run_json(runner, "import-concerns", str(write_concerns_csv(tmp_path / "c.csv", concerns)))


def test_pages_offer_their_downloads(client: FlaskClient, force: None) -> None:
    ward = client.get(f"/wards/E05000002?{PERIOD}").get_data(as_text=True)
    assert "/downloads/incidents.gpkg?ward=E05000002&amp;from=2025-01&amp;to=2025-02" in ward
    assert "/downloads/concerns.csv?ward=E05000002" in ward
    assert "/downloads/hotspots.geojson?from=" in client.get("/").get_data(as_text=True)
    assert "/downloads/priorities.csv?from=" in client.get("/planning").get_data(as_text=True)


def test_a_ward_as_geopackage_geojson_and_csv(
    client: FlaskClient, force: None, tmp_path: Path
) -> None:
    gpkg = client.get(f"/downloads/wards.gpkg?ward=E05000002&{PERIOD}")
    assert gpkg.headers["Content-Disposition"] == (
        'attachment; filename="wards-E05000002-2025-01-2025-02.gpkg"'
    )
    (tmp_path / "w.gpkg").write_bytes(gpkg.data)
    wards = pyogrio.read_dataframe(tmp_path / "w.gpkg", layer="wards")
    assert wards.crs.to_epsg() == 27700 and list(wards["crime_total"]) == [2]

    collection = json.loads(client.get(f"/downloads/incidents.geojson?{PERIOD}").data)
    assert collection["period"] == "2025-01 to 2025-02"
    assert sum(f["properties"]["count"] for f in collection["features"]) == 4

    text = client.get("/downloads/concerns.csv?ward=E05000002").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[4] == ["# protective_marking: OFFICIAL-SENSITIVE"]
    assert rows[6][rows[5].index("description")] == "'=HYPERLINK(1)"
    assert len(rows) == 7  # provenance, header and the ward's one concern


def test_concern_downloads_are_logged_and_bad_requests_refused(
    app: Flask, client: FlaskClient, force: None
) -> None:
    assert client.get("/downloads/concerns.geojson").status_code == 200
    with app.app_context():
        logged = list_access(get_engine(), kind="download")
    assert [(r["ref"], r["path"]) for r in logged] == [("concerns", "/downloads/concerns.geojson")]
    assert client.get("/downloads/secrets.csv").status_code == 404
    assert client.get("/downloads/wards.xlsx").status_code == 404
    assert client.get("/downloads/wards.csv?ward=E0599").status_code == 400
