"""Sign-in failures, session generations, versioned edits and the access log of commands.

Revision ID: 0003
Revises: 0002
Created: 2026-12-07

- ``sign_in_failures``: failed sign-ins, counted per user name and per address by every
  server process (so the table, not a process's memory, refuses password guessing).
- ``users.session_generation`` (0): a session names it; raising it ends every session.
- ``concerns.version`` and ``plans.version`` (1 for every stored record): an edit names the
  version it started from and is refused when the record has moved on;
  ``concern_updates.version`` and ``plan_history.version`` say which version each change
  made (NULL for the changes made before this revision).
- ``access_log.user_id`` may be NULL: reads from the command line (under the operating-system
  user) and failed sign-ins by an unknown name; ``kind`` may be ``sign-in``.

Every change but one is a plain ``ADD COLUMN``. SQLite cannot drop a NOT NULL constraint in
place, so ``access_log`` alone is copied (batch mode); no table refers to it, so the copy
cascades nowhere.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RECORD_VERSION = "1 when stored, raised by each change: an edit from an older version is refused"
CHANGE_VERSION = "the record's version this change made"


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False, comment="UTC, ISO 8601"),
        sa.Column("username", sa.Text(), nullable=False, comment="the name tried"),
        sa.Column("address", sa.Text(), nullable=False, comment="the client's address"),
        sa.PrimaryKeyConstraint("id"),
        comment="failed sign-ins, read by every server process to slow down password guessing",
    )
    for column in ("at", "username", "address"):
        op.create_index(f"ix_sign_in_failures_{column}", "sign_in_failures", [column])

    op.add_column(
        "users",
        sa.Column(
            "session_generation",
            sa.Integer(),
            server_default="0",
            nullable=False,
            comment="raised to end every session: sign-out, new password, role change, "
            "deactivation",
        ),
    )
    for record, history in (("concerns", "concern_updates"), ("plans", "plan_history")):
        op.add_column(
            record,
            sa.Column(
                "version", sa.Integer(), server_default="1", nullable=False, comment=RECORD_VERSION
            ),
        )
        op.add_column(history, sa.Column("version", sa.Integer(), comment=CHANGE_VERSION))

    with op.batch_alter_table("access_log") as batch:
        batch.alter_column(
            "user_id",
            existing_type=sa.Integer(),
            nullable=True,
            comment="NULL: the command line, or a failed sign-in by an unknown name",
        )
        batch.alter_column(
            "kind",
            existing_type=sa.Text(),
            existing_nullable=False,
            comment="ward, concern, report or sign-in",
            existing_comment="ward, concern or report",
        )


def downgrade() -> None:
    """Back to 0002. Refused while the access log holds rows without a user, which 0002
    cannot keep: the log is kept for data protection, so nothing of it is dropped here."""
    unnamed = op.get_bind().scalar(sa.text("SELECT count(*) FROM access_log WHERE user_id IS NULL"))
    if unnamed:
        raise RuntimeError(
            f"access_log holds {unnamed} rows without a user (command-line reads, failed "
            "sign-ins by unknown names), which revision 0002 cannot keep"
        )
    with op.batch_alter_table("access_log") as batch:
        batch.alter_column(
            "kind",
            existing_type=sa.Text(),
            existing_nullable=False,
            comment="ward, concern or report",
            existing_comment="ward, concern, report or sign-in",
        )
        batch.alter_column(
            "user_id",
            existing_type=sa.Integer(),
            nullable=False,
            comment=None,
            existing_comment="NULL: the command line, or a failed sign-in by an unknown name",
        )
    # Plain ALTER TABLE on both backends (SQLite 3.35 and later drops columns in place).
    for table, column in (
        ("plan_history", "version"),
        ("plans", "version"),
        ("concern_updates", "version"),
        ("concerns", "version"),
        ("users", "session_generation"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("sign_in_failures")
