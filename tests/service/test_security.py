"""Security headers and the Content Security Policy on every response."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.security import policy, tile_origin
from tests.factories import run_json, street_row, write_street_csv, write_wards


def test_every_response_carries_the_headers(anonymous: FlaskClient) -> None:
    response = anonymous.get("/login")

    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split(";")[1]
    assert "frame-ancestors 'none'" in csp


def test_session_cookie_is_http_only_and_same_site(app: Flask) -> None:
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_every_script_on_a_map_page_carries_this_responses_nonce(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", [street_row()])))

    response = client.get("/wards/E05000002")

    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_the_tile_server_is_the_only_other_image_host() -> None:
    assert tile_origin("") == ""
    assert tile_origin("https://{s}.tiles.example/{z}/{x}/{y}.png") == "https://*.tiles.example"
    assert "img-src 'self' data: https://gis.force.police.uk" in policy(
        "n", "https://gis.force.police.uk/{z}/{x}/{y}.png"
    )


def test_no_answer_but_static_files_may_be_stored_by_a_browser(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    run_json(runner, "demo")
    code = client.get("/api/wards").json[0]["code"]
    for path in (
        "/",
        "/concerns",
        "/concerns/1",
        f"/wards/{code}",
        f"/wards/{code}/report.pdf",
        f"/api/wards/{code}/concerns",
        "/api/plans/1",
        "/nowhere",
    ):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
