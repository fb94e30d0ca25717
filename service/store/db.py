"""The database engine: built from the configured URL, attached to the app, created by init-db."""

from __future__ import annotations

import os
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
    read_only = read_only_url(sa.make_url(url))
    engine = sa.create_engine(read_only or url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            if read_only is None:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.close()

    return engine


def read_only_url(url: sa.URL) -> sa.URL | None:
    """The read-only URL of a SQLite file this process may not write, or None.

    A database on a read-only file system, or a file (or folder) the server's user may not
    write, is still read: pages, the API and ``access-log`` work, and a write is refused
    with a message (:func:`service.errors.storage_problem`). SQLite reads a WAL database
    read-only when its ``-shm`` file exists or can be made; in a folder where it cannot,
    and none exists, no writer can be at work, so the file is opened as immutable.
    """
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    if url.query.get("uri") or not path.exists():
        return None
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    can_share = os.access(path.parent, os.W_OK) or Path(f"{path}-shm").exists()
    return sa.make_url(
        f"sqlite:///file:{path.resolve()}?{'mode=ro' if can_share else 'immutable=1'}&uri=true"
    )


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
    if read_only_url(url) is None:
        init_db(engine)
    app.cli.add_command(init_db_command)


@click.command("init-db")
def init_db_command() -> None:
    """Create the database tables if they do not exist.

    Example: flask --app service init-db
    """
    init_db(get_engine())
    click.echo(f"Database ready: {get_engine().url.render_as_string(hide_password=True)}")
