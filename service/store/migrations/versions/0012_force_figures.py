"""Force-wide figures kept with the data, so a profile does not re-sum the force's history.

Revision ID: 0012
Revises: 0011
Created: 2026-12-07

- ``force_month_counts``: ``ward_month_counts`` summed over wards, per (vintage, force,
  month, category, status); written with each imported (force, month) partition and
  replaced with it. Filled here from the stored ``ward_month_counts``.
- ``kept_figures``: force-wide figures (the ward-by-category-by-month counts, the hot-spot
  grid of a period) built once per data version and read by every process after; empty
  until the first page asks for them.

New tables only: nothing stored before is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "force_month_counts",
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, comment="ward, outside or no location"),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("vintage", "force_id", "month", "category_id", "status"),
        sqlite_with_rowid=False,
        comment="ward_month_counts summed over wards: a force's incidents per month and category",
    )
    op.create_table(
        "kept_figures",
        sa.Column("version", sa.Integer(), nullable=False, comment="the data version (ledger id)"),
        sa.Column(
            "name", sa.Text(), nullable=False, comment="which figure, with its method's edition"
        ),
        sa.Column(
            "key", sa.Text(), nullable=False, comment="its options: vintage, period, cell size"
        ),
        sa.Column("payload", sa.LargeBinary(), nullable=False, comment="Arrow IPC stream"),
        sa.PrimaryKeyConstraint("version", "name", "key"),
        comment="force-wide figures built once per data version and read by every process",
    )
    op.execute(
        "INSERT INTO force_month_counts (vintage, force_id, month, category_id, status, n) "
        "SELECT vintage, force_id, month, category_id, status, sum(n) FROM ward_month_counts "
        "GROUP BY vintage, force_id, month, category_id, status"
    )


def downgrade() -> None:
    op.drop_table("kept_figures")
    op.drop_table("force_month_counts")
