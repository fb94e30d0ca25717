"""Operations and their history.

Revision ID: 0007
Revises: 0006
Created: 2026-12-07

- ``operations``: time-bound operations (name, dates, wards or force-wide, themes,
  categories, overtime, description), the whole operation as JSON with its name and dates
  in columns of their own;
- ``operation_history``: every change of an operation, with the operation before it.

New tables only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Text(), nullable=False, comment="YYYY-MM-DD, inclusive"),
        sa.Column("end_date", sa.Text(), nullable=False, comment="YYYY-MM-DD, inclusive"),
        sa.Column(
            "ward_vintage", sa.Text(), nullable=False, comment="the vintage the codes are of"
        ),
        sa.Column("data", sa.Text(), nullable=False, comment="the whole operation as JSON"),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True, comment="NULL: not imported"),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="operations (time-bound, in wards or force-wide); every change is a history row",
    )
    op.create_table(
        "operation_history",
        sa.Column("id", sa.Integer(), nullable=False, comment="history order"),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False, comment="UTC time of the change"),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False, comment="'created', 'edited: name', ..."),
        sa.Column(
            "version",
            sa.Integer(),
            nullable=True,
            comment="the record's version this change made",
        ),
        sa.Column(
            "previous",
            sa.Text(),
            nullable=True,
            comment="the whole operation before the change; NULL: new",
        ),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="the full history of every operation: creation or import, and each edited field",
    )
    op.create_index(
        op.f("ix_operation_history_operation_id"),
        "operation_history",
        ["operation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_operation_history_operation_id"), table_name="operation_history")
    op.drop_table("operation_history")
    op.drop_table("operations")
