"""Fixtures shared by every test: app, client and runner on a fresh database, and real_data.

The store, import and API tests (modules named in ``BOTH_STORES``) run twice: on SQLite
and on PostgreSQL, in a throwaway cluster started once per session (``tests/postgres.py``).
When no cluster can start the PostgreSQL runs are skipped with the reason, and the reason
is repeated at the end of the run; with ``CI`` set they fail instead. A test of SQLite itself
(its file, its pragmas) in such a module is marked ``sqlite_only``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from service import create_app
from service.auth import start_session
from service.store.db import get_engine, init_db, make_engine
from service.store.users import create_user
from tests.postgres import Cluster, ClusterError
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


BACKENDS = ("sqlite", "postgresql")
BOTH_STORES = (
    "test_api",
    "test_auth",
    "test_cli_import_",
    "test_health",
    "test_realdata_import",
    "test_sessions",
    "test_sign_in",
    "test_store_",
    "test_tokens",
)
"""Test modules whose names start so run on both stores."""

_cluster_error: list[str] = []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.module.__name__.split(".")[-1].startswith(
        BOTH_STORES
    ):
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _cluster_error:
        terminalreporter.section("PostgreSQL tests SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(_cluster_error[0], red=True, bold=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once; each test copies it rather than migrating again."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[tuple[Cluster, str]]:
    """The session's PostgreSQL cluster and a migrated template database."""
    try:
        cluster = Cluster()
    except (ClusterError, OSError) as error:
        message = f"no PostgreSQL server could be started: {error}"
        _cluster_error.append(message)
        if _on_ci():
            pytest.fail(f"{message} (CI is set, so this fails)")
        pytest.skip(message)
    try:
        template = cluster.create_database()
        engine = make_engine(cluster.url(template))
        init_db(engine)
        engine.dispose()
        yield cluster, template
    finally:
        cluster.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The store under test: SQLite unless the module runs on both stores."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, sqlite_template: Path
) -> Iterator[str]:
    """A fresh, migrated database of the backend under test."""
    if backend == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "test.sqlite")
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    cluster, template = request.getfixturevalue("postgres")
    name = cluster.create_database(template=template)
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test"})
    app.test_client_class = DocumentedClient  # every /api answer is checked against its schema
    yield app
    with app.app_context():
        get_engine().dispose()


@pytest.fixture
def second_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Make more apps on the test's database (another gunicorn worker, another setting);
    their engines are closed at the end, as a server's would be."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        other = create_app(
            {"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test"}
            | config
        )
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            get_engine().dispose()


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
