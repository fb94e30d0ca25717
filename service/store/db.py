"""The store's entry point: the engine built from the configured URL, its migrations and
the backend's bulk writer, attached to the app; ``init-db`` and ``db`` commands.

Store functions take an ``sa.Engine`` (``get_engine()``); a bulk import opens
``bulk_writer(engine)`` (``service/store/bulk.py``), which picks ADBC for SQLite and COPY
for PostgreSQL. The URL decides the backend: ``sqlite:///path`` or
``postgresql+psycopg://user:password@host/database``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from service.store import migrate, schema
from service.store.bulk import bulk_writer

__all__ = [
    "broken_foreign_keys",
    "bulk_writer",
    "get_engine",
    "init_app",
    "init_db",
    "make_engine",
    "single_read",
]

EXTENSION = "wardprofiles.engine"
BACKENDS = ("sqlite", "postgresql")
PING_AFTER_IDLE_SECONDS = 2.0
"""A pooled PostgreSQL connection unused for longer than this is checked before use."""


def make_engine(
    url: str | sa.URL,
    *,
    busy_timeout_ms: int = 10_000,
    ping_after_idle_s: float = PING_AFTER_IDLE_SECONDS,
) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout.

    WAL lets the web app read while an import writes, and with WAL ``synchronous=NORMAL``
    keeps the database consistent after a crash while skipping an fsync per commit (a
    power cut may lose the last commit, never corrupt). Foreign keys are off by default in
    SQLite and the schema relies on them. PostgreSQL connections are checked before use when
    they have been idle (:func:`ping_when_idle`), so a worker survives a database restart.
    """
    url = sa.make_url(url)
    backend = url.get_backend_name()
    if backend not in BACKENDS:
        raise ValueError(f"database URL: {backend!r} is not one of {', '.join(BACKENDS)}")
    if backend == "postgresql":
        engine = sa.create_engine(url)
        ping_when_idle(engine, after_s=ping_after_idle_s)
        return engine
    read_only = read_only_url(url)
    engine = sa.create_engine(read_only or url)

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


def ping_when_idle(engine: sa.Engine, *, after_s: float) -> None:
    """Check a pooled connection with a round trip before use when it has been back in the
    pool for more than ``after_s`` seconds; a dead one is replaced by a new connection.

    SQLAlchemy's ``pool_pre_ping`` checks at every checkout, and a ward page checks out a
    connection for each of its statements: ten round trips of ``SELECT 1`` per page, a fifth
    of the page's cost. A connection lost while idle (a database restart, a dropped link) is
    still caught before a request uses it, and then every connection pooled before it is
    dropped too; one lost within the last ``after_s`` seconds of use fails its statement,
    and SQLAlchemy then discards the pool, so the next request connects afresh.
    """

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        record.info["returned_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, _proxy):  # type: ignore[no-untyped-def]
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned <= after_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # As pool_pre_ping does: drop every connection pooled before now (a restart
            # killed them all) and check out a new one.
            raise sa.exc.InvalidatePoolError(f"pooled connection lost: {error}") from error


def single_read(engine: sa.Engine) -> sa.Connection:
    """A connection for one read statement, outside a transaction (autocommit).

    One statement sees one snapshot and writes nothing, so the transaction around it adds
    nothing but, on PostgreSQL, two round trips (``BEGIN`` and ``ROLLBACK``); the reads
    every request makes (the signed-in user, the data and edit versions) are made this way.
    Never for two statements that must agree, nor for a write. (SQLite's driver begins no
    transaction for a read anyway.)
    """
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


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
    """Bring the database to the latest schema revision; existing data is kept.

    A database at a revision this release does not know (made by a later release) is
    refused rather than touched.
    """
    current = migrate.current_revision(engine)
    if current == migrate.head_revision():
        return
    if current is not None and not migrate.is_known(current):
        raise RuntimeError(
            f"the database is at schema revision {current}, newer than this release knows "
            f"(latest {migrate.head_revision()}): upgrade Ward Profiles"
        )
    migrate.upgrade(engine)


def broken_foreign_keys(engine: sa.Engine) -> list[tuple[object, ...]]:
    """(table, parent table, row id or key value) of each row whose foreign key points nowhere.

    The bulk import writes with the per-row checks off (SQLite always, PostgreSQL where the
    role may), since it resolves every id itself; this checks them all afterwards, with
    SQLite's own ``foreign_key_check`` or an anti-join per key of the schema.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("PRAGMA foreign_key_check")
            return [(table, parent, rowid) for table, rowid, parent, _ in rows]
        broken: list[tuple[object, ...]] = []
        for table in schema.metadata.sorted_tables:
            for key in table.foreign_keys:
                parent = key.column
                child = key.parent
                query = (
                    sa.select(child)
                    .select_from(table.outerjoin(parent.table, child == parent))
                    .where(child.is_not(None), parent.is_(None))
                    .limit(5)
                )
                found = connection.scalars(query)
                broken += [(table.name, parent.table.name, value) for value in found]
        return broken


def get_engine() -> sa.Engine:
    return current_app.extensions[EXTENSION]


def init_app(app: Flask) -> None:
    """Attach the engine and upgrade the database when it is behind (new, or made by an
    earlier release), so every command and page meets the schema it was written for."""
    url = sa.make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions[EXTENSION] = engine
    if read_only_url(url) is None:
        init_db(engine)
    app.cli.add_command(init_db_command)
    app.cli.add_command(db_commands)


def _where() -> str:
    return get_engine().url.render_as_string(hide_password=True)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database, or upgrade it to the latest schema (same as ``db upgrade``).

    Example: flask --app service init-db
    """
    init_db(get_engine())
    click.echo(f"Database ready at revision {migrate.head_revision()}: {_where()}")


db_commands = AppGroup("db", help="Schema migrations (Alembic): upgrade, current, revision.")


@db_commands.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Upgrade the database to REVISION (default: the latest), keeping every stored row.

    Example: flask --app service db upgrade
    """
    migrate.upgrade(get_engine(), revision)
    click.echo(f"Database at revision {migrate.current_revision(get_engine())}: {_where()}")


@db_commands.command("current")
def current_command() -> None:
    """Show the database's revision and the latest one.

    Example: flask --app service db current
    """
    current = migrate.current_revision(get_engine())
    head = migrate.head_revision()
    state = "up to date" if current == head else "behind: run db upgrade"
    click.echo(f"Database at revision {current or 'none'}; latest {head} ({state}).")


@db_commands.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def revision_command(message: str) -> None:
    """Draft the next revision from the difference between schema.py and an up-to-date
    database; read and edit it before committing.

    Example: flask --app service db revision -m "users: session generation"
    """
    if not migrate.is_current(get_engine()):
        raise click.UsageError("the database is behind: run db upgrade first")
    click.echo(f"Drafted {migrate.revision(get_engine(), message=message)}")
