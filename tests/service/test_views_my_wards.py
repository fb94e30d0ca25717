"""My wards: create-user --ward, landing on the briefing, the chooser and the admin page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.auth import start_session
from service.store.db import get_engine
from service.store.users import authenticate, list_user_wards
from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards

PASSWORD = "a long enough password"


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [street_row(month="2025-03")]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))


def create(runner: FlaskCliRunner, name: str, *wards: str) -> dict[str, object]:
    args = ["create-user", name, "--role", "pcso", "--password-stdin", "--json"]
    for code in wards:
        args += ["--ward", code]
    result = runner.invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def sign_in(app: Flask, name: str, *, next_page: str | None = None) -> str:
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    url = "/login" + (f"?next={next_page}" if next_page else "")
    response = client.post(
        url, data={"username": name, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    return response.location


@pytest.mark.usefixtures("wards")
def test_signing_in_lands_on_the_briefing_of_ones_ward(app: Flask, runner: FlaskCliRunner) -> None:
    assert create(runner, "one", "E05000002")["wards"] == ["E05000002"]
    create(runner, "two", "E05000002", "E05000001")
    create(runner, "none")

    assert sign_in(app, "one") == "/wards/E05000002/briefing"
    assert sign_in(app, "two") == "/my-wards"
    assert sign_in(app, "none") == "/"
    assert sign_in(app, "one", next_page="/concerns") == "/concerns"


@pytest.mark.usefixtures("wards")
def test_the_chooser_lists_ones_wards(app: Flask, runner: FlaskCliRunner) -> None:
    create(runner, "two", "E05000002", "E05000001")
    client = app.test_client()
    with app.app_context():
        user_id = authenticate(get_engine(), username="two", password=PASSWORD)["id"]
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:0"  # a new user's session generation
        start_session(session)

    page = client.get("/my-wards").text

    assert 'href="/wards/E05000001/briefing">East Ward, Testborough: shift briefing' in page
    assert 'href="/wards/E05000002/briefing">West Ward, Testborough: shift briefing' in page
    assert "North Ward" not in page


@pytest.mark.usefixtures("wards")
def test_an_unknown_ward_is_refused_by_name(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "x", "--ward", "E05999999", "--password-stdin"], input=PASSWORD
    )

    assert result.exit_code == 2
    assert "E05999999 is not a ward of the latest boundary vintage" in result.output


@pytest.mark.usefixtures("wards")
def test_an_admin_gives_a_user_wards(app: Flask, runner: FlaskCliRunner) -> None:
    create(runner, "pcso.smith")
    admin: FlaskClient = signed_in(app, "admin")
    page = admin.get("/admin/wards").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None and "pcso.smith" in page

    bad = admin.post(
        "/admin/wards",
        data={"username": "pcso.smith", "wards": "E05000001 E05999999", "csrf_token": token[1]},
    )
    good = admin.post(
        "/admin/wards",
        data={"username": "pcso.smith", "wards": "E05000001, E05000002", "csrf_token": token[1]},
    )

    assert bad.status_code == 400 and "E05999999 is not a ward" in bad.text
    assert good.status_code == 303
    with app.app_context():
        user = authenticate(get_engine(), username="pcso.smith", password=PASSWORD)
        assert list_user_wards(get_engine(), user["id"]) == ["E05000001", "E05000002"]
    assert "West Ward (E05000002)" in admin.get("/admin/wards").text
