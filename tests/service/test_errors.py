"""Messages, not tracebacks: odd requests and odd input get a clear answer (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.plans import plan_to_dict
from service.errors import LARGEST_ID
from service.store.db import get_engine
from service.store.plans import create_plan
from service.store.users import authenticate
from tests.factories import run_json, write_wards
from tests.service.test_api_plans import a_plan, post


@pytest.fixture
def stored(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> int:
    """The hand-drawn wards and one draft plan; returns the plan's id."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return create_plan(get_engine(), a_plan(), by="Ana Analyst")


@pytest.mark.parametrize("path", ["/api/plans", "/plans/new"])
def test_a_method_not_allowed_says_which_are(client: FlaskClient, path: str) -> None:
    response = client.delete(path)

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "path",
    [
        "/plans/{}",
        "/api/plans/{}",
        "/api/plans/{}/evaluation",
    ],
)
@pytest.mark.parametrize("plan_id", [LARGEST_ID + 1, 10**40])
def test_a_plan_id_no_record_can_have_is_a_404(
    client: FlaskClient,
    stored: int,
    path: str,
    plan_id: int,
) -> None:
    assert client.get(path.format(plan_id)).status_code == 404


def test_the_largest_id_is_still_looked_up(client: FlaskClient, stored: int) -> None:
    response = client.get(f"/api/plans/{LARGEST_ID}")

    assert response.status_code == 404
    assert response.json["error"]["message"] == f"no plan with id {LARGEST_ID}"


@pytest.mark.parametrize("dates", [[None], [""], ["2025-08-01", None]])
def test_a_blank_review_date_is_a_400(client: FlaskClient, stored: int, dates: list) -> None:
    response = post(client, plan_to_dict(a_plan()) | {"review_dates": dates})

    assert response.status_code == 400
    assert {
        "field": "review_dates",
        "problem": "a review date is blank; write each as YYYY-MM-DD",
    } in (response.json["error"]["problems"])


def test_a_user_name_with_a_trailing_space_is_trimmed(app: Flask, runner: FlaskCliRunner) -> None:
    first = run_json(runner, "create-user", "pc.jones")
    again = runner.invoke(args=["create-user", "pc.jones "])
    spaced = run_json(runner, "create-user", " pc.khan ")

    assert again.exit_code == 2 and "'pc.jones' is taken" in again.output
    assert again.exception is None or isinstance(again.exception, SystemExit)
    assert spaced["username"] == "pc.khan"
    with app.app_context():
        assert authenticate(get_engine(), username="pc.jones", password=first["password"])
        assert authenticate(get_engine(), username="pc.khan", password=spaced["password"])
