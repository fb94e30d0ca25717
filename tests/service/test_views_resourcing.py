"""The Resourcing page and /api/resourcing on the demo force: shares that add up to 100 %,
allocations that add up to the staff in post, the wards in no team, and who may see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from geodata.demo.teams import LEFT_OUT
from tests.conftest import signed_in
from tests.factories import run_json
from tests.service.api_schema import DocumentedClient

SHARES = ("residents_share", "crimes_share", "harm_share", "concerns_share", "staff_share")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from service import create_app

    folder: Path = tmp_path_factory.mktemp("resourcing")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "SECRET_KEY": "t"}
    )
    app.test_client_class = DocumentedClient
    run_json(app.test_cli_runner(), "demo")
    return app


_CLIENTS: dict[tuple[int, str], FlaskClient] = {}


def as_role(app: Flask, role: str) -> FlaskClient:
    """One signed-in client per role for the module's one app (user names must differ)."""
    if (id(app), role) not in _CLIENTS:
        _CLIENTS[(id(app), role)] = signed_in(app, role)
    return _CLIENTS[(id(app), role)]


@pytest.mark.parametrize("blend", ["", "0", "0.35", "1"])
def test_every_share_column_sums_to_100_and_allocations_total_the_staff(
    demo: Flask, blend: str
) -> None:
    body = as_role(demo, "analyst").get(f"/api/resourcing?blend={blend}").json
    teams = body["teams"]

    assert len(teams) == 6 and body["staff"] == sum(t["pcs"] + t["pcsos"] for t in teams)
    for column in SHARES:
        assert round(sum(t[column] for t in teams), 1) == 100.0, column
    assert sum(t["by_harm"] for t in teams) == body["staff"]
    assert sum(t["by_blend"] for t in teams) == body["staff"]
    assert body["blend"] == (float(blend) if blend else 0.5)
    assert body["residents"] + sum(w["residents"] for w in body["unassigned"]) == 158_700


def test_the_demo_plants_a_ward_in_no_team_and_uneven_harm(demo: Flask) -> None:
    body = as_role(demo, "analyst").get("/api/resourcing").json

    assert [w["name"] for w in body["unassigned"]] == [LEFT_OUT]
    assert max(t["harm_share"] - t["staff_share"] for t in body["teams"]) > 10
    assert all(t["months_recorded"] == 12 for t in body["teams"])
    assert 10 < body["abstraction_percent"] < 50
    assert body["hours_per_month"] == 140


def test_the_page_shows_100_per_cent_under_each_share_and_states_its_method(demo: Flask) -> None:
    page = as_role(demo, "analyst").get("/resourcing?blend=0.25")
    text = page.text

    assert page.status_code == 200
    footer = text.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert re.findall(r"100\.0 %", footer) == ["100.0 %"] * 5
    assert "25 % of its share of harm plus 75 % of its share of residents" in text
    assert "140 hours per officer per month" in text
    assert LEFT_OUT in text.split('id="unassigned"', 1)[1]
    assert 'value="0.25"' in text


def test_a_bad_blend_is_refused_on_the_page_and_in_the_api(demo: Flask) -> None:
    client = as_role(demo, "analyst")

    page = client.get("/resourcing?blend=2")
    answer = client.get("/api/resourcing?blend=half")

    assert page.status_code == 400
    assert "Enter the weight of harm as a number from 0 to 1" in page.text
    assert answer.status_code == 400 and "blend" in answer.json["error"]["message"]


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("pcso", 403), ("analyst", 200), ("admin", 200)]
)
def test_analysts_and_admins_see_resourcing_and_the_planning_page_links_them(
    demo: Flask, role: str, status: int
) -> None:
    client = as_role(demo, role)

    assert client.get("/resourcing").status_code == status
    assert client.get("/api/resourcing").status_code == status
    assert ('href="/resourcing"' in client.get("/planning").text) == (status == 200)


def test_a_force_without_teams_says_how_to_import_them(app: Flask) -> None:
    client = signed_in(app, "analyst")

    assert "No wards stored yet" in client.get("/resourcing").text
    assert client.get("/api/resourcing").status_code == 404
