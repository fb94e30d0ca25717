from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store.db import broken_foreign_keys, get_engine
from tests.factories import run_json, street_row, write_street_csv, write_wards

ASB = "Anti-social behaviour"


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


def rows(app: Flask, sql: str) -> list[tuple[object, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql))]


def foreign_key_problems(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        return broken_foreign_keys(get_engine())


def january(tmp_path: Path, **overrides: str) -> Path:
    """Seven rows: west, east, on the shared edge, north, outside, no location, ASB twice."""
    return write_street_csv(
        tmp_path / "2025-01" / "2025-01-test-street.csv",
        [
            street_row(lon="-1.21", lat="54.61", **overrides),
            street_row(lon="-1.19", lat="54.61", category="Violent crime"),
            street_row(lon="-1.2", lat="54.61", category="Robbery"),
            street_row(lon="-1.21", lat="54.63", category="Drugs"),
            street_row(lon="-1.10", lat="54.61", category="Shoplifting"),
            street_row(lon="", lat="", location="No Location", category="Other crime"),
            street_row(lon="-1.21", lat="54.61", category=ASB),
            street_row(lon="-1.21", lat="54.61", category=ASB),
        ],
    )


@pytest.mark.usefixtures("wards")
def test_rows_are_counted_by_how_they_joined(runner: FlaskCliRunner, tmp_path: Path) -> None:
    summary = run_json(runner, "import-crime", str(january(tmp_path)))

    assert summary["rows_read"] == 8
    assert summary["rows_stored"] == 8
    assert summary["rows_rejected"] == 0
    assert summary["assigned"] == 6
    assert summary["outside_wards"] == 1
    assert summary["no_location"] == 1
    assert summary["months"] == ["2025-01"]
    assert summary["forces"] == ["Test Police"]


@pytest.mark.usefixtures("wards")
def test_shared_edge_goes_to_the_smaller_code_and_identical_rows_stay_apart(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-crime", str(january(tmp_path)))

    by_ward = dict(
        rows(app, "SELECT coalesce(ward_code, '-'), count(*) FROM incident_rows GROUP BY 1")
    )
    # West E05000002: burglary + 2 ASB; East E05000001: violence + the edge robbery.
    assert by_ward == {"E05000001": 2, "E05000002": 3, "E05000003": 1, "-": 2}


@pytest.mark.usefixtures("wards")
def test_every_police_uk_column_comes_back(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-crime", str(january(tmp_path, crime_id="ab" * 32, context="c")))

    first = rows(
        app,
        'SELECT "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", '
        '"Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", '
        '"Context", ward_code, ward_vintage, line FROM incident_rows ORDER BY line LIMIT 2',
    )
    assert first[0] == (
        "ab" * 32, "2025-01", "Test Police", "Test Police", -1.21, 54.61,
        "On or near High Street", "E01000001", "Testborough 001A", "Burglary",
        "Under investigation", "c", "E05000002", "2025", 2,
    )  # fmt: skip
    assert first[1][9] == "Violence and sexual offences"


@pytest.mark.usefixtures("wards")
def test_importing_the_same_file_again_changes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = str(january(tmp_path))
    run_json(runner, "import-crime", path)
    before = rows(app, "SELECT * FROM incidents ORDER BY partition_id, line")

    again = run_json(runner, "import-crime", path)

    assert again["rows_written"] == 0
    assert again["unchanged_files"] == 1
    assert again["rows_read"] == again["rows_stored"] == 8
    assert rows(app, "SELECT * FROM incidents ORDER BY partition_id, line") == before


@pytest.mark.usefixtures("wards")
def test_revised_file_replaces_its_force_month(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-crime", str(january(tmp_path)))
    february = write_street_csv(
        tmp_path / "feb" / "2025-02-test-street.csv", [street_row(month="2025-02")]
    )
    run_json(runner, "import-crime", str(february))
    revised = write_street_csv(
        tmp_path / "revised" / "2025-01-test-street.csv",
        [street_row(category="Drugs"), street_row(category="Robbery")],
    )

    summary = run_json(runner, "import-crime", str(revised))

    assert summary["rows_written"] == 2
    assert rows(app, 'SELECT "Month", count(*) FROM incident_rows GROUP BY 1 ORDER BY 1') == [
        ("2025-01", 2),
        ("2025-02", 1),
    ]
    assert foreign_key_problems(app) == []


@pytest.mark.usefixtures("wards")
def test_rejected_rows_are_named_and_the_rest_stored(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_street_csv(
        tmp_path / "x.csv",
        [street_row(), street_row(month="2025-13"), street_row(category="Dragons"), street_row()],
    )

    result = runner.invoke(args=["import-crime", str(path)])
    summary = run_json(runner, "import-crime", str(path))

    assert result.exit_code == 0
    assert "x.csv, line 3, Month: value '2025-13' is not YYYY-MM" in result.stderr
    assert summary["rows_read"] == 4
    assert summary["rows_stored"] == 2
    assert summary["rows_rejected"] == 2
    assert [(e["line"], e["column"]) for e in summary["rejected"]] == [
        (3, "Month"),
        (4, "Crime type"),
    ]


@pytest.mark.usefixtures("wards")
def test_unreadable_file_fails_alone_and_exits_non_zero(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    january(tmp_path)
    write_street_csv(
        tmp_path / "2025-02" / "2025-02-test-street.csv",
        [street_row(month="2025-02")],
        header=["Crime ID", "Month", "Oops"],
    )

    result = runner.invoke(args=["import-crime", str(tmp_path)])

    assert result.exit_code == 1
    assert "2025-02-test-street.csv: the header is not the police.uk street layout" in result.stderr
    assert rows(app, 'SELECT DISTINCT "Month" FROM incident_rows') == [("2025-01",)]
    assert rows(app, "SELECT status FROM imports WHERE kind = 'crime' ORDER BY id") == [
        ("stored",),
        ("failed",),
    ]


@pytest.mark.usefixtures("wards")
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file or folder"),
        ("notes.txt", b"hello", "not a CSV file, a folder or a zip archive"),
        ("broken.zip", b"PK\x03\x04 not really", "not a readable zip archive"),
    ],
)
def test_bad_paths_store_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    result = runner.invoke(args=["import-crime", str(path)])

    assert result.exit_code != 0
    assert name in result.output and message in result.output
    assert rows(app, "SELECT count(*) FROM incidents") == [(0,)]


@pytest.mark.usefixtures("wards")
def test_police_uk_archive_is_read_member_by_member(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    csv_path = january(tmp_path / "src")
    archive = tmp_path / "police-uk.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(csv_path, "2025-01/2025-01-test-street.csv")
        out.writestr("2025-01/2025-01-test-outcomes.csv", "not street data")

    summary = run_json(runner, "import-crime", str(archive))

    assert summary["files"] == 1
    assert summary["rows_stored"] == 8


@pytest.mark.usefixtures("wards")
def test_two_files_for_one_force_month_are_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first = january(tmp_path / "a")
    second = write_street_csv(tmp_path / "b" / "other.csv", [street_row()])

    result = runner.invoke(args=["import-crime", str(first), str(second)])

    assert result.exit_code == 1
    assert "Test Police 2025-01 is also in" in result.stderr
    assert rows(app, "SELECT count(*) FROM incidents") == [(8,)]


def test_crime_before_wards_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-crime", str(january(tmp_path))])

    assert result.exit_code != 0
    assert "run import-wards first" in result.output


@pytest.mark.usefixtures("wards")
def test_new_vintage_assigns_stored_places(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-crime", str(january(tmp_path)))

    run_json(runner, "import-wards", str(write_wards(tmp_path / "w26.geojson", year="26")))

    assert rows(
        app,
        "SELECT vintage, count(ward_code), count(*) FROM place_wards GROUP BY 1 ORDER BY 1",
    ) == [("2025", 4, 5), ("2026", 4, 5)]


def assert_aggregates_match_incidents(app: Flask) -> None:
    """The grouped tables equal a fresh GROUP BY over incident_rows, for every vintage."""
    grouped = rows(
        app,
        "SELECT vintage, ward_code, month, c.label, status, n FROM ward_month_counts "
        "JOIN categories c ON c.id = category_id ORDER BY 1, 2, 3, 4, 5",
    )
    fresh = rows(
        app,
        """
        SELECT bs.vintage, coalesce(pw.ward_code, ''), r."Month", r."Crime type",
               CASE WHEN r."Longitude" IS NULL THEN 'no location'
                    WHEN pw.ward_code IS NULL THEN 'outside' ELSE 'ward' END,
               count(*)
        FROM incident_rows r
        JOIN incidents i ON i.partition_id = r.partition_id AND i.line = r.line
        CROSS JOIN boundary_sets bs
        LEFT JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = bs.vintage
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        """,
    )
    assert grouped == fresh
    facts = rows(
        app,
        "SELECT vintage, ward_code, month, sum(n) FROM ward_facts "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    in_wards = rows(
        app,
        "SELECT vintage, ward_code, month, sum(n) FROM ward_month_counts "
        "WHERE status = 'ward' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    assert facts == in_wards


@pytest.mark.usefixtures("wards")
def test_aggregates_follow_every_kind_of_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-crime", str(january(tmp_path)))
    assert_aggregates_match_incidents(app)

    revised = write_street_csv(
        tmp_path / "revised" / "2025-01-test-street.csv",
        [street_row(category="Drugs"), street_row(lon="-1.19", category="Robbery")],
    )
    run_json(runner, "import-crime", str(revised))
    assert_aggregates_match_incidents(app)

    run_json(runner, "import-wards", str(write_wards(tmp_path / "w26.geojson", year="26")))
    assert_aggregates_match_incidents(app)
    assert rows(app, "SELECT count(DISTINCT vintage) FROM ward_facts") == [(2,)]


@pytest.mark.usefixtures("wards")
def test_a_revised_month_replaces_its_own_aggregate_rows_only(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """The revised partition's rows of both aggregates go, in every vintage, whichever
    wards they were in (or none, or no location); another force's rows of the same ward
    and month, and the force's other months, stay."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w26.geojson", year="26")))
    other = [street_row(force="Other Police"), street_row(force="Other Police", lon="-1.19")]
    run_json(runner, "import-crime", str(january(tmp_path)))
    for name, rows_of_file in (
        ("2025-01-other-street.csv", other),
        ("2025-02-test-street.csv", [street_row(month="2025-02")]),
    ):
        run_json(runner, "import-crime", str(write_street_csv(tmp_path / "b" / name, rows_of_file)))
    kept = (
        "SELECT count(*), sum(n) FROM {} WHERE month <> '2025-01' "
        "OR force_id <> (SELECT id FROM forces WHERE name = 'Test Police')"
    )
    before = [rows(app, kept.format(t)) for t in ("ward_month_counts", "ward_facts")]

    revised = write_street_csv(
        tmp_path / "revised" / "2025-01-test-street.csv",
        [street_row(lon="-1.19", category="Robbery")],
    )
    run_json(runner, "import-crime", str(revised))

    assert_aggregates_match_incidents(app)
    assert [rows(app, kept.format(t)) for t in ("ward_month_counts", "ward_facts")] == before
    assert rows(
        app,
        "SELECT vintage, ward_code, status, n FROM ward_month_counts w JOIN forces f "
        "ON f.id = w.force_id WHERE f.name = 'Test Police' AND month = '2025-01' ORDER BY 1",
    ) == [("2025", "E05000001", "ward", 1), ("2026", "E05000001", "ward", 1)]


def run_with_a_small_disk(app: Flask, args: list[str], *, room: int) -> subprocess.CompletedProcess:
    """Run a command in its own process, allowed to write files only ``room`` bytes larger
    than the database is now: a full disk, met for real by every write past it (the kernel
    refuses it with EFBIG, which SQLite reports as it reports ENOSPC)."""
    database = Path(sa.make_url(app.config["DATABASE_URL"]).database or "")
    limit = database.stat().st_size + room

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "service", *args],
        env=os.environ
        | {"WARDPROFILES_DATABASE_URL": app.config["DATABASE_URL"], "WARDPROFILES_SECRET_KEY": "t"},
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.sqlite_only  # a file that cannot grow; PostgreSQL's disk is the server's
@pytest.mark.usefixtures("wards")
def test_a_full_disk_is_one_message_and_nothing_is_stored(app: Flask, tmp_path: Path) -> None:
    """Issue 13, item 8: a disk filling up during an import gives one clear message (not
    two tracebacks) and leaves the database as it was."""
    many = [
        street_row(lon=f"{-1.219 + i % 150 * 0.0001:.4f}", lat=f"{54.601 + i // 150 * 0.0001:.4f}")
        for i in range(30_000)
    ]
    path = write_street_csv(tmp_path / "2025-01-test-street.csv", many)
    before = rows(app, "SELECT count(*) FROM ward_facts")

    result = run_with_a_small_disk(app, ["import-crime", str(path)], room=200_000)

    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: the ") and "nothing of this run was stored" in error, error
    assert "Traceback" not in result.stderr
    assert rows(app, "SELECT count(*) FROM incidents") == [(0,)]
    assert rows(app, "SELECT count(*) FROM places") == [(0,)]
    assert rows(app, "SELECT count(*) FROM ward_facts") == before
    assert rows(app, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.usefixtures("wards")
def test_an_archive_with_a_member_leading_outside_it_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Issue 13, item 9: the rows of a ``../`` member were stored."""
    csv_bytes = january(tmp_path).read_bytes()
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2025-01/2025-01-test-street.csv", csv_bytes)
        archive.writestr("../2025-02/2025-02-test-street.csv", csv_bytes)

    result = runner.invoke(args=["import-crime", str(path)])

    assert result.exit_code == 1
    assert f"Error: {path}: the archive holds member names leading outside it" in result.output
    assert "'../2025-02/2025-02-test-street.csv'" in result.output
    assert rows(app, "SELECT count(*) FROM incidents") == [(0,)]


CRIME_IDS = [
    "0f" * 32,  # police.uk's form: stored as its 32 bytes
    "0F" * 32,  # upper-case hex
    "j1",  # a force's own reference
    "é" * 32,  # 64 bytes of UTF-8, not hex
    "0" * 63 + "g",  # 64 characters, one not hex
    "ab" * 31,  # too short
]
"""Crime IDs in police.uk's form and not: every one imports and comes back as written."""


def crime_id_file(tmp_path: Path) -> Path:
    return write_street_csv(
        tmp_path / "2025-01" / "2025-01-test-street.csv",
        [street_row(crime_id=crime_id) for crime_id in CRIME_IDS] + [street_row(category=ASB)],
    )


@pytest.mark.usefixtures("wards")
def test_crime_ids_come_back_as_written_and_police_uk_ones_are_stored_as_bytes(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    summary = run_json(runner, "import-crime", str(crime_id_file(tmp_path)))

    assert summary["rows_stored"] == len(CRIME_IDS) + 1
    assert rows(app, 'SELECT "Crime ID" FROM incident_rows ORDER BY line') == [
        *((crime_id,) for crime_id in CRIME_IDS),
        (None,),
    ]
    stored = rows(app, "SELECT crime_id, crime_id_text FROM incidents ORDER BY line")
    assert [bytes(c) if c is not None else None for c, _ in stored] == [
        bytes.fromhex("0f" * 32),
        *([None] * len(CRIME_IDS)),
    ]
    assert [t for _, t in stored] == [None, *CRIME_IDS[1:], None]
