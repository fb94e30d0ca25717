"""POST and GET /api/messages: roles, CSRF, every problem by field, and answers that match the
OpenAPI document (the DocumentedClient checks each one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import signed_in
from tests.factories import run_json, write_wards
from tests.service.test_api_plans import token

BODY: dict[str, Any] = {
    "sent_on": "2025-11-03",
    "channel": "social-media",
    "area": "wards",
    "area_codes": ["E05000002"],
    "themes": ["burglary", "asb"],
    "audiences": ["residents", "named-group"],
    "group": "Mill Lane Residents' Association",
    "reach": 850,
    "sent_by": "Neighbourhood team",
    "summary": "Dark nights: lock sheds and garages.",
    "reference": "https://example.org/alerts/1",
}


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


def post(client: FlaskClient, body: Any) -> Any:
    return client.post("/api/messages", json=body, headers={"X-CSRFToken": token(client)})


@pytest.mark.usefixtures("wards")
def test_a_pcso_records_a_message_and_reads_it_back(app: Flask) -> None:
    pcso = signed_in(app, "pcso")

    response = post(pcso, BODY)

    assert response.status_code == 201
    made = response.get_json()
    assert response.headers["Location"] == f"/messages/{made['id']}"
    assert {k: made[k] for k in BODY} == BODY
    assert made["recorded_by"] == "Test Pcso"
    assert [h["change"] for h in made["history"]] == ["recorded"]
    assert pcso.get(f"/api/messages/{made['id']}").get_json() == made
    listed = pcso.get("/api/messages?ward=E05000002").get_json()
    assert [m["id"] for m in listed] == [made["id"]]
    assert pcso.get("/api/messages?ward=E05000001").get_json() == []
    assert pcso.get("/api/messages?theme=asb").get_json()[0]["id"] == made["id"]


@pytest.mark.usefixtures("wards")
def test_a_force_wide_message_reaches_every_ward(client: FlaskClient) -> None:
    body = BODY | {"area": "force-wide", "area_codes": [], "audiences": ["residents"]}
    body.pop("group")
    assert post(client, body).status_code == 201

    for ward in ("E05000001", "E05000002", "E05000003"):
        assert len(client.get(f"/api/messages?ward={ward}").get_json()) == 1


@pytest.mark.usefixtures("wards")
def test_a_viewer_cannot_record_a_message(app: Flask) -> None:
    viewer = signed_in(app, "viewer")

    response = post(viewer, BODY)

    assert response.status_code == 403
    assert viewer.get("/api/messages").get_json() == []


@pytest.mark.usefixtures("wards")
def test_without_the_csrf_token_nothing_is_recorded(client: FlaskClient) -> None:
    response = client.post("/api/messages", json=BODY)

    assert response.status_code == 400
    assert client.get("/api/messages").get_json() == []


@pytest.mark.usefixtures("wards")
def test_every_problem_is_listed_by_field(client: FlaskClient) -> None:
    body = BODY | {
        "sent_on": "2999-01-01",
        "area_codes": ["E05999999"],
        "themes": ["litter"],
        "reach": -5,
        "reference": "javascript://x",
    }

    response = post(client, body)

    assert response.status_code == 400
    assert [p["field"] for p in response.get_json()["error"]["problems"]] == [
        "sent_on",
        "area",
        "themes",
        "reach",
        "reference",
    ]
    assert client.get("/api/messages").get_json() == []


@pytest.mark.usefixtures("wards")
def test_a_body_that_is_not_an_object_is_a_400(client: FlaskClient) -> None:
    response = client.post("/api/messages", data="not json", headers={"X-CSRFToken": token(client)})

    assert response.status_code == 400
    assert response.get_json()["error"]["problems"][0]["field"] == ""


@pytest.mark.usefixtures("wards")
def test_bad_filters_and_missing_messages(client: FlaskClient) -> None:
    assert client.get("/api/messages?channel=fax").status_code == 400
    assert client.get("/api/messages?ward=E05999999").status_code == 400
    assert client.get("/api/messages/99").status_code == 404


def test_signed_out_reads_nothing(anonymous: FlaskClient) -> None:
    assert anonymous.get("/api/messages").status_code == 401
