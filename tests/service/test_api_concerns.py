"""GET /api/wards/<code>/concerns: a ward's concerns as they stand (POST: test_views_concerns)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.openapi import OPENAPI
from service.store.concerns import concern_tags, update_concern
from service.store.db import get_engine
from tests.factories import concern_row, run_json, write_concerns_csv, write_wards


@pytest.fixture
def stored(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> dict[str, int]:
    """Three concerns: two in West Ward (one later resolved), one in East Ward."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    path = write_concerns_csv(
        tmp_path / "c.csv",
        [
            concern_row(raised_on="2025-01-10"),
            concern_row(
                raised_on="2025-02-01", tag="burglary", channel="ward-councillor", community=""
            ),
            concern_row(ward_code="E05000001"),
        ],
    )
    run_json(runner, "import-concerns", str(path))
    with app.app_context():
        update_concern(
            get_engine(), 1, status="resolved", note="Patrols.", by="PC", on=date(2025, 2, 3)
        )
    return {"first": 1, "second": 2}


def test_a_wards_concerns_newest_first(client: FlaskClient, stored: dict[str, int]) -> None:
    response = client.get("/api/wards/E05000002/concerns")

    assert response.status_code == 200
    body = response.get_json()
    assert [c["id"] for c in body] == [stored["second"], stored["first"]]
    second = body[0]
    assert second | {"created_at": None, "age_days": None} == {
        "id": 2,
        "ward_code": "E05000002",
        "ward_vintage": "2025",
        "tag": "burglary",
        "description": "Groups gathering by the play area in the evenings.",
        "raised_on": "2025-02-01",
        "channel": "ward-councillor",
        "community": None,
        "location_text": "Mill Lane park",
        "longitude": -1.21,
        "latitude": 54.61,
        "status": "open",
        "recorded_by": "PCSO Example",
        "created_at": None,
        "import_id": 2,
        "updated_on": "2025-02-01",
        "age_days": None,
    }
    assert second["age_days"] == (date.today() - date(2025, 2, 1)).days
    assert (body[1]["status"], body[1]["updated_on"]) == ("resolved", "2025-02-03")


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("status=resolved", [1]),
        ("status=open", [2]),
        ("tag=burglary", [2]),
        ("channel=community-meeting", [1]),
        ("tag=asb&status=open", []),
    ],
)
def test_concerns_are_filtered(
    client: FlaskClient, stored: dict[str, int], query: str, ids: list[int]
) -> None:
    response = client.get(f"/api/wards/E05000002/concerns?{query}")

    assert response.status_code == 200
    assert [c["id"] for c in response.get_json()] == ids


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=pending", "status: 'pending' is not one of open, in-progress, resolved, closed"),
        ("tag=litter", f"tag: 'litter' is not one of {', '.join(concern_tags())}"),
        ("channel=fax", "channel: 'fax' is not one of ward-councillor, community-meeting"),
    ],
)
def test_an_unknown_filter_is_a_400_naming_the_parameter(
    client: FlaskClient, stored: dict[str, int], query: str, message: str
) -> None:
    response = client.get(f"/api/wards/E05000002/concerns?{query}")

    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(message)


def test_an_unknown_ward_is_a_json_404(client: FlaskClient, stored: dict[str, int]) -> None:
    response = client.get("/api/wards/E05999999/concerns")

    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "status": 404,
        "name": "Not Found",
        "message": "no ward 'E05999999' in the latest boundary vintage",
    }


def test_a_ward_without_concerns_has_an_empty_list(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    response = client.get("/api/wards/E05000003/concerns")

    assert (response.status_code, response.get_json()) == (200, [])


def test_no_boundaries_is_a_404(client: FlaskClient) -> None:
    response = client.get("/api/wards/E05000001/concerns")

    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "no ward boundaries are stored"


def test_writing_over_the_api_needs_the_csrf_header(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    """The POST itself is tested in test_views_concerns.py."""
    response = client.post("/api/wards/E05000002/concerns", json={"tag": "asb"})

    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]


def test_the_path_is_described_in_openapi(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/wards/{code}/concerns"]["get"]

    assert document == OPENAPI
    assert [p["name"] for p in operation["parameters"]] == ["code", "status", "tag", "channel"]
    assert set(operation["responses"]) == {"200", "400", "404"}
    schema = document["components"]["schemas"]["Concern"]
    assert set(schema["required"]) <= set(schema["properties"])
