"""Schema migrations: a new database reaches head, one made before migrations upgrades in
place with every row kept, and the revisions build exactly what schema.py describes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import cast

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner

from service import create_app
from service.store import migrate
from service.store.access import record_access
from service.store.db import broken_foreign_keys, get_engine, make_engine
from service.store.schema import metadata
from tests.factories import run_json, street_row, write_street_csv, write_wards

BEFORE_MIGRATIONS = Path(__file__).parent / "data" / "before_migrations.sql"
"""A SQLite database made by the last release without migrations (its ``create_all``), with
wards, two months of crime, a threat assessment, concerns and a user: an ``iterdump``."""


def legacy_database(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        connection.executescript(BEFORE_MIGRATIONS.read_text())
    return f"sqlite:///{path}"


INCIDENT_IDS = "reported_by_id, place_id, category_id, outcome_id, context"
CRIME_ID = "CASE WHEN crime_id IS NULL THEN crime_id_text ELSE lower(hex(crime_id)) END"
"""The Crime ID as text, as ``incident_rows`` shows it on SQLite (revision 0011)."""


def table_rows(engine: sa.Engine, table: str, columns: str = "*") -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        query = f"SELECT {columns} FROM {table} ORDER BY 1, 2"
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def test_a_database_from_before_migrations_upgrades_in_place(tmp_path: Path) -> None:
    engine = make_engine(legacy_database(tmp_path / "old.sqlite"))
    with engine.begin() as connection:  # 0003 copies access_log to let user_id be NULL
        connection.exec_driver_sql(
            "INSERT INTO access_log (at, user_id, username, kind, ref, path) "
            "VALUES ('2026-12-06T23:55:00+00:00', 1, 'ana', 'concern', '1', '/concerns/1')"
        )
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        columns = {
            table: ", ".join(f'"{c["name"]}"' for c in inspector.get_columns(table))
            for table in inspector.get_table_names()
            if table not in ("partitions", "incidents")
        }
    before = {table: table_rows(engine, table, names) for table, names in columns.items()}
    incidents = table_rows(engine, "incidents", f"partition_id, line, crime_id, {INCIDENT_IDS}")
    partitions = table_rows(engine, "partitions", "id, force_id, month, import_id, sha256")
    assert migrate.current_revision(engine) is None
    assert sum(len(rows) for rows in before.values()) + len(incidents) > 60

    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    # Every row keeps every value it had; later revisions only add columns beside them.
    assert {table: table_rows(engine, table, names) for table, names in columns.items()} == before
    assert table_rows(engine, "users", "id, session_generation") == [(1, 0)]
    assert table_rows(engine, "concerns", "id, version") == [(1, 1), (2, 1)]
    assert table_rows(engine, "concern_updates", "id, version") == [(1, None), (2, None)]
    assert table_rows(engine, "sign_in_failures") == []
    with engine.begin() as connection:  # the command line's reads: no user id
        connection.exec_driver_sql(
            "INSERT INTO access_log (at, user_id, username, kind, ref, path) "
            "VALUES ('2026-12-07T00:00:00+00:00', NULL, 'root', 'concern', '2', 'export')"
        )
    assert table_rows(engine, "access_log", "user_id, ref") == [(None, "2"), (1, "1")]
    assert table_rows(engine, "partitions", "id, force_id, month, import_id, sha256") == partitions
    # 0011 keys incidents by (partition_id, line) and stores the Crime ID as bytes.
    assert table_rows(engine, "incidents", f"partition_id, line, {CRIME_ID}, {INCIDENT_IDS}") == (
        incidents
    )
    assert table_rows(engine, "partitions", "month, incident_count") == [
        ("2025-01", 5),
        ("2025-02", 2),
    ]
    # 0012 sums the stored ward counts into the force's.
    assert sorted(table_rows(engine, "force_month_counts", "month, status, category_id, n")) == [
        ("2025-01", "no location", 11, 1),
        ("2025-01", "outside", 10, 1),
        ("2025-01", "ward", 1, 1),
        ("2025-01", "ward", 3, 1),
        ("2025-01", "ward", 5, 1),
        ("2025-02", "ward", 9, 1),
        ("2025-02", "ward", 13, 1),
    ]
    assert broken_foreign_keys(engine) == []
    engine.dispose()


def test_an_upgraded_database_serves_and_imports(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": legacy_database(tmp_path / "old.sqlite"), "SECRET_KEY": "t"})
    runner = app.test_cli_runner()
    march = write_street_csv(
        tmp_path / "2025-03" / "2025-03-test-street.csv",
        [street_row(month="2025-03"), street_row(month="2025-03", category="Drugs")],
    )
    revised_january = write_street_csv(
        tmp_path / "2025-01" / "2025-01-test-street.csv", [street_row(month="2025-01")]
    )

    run_json(runner, "import-crime", str(march), str(revised_january))

    with app.app_context():
        engine = get_engine()
        assert table_rows(engine, "partitions", "month, incident_count") == [
            ("2025-01", 1),
            ("2025-02", 2),
            ("2025-03", 2),
        ]
        assert broken_foreign_keys(engine) == []
    assert _by_month(app) == [("2025-01", 1), ("2025-02", 2), ("2025-03", 2)]


def _by_month(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        query = 'SELECT "Month", count(*) FROM incident_rows GROUP BY 1 ORDER BY 1'
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def test_revisions_build_what_schema_py_describes(app: Flask) -> None:
    """Fails when schema.py changes without a revision (or a revision without schema.py)."""
    with app.app_context(), get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_db_commands_report_and_upgrade(app: Flask, runner: FlaskCliRunner) -> None:
    head = migrate.head_revision()

    current = runner.invoke(args=["db", "current"])
    upgrade = runner.invoke(args=["db", "upgrade"])
    init = runner.invoke(args=["init-db"])

    assert current.exit_code == 0 and f"{head} (up to date)" in current.output
    assert upgrade.exit_code == 0 and f"at revision {head}" in upgrade.output
    assert init.exit_code == 0 and f"revision {head}" in init.output
    with app.app_context():
        assert migrate.is_current(get_engine())


def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    create_app({"DATABASE_URL": url, "SECRET_KEY": "t"})
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()

    with pytest.raises(RuntimeError, match=r"revision 9999.*newer than this release"):
        create_app({"DATABASE_URL": url, "SECRET_KEY": "t"})


def test_revision_0003_goes_down_and_up_again(app: Flask) -> None:
    """0003 downgrades to 0002 and back on both stores, and refuses to go down while the
    access log holds rows without a user, which 0002 cannot keep."""
    with app.app_context():
        engine = get_engine()
        record_access(
            engine, user_id=None, username="root", consulted=[("concern", "7")], path="export"
        )
        with pytest.raises(RuntimeError, match="1 rows without a user"):
            migrate.downgrade(engine, "0002")
        assert migrate.is_current(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM access_log"))

        migrate.downgrade(engine, "0002")
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            assert "sign_in_failures" not in inspector.get_table_names()
            assert "version" not in {c["name"] for c in inspector.get_columns("plans")}
            user_id = {c["name"]: c for c in inspector.get_columns("access_log")}["user_id"]
            assert user_id["nullable"] is False

        migrate.upgrade(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
        assert broken_foreign_keys(engine) == []


def test_revision_0011_rewrites_incidents_from_0010_with_every_crime_id_kept(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Incidents held at 0010 (Crime IDs as text, keyed by id) come through 0011 with every
    row and every Crime ID as it was, on both stores; police.uk's become 32 bytes."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    crime_ids = ["0f" * 32, "0F" * 32, "j1", "é" * 32, "0" * 63 + "g", "", None]
    csv = write_street_csv(tmp_path / "2025-01-test-street.csv", [street_row(crime_id="ab" * 32)])
    run_json(runner, "import-crime", str(csv))
    with app.app_context():
        engine = get_engine()
        migrate.downgrade(engine, "0010")
        with engine.begin() as connection:  # rows as 0010 held them, many to rewrite
            row = connection.exec_driver_sql(
                "SELECT partition_id, reported_by_id, place_id, category_id FROM incidents"
            ).one()
            held = [(n % len(crime_ids), crime_ids[n % len(crime_ids)]) for n in range(3000)]
            connection.execute(
                sa.text(
                    "INSERT INTO incidents (partition_id, line, crime_id, reported_by_id, "
                    "place_id, category_id, outcome_id, context) "
                    "VALUES (:p, :line, :crime_id, :r, :pl, :c, NULL, :context)"
                ),
                [
                    dict(zip(("p", "r", "pl", "c"), row, strict=True))
                    | {"line": 10 + n, "crime_id": crime_id, "context": f"n{kind}"}
                    for n, (kind, crime_id) in enumerate(held)
                ],
            )
        at_0010 = table_rows(engine, "incidents", "line, crime_id")

        migrate.upgrade(engine)

        assert table_rows(engine, "incident_rows", 'line, "Crime ID"') == at_0010
        assert at_0010[0] == (2, "ab" * 32) and len(at_0010) == 3001
        stored = table_rows(engine, "incidents", "line, crime_id")
        assert [bytes(cast(bytes, c)) for _, c in stored if c is not None] == [
            bytes.fromhex("ab" * 32),
            *[bytes.fromhex("0f" * 32)] * (3000 // len(crime_ids) + 1),
        ]
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
        assert broken_foreign_keys(engine) == []
