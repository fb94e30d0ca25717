"""The prevention-message pages: the form's error summary, recording, the log and a message,
and the sections on the ward and planning pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store.db import get_engine
from service.store.messages import list_messages
from tests.conftest import signed_in
from tests.factories import run_json, write_wards
from tests.service.test_api_plans import token


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


FORM = {
    "sent_on": "2025-11-03",
    "channel": "leaflet-poster",
    "area": "wards",
    "ward_codes": ["E05000002", "E05000003"],
    "themes": ["burglary"],
    "audiences": ["residents", "older-residents"],
    "group": "",
    "reach": "400",
    "sent_by": "Neighbourhood team",
    "summary": "Leaflets on shed security <b>door to door</b>.",
    "reference": "https://example.org/leaflet?a=1&b=2",
}


def send(client: FlaskClient, form: dict[str, object]) -> object:
    return client.post("/messages/new", data={**form, "csrf_token": token(client, "/messages/new")})


@pytest.mark.usefixtures("wards")
def test_recording_a_message_shows_it_with_its_history(client: FlaskClient, app: Flask) -> None:
    response = send(client, FORM)

    assert response.status_code == 303  # type: ignore[attr-defined]
    page = client.get(response.headers["Location"]).text  # type: ignore[attr-defined]
    assert "Prevention message 1 recorded." in page
    assert "Leaflets on shed security &lt;b&gt;door to door&lt;/b&gt;." in page
    assert "West Ward, North Ward" in page
    assert "Residents, Older residents" in page
    assert '<a href="https://example.org/leaflet?a=1&amp;b=2" rel="noopener noreferrer">' in page
    assert "recorded" in page
    with app.app_context():
        assert [m["themes"] for m in list_messages(get_engine())] == [["burglary"]]


@pytest.mark.usefixtures("wards")
def test_a_bad_form_shows_every_problem_at_the_top_and_stores_nothing(
    client: FlaskClient, app: Flask
) -> None:
    bad = FORM | {"sent_on": "2999-01-01", "ward_codes": [], "themes": [], "reach": "some"}

    response = send(client, bad)

    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'<a href="#([a-z_]+)">', summary) == [
        "sent_on",
        "ward_codes",
        "themes",
        "reach",
    ]
    assert "Choose at least one ward" in summary
    assert "<title>Error: " in page
    with app.app_context():
        assert list_messages(get_engine()) == []


@pytest.mark.usefixtures("wards")
def test_the_form_needs_its_csrf_token(client: FlaskClient, app: Flask) -> None:
    response = client.post("/messages/new", data=FORM)

    assert response.status_code == 400
    with app.app_context():
        assert list_messages(get_engine()) == []


@pytest.mark.usefixtures("wards")
def test_a_viewer_reads_the_log_but_cannot_record(app: Flask, client: FlaskClient) -> None:
    send(client, FORM)
    viewer = signed_in(app, "viewer")

    log = viewer.get("/messages")
    assert log.status_code == 200
    assert "Leaflets on shed security" in log.text
    assert "Record a message" not in log.text
    assert viewer.get("/messages/new").status_code == 403
    assert viewer.get("/messages?ward=E05000001").text.count("Leaflets on shed") == 0
    assert viewer.get("/messages?ward=E05999999").status_code == 400
