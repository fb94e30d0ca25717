"""The access log records who consulted which ward profile and concern, and when."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store.access import list_access
from service.store.db import get_engine
from tests.factories import run_json, street_row, write_street_csv, write_wards


def test_ward_profile_and_api_views_are_logged_with_the_user(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", [street_row()])))

    client.get("/wards/E05000002")
    client.get("/api/wards/E05000001/profile")
    client.get("/")
    client.get("/wards/NOPE")

    with app.app_context():
        entries = list_access(get_engine())
    assert [(e["username"], e["kind"], e["ref"], e["path"]) for e in entries] == [
        ("test-analyst", "ward", "E05000001", "/api/wards/E05000001/profile"),
        ("test-analyst", "ward", "E05000002", "/wards/E05000002"),
    ]
    shown = run_json(runner, "access-log", "--ward", "E05000002")
    assert [e["path"] for e in shown["entries"]] == ["/wards/E05000002"]
