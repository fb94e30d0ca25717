"""Streets and places under the data on every map, and the wards each user works in.

Revision ID: 0004
Revises: 0003
Created: 2026-12-07

- ``context_sources``: one row per imported file of roads and place names (``import-context``),
  with the attribution every map that draws it shows and its licence.
- ``context_features``: its roads and places, WKB in WGS84 with a bounding box, so a map reads
  only what lies near its ward.
- ``user_wards``: the wards a user is given (``create-user --ward``, the admin page); signing in
  lands on their briefing.

New tables only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "context_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False, comment="file name, no folder"),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False, comment="shown on every map using it"),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("roads", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        comment="files of roads and place names drawn under the data on every map",
    )
    op.create_table(
        "context_features",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False, comment="road or place"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False, comment="road number, or empty"),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False, comment="WKB, WGS84"),
        sa.ForeignKeyConstraint(["source_id"], ["context_sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("context_features", schema=None) as batch_op:
        batch_op.create_index(
            "context_features_box", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False
        )

    op.create_table(
        "user_wards",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "ward_code"),
        comment="the wards a user works in: signing in lands on their briefing",
    )


def downgrade() -> None:
    op.drop_table("user_wards")
    with op.batch_alter_table("context_features", schema=None) as batch_op:
        batch_op.drop_index("context_features_box")

    op.drop_table("context_features")
    op.drop_table("context_sources")
