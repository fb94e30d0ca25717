"""Acceptance on the real Cleveland data: the GeoPackage export, a CLI token, and GDAL and
OWSLib reading the OGC service of a running server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pyogrio
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from owslib.ogcapi.features import Features
from werkzeug.serving import make_server

from service.store.db import get_engine
from service.store.tokens import revoke_token
from service.store.users import create_user
from tests.factories import run_json
from tests.service.test_ogc import GDAL_CLIENT
from tests.service.test_realdata_profile import POPULATION, files

pytestmark = pytest.mark.realdata
WARD = "E05009853"


def test_export_tokens_and_ogc_on_the_real_data(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, real_data: Path, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", *files(real_data, "boundaries/wards_wd25"))
    run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    run_json(
        runner, "import-population", "--population", str(real_data / POPULATION),
        "--lsoa-boundaries", *files(real_data, "boundaries/lsoa21"),
    )  # fmt: skip
    out = tmp_path / "cleveland.gpkg"
    run_json(runner, "export", "--out", str(out), "--from", "2025-01", "--to", "2025-12")

    wards = pyogrio.read_dataframe(out, layer="wards")
    assert len(wards) == 83
    profiles = [
        client.get(f"/api/wards/{code}/profile?from=2025-01&to=2025-12").get_json()
        for code in wards["code"]
    ]
    assert wards["crime_total"].sum() == sum(p["crime_total"] for p in profiles)
    styles = pyogrio.read_dataframe(out, layer="layer_styles", read_geometry=False)
    assert sorted(styles["f_table_name"]) == ["hotspots", "wards"]

    with app.app_context():
        create_user(
            get_engine(), username="analyst.real", password="correct horse battery", role="analyst"
        )
    made = run_json(runner, "create-token", "analyst.real", "--name", "acceptance")
    bearer = {"Authorization": f"Bearer {made['token']}"}
    anonymous = app.test_client()
    assert anonymous.get("/api/wards", headers=bearer).status_code == 200

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.port}/ogc"
        done = subprocess.run(
            [sys.executable, "-c", GDAL_CLIENT.replace("E05000001", WARD), f"OAPIF:{url}",
             made["token"]],
            capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        owslib = Features(url, headers=bearer)
        owslib_wards = owslib.collection_items("wards", limit=1000)
        owslib_incidents = owslib.collection_items("incidents", ward_code=WARD, limit=10_000)
    finally:
        server.shutdown()
        thread.join()
    gdal = json.loads(done.stdout)
    matched = anonymous.get(f"/ogc/collections/incidents/items?ward_code={WARD}", headers=bearer)
    assert (
        len(gdal["wards"]) == 83 == owslib_wards["numberMatched"] == len(owslib_wards["features"])
    )
    assert gdal["incidents"] == matched.get_json()["numberMatched"] > 0
    assert len(owslib_incidents["features"]) == gdal["incidents"]

    with app.app_context():
        assert revoke_token(get_engine(), token_id=made["id"], user_id=made["user_id"])
    assert anonymous.get("/api/wards", headers=bearer).status_code == 401
