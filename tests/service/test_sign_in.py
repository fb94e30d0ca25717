"""Sign-in defences: failure limits per user name and per address kept in the store, the
same work for an unknown name, password rules after NCSC guidance, failures logged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service.store import users as user_store
from service.store.access import list_access
from service.store.db import get_engine
from service.store.users import authenticate, create_user
from tests.service.test_auth import PASSWORD, token


@pytest.fixture
def pcso(app: Flask) -> None:
    with app.app_context():
        create_user(get_engine(), username="pcso", password=PASSWORD, role="pcso")


def sign_in(client: FlaskClient, username: str, password: str) -> int:
    data = {"username": username, "password": password, "csrf_token": token(client)}
    return client.post("/login", data=data).status_code


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def age_failures(app: Flask, minutes: int) -> None:
    """Move every stored failure ``minutes`` into the past (as if that time had passed)."""
    with app.app_context(), get_engine().begin() as connection:
        rows = connection.exec_driver_sql("SELECT id, at FROM sign_in_failures").all()
        for row_id, at in rows:
            from datetime import datetime, timedelta

            older = (datetime.fromisoformat(at) - timedelta(minutes=minutes)).isoformat()
            connection.execute(
                sa.text("UPDATE sign_in_failures SET at = :at WHERE id = :id"),
                {"at": older, "id": row_id},
            )


@pytest.mark.usefixtures("pcso")
def test_five_failures_lock_the_user_name_in_every_server_process(
    app: Flask, second_app: Callable[..., Flask]
) -> None:
    # A second app on the same database stands for a second gunicorn worker.
    other = second_app()
    for attempt in range(5):
        worker = app if attempt % 2 else other
        assert sign_in(from_address(worker, f"10.0.0.{attempt}"), "pcso", "wrong guess") == 401

    refused = from_address(app, "10.0.0.99")
    response = refused.post(
        "/login",
        data={"username": "pcso", "password": PASSWORD, "csrf_token": token(refused)},
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins for this user name" in response.text
    assert refused.get("/").status_code == 302
    assert sign_in(from_address(other, "10.0.0.98"), "pcso", PASSWORD) == 429

    age_failures(app, 16)
    assert sign_in(from_address(app, "10.0.0.99"), "pcso", PASSWORD) == 302


@pytest.mark.usefixtures("pcso")
def test_twenty_failures_from_one_address_lock_that_address(app: Flask) -> None:
    for n in range(20):
        assert sign_in(from_address(app, "192.0.2.7"), f"guess-{n}", "wrong guess") == 401

    assert sign_in(from_address(app, "192.0.2.7"), "pcso", PASSWORD) == 429
    assert sign_in(from_address(app, "192.0.2.8"), "pcso", PASSWORD) == 302


def behind_proxy(app: Flask, client_address: str) -> FlaskClient:
    """A client whose requests reach the app through a proxy on 127.0.0.1 naming it."""
    client = from_address(app, "127.0.0.1")
    client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
    return client


@pytest.mark.usefixtures("pcso")
def test_behind_a_proxy_the_address_limit_falls_on_the_client_not_the_proxy(
    second_app: Callable[..., Flask],
) -> None:
    proxied = second_app(PROXY_HOPS=1)
    for n in range(20):
        assert sign_in(behind_proxy(proxied, "192.0.2.7"), f"guess-{n}", "wrong guess") == 401

    assert sign_in(behind_proxy(proxied, "192.0.2.7"), "pcso", PASSWORD) == 429
    # Everyone else comes through the same proxy, and is not locked out with that client.
    assert sign_in(behind_proxy(proxied, "192.0.2.8"), "pcso", PASSWORD) == 302


@pytest.mark.usefixtures("pcso")
def test_without_proxy_hops_a_forged_forwarded_address_is_ignored(app: Flask) -> None:
    for n in range(20):
        forged = behind_proxy(app, f"198.51.100.{n}")
        assert sign_in(forged, f"guess-{n}", "wrong guess") == 401

    # All twenty came from 127.0.0.1 whatever the header claimed, so that address is locked.
    assert sign_in(behind_proxy(app, "198.51.100.99"), "pcso", PASSWORD) == 429


@pytest.mark.usefixtures("pcso")
def test_an_unknown_user_name_costs_a_password_hash_too(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = user_store.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checked.append(password)
        return real(stored, password)

    monkeypatch.setattr(user_store, "check_password_hash", counting)
    with app.app_context():
        assert authenticate(get_engine(), username="nobody", password="a guess") is None
        assert authenticate(get_engine(), username="pcso", password="a guess") is None

    assert checked == ["a guess", "a guess"]


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("aaaaaaaaaaaa", "use at least 5 different characters"),
        (" " * 12, "use at least 5 different characters"),
        ("password1234", "that is one of the most common passwords"),
        ("Password1234", "that is one of the most common passwords"),
        ("qwertyuiop123", "that is one of the most common passwords"),
        ("pc.jones-2026!", "do not use the user name in the password"),
        ("short pass", "use at least 12 characters"),
    ],
)
def test_guessable_passwords_are_refused(
    app: Flask, runner: FlaskCliRunner, password: str, problem: str
) -> None:
    result = runner.invoke(
        args=["create-user", "pc.jones", "--password-stdin"], input=password + "\n"
    )

    assert result.exit_code == 2 and problem in result.output
    with app.app_context(), pytest.raises(ValueError, match=problem):
        create_user(get_engine(), username="PC.Jones", password=password, role="viewer")


def test_a_long_passphrase_of_plain_words_is_accepted(app: Flask) -> None:
    with app.app_context():
        assert create_user(get_engine(), username="pc.jones", password=PASSWORD, role="viewer")


@pytest.mark.usefixtures("pcso")
def test_failed_sign_ins_are_in_the_access_log(app: Flask) -> None:
    sign_in(from_address(app, "198.51.100.4"), "pcso", "wrong guess")
    sign_in(from_address(app, "198.51.100.5"), "no-such-user", "wrong guess")
    sign_in(from_address(app, "198.51.100.4"), "pcso", PASSWORD)

    with app.app_context():
        rows = list_access(get_engine(), kind="sign-in")
    assert [(r["username"], r["user_id"] is not None, r["ref"], r["path"]) for r in rows] == [
        ("no-such-user", False, "198.51.100.5", "/login (wrong user name or password)"),
        ("pcso", True, "198.51.100.4", "/login (wrong user name or password)"),
    ]
