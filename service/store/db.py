"""The database engine: built from the configured URL, attached to the app, created by init-db."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app

from service.store import schema

EXTENSION = "wardprofiles.engine"


def make_engine(url: str | sa.URL, *, busy_timeout_ms: int = 10_000) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout.

    WAL lets the web app read while an import writes, and with WAL ``synchronous=NORMAL``
    keeps the database consistent after a crash while skipping an fsync per commit (a
    power cut may lose the last commit, never corrupt). Foreign keys are off by default in
    SQLite and the schema relies on them.
    """
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.close()

    return engine


def init_db(engine: sa.Engine) -> None:
    """Create what is missing; existing data is never touched."""
    with engine.begin() as connection:
        schema.create_all(connection)


def get_engine() -> sa.Engine:
    return current_app.extensions[EXTENSION]


def init_app(app: Flask) -> None:
    url = sa.make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions[EXTENSION] = engine
    init_db(engine)
    app.cli.add_command(init_db_command)


@click.command("init-db")
def init_db_command() -> None:
    """Create the database tables if they do not exist.

    Example: flask --app service init-db
    """
    init_db(get_engine())
    click.echo(f"Database ready: {get_engine().url.render_as_string(hide_password=True)}")
