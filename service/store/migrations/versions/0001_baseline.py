"""Baseline: the schema as the releases before migrations created it with ``create_all``.

Revision ID: 0001
Revises:
Created: 2026-12-06

Databases made before migrations have these tables but no ``alembic_version``. So this
revision creates only what is missing (as ``create_all`` did), which upgrades such a
database in place, with nothing touched, and builds a new one from nothing. The table
definitions are frozen here: later changes to ``service/store/schema.py`` are later
revisions, never edits of this file.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CATEGORIES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
"""The police.uk categories as of the baseline (``geodata.crime.CATEGORIES`` then)."""

INCIDENT_ROWS_VIEW = """
CREATE VIEW incident_rows AS
SELECT
    i.id,
    i.crime_id AS "Crime ID",
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


def _create_table(name: str, *items: Any, **options: Any) -> None:
    if not sa.inspect(op.get_bind()).has_table(name):
        op.create_table(name, *items, **options)


def _create_index(name: str, table: str, columns: list[str]) -> None:
    if name not in {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(table)}:
        op.create_index(name, table, columns)


def _create_view() -> None:
    if "incident_rows" not in sa.inspect(op.get_bind()).get_view_names():
        op.execute(INCIDENT_ROWS_VIEW)


def _seed_categories() -> None:
    categories = sa.table("categories", sa.column("id", sa.Integer), sa.column("label", sa.Text))
    present = set(op.get_bind().scalars(sa.select(categories.c.label)))
    missing = [{"label": label} for label in CATEGORIES if label not in present]
    if missing:
        op.bulk_insert(categories, missing)


