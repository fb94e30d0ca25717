"""Personal access tokens for the API and the OGC service.

Revision ID: 0005
Revises: 0004
Created: 2026-12-07

- ``api_tokens``: a user's tokens (``create-token``, the Tokens page), stored only as a
  SHA-256 with a name, a prefix to recognise it by, a scope (read, or read write), an expiry
  and when it was last used or revoked.

A new table only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False, comment="SHA-256, hex"),
        sa.Column("prefix", sa.Text(), nullable=False, comment="first characters, to recognise it"),
        sa.Column("scope", sa.Text(), nullable=False, comment="read, or read write"),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("last_used_at", sa.Text(), nullable=True),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        comment="personal access tokens for the API and OGC service, stored only as hashes",
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
