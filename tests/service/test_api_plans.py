"""/api/plans: plans read by everyone signed in, written by analysts with the CSRF header."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.crime import CATEGORIES
from geodata.io.plans import plan_to_dict
from geodata.plans import Plan, Response
from service.openapi import OPENAPI
from service.store.db import get_engine
from service.store.plans import create_plan
from tests.conftest import signed_in
from tests.factories import run_json, write_wards


def token(client: FlaskClient, path: str = "/") -> str:
    """The session's CSRF token, as a page carries it (a meta tag or a form's hidden field)."""
    page = client.get(path).text
    match = re.search(r'name="csrf-token" content="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*?value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def a_plan(**fields: Any) -> Plan:
    values: dict[str, Any] = {
        "ward_codes": ("E05000002",),
        "title": "Mill Lane park ASB",
        "problem": "Groups gather in Mill Lane park on Friday evenings.",
        "start_date": date(2025, 7, 1),
        "scanning_sources": ("data",),
        "root_cause": "The unlit shelter hides groups after dark.",
        "responses": (
            Response(action="Light the shelter", owner="Council", toolkit_rating="effective"),
        ),
        "objective": "Reduce ASB records by 30 %.",
        "categories": ("Anti-social behaviour",),
        "partners": ("Testborough Council",),
    }
    return Plan(**(values | fields))


@pytest.fixture
def stored(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> int:
    """The hand-drawn wards and one draft plan in West Ward; returns the plan's id."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return create_plan(get_engine(), a_plan(), by="Ana Analyst")


def post(client: FlaskClient, body: Any, path: str = "/api/plans") -> Any:
    return client.post(path, json=body, headers={"X-CSRFToken": token(client)})


def put(client: FlaskClient, plan_id: int, body: Any) -> Any:
    return client.put(f"/api/plans/{plan_id}", json=body, headers={"X-CSRFToken": token(client)})


# --- Reading -------------------------------------------------------------------------------


def test_plans_are_listed_with_their_quality(client: FlaskClient, stored: int) -> None:
    response = client.get("/api/plans")

    assert response.status_code == 200
    [listed] = response.get_json()
    assert listed | {"created_at": None, "updated_at": None} == {
        "id": stored,
        "title": "Mill Lane park ASB",
        "status": "draft",
        "ward_vintage": "2025",
        "created_by": "Ana Analyst",
        "created_at": None,
        "updated_at": None,
        "import_id": None,
        "ward_codes": ["E05000002"],
        "categories": ["Anti-social behaviour"],
        "start_date": "2025-07-01",
        "target_kind": "ward",
        "quality": {
            "score": 6,
            "out_of": 9,
            "missing": [
                "A specific problem statement",
                "An assessment date",
                "Community involvement described",
            ],
        },
    }


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("ward=E05000002", [1]),
        ("ward=E05000001", []),
        ("status=draft", [1]),
        ("status=active", []),
        ("category=Anti-social%20behaviour", [1]),
        ("category=Burglary", []),
    ],
)
def test_plans_are_filtered(client: FlaskClient, stored: int, query: str, ids: list[int]) -> None:
    assert [p["id"] for p in client.get(f"/api/plans?{query}").get_json()] == ids


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=done", "status: 'done' is not one of draft, active, under-review, closed"),
        ("category=Car%20crime", f"category: 'Car crime' is not one of {', '.join(CATEGORIES)}"),
    ],
)
def test_an_unknown_filter_is_a_400(
    client: FlaskClient, stored: int, query: str, message: str
) -> None:
    response = client.get(f"/api/plans?{query}")

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == message


