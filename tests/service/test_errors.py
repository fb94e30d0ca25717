"""Messages, not tracebacks: odd requests and odd input get a clear answer (issue 13, item 8)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.io.plans import plan_to_dict
from service import create_app
from service.errors import LARGEST_ID
from service.store.db import get_engine
from service.store.plans import create_plan
from service.store.users import authenticate
from tests.conftest import signed_in
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


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders immutable (``chattr +i``: not even root may write them) for
    the block: a database on a read-only disk, as a test can make one without mounting."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr (e2fsprogs) is not installed")
    locked = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    try:
        if locked.returncode != 0:
            pytest.skip(f"chattr +i is not possible here: {locked.stderr.decode().strip()}")
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=False)


def test_a_read_only_database_is_still_read_and_a_write_is_refused_in_words(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    config = {"DATABASE_URL": f"sqlite:///{folder / 'test.sqlite'}", "SECRET_KEY": "test"}
    writable = create_app(config)
    run_json(writable.test_cli_runner(), "import-wards", str(write_wards(tmp_path / "w.geojson")))
    user = signed_in(writable, "analyst")
    with writable.app_context():
        plan_id = create_plan(get_engine(), a_plan(), by="Ana Analyst")
        get_engine().dispose()
    assert sorted(p.name for p in folder.iterdir()) == ["test.sqlite"]

    with read_only(folder / "test.sqlite", folder):
        app = create_app(config)
        log = app.test_cli_runner().invoke(args=["access-log"])
        client = app.test_client()
        client.set_cookie("session", user.get_cookie("session").value)  # type: ignore[union-attr]
        page = client.get(f"/plans/{plan_id}")
        listed = client.get("/api/plans")
        written = post(client, plan_to_dict(a_plan(title="Another plan")))
        with app.app_context():
            get_engine().dispose()

    assert log.exit_code == 0, log.output
    assert page.status_code == 200 and "Mill Lane park ASB" in page.text
    assert [p["id"] for p in listed.json] == [plan_id]
    assert written.status_code == 503
    assert written.json["error"]["message"] == (
        "The database is read-only, so nothing was saved; try again later."
    )
