"""The streaming crime import: files stored a block at a time keep every guarantee of a file
stored whole (issue 19), on both stores.

The blocks are made a few hundred bytes long (``block_size``), so a file of a few hundred
rows crosses many block edges: partitions, places, rejected rows and aggregates all span
blocks.
"""

from __future__ import annotations

import csv
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.io.police_uk import parse_street_csv
from service.importing import import_crime_paths
from service.store import crime_import
from service.store.aggregates import regroup_vintage
from service.store.db import broken_foreign_keys, get_engine
from tests.factories import run_json, street_row, write_street_csv, write_wards
from tests.service.test_cli_import_crime import assert_aggregates_match_incidents, rows

ROOT = Path(__file__).resolve().parents[2]
SMALL_BLOCK = 700
"""Bytes per block: three or four rows."""

ASB = "Anti-social behaviour"
CATEGORIES = ("Burglary", "Drugs", ASB, "Robbery", "Violent crime")


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


def month_rows(month: str, count: int, *, shift: int = 0, bad_every: int = 0) -> list[list[str]]:
    """``count`` rows of one month over 40 snap points in and around the wards, some
    without location, and every ``bad_every``-th row with a month that is no month."""
    made = []
    for i in range(count):
        k = i + shift
        spot = k % 40
        place = {"lon": f"{-1.218 + spot * 0.001:.3f}", "lat": f"{54.605 + spot % 7 * 0.004:.3f}"}
        if k % 13 == 0:
            place = {"lon": "", "lat": "", "location": "No Location"}
        bad = bad_every and i % bad_every == bad_every - 1
        made.append(
            street_row(
                month="2025-13" if bad else month,
                category=CATEGORIES[k % len(CATEGORIES)],
                outcome="" if k % 3 else "Unable to prosecute suspect",
                **place,
            )
        )
    return made


def stream(app: Flask, *paths: Path, **options: object) -> dict[str, object]:
    with app.app_context():
        summary = import_crime_paths(get_engine(), paths, block_size=SMALL_BLOCK, **options)
    return summary.to_json()


def partitions(app: Flask) -> list[tuple[object, ...]]:
    """Each stored partition: month, SHA-256, stored count, and incidents actually held."""
    return rows(
        app,
        "SELECT p.month, p.sha256, p.incident_count, count(i.line) FROM partitions p "
        "LEFT JOIN incidents i ON i.partition_id = p.id GROUP BY p.id, p.month, p.sha256, "
        "p.incident_count ORDER BY p.month",
    )


def assert_aggregates_regroup_the_same(app: Flask) -> None:
    """The aggregates as the import kept them equal SQL's regrouping of every incident."""
    query = {
        "ward_month_counts": "SELECT vintage, ward_code, month, force_id, category_id, status, n "
        "FROM ward_month_counts ORDER BY 1, 2, 3, 4, 5, 6",
        "ward_facts": "SELECT vintage, ward_code, month, force_id, place_id, category_id, "
        "outcome_id, n FROM ward_facts ORDER BY 1, 2, 3, 4, 5, 6, 7",
        "force_month_counts": "SELECT vintage, force_id, month, category_id, status, n "
        "FROM force_month_counts ORDER BY 1, 2, 3, 4, 5",
    }
    kept = {name: rows(app, sql) for name, sql in query.items()}
    with app.app_context(), get_engine().begin() as connection:
        for vintage in connection.scalars(sa.text("SELECT vintage FROM boundary_sets")).all():
            regroup_vintage(connection, vintage=vintage)
    assert {name: rows(app, sql) for name, sql in query.items()} == kept
    assert kept["ward_facts"] and kept["force_month_counts"]


@pytest.mark.usefixtures("wards")
def test_small_blocks_store_every_row_as_the_file_reads_whole(app: Flask, tmp_path: Path) -> None:
    path = write_street_csv(
        tmp_path / "2025-01-test-street.csv",
        month_rows("2025-01", 150, bad_every=17) + month_rows("2025-02", 90, shift=5),
    )
    whole = parse_street_csv(path.read_bytes(), source=str(path))
    progress: list[int] = []

    summary = stream(app, path, progress=progress.append)

    assert len(progress) > 50
    assert sum(progress) == summary["rows_read"] == 240
    assert (summary["rows_stored"], summary["rows_rejected"]) == (232, 8)
    assert [(e["line"], e["column"]) for e in summary["rejected"]] == [
        (e.line, e.column) for e in whole.errors
    ]
    assert [e["line"] for e in summary["rejected"]] == [18, 35, 52, 69, 86, 103, 120, 137]
    stored = rows(app, 'SELECT line, "Month", "Crime type", "Longitude" FROM incident_rows')
    expected = zip(
        *(whole.table[c].to_pylist() for c in ("line", "Month", "Crime type", "longitude")),
        strict=True,
    )
    assert sorted(stored) == sorted(
        (line, month, category, None if math.isnan(lon) else lon)
        for line, month, category, lon in expected
    )
    assert [(m, n, held) for m, _, n, held in partitions(app)] == [
        ("2025-01", 142, 142),
        ("2025-02", 90, 90),
    ]
    assert rows(app, "SELECT count(*) FROM places") == [(41,)]
    assert summary["assigned"] + summary["outside_wards"] + summary["no_location"] == 232
    assert_aggregates_regroup_the_same(app)
    assert_aggregates_match_incidents(app)
    with app.app_context():
        assert broken_foreign_keys(get_engine()) == []


