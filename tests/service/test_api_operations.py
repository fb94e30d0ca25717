"""/api/operations: read by everyone signed in, written by pcso and above with the CSRF header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import signed_in
from tests.factories import run_json, write_wards
from tests.service.test_api_plans import token

BODY = {
    "name": "Operation Harvest",
    "start_date": "2025-10-01",
    "end_date": "2025-11-30",
    "ward_codes": ["E05000001"],
    "themes": ["burglary"],
    "categories": ["Burglary"],
    "overtime": True,
    "description": "Autumn burglary patrols.",
}


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


def post(client: FlaskClient, body: Any) -> Any:
    return client.post("/api/operations", json=body, headers={"X-CSRFToken": token(client)})


@pytest.mark.usefixtures("wards")
def test_a_pcso_records_an_operation_and_everyone_reads_it(app: Flask) -> None:
    created = post(signed_in(app, "pcso"), BODY)

    assert created.status_code == 201
    stored = created.get_json()
    assert created.headers["Location"] == f"/api/operations/{stored['id']}"
    assert {k: stored[k] for k in BODY} == BODY
    assert [h["change"] for h in stored["history"]] == ["created"]
    viewer = signed_in(app, "viewer")
    [listed] = viewer.get("/api/operations").get_json()
    assert listed["name"] == "Operation Harvest" and "verdict" in listed["evaluation"]
    assert viewer.get("/api/operations?ward=E05000003").get_json() == []
    assert viewer.get(f"/api/operations/{stored['id']}").get_json()["id"] == stored["id"]
    assert viewer.get("/api/operations/999").status_code == 404


@pytest.mark.usefixtures("wards")
def test_a_viewer_may_not_write_and_nobody_writes_without_the_csrf_header(app: Flask) -> None:
    viewer = signed_in(app, "viewer")
    assert post(viewer, BODY).status_code == 403
    pcso = signed_in(app, "pcso")
    assert pcso.post("/api/operations", json=BODY).status_code == 400
    assert app.test_client().post("/api/operations", json=BODY).status_code == 401
    assert signed_in(app, "admin").get("/api/operations").get_json() == []


@pytest.mark.usefixtures("wards")
def test_a_bad_operation_is_refused_with_every_problem_by_field(app: Flask) -> None:
    client = signed_in(app, "pcso")
    refused = post(client, BODY | {"end_date": "2025-09-01", "ward_codes": ["E05999999"]})

    assert refused.status_code == 400
    assert [p["field"] for p in refused.get_json()["error"]["problems"]] == [
        "end_date",
        "ward_codes",
    ]
    typed = post(client, {"name": "Op", "overtime": "often"})
    assert {p["field"] for p in typed.get_json()["error"]["problems"]} == {
        "start_date",
        "end_date",
        "overtime",
    }
    assert client.get("/api/operations").get_json() == []
