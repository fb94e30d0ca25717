"""The tables, in one place, so the shape of the stored data can be read at a glance.

police.uk records are stored normalised: the columns that repeat across thousands of rows
(the force, the category, the outcome, and the five columns that describe a snap point)
live in small tables, and an incident row holds their ids. The view ``incident_rows``
(made by the baseline migration, ``migrations/versions/0001_baseline.py``) puts every
police.uk column back together, with the ward of the latest boundary vintage.

This module is the schema as it is now; the database gets there through the migrations
(``service/store/migrate.py``): a change here needs a revision there.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _vintage_key() -> sa.Column[str]:
    """The boundary vintage as part of a primary key; rows go with their boundary set."""
    return sa.Column(
        "vintage",
        sa.Text,
        sa.ForeignKey("boundary_sets.vintage", ondelete="CASCADE"),
        primary_key=True,
    )


boundary_sets = sa.Table(
    "boundary_sets",
    metadata,
    sa.Column("vintage", sa.Text, primary_key=True),
    sa.Column("sources", sa.Text, nullable=False, comment="file names, one per line"),
    sa.Column("ward_count", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.Text, nullable=False),
)

wards = sa.Table(
    "wards",
    metadata,
    _vintage_key(),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("lad_code", sa.Text),
    sa.Column("lad_name", sa.Text),
    sa.Column("area_km2", sa.Float, nullable=False),
    sa.Column("geometry", sa.LargeBinary, nullable=False, comment="WKB, WGS84"),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("longitude", sa.Float),
    sa.Column("latitude", sa.Float),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("lsoa_code", sa.Text, nullable=False),
    sa.Column("lsoa_name", sa.Text, nullable=False),
    sa.UniqueConstraint("longitude", "latitude", "location", "lsoa_code", "lsoa_name"),
    comment="police.uk snap points: anonymised map points, never addresses",
)

place_wards = sa.Table(
    "place_wards",
    metadata,
    sa.Column(
        "place_id", sa.Integer, sa.ForeignKey("places.id", ondelete="CASCADE"), primary_key=True
    ),
    _vintage_key(),
    sa.Column("ward_code", sa.Text, comment="NULL: the point lies outside every ward"),
    comment="one row per located place and boundary vintage",
)

lsoas = sa.Table(
    "lsoas",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("census_year", sa.Integer, nullable=False),
    sa.Column("residents", sa.Integer, nullable=False, comment="usual residents"),
    sa.Column("longitude", sa.Float, comment="point-on-surface, WGS84; NULL: no boundary"),
    sa.Column("latitude", sa.Float),
    sa.Column("source", sa.Text, nullable=False, comment="the population file"),
    sa.Column(
        "boundary", sa.LargeBinary, comment="the LSOA's polygon, WKB in WGS84; NULL: not known"
    ),
    comment="census population by LSOA, with the best-fit point that places it in a ward",
)

lsoa_wards = sa.Table(
    "lsoa_wards",
    metadata,
    sa.Column(
        "lsoa_code", sa.Text, sa.ForeignKey("lsoas.code", ondelete="CASCADE"), primary_key=True
    ),
    _vintage_key(),
    sa.Column("ward_code", sa.Text, comment="NULL: the point lies outside every ward"),
    comment="best-fit lookup: one row per located LSOA and boundary vintage",
)

lsoa_ward_shares = sa.Table(
    "lsoa_ward_shares",
    metadata,
    sa.Column(
        "lsoa_code", sa.Text, sa.ForeignKey("lsoas.code", ondelete="CASCADE"), primary_key=True
    ),
    _vintage_key(),
    sa.Column("ward_code", sa.Text, primary_key=True),
    sa.Column("share", sa.Float, nullable=False, comment="share of the LSOA's area in the ward"),
    comment="area-weighted lookup: each stored LSOA boundary's share of area in each ward",
)

forces = sa.Table(
    "forces",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
)

categories = sa.Table(
    "categories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.Text, nullable=False, unique=True),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.Text, nullable=False, unique=True),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False, comment="viewer, pcso, analyst or admin"),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column(
        "session_generation",
        sa.Integer,
        nullable=False,
        default=0,
        server_default="0",
        comment="raised to end every session: sign-out, new password, role change, deactivation",
    ),
)

sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text, nullable=False, index=True, comment="UTC, ISO 8601"),
    sa.Column("username", sa.Text, nullable=False, index=True, comment="the name tried"),
    sa.Column("address", sa.Text, nullable=False, index=True, comment="the client's address"),
    comment="failed sign-ins, read by every server process to slow down password guessing",
)

user_wards = sa.Table(
    "user_wards",
    metadata,
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("ward_code", sa.Text, primary_key=True),
    comment="the wards a user works in: signing in lands on their briefing",
)

access_log = sa.Table(
    "access_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id"),
        comment="NULL: the command line, or a failed sign-in by an unknown name",
    ),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, comment="ward, concern, report or sign-in"),
    sa.Column("ref", sa.Text, nullable=False, comment="ward code or concern id"),
    sa.Column("path", sa.Text, nullable=False),
    comment="who consulted which ward profile, report or concern, and when",
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True, comment="SHA-256, hex"),
    sa.Column("prefix", sa.Text, nullable=False, comment="first characters, to recognise it"),
    sa.Column("scope", sa.Text, nullable=False, comment="read, or read write"),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("expires_at", sa.Text, nullable=False),
    sa.Column("last_used_at", sa.Text),
    sa.Column("revoked_at", sa.Text),
    comment="personal access tokens for the API and OGC service, stored only as hashes",
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False, comment="wards or crime"),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text),
    sa.Column("rows_read", sa.Integer, nullable=False, default=0),
    sa.Column("rows_stored", sa.Integer, nullable=False, default=0),
    sa.Column("rows_rejected", sa.Integer, nullable=False, default=0),
    sa.Column("status", sa.Text, nullable=False, comment="stored, unchanged or failed"),
    sa.Column("message", sa.Text),
    sa.Column("imported_at", sa.Text, nullable=False),
)

partitions = sa.Table(
    "partitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False),
    sa.Column("month", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("sha256", sa.Text, nullable=False, comment="of the file that supplied the rows"),
    sa.Column(
        "incident_count",
        sa.Integer,
        nullable=False,
        server_default="0",
        comment="incidents stored for the partition",
    ),
    sa.UniqueConstraint("force_id", "month"),
    comment="a (force, month): the unit that a revised police.uk file replaces; its "
    "incidents are those with its partition_id",
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column(
        "partition_id",
        sa.Integer,
        sa.ForeignKey("partitions.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column(
        "line",
        sa.Integer,
        primary_key=True,
        autoincrement=False,
        comment="line in the source file",
    ),
    sa.Column(
        "crime_id",
        sa.LargeBinary,
        comment="the 32 bytes of a police.uk Crime ID (64 hex digits); NULL for anti-social "
        "behaviour or when crime_id_text holds it",
    ),
    sa.Column("reported_by_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False),
    sa.Column("place_id", sa.Integer, sa.ForeignKey("places.id"), nullable=False),
    sa.Column("category_id", sa.Integer, sa.ForeignKey("categories.id"), nullable=False),
    sa.Column("outcome_id", sa.Integer, sa.ForeignKey("outcomes.id")),
    sa.Column("context", sa.Text),
    sa.Column(
        "crime_id_text",
        sa.Text,
        comment="a Crime ID not in police.uk's form (64 lowercase hex digits), as written",
    ),
    comment="one police.uk row: a partition is filled from one file, where lines are unique",
    sqlite_with_rowid=False,
)

threat_assessments = sa.Table(
    "threat_assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("force", sa.Text, nullable=False),
    sa.Column("assessed_on", sa.Text, nullable=False, comment="YYYY-MM-DD"),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("is_example", sa.Boolean, nullable=False, comment="made up, e.g. the demo's"),
    sa.Column("imported_at", sa.Text, nullable=False),
    comment="every imported version of the force threat assessment; the latest is active",
)

threat_themes = sa.Table(
    "threat_themes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="file order within an assessment"),
    sa.Column(
        "assessment_id",
        sa.Integer,
        sa.ForeignKey("threat_assessments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("risk_score", sa.Float, nullable=False),
    sa.Column("confidence", sa.Text, nullable=False, comment="low, medium or high"),
    sa.Column("priority_band", sa.Text, nullable=False, comment="high, medium or low"),
    sa.Column("categories", sa.Text, nullable=False, comment="police.uk categories, ';'-joined"),
    sa.Column("concern_tags", sa.Text, nullable=False, comment="';'-joined"),
    sa.Column("owner", sa.Text, nullable=False, comment="a role, not a person"),
    sa.Column("review_date", sa.Text, nullable=False, comment="YYYY-MM-DD"),
    sa.UniqueConstraint("assessment_id", "name"),
)

concerns = sa.Table(
    "concerns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "ward_code",
        sa.Text,
        nullable=False,
        comment="not a foreign key: replacing a boundary vintage must never delete a concern",
    ),
    sa.Column("ward_vintage", sa.Text, nullable=False, comment="the vintage the code is of"),
    sa.Column("tag", sa.Text, nullable=False, comment="a theme tag of concern_tags.csv"),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("raised_on", sa.Date, nullable=False),
    sa.Column("channel", sa.Text, nullable=False, comment="a slug of geodata.concerns.CHANNELS"),
    sa.Column("community", sa.Text, comment="NULL: not known"),
    sa.Column("location_text", sa.Text),
    sa.Column("longitude", sa.Float, comment="WGS84; both or neither"),
    sa.Column("latitude", sa.Float),
    sa.Column(
        "status",
        sa.Text,
        nullable=False,
        comment="current status: always that of the latest concern_updates row",
    ),
    sa.Column("recorded_by", sa.Text, nullable=False, comment="who took the concern down"),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), comment="NULL: not imported"),
    sa.Column(
        "version",
        sa.Integer,
        nullable=False,
        default=1,
        server_default="1",
        comment="1 when stored, raised by each change: an edit from an older version is refused",
    ),
    comment="community concerns; every change is a concern_updates row, nothing is deleted",
)

concern_updates = sa.Table(
    "concern_updates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="history order"),
    sa.Column("concern_id", sa.Integer, sa.ForeignKey("concerns.id"), nullable=False, index=True),
    sa.Column("status", sa.Text, nullable=False, comment="the status from this update on"),
    sa.Column("note", sa.Text, nullable=False, comment="'raised', what was done, or 'edited: ...'"),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, comment="the record's version this change made"),
    comment="the full history of every concern: raising, status changes and edits",
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, comment="a slug of geodata.plans.PLAN_STATUSES"),
    sa.Column("ward_vintage", sa.Text, nullable=False, comment="the vintage the codes are of"),
    sa.Column("data", sa.Text, nullable=False, comment="the whole plan as JSON (plan_to_dict)"),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), comment="NULL: not imported"),
    sa.Column(
        "version",
        sa.Integer,
        nullable=False,
        default=1,
        server_default="1",
        comment="1 when stored, raised by each change: an edit from an older version is refused",
    ),
    comment="problem-solving plans (SARA); every change is a plan_history row",
)

plan_history = sa.Table(
    "plan_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="history order"),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False, index=True),
    sa.Column("at", sa.Text, nullable=False, comment="UTC time of the change"),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False, comment="'created', 'status: a → b', ..."),
    sa.Column("version", sa.Integer, comment="the record's version this change made"),
    sa.Column("previous", sa.Text, comment="the whole plan before the change, JSON; NULL: new"),
    comment="the full history of every plan: creation, each edited field, each status",
)

plan_awards = sa.Table(
    "plan_awards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="history order"),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False, index=True),
    sa.Column("action", sa.Text, nullable=False, comment="nominated, awarded or withdrawn"),
    sa.Column("note", sa.Text, nullable=False, comment="why, in the words of who did it"),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False, comment="UTC time of the change"),
    comment="good-practice nominations and awards of plans; the latest row is where it stands",
)

ward_month_counts = sa.Table(
    "ward_month_counts",
    metadata,
    sa.Column("vintage", sa.Text, primary_key=True),
    sa.Column("ward_code", sa.Text, primary_key=True, comment="'' unless status is 'ward'"),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("force_id", sa.Integer, primary_key=True),
    sa.Column("category_id", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, primary_key=True, comment="ward, outside or no location"),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
    comment="incidents per ward, month and category, kept in step with every import",
)

force_month_counts = sa.Table(
    "force_month_counts",
    metadata,
    sa.Column("vintage", sa.Text, primary_key=True),
    sa.Column("force_id", sa.Integer, primary_key=True),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("category_id", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, primary_key=True, comment="ward, outside or no location"),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
    comment="ward_month_counts summed over wards: a force's incidents per month and category",
)

kept_figures = sa.Table(
    "kept_figures",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, comment="the data version (ledger id)"),
    sa.Column("name", sa.Text, primary_key=True, comment="which figure, with its method's edition"),
    sa.Column("key", sa.Text, primary_key=True, comment="its options: vintage, period, cell size"),
    sa.Column("payload", sa.LargeBinary, nullable=False, comment="Arrow IPC stream"),
    comment="force-wide figures built once per data version and read by every process",
)

ward_facts = sa.Table(
    "ward_facts",
    metadata,
    sa.Column("vintage", sa.Text, primary_key=True),
    sa.Column("ward_code", sa.Text, primary_key=True),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("force_id", sa.Integer, primary_key=True),
    sa.Column("place_id", sa.Integer, primary_key=True),
    sa.Column("category_id", sa.Integer, primary_key=True),
    sa.Column("outcome_id", sa.Integer, primary_key=True, comment="0: no outcome"),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
    comment="a ward's incidents grouped by month, place, category and outcome",
)


context_sources = sa.Table(
    "context_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True, comment="file name, no folder"),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("attribution", sa.Text, nullable=False, comment="shown on every map using it"),
    sa.Column("licence", sa.Text, nullable=False),
    sa.Column("roads", sa.Integer, nullable=False),
    sa.Column("places", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.Text, nullable=False),
    comment="files of roads and place names drawn under the data on every map",
)

context_features = sa.Table(
    "context_features",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "source_id",
        sa.Integer,
        sa.ForeignKey("context_sources.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.Text, nullable=False, comment="road or place"),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("ref", sa.Text, nullable=False, comment="road number, or empty"),
    sa.Column("min_lon", sa.Float, nullable=False),
    sa.Column("min_lat", sa.Float, nullable=False),
    sa.Column("max_lon", sa.Float, nullable=False),
    sa.Column("max_lat", sa.Float, nullable=False),
    sa.Column("geometry", sa.LargeBinary, nullable=False, comment="WKB, WGS84"),
    sa.Index("context_features_box", "min_lon", "max_lon", "min_lat", "max_lat"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sent_on", sa.Date, nullable=False, index=True),
    sa.Column("channel", sa.Text, nullable=False, comment="a slug of geodata.messages.CHANNELS"),
    sa.Column("area", sa.Text, nullable=False, comment="wards, council or force-wide"),
    sa.Column(
        "area_codes",
        sa.Text,
        nullable=False,
        comment="ward codes or the council code, ';'-joined; empty when force-wide. Not "
        "foreign keys: replacing a boundary vintage must never delete a message",
    ),
    sa.Column("ward_vintage", sa.Text, nullable=False, comment="the vintage the codes are of"),
    sa.Column("themes", sa.Text, nullable=False, comment="concern tags or threat themes, ';'"),
    sa.Column("audiences", sa.Text, nullable=False, comment="geodata.messages.AUDIENCES, ';'"),
    sa.Column("group_name", sa.Text, comment="the named group; NULL: none"),
    sa.Column("reach", sa.Integer, comment="recipients or views; NULL: not known"),
    sa.Column("sent_by", sa.Text, nullable=False, comment="the role or team that sent it"),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("reference", sa.Text, comment="a link or reference; NULL: none"),
    sa.Column("recorded_by", sa.Text, nullable=False, comment="who entered it"),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), comment="NULL: not imported"),
    sa.Column(
        "version",
        sa.Integer,
        nullable=False,
        default=1,
        server_default="1",
        comment="1 when stored, raised by each change: an edit from an older version is refused",
    ),
    comment="prevention messages sent to the public; every change is a message_history row",
)

message_history = sa.Table(
    "message_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="history order"),
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id"), nullable=False, index=True),
    sa.Column("at", sa.Text, nullable=False, comment="UTC time of the change"),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False, comment="'recorded' or '<field>: old → new'"),
    sa.Column("version", sa.Integer, comment="the record's version this change made"),
    comment="the full history of every prevention message: recording and each edited field",
)

operations = sa.Table(
    "operations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start_date", sa.Text, nullable=False, comment="YYYY-MM-DD, inclusive"),
    sa.Column("end_date", sa.Text, nullable=False, comment="YYYY-MM-DD, inclusive"),
    sa.Column("ward_vintage", sa.Text, nullable=False, comment="the vintage the codes are of"),
    sa.Column("data", sa.Text, nullable=False, comment="the whole operation as JSON"),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), comment="NULL: not imported"),
    sa.Column("version", sa.Integer, nullable=False, default=1, server_default="1"),
    comment="operations (time-bound, in wards or force-wide); every change is a history row",
)

operation_history = sa.Table(
    "operation_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="history order"),
    sa.Column(
        "operation_id", sa.Integer, sa.ForeignKey("operations.id"), nullable=False, index=True
    ),
    sa.Column("at", sa.Text, nullable=False, comment="UTC time of the change"),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False, comment="'created', 'edited: name', ..."),
    sa.Column("version", sa.Integer, comment="the record's version this change made"),
    sa.Column("previous", sa.Text, comment="the whole operation before the change; NULL: new"),
    comment="the full history of every operation: creation or import, and each edited field",
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="file order"),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("pcs", sa.Integer, nullable=False, comment="police constables in post, by head"),
    sa.Column("pcsos", sa.Integer, nullable=False, comment="PCSOs in post, by head"),
    sa.Column("vintage", sa.Text, nullable=False, comment="boundary vintage of its ward codes"),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("imported_at", sa.Text, nullable=False),
    comment="neighbourhood teams and their staff; a new team file replaces them all",
)

team_wards = sa.Table(
    "team_wards",
    metadata,
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ward_code", sa.Text, primary_key=True, comment="a ward is in one team at most"),
)

team_abstraction = sa.Table(
    "team_abstraction",
    metadata,
    sa.Column("team", sa.Text, primary_key=True, comment="team name, kept if the team goes"),
    sa.Column("month", sa.Text, primary_key=True, comment="YYYY-MM"),
    sa.Column("hours", sa.Float, nullable=False, comment="hours taken to response work"),
    sa.Column("source", sa.Text, nullable=False),
    comment="hours each team lost to response work per month; a file replaces its months",
)
