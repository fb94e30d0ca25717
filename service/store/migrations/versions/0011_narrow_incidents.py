"""Narrow incident rows: keyed by (partition_id, line), the Crime ID as its 32 bytes.

Revision ID: 0011
Revises: 0010
Created: 2026-12-07

An incident was 64 characters of Crime ID text, a surrogate ``id`` and an index on
``partition_id``: three things every stored row paid for and no reader needed. Now:

- ``incidents`` has the primary key ``(partition_id, line)``: a partition is filled from
  exactly one file and a line is unique in a file. SQLite stores the table ``WITHOUT
  ROWID`` (the rows live in the key's b-tree, so one b-tree is written, not a table and
  an index); on PostgreSQL the key replaces ``id`` and the ``partition_id`` index.
- ``crime_id`` holds the 32 bytes of a police.uk Crime ID (64 lowercase hex digits);
  ``crime_id_text`` keeps any other Crime ID as written (see ``service/store/crime_ids.py``).
- ``incident_rows`` shows the Crime ID as the same lowercase hex text as before, and
  ``partition_id`` where it showed ``id``.

Existing rows are rewritten in place, every value kept. SQLite (3.40 here, before
``unhex()``) converts through a function registered on the migrating connection; a table
holding the same (partition, line) twice cannot take the key, and the upgrade then stops
with SQLite's or PostgreSQL's unique-key error and changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

VIEW = """
CREATE VIEW incident_rows AS
SELECT
    {first},
    {crime_id} AS "Crime ID",
    p.month AS "Month",
    rb.name AS "Reported by",
    f.name AS "Falls within",
    pl.longitude AS "Longitude",
    pl.latitude AS "Latitude",
    pl.location AS "Location",
    pl.lsoa_code AS "LSOA code",
    pl.lsoa_name AS "LSOA name",
    c.label AS "Crime type",
    o.label AS "Last outcome category",
    i.context AS "Context",
    pw.ward_code,
    pw.vintage AS ward_vintage,
    p.import_id,
    i.line
FROM incidents i
JOIN partitions p ON p.id = i.partition_id
JOIN forces f ON f.id = p.force_id
JOIN forces rb ON rb.id = i.reported_by_id
JOIN places pl ON pl.id = i.place_id
JOIN categories c ON c.id = i.category_id
LEFT JOIN outcomes o ON o.id = i.outcome_id
LEFT JOIN place_wards pw
    ON pw.place_id = i.place_id
    AND pw.vintage = (SELECT max(vintage) FROM boundary_sets)
"""
"""The view of 0001 with the first column and the Crime ID's expression filled in."""

HEX_TEXT = {
    "sqlite": "CASE WHEN i.crime_id IS NULL THEN i.crime_id_text ELSE lower(hex(i.crime_id)) END",
    "postgresql": "coalesce(encode(i.crime_id, 'hex'), i.crime_id_text)",
}
"""The Crime ID as text on each backend (SQLite's ``hex()`` is upper-case, and '' of NULL)."""

IS_POLICE_UK = {
    "sqlite": "(length(crime_id) = 64 AND crime_id NOT GLOB '*[^0-9a-f]*')",
    "postgresql": "crime_id ~ '^[0-9a-f]{64}$'",
}
"""A stored text Crime ID in police.uk's form: 64 lowercase hex digits."""

CRIME_ID_COMMENT = (
    "the 32 bytes of a police.uk Crime ID (64 hex digits); NULL for anti-social "
    "behaviour or when crime_id_text holds it"
)
CRIME_ID_TEXT_COMMENT = "a Crime ID not in police.uk's form (64 lowercase hex digits), as written"
TABLE_COMMENT = "one police.uk row: a partition is filled from one file, where lines are unique"
OTHER_COLUMNS = "reported_by_id, place_id, category_id, outcome_id, context"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW incident_rows")
    if dialect == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()
    op.execute(VIEW.format(first="i.partition_id", crime_id=HEX_TEXT[dialect]))


