"""Sign-in, roles and CSRF: closed by default."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store.db import get_engine
from service.store.users import authenticate, create_user
from tests.factories import run_json

PASSWORD = "correct horse battery"


@pytest.fixture
def pcso(app: Flask) -> None:
    with app.app_context():
        create_user(get_engine(), username="pcso", password=PASSWORD, role="pcso")


def token(client: FlaskClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', client.get(path).text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_pages_redirect_to_sign_in_and_the_api_answers_401(anonymous: FlaskClient) -> None:
    page = anonymous.get("/")
    api = anonymous.get("/api/wards")

    assert page.status_code == 302 and page.location.startswith("/login")
    assert api.status_code == 401 and api.json["error"]["message"] == "sign in first"


@pytest.mark.usefixtures("pcso")
def test_signing_in_with_the_right_password(anonymous: FlaskClient) -> None:
    response = anonymous.post(
        "/login?next=/api/wards",
        data={"username": "pcso", "password": PASSWORD, "csrf_token": token(anonymous)},
    )

    assert response.status_code == 302 and response.location == "/api/wards"
    assert anonymous.get("/").status_code == 200


@pytest.mark.usefixtures("pcso")
def test_a_wrong_password_says_so_without_saying_which_part(anonymous: FlaskClient) -> None:
    response = anonymous.post(
        "/login", data={"username": "pcso", "password": "wrong", "csrf_token": token(anonymous)}
    )

    assert response.status_code == 401
    assert "That user name and password do not match." in response.text
    assert anonymous.get("/").status_code == 302


@pytest.mark.usefixtures("pcso")
def test_sign_in_never_redirects_to_another_site(anonymous: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = anonymous.post(
            f"/login?next={target}",
            data={"username": "pcso", "password": PASSWORD, "csrf_token": token(anonymous)},
        )
        assert response.location == "/"
        anonymous.post("/logout", data={"csrf_token": token(anonymous, "/")})


@pytest.mark.usefixtures("pcso")
def test_a_form_without_its_csrf_token_is_refused(anonymous: FlaskClient) -> None:
    response = anonymous.post("/login", data={"username": "pcso", "password": PASSWORD})

    assert response.status_code == 400
    assert anonymous.get("/").status_code == 302


def test_signing_out_needs_the_token_and_ends_the_session(client: FlaskClient) -> None:
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": token(client, "/")}).status_code == 302
    assert client.get("/").status_code == 302


def test_create_user_shows_a_generated_password_once(app: Flask, runner: FlaskCliRunner) -> None:
    summary = run_json(runner, "create-user", "pc.jones", "--role", "pcso")

    with app.app_context():
        assert authenticate(get_engine(), username="pc.jones", password=summary["password"])
    assert run_json(runner, "create-user", "other", "--if-none") == {"created": False}
    again = runner.invoke(args=["create-user", "pc.jones"])
    assert again.exit_code == 2 and "is taken" in again.output


def test_passwords_are_stored_as_hashes(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "pc.khan", "--password-stdin"], input=PASSWORD + "\n"
    )

    assert result.exit_code == 0 and PASSWORD not in result.output
    with app.app_context(), get_engine().connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT password_hash FROM users WHERE username = 'pc.khan'"
        ).scalar_one()
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