def upgrade() -> None:
    """Create what is missing of the schema, the view and the category vocabulary."""
    _create_table(
        "boundary_sets",
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False, comment="file names, one per line"),
        sa.Column("ward_count", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("vintage"),
    )
    _create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
    )
    _create_table(
        "forces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    _create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False, comment="wards or crime"),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, comment="stored, unchanged or failed"),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_table(
        "lsoas",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("census_year", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False, comment="usual residents"),
        sa.Column(
            "longitude",
            sa.Float(),
            nullable=True,
            comment="point-on-surface, WGS84; NULL: no boundary",
        ),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False, comment="the population file"),
        sa.PrimaryKeyConstraint("code"),
        comment="census population by LSOA, with the best-fit point that places it in a ward",
    )
    _create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
    )
    _create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("lsoa_code", sa.Text(), nullable=False),
        sa.Column("lsoa_name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("longitude", "latitude", "location", "lsoa_code", "lsoa_name"),
        comment="police.uk snap points: anonymised map points, never addresses",
    )
    _create_table(
        "threat_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("force", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Text(), nullable=False, comment="YYYY-MM-DD"),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False, comment="made up, e.g. the demo's"),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        comment="every imported version of the force threat assessment; the latest is active",
    )
    _create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False, comment="viewer, pcso, analyst or admin"),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    _create_table(
        "ward_facts",
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("ward_code", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False, comment="0: no outcome"),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "vintage", "ward_code", "month", "force_id", "place_id", "category_id", "outcome_id"
        ),
        comment="a ward's incidents grouped by month, place, category and outcome",
        sqlite_with_rowid=False,
    )
    _create_table(
        "ward_month_counts",
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("ward_code", sa.Text(), nullable=False, comment="'' unless status is 'ward'"),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, comment="ward, outside or no location"),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "vintage", "ward_code", "month", "force_id", "category_id", "status"
        ),
        comment="incidents per ward, month and category, kept in step with every import",
        sqlite_with_rowid=False,
    )
    _create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False, comment="ward, concern or report"),
        sa.Column("ref", sa.Text(), nullable=False, comment="ward code or concern id"),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="who consulted which ward profile, report or concern, and when",
    )
    _create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "ward_code",
            sa.Text(),
            nullable=False,
            comment="not a foreign key: replacing a boundary vintage must never delete a concern",
        ),
        sa.Column("ward_vintage", sa.Text(), nullable=False, comment="the vintage the code is of"),
        sa.Column("tag", sa.Text(), nullable=False, comment="a theme tag of concern_tags.csv"),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column(
            "channel", sa.Text(), nullable=False, comment="a slug of geodata.concerns.CHANNELS"
        ),
        sa.Column("community", sa.Text(), nullable=True, comment="NULL: not known"),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True, comment="WGS84; both or neither"),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column(
            "status",
            sa.Text(),
            nullable=False,
            comment="current status: always that of the latest concern_updates row",
        ),
        sa.Column("recorded_by", sa.Text(), nullable=False, comment="who took the concern down"),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True, comment="NULL: not imported"),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="community concerns; every change is a concern_updates row, nothing is deleted",
    )
    _create_table(
        "lsoa_wards",
        sa.Column("lsoa_code", sa.Text(), nullable=False),
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column(
            "ward_code", sa.Text(), nullable=True, comment="NULL: the point lies outside every ward"
        ),
        sa.ForeignKeyConstraint(["lsoa_code"], ["lsoas.code"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vintage"], ["boundary_sets.vintage"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("lsoa_code", "vintage"),
        comment="best-fit lookup: one row per located LSOA and boundary vintage",
    )
    _create_table(
        "partitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column(
            "sha256", sa.Text(), nullable=False, comment="of the file that supplied the rows"
        ),
        sa.Column("first_id", sa.Integer(), nullable=False, comment="first incidents.id"),
        sa.Column("last_id", sa.Integer(), nullable=False, comment="last incidents.id"),
        sa.ForeignKeyConstraint(
            ["force_id"],
            ["forces.id"],
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("force_id", "month"),
        comment="a (force, month): the unit that a revised police.uk file replaces; its "
        "incidents are the contiguous id range first_id..last_id",
    )
    _create_table(
        "place_wards",
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column(
            "ward_code", sa.Text(), nullable=True, comment="NULL: the point lies outside every ward"
        ),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vintage"], ["boundary_sets.vintage"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("place_id", "vintage"),
        comment="one row per located place and boundary vintage",
    )
    _create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column(
            "status", sa.Text(), nullable=False, comment="a slug of geodata.plans.PLAN_STATUSES"
        ),
        sa.Column(
            "ward_vintage", sa.Text(), nullable=False, comment="the vintage the codes are of"
        ),
        sa.Column(
            "data", sa.Text(), nullable=False, comment="the whole plan as JSON (plan_to_dict)"
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True, comment="NULL: not imported"),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="problem-solving plans (SARA); every change is a plan_history row",
    )
    _create_table(
        "threat_themes",
        sa.Column("id", sa.Integer(), nullable=False, comment="file order within an assessment"),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("risk_score", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Text(), nullable=False, comment="low, medium or high"),
        sa.Column("priority_band", sa.Text(), nullable=False, comment="high, medium or low"),
        sa.Column(
            "categories", sa.Text(), nullable=False, comment="police.uk categories, ';'-joined"
        ),
        sa.Column("concern_tags", sa.Text(), nullable=False, comment="';'-joined"),
        sa.Column("owner", sa.Text(), nullable=False, comment="a role, not a person"),
        sa.Column("review_date", sa.Text(), nullable=False, comment="YYYY-MM-DD"),
        sa.ForeignKeyConstraint(["assessment_id"], ["threat_assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "name"),
    )
    _create_table(
        "wards",
        sa.Column("vintage", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("lad_code", sa.Text(), nullable=True),
        sa.Column("lad_name", sa.Text(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False, comment="WKB, WGS84"),
        sa.ForeignKeyConstraint(["vintage"], ["boundary_sets.vintage"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("vintage", "code"),
    )
    _create_table(
        "concern_updates",
        sa.Column("id", sa.Integer(), nullable=False, comment="history order"),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, comment="the status from this update on"),
        sa.Column(
            "note", sa.Text(), nullable=False, comment="'raised', what was done, or 'edited: ...'"
        ),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="the full history of every concern: raising, status changes and edits",
    )
    _create_index("ix_concern_updates_concern_id", "concern_updates", ["concern_id"])

    _create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partition_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False, comment="line in the source file"),
        sa.Column("crime_id", sa.Text(), nullable=True, comment="NULL for anti-social behaviour"),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcomes.id"],
        ),
        sa.ForeignKeyConstraint(["partition_id"], ["partitions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["forces.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_table(
        "plan_history",
        sa.Column("id", sa.Integer(), nullable=False, comment="history order"),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False, comment="UTC time of the change"),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False, comment="'created', 'status: a → b', ..."),
        sa.Column(
            "previous",
            sa.Text(),
            nullable=True,
            comment="the whole plan before the change, JSON; NULL: new",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        comment="the full history of every plan: creation, each edited field, each status",
    )
    _create_index("ix_plan_history_plan_id", "plan_history", ["plan_id"])
    _create_view()
    _seed_categories()


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS incident_rows")
    with op.batch_alter_table("plan_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_history_plan_id"))

    op.drop_table("plan_history")
    op.drop_table("incidents")
    with op.batch_alter_table("concern_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_updates_concern_id"))

    op.drop_table("concern_updates")
    op.drop_table("wards")
    op.drop_table("threat_themes")
    op.drop_table("plans")
    op.drop_table("place_wards")
    op.drop_table("partitions")
    op.drop_table("lsoa_wards")
    op.drop_table("concerns")
    op.drop_table("access_log")
    op.drop_table("ward_month_counts")
    op.drop_table("ward_facts")
    op.drop_table("users")
    op.drop_table("threat_assessments")
    op.drop_table("places")
    op.drop_table("outcomes")
    op.drop_table("lsoas")
    op.drop_table("imports")
    op.drop_table("forces")
    op.drop_table("categories")
    op.drop_table("boundary_sets")
