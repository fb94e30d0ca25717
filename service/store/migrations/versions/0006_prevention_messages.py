"""Prevention messages and their history.

Revision ID: 0006
Revises: 0005
Created: 2026-12-07

- ``messages``: prevention messages sent to the public (the day, channel, area, themes,
  audiences, reach, sender, summary and reference), issue 18.
- ``message_history``: every change of a message, oldest first.

New tables only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column(
            "channel", sa.Text(), nullable=False, comment="a slug of geodata.messages.CHANNELS"
        ),
        sa.Column("area", sa.Text(), nullable=False, comment="wards, council or force-wide"),
        sa.Column(
            "area_codes",
            sa.Text(),
            nullable=False,
            comment="ward codes or the council code, ';'-joined; empty when force-wide. Not "
            "foreign keys: replacing a boundary vintage must never delete a message",
        ),
        sa.Column(
            "ward_vintage", sa.Text(), nullable=False, comment="the vintage the codes are of"
        ),
        sa.Column(
            "themes", sa.Text(), nullable=False, comment="concern tags or threat themes, ';'"
        ),
        sa.Column(
            "audiences", sa.Text(), nullable=False, comment="geodata.messages.AUDIENCES, ';'"
        ),
        sa.Column("group_name", sa.Text(), nullable=True, comment="the named group; NULL: none"),
        sa.Column(
            "reach", sa.Integer(), nullable=True, comment="recipients or views; NULL: not known"
        ),
        sa.Column("sent_by", sa.Text(), nullable=False, comment="the role or team that sent it"),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True, comment="a link or reference; NULL: none"),
        sa.Column("recorded_by", sa.Text(), nullable=False, comment="who entered it"),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True, comment="NULL: not imported"),
        sa.Column(
            "version",
            sa.Integer(),
            server_default="1",
            nullable=False,
            comment="1 when stored, raised by each change: an edit from an older version is "
            "refused",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="prevention messages sent to the public; every change is a message_history row",
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_sent_on"), ["sent_on"], unique=False)

    op.create_table(
        "message_history",
        sa.Column("id", sa.Integer(), nullable=False, comment="history order"),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False, comment="UTC time of the change"),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column(
            "change", sa.Text(), nullable=False, comment="'recorded' or '<field>: old → new'"
        ),
        sa.Column(
            "version", sa.Integer(), nullable=True, comment="the record's version this change made"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="the full history of every prevention message: recording and each edited field",
    )
    with op.batch_alter_table("message_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_history_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_history_message_id"))

    op.drop_table("message_history")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_sent_on"))

    op.drop_table("messages")
