"""The crime import on each store: pages keep answering from the last commit while an
import replaces a month (SQLite's WAL, PostgreSQL's MVCC), and see the new data after."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.io.police_uk import find_street_files, read_street_file
from service.store.crime_import import crime_import
from service.store.db import broken_foreign_keys, get_engine
from service.store.incidents import count_incidents_by_ward
from tests.factories import run_json, street_row, write_street_csv, write_wards

WEST, EAST = "E05000002", "E05000001"


def test_readers_see_the_last_commit_while_a_month_is_replaced(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    january = tmp_path / "first" / "2025-01-test-street.csv"
    write_street_csv(january, [street_row(), street_row(), street_row(lon="-1.19")])
    run_json(runner, "import-crime", str(january))
    revised = tmp_path / "revised" / "2025-01-test-street.csv"
    write_street_csv(revised, [street_row(lon="-1.19")])
    (source,) = find_street_files([revised])

    with app.app_context():
        engine = get_engine()
        with crime_import(engine) as run:
            result = run.add(read_street_file(source))
            during = count_incidents_by_ward(engine, vintage="2025")
        after = count_incidents_by_ward(engine, vintage="2025")

    assert result.rows_written == 1
    assert during == {WEST: 2, EAST: 1}
    assert after == {EAST: 1}


def test_broken_foreign_keys_are_found_after_a_bulk_write(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    january = tmp_path / "2025-01-test-street.csv"
    run_json(runner, "import-crime", str(write_street_csv(january, [street_row()])))

    with app.app_context():
        engine = get_engine()
        assert broken_foreign_keys(engine) == []
        with engine.begin() as connection:  # a write with the checks off, as the bulk writer's
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            else:
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            connection.exec_driver_sql("UPDATE incidents SET place_id = 999")
        broken = broken_foreign_keys(engine)

    assert [(table, parent) for table, parent, _ in broken] == [("incidents", "places")]