def test_one_plan_with_its_quality_and_history(client: FlaskClient, stored: int) -> None:
    response = client.get(f"/api/plans/{stored}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["plan"] == plan_to_dict(a_plan())
    assert (body["quality"]["score"], body["quality"]["out_of"]) == (6, 9)
    assert body["quality"]["items"][0] == {
        "item": "specific-problem",
        "label": "A specific problem statement",
        "met": False,
        "why": "the problem statement has 9 words; a specific one has at least 15 and names "
        "a place, a time or a kind of crime",
    }
    assert [(h["by"], h["change"], h["previous"]) for h in body["history"]] == [
        ("Ana Analyst", "created (draft)", None)
    ]
    missing = client.get("/api/plans/99")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["message"] == "no plan with id 99"


# --- Writing -------------------------------------------------------------------------------


def test_an_analyst_stores_a_plan(client: FlaskClient, stored: int) -> None:
    body = plan_to_dict(a_plan(title="East Ward burglary", ward_codes=("E05000001",)))

    response = post(client, body)

    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/api/plans/{created['id']}"
    assert (created["id"], created["created_by"], created["plan"]) == (2, "Test Analyst", body)
    assert [h["change"] for h in created["history"]] == ["created (draft)"]
    assert client.get(f"/api/plans/{created['id']}").get_json() == created


def test_a_bad_plan_is_a_400_listing_every_problem(client: FlaskClient, stored: int) -> None:
    body = plan_to_dict(a_plan()) | {
        "ward_codes": ["E05999999"],
        "title": "",
        "categories": ["Car crime"],
    }

    response = post(client, body)
    typed = post(client, {"title": 5, "start_date": "soon"})
    nothing = client.post("/api/plans", data="not json", headers={"X-CSRFToken": token(client)})

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["problems"] == [
        {
            "field": "ward_codes",
            "problem": "unknown ward code 'E05999999': not a ward of the boundaries in use",
        },
        {"field": "title", "problem": "is blank; give the plan a title"},
        {
            "field": "categories",
            "problem": f"'Car crime' is not a police.uk category; one of {', '.join(CATEGORIES)}",
        },
    ]
    assert error["message"].startswith("ward_codes: unknown ward code 'E05999999'")
    assert typed.status_code == 400
    assert [p["field"] for p in typed.get_json()["error"]["problems"]] == [
        "ward_codes",
        "problem",
        "title",
        "start_date",
    ]
    assert nothing.status_code == 400
    assert nothing.get_json()["error"]["problems"] == [
        {"field": "", "problem": "a plan is a JSON object of its fields, not nothing"}
    ]
    assert [p["id"] for p in client.get("/api/plans").get_json()] == [stored]


def test_an_analyst_replaces_a_plan_and_the_history_says_what_changed(
    client: FlaskClient, stored: int
) -> None:
    body = plan_to_dict(a_plan(status="active", assessment_date=date(2025, 12, 31)))

    response = put(client, stored, body)
    unchanged = put(client, stored, body)

    assert response.status_code == 200
    changed = response.get_json()
    assert changed["changed"] == ["status", "assessment_date"]
    assert changed["plan"] == body
    assert changed["quality"]["score"] == 7
    assert [(h["by"], h["change"]) for h in changed["history"]] == [
        ("Ana Analyst", "created (draft)"),
        ("Test Analyst", "status: draft → active"),
        ("Test Analyst", "edited: assessment_date"),
    ]
    assert changed["history"][1]["previous"] == plan_to_dict(a_plan())
    assert unchanged.get_json()["changed"] == []
    assert put(client, 99, body).status_code == 404
    bad = put(client, stored, body | {"buffer_m": -5})
    assert bad.status_code == 400
    assert bad.get_json()["error"]["problems"] == [
        {"field": "buffer_m", "problem": "-5.0 is not from 0 to 5000 metres"}
    ]


# --- Who may do what -----------------------------------------------------------------------


def test_writing_needs_the_csrf_header(client: FlaskClient, stored: int) -> None:
    response = client.post("/api/plans", json=plan_to_dict(a_plan()))
    replaced = client.put(f"/api/plans/{stored}", json=plan_to_dict(a_plan(title="x")))

    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]
    assert replaced.status_code == 400
    assert [p["title"] for p in client.get("/api/plans").get_json()] == ["Mill Lane park ASB"]


@pytest.mark.parametrize("role", ["viewer"])
def test_viewers_read_but_may_not_write(app: Flask, stored: int, role: str) -> None:
    client = signed_in(app, role)

    assert client.get("/api/plans").status_code == 200
    assert client.get(f"/api/plans/{stored}").status_code == 200
    created = post(client, plan_to_dict(a_plan()))
    replaced = put(client, stored, plan_to_dict(a_plan(title="x")))

    assert (created.status_code, replaced.status_code) == (403, 403)
    assert created.get_json()["error"]["message"] == "this needs the pcso role or above"


def test_an_admin_may_write(app: Flask, stored: int) -> None:
    assert post(signed_in(app, "admin"), plan_to_dict(a_plan())).status_code == 201


def test_signed_out_is_a_401(anonymous: FlaskClient, stored: int) -> None:
    listed = anonymous.get("/api/plans")
    one = anonymous.get(f"/api/plans/{stored}")
    created = anonymous.post(
        "/api/plans",
        json=plan_to_dict(a_plan()),
        headers={"X-CSRFToken": token(anonymous, "/login")},
    )

    assert (listed.status_code, one.status_code, created.status_code) == (401, 401, 401)
    assert listed.get_json()["error"]["message"] == "sign in first"


def test_the_paths_are_described_in_openapi(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()

    assert document == OPENAPI
    assert set(document["paths"]["/api/plans"]) == {"get", "post"}
    assert set(document["paths"]["/api/plans/{plan_id}"]) == {"get", "put"}
    schema = document["paths"]["/api/plans"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert set(schema["properties"]) == set(plan_to_dict(a_plan()))
    assert set(schema["required"]) <= set(schema["properties"])


def test_an_empty_review_date_is_a_400_not_a_server_error(client: FlaskClient, stored: int) -> None:
    body = plan_to_dict(a_plan()) | {"review_dates": [None, ""]}

    response = post(client, body)

    assert response.status_code == 400
    assert response.json["error"]["problems"] == [
        {"field": "review_dates", "problem": "a review date is blank; write each as YYYY-MM-DD"}
    ]
