"""The import ledger: one row per file offered to an import, whatever became of it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from service.store.schema import imports


def now() -> str:
    """UTC time as ISO 8601 text, the one timestamp format of the store."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_import(connection: sa.Connection, **fields: Any) -> int:
    """Add a ledger row in the caller's transaction and return its id."""
    row = {"imported_at": now(), **fields}
    return int(connection.execute(imports.insert().returning(imports.c.id), row).scalar_one())


def list_imports(engine: sa.Engine, *, limit: int = 50) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        query = sa.select(imports).order_by(imports.c.id.desc()).limit(limit)
        return [dict(row._mapping) for row in connection.execute(query)]


def data_version(engine: sa.Engine) -> int:
    """A number that changes whenever any import ran: the latest ledger id."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(imports.c.id), 0))
            ).scalar_one()
        )
