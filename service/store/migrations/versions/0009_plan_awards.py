"""Good-practice nominations and awards of problem-solving plans.

Revision ID: 0009
Revises: 0008
Created: 2026-12-07

- ``plan_awards``: every nomination, award and withdrawal of a plan for good practice, by
  whom, when and with a note; nothing is deleted, and the latest row is where the plan stands.

A new table only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_awards",
        sa.Column("id", sa.Integer(), nullable=False, comment="history order"),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False, comment="nominated, awarded or withdrawn"),
        sa.Column("note", sa.Text(), nullable=False, comment="why, in the words of who did it"),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False, comment="UTC time of the change"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="good-practice nominations and awards of plans; the latest row is where it stands",
    )
    op.create_index(op.f("ix_plan_awards_plan_id"), "plan_awards", ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_awards_plan_id"), table_name="plan_awards")
    op.drop_table("plan_awards")
