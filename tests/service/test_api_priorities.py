"""Combined priorities through the API, on the synthetic demo force."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import run_json


@pytest.fixture
def demo(runner: FlaskCliRunner) -> dict[str, object]:
    return run_json(runner, "demo")


@pytest.mark.usefixtures("demo")
def test_every_ward_has_ranked_themes_with_reasons(client: FlaskClient) -> None:
    wards = client.get("/api/wards").json

    for ward in wards:
        body = client.get(f"/api/wards/{ward['code']}/priorities").json
        scores = [p["score"] for p in body["priorities"]]
        assert scores == sorted(scores, reverse=True)
        for priority in body["priorities"]:
            assert 0 < priority["score"] <= 100
            assert priority["reason"].startswith(("Force priority:", "Local priority"))
            assert set(priority["components"]) == {"force", "excess", "concerns", "trend"}


@pytest.mark.usefixtures("demo")
def test_a_score_is_its_components_weighted(client: FlaskClient) -> None:
    ward = client.get("/api/wards").json[0]["code"]
    body = client.get(f"/api/wards/{ward}/priorities").json
    w = body["weights"]

    for p in body["priorities"]:
        c = p["components"]
        expected = 100 * (
            w["force"] * c["force"]
            + w["excess"] * c["excess"]
            + w["concerns"] * c["concerns"]
            + w["trend"] * c["trend"]
        )
        assert p["score"] == pytest.approx(expected, abs=0.1)


@pytest.mark.usefixtures("demo")
def test_seldom_heard_finds_councillor_only_and_silent_wards(client: FlaskClient) -> None:
    flags = {
        ward["code"]: client.get(f"/api/wards/{ward['code']}/priorities").json["seldom_heard"]
        for ward in client.get("/api/wards").json
    }

    only_councillors = [c for c, f in flags.items() if f["channels"] == ["ward-councillor"]]
    assert only_councillors
    for code in only_councillors:
        assert flags[code]["flags"] == ["concerns came only from ward councillors"]
    silent = [c for c, f in flags.items() if f["concerns"] == 0]
    assert silent


@pytest.mark.usefixtures("demo")
def test_matrix_covers_every_ward_and_theme(client: FlaskClient) -> None:
    matrix = client.get("/api/priorities/matrix").json

    assert len(matrix["wards"]) == len(client.get("/api/wards").json)
    assert matrix["themes"][:3] == [
        "Serious violence",
        "Drug supply",
        "Violence against women and girls",
    ]
    assert all(set(row["scores"]) == set(matrix["themes"]) for row in matrix["wards"])
    assert matrix["threat_assessment"]["example"] is True


@pytest.mark.usefixtures("demo")
def test_unknown_ward_and_bad_period(client: FlaskClient) -> None:
    assert client.get("/api/wards/NOPE/priorities").status_code == 404
    response = client.get("/api/priorities/matrix?from=2025-13&to=2025-12")
    assert response.status_code == 400
    assert "from" in response.json["error"]["message"]


def test_weights_are_configuration(runner: FlaskCliRunner, client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    run_json(runner, "demo")
    app.config["PRIORITY_WEIGHTS"] = {"force": 1.0, "excess": 0.0, "concerns": 0.0, "trend": 0.0}
    ward = client.get("/api/wards").json[0]["code"]

    body = client.get(f"/api/wards/{ward}/priorities").json

    bands = {"high": 100.0, "medium": 60.0, "low": 30.0}
    assert [p["score"] for p in body["priorities"]] == [
        bands[p["band"]] for p in body["priorities"]
    ]
