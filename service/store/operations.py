"""Stored operations, each with its full history: nothing changes without a record.

An operation row holds the operation as it stands, as the JSON of
``geodata.io.operations.operation_to_dict``, with its name and dates in columns of their
own for lists. ``operation_history`` holds every change, oldest first: its creation (or
import) and each edited field, by whom and when, each with the whole operation before it.
Operations are never deleted.

Ward codes are checked against the latest boundary vintage when an operation is stored,
and the vintage is kept with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from geodata.io.operations import operation_from_dict, operation_to_dict
from geodata.operations import OPERATION_FIELDS, Operation, OperationError, check_operation
from service.store.imports import now, record_if_unchanged, record_import
from service.store.schema import boundary_sets, operation_history, wards
from service.store.schema import operations as operation_rows
from service.store.versions import next_version, save_version


def _latest(connection: sa.Connection) -> str:
    vintage = connection.scalar(sa.select(sa.func.max(boundary_sets.c.vintage)))
    if vintage is None:
        raise OperationError("no ward boundaries are stored: run import-wards first")
    return str(vintage)


def _ward_codes(connection: sa.Connection, vintage: str) -> set[str]:
    return set(connection.scalars(sa.select(wards.c.code).where(wards.c.vintage == vintage)))


def _as_json(operation: Operation) -> str:
    return json.dumps(operation_to_dict(operation), ensure_ascii=False, sort_keys=True)


def _require_by(by: str) -> None:
    if not isinstance(by, str) or not by.strip():
        raise OperationError("by: is blank; it must say who", [("by", "is blank")])


def operation_wards(engine: sa.Engine) -> set[str] | None:
    """The ward codes of the latest boundary vintage; None when no boundaries are stored."""
    with engine.connect() as connection:
        try:
            return _ward_codes(connection, _latest(connection))
        except OperationError:
            return None


def create_operation(engine: sa.Engine, operation: Operation, *, by: str) -> int:
    """Check and store a new operation under the latest boundary vintage; return its id.

    Raises
    ------
    OperationError
        Carrying every problem (``problems``), or when no boundaries are stored.
    """
    _require_by(by)
    with engine.begin() as connection:
        vintage = _latest(connection)
        check_operation(operation, wards=_ward_codes(connection, vintage))
        return _insert(connection, operation, vintage=vintage, by=by, change="created")


def _insert(
    connection: sa.Connection,
    operation: Operation,
    *,
    vintage: str,
    by: str,
    change: str,
    import_id: int | None = None,
) -> int:
    stamp = now()
    operation_id = int(
        connection.execute(
            operation_rows.insert().returning(operation_rows.c.id),
            {
                "name": operation.name,
                "start_date": operation.start_date.isoformat(),
                "end_date": operation.end_date.isoformat(),
                "ward_vintage": vintage,
                "data": _as_json(operation),
                "created_by": by,
                "created_at": stamp,
                "updated_at": stamp,
                "import_id": import_id,
            },
        ).scalar_one()
    )
    _write_history(connection, operation_id, by=by, change=change, previous=None, at=stamp)
    return operation_id


def _write_history(
    connection: sa.Connection,
    operation_id: int,
    *,
    by: str,
    change: str,
    previous: str | None,
    at: str,
    version: int = 1,
) -> None:
    connection.execute(
        operation_history.insert(),
        {
            "operation_id": operation_id,
            "at": at,
            "by": by,
            "change": change,
            "previous": previous,
            "version": version,
        },
    )


def _operation_of(data: str) -> Operation:
    operation, problems = operation_from_dict(json.loads(data))
    if operation is None:  # only a hand-edited database could hold such a row
        raise OperationError(f"a stored operation cannot be read: {problems}", problems)
    return operation


def update_operation(
    engine: sa.Engine,
    operation_id: int,
    operation: Operation,
    *,
    by: str,
    version: int | None = None,
) -> list[str]:
    """Replace an operation, recording each changed field; return the fields changed.

    ``version`` is the version the editor started from (None: any). Each changed field gets
    a history row ``edited: <field>`` holding the whole operation as it was before; nothing
    changed, nothing written. Checked like a new one (against the latest vintage when its
    ward codes change, which then becomes its vintage).

    Raises
    ------
    LookupError
        When there is no such operation.
    OperationError
        Carrying every problem with the new operation.
    StaleEditError
        When the operation is no longer at ``version``.
    """
    _require_by(by)
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(operation_rows).where(operation_rows.c.id == operation_id)
        ).first()
        if row is None:
            raise LookupError(f"no operation with id {operation_id}")
        current = dict(row._mapping)
        following = next_version(
            connection,
            current,
            version,
            kind="operation",
            history=operation_history,
            key="operation_id",
            at="at",
            change="change",
        )
        before = _operation_of(current["data"])
        moved = operation.ward_codes != before.ward_codes
        vintage = _latest(connection) if moved else current["ward_vintage"]
        known = _ward_codes(connection, vintage) | (set() if moved else set(before.ward_codes))
        check_operation(operation, wards=known)
        changed = [n for n in OPERATION_FIELDS if getattr(operation, n) != getattr(before, n)]
        if not changed:
            return []
        stamp = now()
        for name in changed:
            _write_history(
                connection,
                operation_id,
                by=by,
                change=f"edited: {name}",
                previous=current["data"],
                at=stamp,
                version=following,
            )
        save_version(
            connection,
            operation_rows,
            current,
            following,
            kind="operation",
            name=operation.name,
            start_date=operation.start_date.isoformat(),
            end_date=operation.end_date.isoformat(),
            ward_vintage=vintage,
            data=_as_json(operation),
            updated_at=stamp,
        )
        return changed


def _summary(row: sa.RowMapping, operation: Operation) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": row["version"],
        "ward_vintage": row["ward_vintage"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "import_id": row["import_id"],
        **operation_to_dict(operation),
    }


def get_operation(engine: sa.Engine, operation_id: int) -> dict[str, Any] | None:
    """One operation as it stands with its ``history`` (oldest first), or None."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(operation_rows).where(operation_rows.c.id == operation_id)
        ).first()
        if row is None:
            return None
        history = connection.execute(
            sa.select(operation_history)
            .where(operation_history.c.operation_id == operation_id)
            .order_by(operation_history.c.id)
        )
        return {
            **_summary(row._mapping, _operation_of(row.data)),
            "history": [
                {
                    "at": entry.at,
                    "by": entry.by,
                    "change": entry.change,
                    "previous": None if entry.previous is None else json.loads(entry.previous),
                }
                for entry in history
            ],
        }