def _upgrade_sqlite() -> None:
    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    driver.create_function("wardprofiles_unhex", 1, bytes.fromhex, deterministic=True)
    _create_incidents("incidents_new", narrow=True)
    police_uk = IS_POLICE_UK["sqlite"]
    op.execute(
        "INSERT INTO incidents_new "
        f"(partition_id, line, crime_id, crime_id_text, {OTHER_COLUMNS}) "
        f"SELECT partition_id, line, CASE WHEN {police_uk} THEN wardprofiles_unhex(crime_id) END, "
        f"CASE WHEN NOT {police_uk} THEN crime_id END, {OTHER_COLUMNS} "
        "FROM incidents ORDER BY partition_id, line"
    )
    op.execute("DROP TABLE incidents")
    op.execute("ALTER TABLE incidents_new RENAME TO incidents")


def _upgrade_postgresql() -> None:
    police_uk = IS_POLICE_UK["postgresql"]
    op.add_column("incidents", sa.Column("crime_id_text", sa.Text(), comment=CRIME_ID_TEXT_COMMENT))
    op.execute(f"UPDATE incidents SET crime_id_text = crime_id WHERE NOT {police_uk}")
    op.alter_column(
        "incidents",
        "crime_id",
        type_=sa.LargeBinary(),
        existing_type=sa.Text(),
        postgresql_using=f"CASE WHEN {police_uk} THEN decode(crime_id, 'hex') END",
        comment=CRIME_ID_COMMENT,
        existing_comment="NULL for anti-social behaviour",
    )
    op.drop_index("ix_incidents_partition_id", "incidents")
    op.drop_column("incidents", "id")
    op.create_primary_key("incidents_pkey", "incidents", ["partition_id", "line"])
    op.create_table_comment("incidents", TABLE_COMMENT)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW incident_rows")
    if dialect == "sqlite":
        _create_incidents("incidents_old", narrow=False)
        op.execute(
            f"INSERT INTO incidents_old (partition_id, line, crime_id, {OTHER_COLUMNS}) "
            f"SELECT partition_id, line, {HEX_TEXT['sqlite'].replace('i.', '')}, "
            f"{OTHER_COLUMNS} FROM incidents ORDER BY partition_id, line"
        )
        op.execute("DROP TABLE incidents")
        op.execute("ALTER TABLE incidents_old RENAME TO incidents")
    else:
        op.drop_table_comment("incidents", existing_comment=TABLE_COMMENT)
        op.drop_constraint("incidents_pkey", "incidents", type_="primary")
        op.alter_column(
            "incidents",
            "crime_id",
            type_=sa.Text(),
            existing_type=sa.LargeBinary(),
            postgresql_using=HEX_TEXT["postgresql"].replace("i.", ""),
            comment="NULL for anti-social behaviour",
            existing_comment=CRIME_ID_COMMENT,
        )
        op.drop_column("incidents", "crime_id_text")
        op.execute("ALTER TABLE incidents ADD COLUMN id SERIAL PRIMARY KEY")
    op.create_index("ix_incidents_partition_id", "incidents", ["partition_id"])
    op.execute(VIEW.format(first="i.id", crime_id="i.crime_id"))


def _create_incidents(name: str, *, narrow: bool) -> None:
    """SQLite's table at this revision (``narrow``) or at 0010, under a new name."""
    op.create_table(
        name,
        *([] if narrow else [sa.Column("id", sa.Integer(), primary_key=True)]),
        sa.Column("partition_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False, comment="line in the source file"),
        sa.Column("crime_id", sa.LargeBinary() if narrow else sa.Text(), nullable=True),
        sa.Column("reported_by_id", sa.Integer(), sa.ForeignKey("forces.id"), nullable=False),
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("places.id"), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id"), nullable=False),
        sa.Column("outcome_id", sa.Integer(), sa.ForeignKey("outcomes.id"), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        *([sa.Column("crime_id_text", sa.Text(), nullable=True)] if narrow else []),
        sa.ForeignKeyConstraint(["partition_id"], ["partitions.id"], ondelete="CASCADE"),
        *([sa.PrimaryKeyConstraint("partition_id", "line")] if narrow else []),
        sqlite_with_rowid=not narrow,
    )
