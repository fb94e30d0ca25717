"""API tokens: made by the CLI or the page, shown once, stored as a hash, read-only unless
allowed, logged on every use, refused when revoked or expired, guessing rate-limited."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.auth import start_session
from service.store.access import list_access
from service.store.db import get_engine
from service.store.tokens import create_token
from service.store.users import create_user, find_user
from tests.conftest import signed_in
from tests.factories import run_json, write_wards


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with runner.app.app_context():
        for name, role in (("ann", "analyst"), ("vic", "viewer")):
            create_user(get_engine(), username=name, password="correct horse battery", role=role)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_of(client: FlaskClient) -> dict[str, str]:
    """The form field of the CSRF token from the client's Tokens page."""
    page = client.get("/tokens").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None
    return {"csrf_token": found[1]}


def test_a_cli_token_reads_the_api_until_it_is_revoked(
    app: Flask, anonymous: FlaskClient, runner: FlaskCliRunner, wards: None
) -> None:
    made = run_json(runner, "create-token", "ann", "--name", "QGIS", "--expires-days", "30")

    assert made["scope"] == "read" and made["token"].startswith("wpt_")
    response = anonymous.get("/api/wards", headers=bearer(made["token"]))
    assert response.status_code == 200 and len(response.get_json()) == 3
    assert "Set-Cookie" not in response.headers
    with app.app_context():
        with get_engine().connect() as connection:
            stored = connection.execute(sa.text("SELECT token_hash FROM api_tokens")).all()
        assert stored == [(hashlib.sha256(made["token"].encode()).hexdigest(),)]
        logged = list_access(get_engine(), kind="token")
    assert [(r["username"], r["path"]) for r in logged] == [("ann", "/api/wards")]

    other = signed_in(app, "admin")  # another user cannot revoke it
    assert other.post(f"/tokens/{made['id']}/revoke", data=csrf_of(other)).status_code == 404
    with app.app_context():
        ann = find_user(get_engine(), "ann")
    page = app.test_client()
    with page.session_transaction() as session:
        session["_user_id"] = f"{ann['id']}:0"  # type: ignore[index]
        start_session(session)
    listing = page.get("/tokens").get_data(as_text=True)
    assert "QGIS" in listing and made["token"] not in listing
    assert page.post(f"/tokens/{made['id']}/revoke", data=csrf_of(page)).status_code == 302
    assert anonymous.get("/api/wards", headers=bearer(made["token"])).status_code == 401


def test_the_page_shows_a_new_token_once(app: Flask, anonymous: FlaskClient, wards: None) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    client = signed_in(app, "viewer")
    page = client.post("/tokens", data={"name": "Excel", "days": "7", "write": "y"})
    token = re.search(r'value="(wpt_[^"]+)"', page.get_data(as_text=True))

    assert token is not None and page.headers["Cache-Control"] == "no-store"
    assert "read write" not in page.get_data(as_text=True)  # a viewer's token cannot write
    assert anonymous.get("/api/threat", headers=bearer(token[1])).status_code == 200
    assert token[1] not in client.get("/tokens").get_data(as_text=True)


def test_tokens_are_read_only_unless_made_to_write(
    app: Flask, anonymous: FlaskClient, runner: FlaskCliRunner, wards: None
) -> None:
    read = run_json(runner, "create-token", "ann")["token"]
    write = run_json(runner, "create-token", "ann", "--write")["token"]
    refused = runner.invoke(args=["create-token", "vic", "--write"])
    assert refused.exit_code == 2 and "viewer" in refused.output
    body = {"tag": "asb", "description": "Noise", "raised_on": "2025-01-02",
            "channel": "street-briefing", "recorded_by": "PCSO A"}  # fmt: skip

    denied = anonymous.post("/api/wards/E05000002/concerns", json=body, headers=bearer(read))
    assert denied.status_code == 403 and "read-only" in denied.get_json()["error"]["message"]
    made = anonymous.post("/api/wards/E05000002/concerns", json=body, headers=bearer(write))
    assert made.status_code == 201, made.get_json()
    no_csrf = signed_in(app, "pcso").post("/api/wards/E05000002/concerns", json=body)
    assert no_csrf.status_code == 400  # a session still needs its CSRF token


def test_expired_unknown_and_other_schemes_are_refused(
    app: Flask, anonymous: FlaskClient, wards: None
) -> None:
    with app.app_context():
        ann = find_user(get_engine(), "ann")
        old, _ = create_token(
            get_engine(),
            user_id=ann["id"],  # type: ignore[index]
            name="old",
            days=1,
            at=datetime.now(UTC) - timedelta(days=2),
        )
    assert anonymous.get("/api/wards", headers=bearer(old)).status_code == 401
    assert anonymous.get("/api/wards", headers=bearer("wpt_guess")).status_code == 401
    basic = {"Authorization": "Basic YW5uOnh4eHh4eHh4eHh4eA=="}
    assert anonymous.get("/api/wards", headers=basic).status_code == 401
    assert anonymous.get("/", headers=bearer(old)).status_code == 302  # pages need a session


def test_failed_authentication_is_limited_per_client(
    app: Flask, anonymous: FlaskClient, runner: FlaskCliRunner, wards: None
) -> None:
    good = run_json(runner, "create-token", "ann")["token"]
    for _ in range(app.config["SIGN_IN_FAILURES_PER_ADDRESS"]):
        assert anonymous.get("/api/wards", headers=bearer("wpt_wrong")).status_code == 401
    limited = anonymous.get("/api/wards", headers=bearer(good))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    elsewhere = anonymous.get(
        "/api/wards", headers=bearer(good), environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 200
