"""Alembic's environment: run revisions on the connection ``service.store.migrate`` hands over.

There is no alembic.ini: ``service.store.migrate.alembic_config`` builds the configuration,
and every command passes an open connection in ``config.attributes["connection"]``.
SQLite alters tables by copying them (``render_as_batch``), so a revision written with
``op.batch_alter_table`` runs on both stores.
"""

from __future__ import annotations

from alembic import context

from service.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
