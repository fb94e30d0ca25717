"""The access log records who consulted which ward profile and concern, and when."""

from __future__ import annotations

from pathlib import Path

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


def test_command_line_exports_and_internal_reports_are_logged(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", [street_row()])))
    rows = [concern_row(), concern_row(status="resolved"), concern_row(ward_code="E05000001")]
    run_json(runner, "import-concerns", str(write_concerns_csv(tmp_path / "k.csv", rows)))

    run_json(runner, "export-concerns", "--out", str(tmp_path / "x.csv"), "--ward", "E05000002")
    run_json(runner, "report", "--ward", "E05000002", "--out", str(tmp_path / "r"))
    run_json(
        runner,
        "report",
        "--ward",
        "E05000002",
        "--out",
        str(tmp_path / "p"),
        "--audience",
        "public",
    )

    with app.app_context():
        entries = list_access(get_engine())
    assert all(e["user_id"] is None and e["username"].startswith("command line") for e in entries)
    assert sorted((e["kind"], e["ref"], e["path"].split()[0]) for e in entries) == [
        ("concern", "1", "export-concerns"),
        ("concern", "1", "report"),  # the internal report lists the open concern only
        ("concern", "2", "export-concerns"),
        ("report", "E05000002", "report"),  # the public one carries no concern
    ]
    shown = run_json(runner, "access-log", "--concern", "1")
    assert len(shown["entries"]) == 2
