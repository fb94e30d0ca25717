"""A concern's place: the map to tap, the point checked against its ward, the street
suggestions, geolocation allowed on that page only, and the concern's point on a map."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards
from tests.service.test_views_concerns import error_of, new_form, stored, token


@pytest.fixture
def officer(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> FlaskClient:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [
        street_row(location="On or near Mill Lane", lon="-1.215", lat="54.605"),
        street_row(location="On or near Park Road", lon="-1.19", lat="54.61"),
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    return signed_in(app, "pcso")


def test_a_point_outside_the_ward_is_refused_in_words(app: Flask, officer: FlaskClient) -> None:
    # -1.19 lies in East Ward, not in West Ward (E05000002) the form names.
    response = officer.post(
        "/concerns/new", data=new_form(longitude="-1.19", csrf_token=token(officer))
    )

    assert response.status_code == 400
    assert error_of(response.text, "longitude") == (
        "That point is outside West Ward: tap inside the ward&#39;s boundary, choose the ward "
        "it is in, or leave the point empty."
    )
    inside = officer.post("/concerns/new", data=new_form(csrf_token=token(officer)))
    assert inside.status_code == 303 and stored(app, 1)["longitude"] == -1.21


def test_the_form_has_a_map_streets_and_may_ask_for_the_location(officer: FlaskClient) -> None:
    response = officer.get("/concerns/new?ward=E05000002")
    page = response.text

    assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(self)"
    assert officer.get("/concerns").headers["Permissions-Policy"].endswith("geolocation=()")
    assert 'list="ward-streets"' in page
    assert '<datalist id="ward-streets"><option value="Mill Lane"></datalist>' in page
    assert 'window["wardProfilesPickMap"]' in page
    assert '<script src="/static/pick_point.js"></script>' in page
    assert '"E05000002": [-1.22, 54.6, -1.2, 54.62]' in page
    assert 'id="use-location" hidden' in page


def test_the_concern_page_shows_its_point_on_a_map(app: Flask, officer: FlaskClient) -> None:
    officer.post("/concerns/new", data=new_form(csrf_token=token(officer)))
    officer.post(
        "/concerns/new", data=new_form(longitude="", latitude="", csrf_token=token(officer))
    )

    with_point = officer.get("/concerns/1").text
    without = officer.get("/concerns/2").text

    assert 'class="map concern-map"' in with_point
    assert "[54.61, -1.21]" in with_point and "L.circleMarker" in with_point
    assert "concern-map" not in without
