"""Partitions by (force, month) through ``incidents.partition_id``, not by id ranges.

Revision ID: 0002
Revises: 0001
Created: 2026-12-06

The baseline found a partition's incidents as the id range ``first_id..last_id``, which
holds only while one SQLite connection hands out ids in order. PostgreSQL's sequences (and
COPY) promise no such order, so a partition's incidents are now those with its
``partition_id`` (indexed), and the partition keeps its count (``incident_count``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both backends (SQLite 3.35 and later drops columns in place):
    # a batch copy of ``partitions`` would have to drop the view over it first.
    op.add_column(
        "partitions",
        sa.Column(
            "incident_count",
            sa.Integer,
            nullable=False,
            server_default="0",
            comment="incidents stored for the partition",
        ),
    )
    op.execute("UPDATE partitions SET incident_count = last_id - first_id + 1")
    op.execute("ALTER TABLE partitions DROP COLUMN first_id")
    op.execute("ALTER TABLE partitions DROP COLUMN last_id")
    op.create_index("ix_incidents_partition_id", "incidents", ["partition_id"])
    if op.get_bind().dialect.name != "sqlite":  # SQLite keeps no comments
        op.create_table_comment(
            "partitions",
            "a (force, month): the unit that a revised police.uk file replaces; its "
            "incidents are those with its partition_id",
        )


def downgrade() -> None:
    op.drop_index("ix_incidents_partition_id", "incidents")
    for column in ("first_id", "last_id"):
        op.add_column(
            "partitions", sa.Column(column, sa.Integer, nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE partitions SET "
        "first_id = (SELECT min(id) FROM incidents WHERE partition_id = partitions.id), "
        "last_id = (SELECT max(id) FROM incidents WHERE partition_id = partitions.id)"
    )
    op.execute("ALTER TABLE partitions DROP COLUMN incident_count")
