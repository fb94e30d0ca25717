"""Force-wide figures kept in the database per data version, shared by every process.

A force's hot-spot grid and its ward-by-category-by-month counts take seconds to build
from a region's rows; every web server worker, report run and command would build them
again in its own memory. Kept here once per data version (the latest import ledger id,
:func:`service.store.imports.data_version`), the first process to need one builds it and
every later process reads a few megabytes instead.

Writing a figure drops the figures of older versions, which no request asks for again. A
figure built while an import commits may count some of the new rows under the old
version, as a figure kept in memory may (:mod:`service.readmodels.cache`): the next
request reads the new version and builds its own. The payload is opaque here:
:mod:`service.readmodels.kept` encodes and decodes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.store.schema import kept_figures


def read_kept(engine: sa.Engine, *, version: int, name: str, key: str) -> bytes | None:
    """The payload kept for (``version``, ``name``, ``key``), or None."""
    query = sa.select(kept_figures.c.payload).where(
        kept_figures.c.version == version,
        kept_figures.c.name == name,
        kept_figures.c.key == key,
    )
    with engine.connect() as connection:
        payload = connection.execute(query).scalar_one_or_none()
    return None if payload is None else bytes(payload)


def keep(engine: sa.Engine, *, version: int, name: str, key: str, payload: bytes) -> bool:
    """Keep ``payload`` under (``version``, ``name``, ``key``) unless something is kept there
    already (two processes may build the same figure at once; both are the same figures).
    Returns whether it was written."""
    dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
    insert = (
        dialect.insert(kept_figures)
        .on_conflict_do_nothing()  # both stores' INSERT ... ON CONFLICT DO NOTHING
        .returning(kept_figures.c.version)
    )
    row = {"version": version, "name": name, "key": key, "payload": payload}
    with engine.begin() as connection:
        connection.execute(kept_figures.delete().where(kept_figures.c.version < version))
        return connection.execute(insert, row).first() is not None
