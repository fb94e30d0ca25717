"""Schema migrations (Alembic): bring any database, new or made by an earlier release, to head.

Revisions live in ``service/store/migrations/versions``. ``0001`` is the schema as the
releases before migrations made it with ``create_all``, written so that it creates only
what is missing: a database from those releases upgrades in place. To change the schema,
edit ``service/store/schema.py`` and add a revision (``flask --app service db revision -m
"what changed"`` drafts one by comparing the two), then ``db upgrade``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UPGRADE_LOCK = 0x5761726450  # any number; PostgreSQL's advisory lock for one upgrade at a time


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Alembic's configuration without an ini file; ``connection`` is the one to migrate."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise LookupError(f"no migration revisions in {MIGRATIONS}")
    return head


def is_known(revision_id: str) -> bool:
    """Whether ``revision_id`` is one of this release's revisions."""
    script = ScriptDirectory.from_config(alembic_config())
    return any(r.revision == revision_id for r in script.walk_revisions())


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at; None for a new database or one made before migrations."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: sa.Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Apply every revision up to ``revision`` in one transaction.

    On PostgreSQL an advisory lock makes processes that start together (gunicorn workers)
    upgrade one after the other; the second finds the database current. On SQLite foreign
    keys are off while revisions run, because copying a table in batch mode drops the old
    one, and with foreign keys on that would cascade into the rows referring to it; the
    keys are checked before the transaction commits instead.
    """
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Undo the revisions after ``revision``, as :func:`upgrade` applies them (one
    transaction, the same lock and foreign-key check); for going back to an older release."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: sa.Engine, step: Callable[[Config, str], None], revision: str) -> None:
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    # Python's sqlite3 opens no transaction before DDL, so without this BEGIN
                    # a revision that fails half-way would leave the statements before it
                    # committed; with it, a failed run leaves the database as it was.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK}
                    )
                step(alembic_config(connection), revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"upgrade left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def revision(engine: sa.Engine, *, message: str) -> str:
    """Draft the next revision from the difference between ``schema.py`` and the database."""
    with engine.begin() as connection:
        script = command.revision(alembic_config(connection), message=message, autogenerate=True)
    paths = [s.path for s in (script if isinstance(script, list) else [script]) if s is not None]
    return ", ".join(paths)