@pytest.mark.usefixtures("wards")
def test_the_same_file_again_changes_nothing_and_a_revision_replaces_exactly(
    app: Flask, tmp_path: Path
) -> None:
    first = write_street_csv(tmp_path / "a" / "2025-01-test-street.csv", month_rows("2025-01", 60))
    stream(app, first)
    before = partitions(app)
    ledger = rows(app, "SELECT count(*) FROM imports")[0][0]

    again = stream(app, first)

    assert (again["unchanged_files"], again["rows_written"], again["rows_read"]) == (1, 0, 60)
    assert partitions(app) == before
    assert rows(app, "SELECT count(*) FROM imports") == [(ledger + 1,)]

    revised = write_street_csv(
        tmp_path / "b" / "2025-01-test-street.csv", month_rows("2025-01", 45, shift=3)
    )
    result = stream(app, revised)

    assert (result["unchanged_files"], result["rows_written"]) == (0, 45)
    ((month, sha256, count, held),) = partitions(app)
    assert (month, count, held) == ("2025-01", 45, 45)
    assert sha256 == result_sha256(app, str(revised))
    assert_aggregates_regroup_the_same(app)


def result_sha256(app: Flask, source: str) -> str:
    ((sha256,),) = rows(app, f"SELECT sha256 FROM imports WHERE source = '{source}'")
    return str(sha256)


@pytest.mark.usefixtures("wards")
def test_a_file_unreadable_half_way_leaves_nothing_of_it(app: Flask, tmp_path: Path) -> None:
    good = write_street_csv(tmp_path / "2025-01-test-street.csv", month_rows("2025-01", 40))
    broken = write_street_csv(
        tmp_path / "2025-02-test-street.csv", month_rows("2025-02", 60, shift=50)
    )
    with broken.open("ab") as stream_out:  # new places in early blocks, then bytes not UTF-8
        stream_out.write(b",2025-02,Test Police,Test Police,-1.2,54.61,\xff\xfe" + b",x" * 5)

    summary = stream(app, good, broken)

    assert [f["source"] for f in summary["failed_files"]] == [str(broken)]
    assert "not a readable CSV file" in summary["failed_files"][0]["message"]
    assert [(m, n, held) for m, _, n, held in partitions(app)] == [("2025-01", 40, 40)]
    assert rows(app, "SELECT count(*) FROM places") == [(37,)]  # February's 4 new are gone
    assert rows(app, "SELECT status FROM imports WHERE kind = 'crime' ORDER BY id") == [
        ("stored",),
        ("failed",),
    ]
    assert_aggregates_regroup_the_same(app)
    with app.app_context():
        assert broken_foreign_keys(get_engine()) == []


@pytest.mark.usefixtures("wards")
def test_rejected_rows_are_capped_in_the_summary_and_all_written_out(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crime_import, "REJECTED_KEPT", 3)
    path = write_street_csv(
        tmp_path / "2025-01-test-street.csv", month_rows("2025-01", 70, bad_every=10)
    )
    out = tmp_path / "rejected.csv"

    summary = run_json(runner, "import-crime", str(path), "--rejected-out", str(out))

    assert (summary["rows_rejected"], summary["rejected_not_listed"]) == (7, 4)
    assert [e["line"] for e in summary["rejected"]] == [11, 21, 31]
    with out.open(newline="") as written:
        table = list(csv.reader(written))
    assert table[0] == ["file", "line", "column", "problem"]
    assert [(f, int(n), c) for f, n, c, _ in table[1:]] == [
        (str(path), line, "Month") for line in (11, 21, 31, 41, 51, 61, 71)
    ]
    assert table[1][3] == "value '2025-13' is not YYYY-MM"

    refused = runner.invoke(args=["import-crime", str(path), "--rejected-out", str(out)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output


KILLED_IMPORT = """
import os, signal, sys
from service.importing import import_crime_paths
from service.store.db import make_engine

read = 0


def kill_after_some_blocks(rows):
    global read
    read += rows
    print(read, flush=True)
    if read >= int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)


engine = make_engine(sys.argv[1])
import_crime_paths(engine, sys.argv[3:], block_size=2000, progress=kill_after_some_blocks)
"""


def import_killed_after(app: Flask, rows_read: int, *paths: Path) -> list[int]:
    """Import ``paths`` in a process that SIGKILLs itself once ``rows_read`` rows have been
    read and stored (blocks written, transaction open); the rows it had read, block by block."""
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_IMPORT,
            app.config["DATABASE_URL"],
            str(rows_read),
            *map(str, paths),
        ],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return [int(line) for line in child.stdout.split()]


@pytest.mark.usefixtures("wards")
def test_an_import_killed_mid_file_leaves_each_month_all_there_or_absent(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    january = write_street_csv(
        tmp_path / "old" / "2025-01-test-street.csv", month_rows("2025-01", 30)
    )
    run_json(runner, "import-crime", str(january))
    before = partitions(app)
    revised = write_street_csv(
        tmp_path / "new" / "2025-01-test-street.csv", month_rows("2025-01", 400, shift=7)
    )
    february = write_street_csv(
        tmp_path / "new" / "2025-02-test-street.csv", month_rows("2025-02", 600, shift=11)
    )

    read = import_killed_after(app, 700, revised, february)

    assert len(read) >= 3 and 400 < read[-1] < 1000  # killed inside February's blocks
    assert partitions(app) == before
    assert rows(app, "SELECT count(*) FROM incidents") == [(30,)]
    assert_aggregates_regroup_the_same(app)
    with app.app_context():
        assert broken_foreign_keys(get_engine()) == []
        if get_engine().dialect.name == "sqlite":
            assert rows(app, "PRAGMA integrity_check") == [("ok",)]

    summary = run_json(runner, "import-crime", str(revised), str(february))

    assert summary["rows_written"] == 1000
    assert [(m, n, held) for m, _, n, held in partitions(app)] == [
        ("2025-01", 400, 400),
        ("2025-02", 600, 600),
    ]
    assert_aggregates_regroup_the_same(app)
