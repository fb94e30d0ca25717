"""Neighbourhood teams, their wards and staff, and their monthly abstraction.

Revision ID: 0008
Revises: 0007
Created: 2026-12-07

- ``teams``: each neighbourhood team with its PCs and PCSOs in post and the boundary
  vintage of its ward codes (``import-teams``; a new team file replaces them all).
- ``team_wards``: the wards each team covers; a ward is in one team at most.
- ``team_abstraction``: hours each team lost to response work per month
  (``import-abstraction``), keyed by team name so a renamed team's history is kept.

New tables only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False, comment="file order"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column(
            "pcs", sa.Integer(), nullable=False, comment="police constables in post, by head"
        ),
        sa.Column("pcsos", sa.Integer(), nullable=False, comment="PCSOs in post, by head"),
        sa.Column(
            "vintage", sa.Text(), nullable=False, comment="boundary vintage of its ward codes"
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        comment="neighbourhood teams and their staff; a new team file replaces them all",
    )
    op.create_table(
        "team_wards",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.Text(), nullable=False, comment="a ward is in one team at most"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ward_code"),
    )
    op.create_table(
        "team_abstraction",
        sa.Column("team", sa.Text(), nullable=False, comment="team name, kept if the team goes"),
        sa.Column("month", sa.Text(), nullable=False, comment="YYYY-MM"),
        sa.Column("hours", sa.Float(), nullable=False, comment="hours taken to response work"),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("team", "month"),
        comment="hours each team lost to response work per month; a file replaces its months",
    )


def downgrade() -> None:
    op.drop_table("team_abstraction")
    op.drop_table("team_wards")
    op.drop_table("teams")
