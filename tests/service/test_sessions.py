"""Revocable sessions: sign-out, a new password, a new role and deactivation end every
session of the user; sessions also end when idle and at the end of their lifetime. Admins
manage users on a page and on the command line."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store.db import get_engine
from service.store.users import create_user, list_users
from tests.conftest import signed_in
from tests.factories import run_json
from tests.service.test_auth import PASSWORD, token


@pytest.fixture
def pcso(app: Flask) -> None:
    with app.app_context():
        create_user(get_engine(), username="pcso", password=PASSWORD, role="pcso")


def browser(app: Flask) -> FlaskClient:
    """A browser that signed in as pcso through the sign-in form."""
    client = app.test_client()
    data = {"username": "pcso", "password": PASSWORD, "csrf_token": token(client)}
    assert client.post("/login", data=data).status_code == 302
    assert client.get("/").status_code == 200
    return client


def stolen_copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    return copy


@pytest.mark.usefixtures("pcso")
def test_signing_out_ends_the_session_even_for_a_copied_cookie(app: Flask) -> None:
    client = browser(app)
    copy, other_browser = stolen_copy(app, client), browser(app)
    assert copy.get("/").status_code == 200

    client.post("/logout", data={"csrf_token": token(client, "/")})

    assert copy.get("/").status_code == 302
    assert copy.get("/api/wards").status_code == 401
    assert other_browser.get("/").status_code == 302  # signed out everywhere


@pytest.mark.usefixtures("pcso")
@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["create-user", "pcso", "--reset", "--password-stdin"], "another long passphrase\n"),
        (["set-role", "pcso", "viewer"], None),
        (["deactivate-user", "pcso"], None),
    ],
)
def test_a_new_password_role_or_deactivation_ends_the_sessions(
    app: Flask, runner: FlaskCliRunner, args: list[str], stdin: str | None
) -> None:
    client = browser(app)

    result = runner.invoke(args=args, input=stdin)

    assert result.exit_code == 0, result.output
    assert client.get("/").status_code == 302


@pytest.mark.usefixtures("pcso")
def test_a_deactivated_user_cannot_sign_in_until_reactivated(
    app: Flask, runner: FlaskCliRunner
) -> None:
    run_json(runner, "deactivate-user", "pcso")
    client = app.test_client()
    data = {"username": "pcso", "password": PASSWORD, "csrf_token": token(client)}
    assert client.post("/login", data=data).status_code == 401

    assert run_json(runner, "deactivate-user", "pcso", "--undo") == {
        "username": "pcso",
        "active": True,
    }
    assert browser(app).get("/").status_code == 200
    listed = run_json(runner, "list-users")["users"]
    assert [(u["username"], u["role"], u["active"]) for u in listed] == [("pcso", "pcso", True)]
    assert all("password_hash" not in u for u in listed)
    assert runner.invoke(args=["set-role", "nobody", "admin"]).exit_code == 2


@pytest.mark.usefixtures("pcso")
def test_an_idle_session_ends_after_the_idle_hours(app: Flask) -> None:
    client = browser(app)
    with client.session_transaction() as session:
        session["seen_at"] -= 8 * 3600 - 120
    assert client.get("/").status_code == 200  # used within 8 hours: still signed in

    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 8 * 3600 - 1
    assert client.get("/").status_code == 302


@pytest.mark.usefixtures("pcso")
def test_a_session_ends_at_the_end_of_its_lifetime_however_used(app: Flask) -> None:
    app.config["SESSION_MAX_HOURS"] = 12
    client = browser(app)
    with client.session_transaction() as session:
        session["signed_in_at"] -= 12 * 3600 - 60
    assert client.get("/").status_code == 200

    with client.session_transaction() as session:
        session["signed_in_at"] -= 120
    assert client.get("/").status_code == 302


@pytest.mark.usefixtures("pcso")
def test_an_admin_changes_a_role_and_deactivates_on_the_users_page(app: Flask) -> None:
    admin, user = signed_in(app, "admin"), browser(app)
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "pcso" in page.text
    pcso_id = next(u["id"] for u in _users(app) if u["username"] == "pcso")
    form = {"csrf_token": token(admin, "/admin/users"), "role": "analyst", "active": "y"}

    changed = admin.post(f"/admin/users/{pcso_id}", data=form, follow_redirects=True)

    assert "pcso is now analyst; their sessions have ended." in changed.text
    assert user.get("/").status_code == 302
    admin.post(f"/admin/users/{pcso_id}", data={**form, "active": ""})
    assert [(u["role"], u["active"]) for u in _users(app) if u["id"] == pcso_id] == [
        ("analyst", False)
    ]


def test_an_admin_cannot_demote_or_deactivate_themselves(app: Flask) -> None:
    admin = signed_in(app, "admin")
    own_id = _users(app)[0]["id"]
    form = {"csrf_token": token(admin, "/admin/users"), "role": "viewer", "active": ""}

    answer = admin.post(f"/admin/users/{own_id}", data=form, follow_redirects=True)

    assert "You cannot change your own role or deactivate yourself here." in answer.text
    assert [(u["role"], u["active"]) for u in _users(app)] == [("admin", True)]


def test_the_users_page_is_for_admins_only(app: Flask) -> None:
    for role in ("viewer", "pcso", "analyst"):
        assert signed_in(app, role).get("/admin/users").status_code == 403


def _users(app: Flask) -> list[dict[str, object]]:
    with app.app_context():
        return list_users(get_engine())
