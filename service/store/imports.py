"""The import ledger: one row per file offered to an import, whatever became of it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from service.store.bulk import lock_imports
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
    """Add a ledger row in the caller's transaction and return its id.

    The latest ledger id is the data version every worker's cache is keyed on, so ids must
    be handed out in commit order: on PostgreSQL the import lock is taken first and held to
    the commit (SQLite has one writer at a time anyway).
    """
    lock_imports(connection)
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


def record_if_unchanged(
    connection: sa.Connection, *, kind: str, source: str, sha256: str, counts: dict[str, int]
) -> dict[str, Any] | None:
    """When a file of this ``kind`` with the same SHA-256 was stored before, record this
    import as ``unchanged`` and return its result; otherwise None, and the caller stores."""
    earlier = connection.scalar(
        sa.select(sa.func.min(imports.c.id)).where(
            imports.c.kind == kind, imports.c.sha256 == sha256, imports.c.status == "stored"
        )
    )
    if earlier is None:
        return None
    import_id = record_import(
        connection,
        kind=kind,
        source=source,
        sha256=sha256,
        status="unchanged",
        message=f"same file as import {earlier}; nothing added",
        **counts,
    )
    return {"status": "unchanged", "import_id": import_id, "added": 0, "same_as": earlier}


def record_failed_import(
    engine: sa.Engine, *, kind: str, source: str, sha256: str | None, message: str
) -> int:
    """Put a file that could not be read at all in the ledger; nothing else is stored."""
    with engine.begin() as connection:
        return record_import(
            connection, kind=kind, source=source, sha256=sha256, status="failed", message=message
        )
