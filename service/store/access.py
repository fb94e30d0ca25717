"""The access log: a record of who consulted which ward profile, report or concern, and
when, as data protection law asks of systems holding personal data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from service.store.imports import now
from service.store.schema import access_log


def record_access(
    engine: sa.Engine,
    *,
    user_id: int | None,
    username: str,
    kind: str,
    refs: Sequence[str],
    path: str,
) -> None:
    """One row per ward code or concern id in ``refs``, all at the same time.

    ``user_id`` is None for the command line and for a failed sign-in by an unknown name;
    ``username`` then says who (the operating-system user, or the name tried).
    """
    at = now()
    rows = [
        {"at": at, "user_id": user_id, "username": username, "kind": kind, "ref": ref, "path": path}
        for ref in refs
    ]
    if rows:
        with engine.begin() as connection:
            connection.execute(access_log.insert(), rows)


def list_access(
    engine: sa.Engine, *, kind: str | None = None, ref: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """The latest consultations first, optionally of one ward or concern."""
    query = sa.select(access_log).order_by(access_log.c.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(access_log.c.kind == kind)
    if ref is not None:
        query = query.where(access_log.c.ref == ref)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
