"""Fixtures shared by every test: app, client and runner on a fresh database, and real_data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service import create_app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "SECRET_KEY": "test",
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def real_data() -> Path:
    """The real open data folder named by WARDPROFILES_TEST_DATA; the test is skipped without it."""
    folder = os.environ.get("WARDPROFILES_TEST_DATA")
    if not folder:
        pytest.skip("WARDPROFILES_TEST_DATA is not set; point it at the shared data/ folder")
    return Path(folder)
