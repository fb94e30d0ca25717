"""Fixtures shared by every test: app, client and runner on a fresh database, and real_data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service import create_app
from service.auth import start_session
from service.store.db import get_engine
from service.store.users import create_user
from tests.service.api_schema import DocumentedClient

DATA_VARIABLE = "WARDPROFILES_TEST_DATA"


def _real_data_folder() -> Path | None:
    """The real open data folder named by WARDPROFILES_TEST_DATA, if it is set and exists."""
    folder = os.environ.get(DATA_VARIABLE)
    return Path(folder) if folder and Path(folder).is_dir() else None


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_configure(config: pytest.Config) -> None:
    """On CI (the ``CI`` variable set) refuse to run without the real data.

    Locally the real-data tests skip without it; on CI a skip would hide them and the run
    would stay green, so the whole run stops here instead.
    """
    if _on_ci() and _real_data_folder() is None:
        named = os.environ.get(DATA_VARIABLE)
        raise pytest.UsageError(
            f"CI is set but the real open data folder is missing: {DATA_VARIABLE} "
            + (f"names {named!r}, which is not a folder" if named else "is not set")
            + "; point it at the shared data/ folder (.ci/run uses ../shared/data)"
        )


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "SECRET_KEY": "test",
        }
    )
    app.test_client_class = DocumentedClient  # every /api answer is checked against its schema
    return app


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    """A browser that has not signed in."""
    return app.test_client()


def signed_in(app: Flask, role: str) -> FlaskClient:
    """A test client signed in as a new user with ``role`` (password never typed)."""
    with app.app_context():
        user_id = create_user(
            get_engine(),
            username=f"test-{role}",
            password="correct horse battery",
            role=role,
            display_name=f"Test {role.title()}",
        )
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:0"  # a new user's session generation
        session["_fresh"] = True
        start_session(session)
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Signed in as an analyst: reads everything and records concerns."""
    return signed_in(app, "analyst")


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def real_data() -> Path:
    """The real open data folder named by WARDPROFILES_TEST_DATA; the test is skipped without it
    (except on CI, where :func:`pytest_configure` has already stopped the run)."""
    folder = _real_data_folder()
    if folder is None:
        pytest.skip(f"{DATA_VARIABLE} is not set or not a folder; point it at the shared data/")
    return folder
