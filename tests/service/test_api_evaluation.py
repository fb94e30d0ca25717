"""Plan evaluation through the API, on the synthetic demo force's example plans."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import run_json


@pytest.fixture
def demo(runner: FlaskCliRunner) -> dict[str, object]:
    return run_json(runner, "demo")


def test_demo_stores_three_example_plans(demo: dict[str, object]) -> None:
    assert demo["plans"] == 3


@pytest.mark.usefixtures("demo")
def test_the_park_asb_plan_is_evaluated_against_the_rest_of_the_force(client: FlaskClient) -> None:
    plans = client.get("/api/plans").json
    park = next(p for p in plans if "Anti-social behaviour" in p["categories"])

    body = client.get(f"/api/plans/{park['id']}/evaluation").json

    assert body["plan_id"] == park["id"]
    for key in ("rate_ratio", "wdq", "wdd", "verdict"):
        assert key in body
    assert isinstance(body["verdict"], str) and body["verdict"]


@pytest.mark.usefixtures("demo")
def test_counts_match_a_recount_of_the_profile(client: FlaskClient) -> None:
    plans = client.get("/api/plans").json
    ward_plan = next(p for p in plans if p["target_kind"] == "ward")
    body = client.get(f"/api/plans/{ward_plan['id']}/evaluation").json
    code = ward_plan["ward_codes"][0]
    before, after = body["periods"]["before"], body["periods"]["after"]

    for period, key in ((before, "before"), (after, "after")):
        profile = client.get(
            f"/api/wards/{code}/profile?from={period['from']}&to={period['to']}"
        ).json
        expected = sum(profile["counts"][c] for c in ward_plan["categories"])
        assert body["counts"]["target"][key] == expected


def test_unknown_plan_is_404(client: FlaskClient) -> None:
    response = client.get("/api/plans/999/evaluation")

    assert response.status_code == 404
