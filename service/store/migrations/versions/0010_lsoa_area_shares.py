"""LSOA boundaries and their area shares in wards, for the area-weighted population.

Revision ID: 0010
Revises: 0009
Created: 2026-12-07

- ``lsoas.boundary``: each LSOA's polygon (WKB, WGS84), kept so that every boundary
  vintage, including one imported after the population, gets its area shares.
- ``lsoa_ward_shares``: the share of each LSOA's area in each ward of each vintage; a
  ward's area-weighted residents are the shares times the LSOAs' residents.

Existing LSOA rows keep a NULL boundary (their polygons were not stored before), so their
wards have no area-weighted figure until ``import-population`` runs again; nothing stored
before is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lsoas") as batch:
        batch.add_column(
            sa.Column(
                "boundary",
                sa.LargeBinary(),
                nullable=True,
                comment="the LSOA's polygon, WKB in WGS84; NULL: not known",
            )
        )
    op.create_table(
        "lsoa_ward_shares",
        sa.Column("lsoa_code", sa.Text(), nullable=False),
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("ward_code", sa.Text(), nullable=False),
        sa.Column(
            "share", sa.Float(), nullable=False, comment="share of the LSOA's area in the ward"
        ),
        sa.ForeignKeyConstraint(["lsoa_code"], ["lsoas.code"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vintage"], ["boundary_sets.vintage"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("lsoa_code", "vintage", "ward_code"),
        comment="area-weighted lookup: each stored LSOA boundary's share of area in each ward",
    )


def downgrade() -> None:
    op.drop_table("lsoa_ward_shares")
    with op.batch_alter_table("lsoas") as batch:
        batch.drop_column("boundary")
