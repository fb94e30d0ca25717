"""Record versions: how a stale edit of a plan or a concern is found and described, and
how a reader finds that anything users write on the web has changed.

Plans and concerns carry a ``version``, 1 when stored and raised by each change, and each
history row records the version its change made. An edit names the version it started
from; when that is no longer the record's, the edit is refused with the changes made since,
so nobody silently overwrites a colleague's work (the last writer no longer wins).

Concerns, plans, plan awards, prevention messages and operations change without an import;
every change of one adds a row to its history table in the same transaction, and no
history row is ever deleted, so the number of history rows (:func:`read_versions`) grows
with every committed change and a value built from those records can be kept until it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from service.store.db import single_read
from service.store.schema import (
    concern_updates,
    imports,
    message_history,
    operation_history,
    plan_awards,
    plan_history,
)

HISTORIES = (concern_updates, plan_history, plan_awards, message_history, operation_history)
"""The append-only histories of what users change on the web, one row per change."""


@dataclass(frozen=True)
class Change:
    at: str
    by: str
    change: str


class StaleEditError(ValueError):
    """The record changed after the editor opened it: ``changes`` says how, oldest first."""

    def __init__(self, *, kind: str, opened: int, current: int, changes: list[Change]) -> None:
        self.kind, self.opened, self.current, self.changes = kind, opened, current, changes
        listed = "; ".join(
            f"{c.change} (by {c.by}, {c.at[:16].replace('T', ' ')})" for c in changes
        )
        super().__init__(
            f"version: this {kind} was changed after you opened it (version {opened}, now "
            f"{current}): {listed or 'changed'}. Your changes were not saved; check them "
            "against the changes above and save again."
        )


def next_version(
    connection: sa.Connection,
    row: Mapping[str, Any],
    expected: int | None,
    *,
    kind: str,
    history: sa.Table,
    key: str,
    at: str,
    change: str,
) -> int:
    """The version a change of ``row`` makes, or StaleEditError when the editor opened
    version ``expected`` and it is no longer the record's (None: any version will do).

    ``history`` is the record's history table, ``key`` its column naming the record, and
    ``at`` and ``change`` its columns saying when and what.
    """
    if expected is not None and expected != row["version"]:
        since = connection.execute(
            sa.select(history.c[at], history.c.by, history.c[change])
            .where(history.c[key] == row["id"], history.c.version > expected)
            .order_by(history.c.id)
        )
        changes = [Change(str(when), who, what) for when, who, what in since]
        raise StaleEditError(kind=kind, opened=expected, current=row["version"], changes=changes)
    return int(row["version"]) + 1


def save_version(
    connection: sa.Connection,
    table: sa.Table,
    row: Mapping[str, Any],
    version: int,
    *,
    kind: str,
    **values: Any,
) -> None:
    """Write a change only if nobody else wrote one since ``row`` was read (compare and set)."""
    done = connection.execute(
        table.update()
        .where(table.c.id == row["id"], table.c.version == row["version"])
        .values(version=version, **values)
    )
    if done.rowcount != 1:
        raise StaleEditError(kind=kind, opened=row["version"], current=version, changes=[])


_VERSIONS = sa.select(
    sa.select(sa.func.coalesce(sa.func.max(imports.c.id), 0)).scalar_subquery(),
    *(sa.select(sa.func.count()).select_from(t).scalar_subquery() for t in HISTORIES),
)


def read_versions(engine: sa.Engine) -> tuple[int, int]:
    """(data version, edit count) in one round trip: the latest import ledger id, which any
    import changes, and the rows of the :data:`HISTORIES`, which any committed web change
    raises. Counting, not the latest id, since on PostgreSQL a change may commit after one
    with a higher id: the count still moves, the latest id would not."""
    with single_read(engine) as connection:
        version, *counts = connection.execute(_VERSIONS).one()
    return int(version), sum(int(n) for n in counts)