def stored_operations(
    engine: sa.Engine, *, ward: str | None = None, ending_after: date | None = None
) -> list[tuple[dict[str, Any], Operation]]:
    """(summary, operation) of every stored operation, latest start first; optionally only
    those working in ``ward`` (force-wide ones included) or ending on or after
    ``ending_after``."""
    query = sa.select(operation_rows).order_by(
        operation_rows.c.start_date.desc(), operation_rows.c.id.desc()
    )
    if ending_after is not None:
        query = query.where(operation_rows.c.end_date >= ending_after.isoformat())
    with engine.connect() as connection:
        found = []
        for row in connection.execute(query):
            operation = _operation_of(row.data)
            if ward is not None and not (operation.force_wide or ward in operation.ward_codes):
                continue
            found.append((_summary(row._mapping, operation), operation))
        return found


def list_operations(engine: sa.Engine, *, ward: str | None = None) -> list[dict[str, Any]]:
    """Every operation as it stands, latest start first (see :func:`stored_operations`)."""
    return [summary for summary, _ in stored_operations(engine, ward=ward)]


def import_operations(
    engine: sa.Engine,
    operations: Sequence[Operation],
    *,
    source: str,
    sha256: str,
    by: str = "import-operations",
) -> Mapping[str, Any]:
    """Store the checked operations of one file in one transaction, with its ledger row.

    Idempotent by content: a file with the same SHA-256 stored before adds nothing and
    the ledger records ``unchanged``. Every operation is checked again against the latest
    vintage first, so one bad operation stores none.
    """
    counts = {"rows_read": len(operations), "rows_stored": len(operations), "rows_rejected": 0}
    with engine.begin() as connection:
        vintage = _latest(connection)
        unchanged = record_if_unchanged(
            connection, kind="operations", source=source, sha256=sha256, counts=counts
        )
        if unchanged is not None:
            return unchanged
        known = _ward_codes(connection, vintage)
        for operation in operations:
            check_operation(operation, wards=known)
        import_id = record_import(
            connection,
            kind="operations",
            source=source,
            sha256=sha256,
            status="stored",
            message=f"{len(operations)} operations added (boundary vintage {vintage})",
            **counts,
        )
        for operation in operations:
            _insert(
                connection,
                operation,
                vintage=vintage,
                by=by,
                change=f"imported from {source}",
                import_id=import_id,
            )
        return {"status": "stored", "import_id": import_id, "added": len(operations)}
