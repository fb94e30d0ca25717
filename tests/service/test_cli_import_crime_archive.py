"""import-crime on police.uk's all-forces archive: a synthetic one, three forces by two months.

The rows are the real Cleveland rows (WARDPROFILES_TEST_DATA) when the real data is there
and small hand-made rows otherwise; the other forces are copies whose coordinates are moved
so that some (Durham) or all (the Met) of their rows fall outside the wards.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.crime import STREET_COLUMNS
from geodata.io.police_uk import StreetSource
from service.cli import import_crime
from service.importing import CONSERVED
from service.store.db import get_engine
from tests.conftest import DATA_VARIABLE
from tests.factories import run_json, street_row, write_wards

MONTHS = ("2025-01", "2025-02")
REAL_ROWS = 600
"""Rows taken evenly through each real Cleveland month (its rows are in LSOA order): enough
to spread over the four boroughs, few enough to import quickly on both stores."""


@dataclass(frozen=True)
class Shift:
    """How a force's copy of the rows is moved: degrees of longitude and latitude."""

    lon: float = 0.0
    lat: float = 0.0


@dataclass(frozen=True)
class Layout:
    """The rows and wards one test run uses, and how each force's copy is moved."""

    rows: dict[str, list[list[str]]]
    wards: list[Path]
    shifts: dict[tuple[str, str], Shift]


def real_layout(folder: Path) -> Layout:
    """Cleveland's rows; Durham's moved 0.3 degrees east (its east part leaves the wards),
    the Met's 3.1 degrees south (London: all outside Cleveland's wards)."""
    rows = {}
    for month in MONTHS:
        path = folder / "police_uk" / "cleveland" / f"{month}-cleveland-street.csv"
        with path.open(newline="", encoding="utf-8-sig") as stream:
            every = list(csv.reader(stream))[1:]
        rows[month] = every[:: len(every) // REAL_ROWS][:REAL_ROWS]
    return Layout(
        rows=rows,
        wards=[folder / "boundaries" / "cleveland_wards_wd25.geojson"],
        shifts={
            ("cleveland", "Cleveland Police"): Shift(),
            ("durham", "Durham Constabulary"): Shift(lon=0.3),
            ("metropolitan", "Metropolitan Police Service"): Shift(lat=-3.1),
        },
    )


def synthetic_layout(tmp_path: Path) -> Layout:
    """Four rows across the hand-drawn wards (lon -1.22 to -1.18); Durham's moved 0.02
    degrees east (two of four leave the wards), the Met's 3.1 degrees south."""
    rows = {
        month: [
            street_row(month=month, lon=lon, category=category)
            for lon in ("-1.215", "-1.205", "-1.195", "-1.185")
            for category in ("Burglary", "Anti-social behaviour")
        ]
        for month in MONTHS
    }
    return Layout(
        rows=rows,
        wards=[write_wards(tmp_path / "wards.geojson")],
        shifts={
            ("cleveland", "Cleveland Police"): Shift(),
            ("durham", "Durham Constabulary"): Shift(lon=0.02),
            ("metropolitan", "Metropolitan Police Service"): Shift(lat=-3.1),
        },
    )


def moved(row: list[str], name: str, shift: Shift) -> list[str]:
    """A copy of a police.uk row published by ``name`` with its point moved by ``shift``."""
    out = list(row)
    out[2] = out[3] = name
    if out[4] and out[5]:
        out[4] = f"{float(out[4]) + shift.lon:.6f}"
        out[5] = f"{float(out[5]) + shift.lat:.6f}"
    return out


def csv_bytes(rows: list[list[str]]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(STREET_COLUMNS)
    writer.writerows(rows)
    return stream.getvalue().encode()


@dataclass(frozen=True)
class Archive:
    path: Path
    rows: Counter[str]
    """Rows written per force name, rejected ones included."""
    rejected: Counter[str]
    """Rows per force name that the import must reject."""


def build_archive(path: Path, layout: Layout) -> Archive:
    """police.uk's layout: ``YYYY-MM/YYYY-MM-<force>-{street,outcomes,stop-and-search}.csv``.

    Each force's street file gets one row with no location and one with a month that is not
    a month (rejected), beside its copy of the rows.
    """
    rows: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for month in MONTHS:
            for (slug, name), shift in layout.shifts.items():
                street = [moved(row, name, shift) for row in layout.rows[month]]
                street.append(moved(street_row(month=month, lon="", lat=""), name, shift))
                street.append(moved(street_row(month="2025-13"), name, shift))
                rows[name] += len(street)
                rejected[name] += 1
                folder = f"{month}/{month}-{slug}"
                archive.writestr(f"{folder}-street.csv", csv_bytes(street))
                archive.writestr(f"{folder}-outcomes.csv", b"Crime ID,Month,Outcome type\n")
                archive.writestr(f"{folder}-stop-and-search.csv", b"Type,Date,Outcome\n")
    return Archive(path, rows, rejected)


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    folder = os.environ.get(DATA_VARIABLE)
    if folder and (Path(folder) / "police_uk" / "cleveland").is_dir():
        return real_layout(Path(folder))
    return synthetic_layout(tmp_path)


@pytest.fixture
def archive(runner: FlaskCliRunner, tmp_path: Path, layout: Layout) -> Archive:
    run_json(runner, "import-wards", *map(str, layout.wards))
    return build_archive(tmp_path / "2025-02.zip", layout)


def stored_by_force(app: Flask) -> dict[str, int]:
    with app.app_context(), get_engine().connect() as connection:
        rows = connection.execute(
            sa.text('SELECT "Falls within", count(*) FROM incident_rows GROUP BY 1')
        )
        return {name: count for name, count in rows}


def incidents(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                sa.text("SELECT * FROM incidents ORDER BY partition_id, line")
            )
        ]


def test_every_force_is_conserved(app: Flask, runner: FlaskCliRunner, archive: Archive) -> None:
    summary = run_json(runner, "import-crime", str(archive.path))

    forces = {force["force"]: force for force in summary["by_force"]}
    assert sorted(forces) == sorted(archive.rows)
    for name, force in forces.items():
        assert force["files"] == 2 and force["months"] == list(MONTHS)
        assert force["rows_read"] == archive.rows[name]
        assert force["rows_rejected"] == archive.rejected[name]
        assert force["rows_read"] == force["rows_stored"] + force["rows_rejected"]
        assert force["rows_stored"] == (
            force["assigned"] + force["outside_wards"] + force["no_location"]
        )
        assert force["no_location"] == 2
    assert stored_by_force(app) == {name: f["rows_stored"] for name, f in forces.items()}
    for total in ("rows_read", "rows_stored", "rows_rejected", "assigned", "outside_wards"):
        assert summary[total] == sum(force[total] for force in forces.values())
    assert summary["rows_read"] == summary["rows_stored"] + summary["rows_rejected"]
    durham, met = forces["Durham Constabulary"], forces["Metropolitan Police Service"]
    assert durham["assigned"] > 0 and durham["outside_wards"] > 0
    assert met["assigned"] == 0 and met["outside_wards"] == met["rows_stored"] - 2
    rejected = {(row["source"].rsplit("!", 1)[1], row["column"]) for row in summary["rejected"]}
    assert ("2025-01/2025-01-durham-street.csv", "Month") in rejected


def test_other_files_are_skipped_with_a_note(runner: FlaskCliRunner, archive: Archive) -> None:
    result = runner.invoke(args=["import-crime", str(archive.path)])

    assert result.exit_code == 0, result.output
    note = (
        "skipped 6 outcomes files and 6 stop-and-search files: Ward Profiles imports street files"
    )
    assert f"Note: {note}." in result.stdout
    assert "Importing" not in result.stderr  # no progress bar unless on a terminal
    summary = run_json(runner, "import-crime", str(archive.path))
    table = {
        cells[0]: cells[1:]
        for line in result.stdout.splitlines()
        if len(cells := re.split(r"\s{2,}", line.strip())) == 7
    }
    assert table["Force"] == ["read", "stored", "rejected", "in wards", "outside", "no location"]
    for force in summary["by_force"]:
        assert table[force["force"]] == [f"{force[count]:,}" for count in CONSERVED]
    assert summary["note"] == note
    assert summary["skipped_files"] == {"outcomes": 6, "stop-and-search": 6}
    assert summary["files"] == 6 and summary["left_out_files"] == 0


def test_force_keeps_exactly_the_chosen_forces(
    app: Flask, runner: FlaskCliRunner, archive: Archive
) -> None:
    summary = run_json(
        runner, "import-crime", str(archive.path), "--force", "cleveland",
        "--force", "durham CONSTABULARY",
    )  # fmt: skip

    chosen = ["Cleveland Police", "Durham Constabulary"]
    assert [force["force"] for force in summary["by_force"]] == chosen
    assert sorted(stored_by_force(app)) == chosen
    assert summary["files"] == 4 and summary["left_out_files"] == 2
    assert summary["note"].endswith("left out 2 street files of forces not chosen")

    again = run_json(runner, "import-crime", str(archive.path), "--force", "metropolitan,durham")
    assert [force["force"] for force in again["by_force"]] == [
        "Durham Constabulary",
        "Metropolitan Police Service",
    ]
    assert sorted(stored_by_force(app)) == sorted(archive.rows)


def test_an_unknown_force_is_refused_with_the_forces_held(
    app: Flask, runner: FlaskCliRunner, archive: Archive
) -> None:
    result = runner.invoke(args=["import-crime", str(archive.path), "--force", "Kent Police"])

    assert result.exit_code == 2
    assert "--force 'Kent Police': not among the forces the files hold: " in result.output
    assert (
        "cleveland (Cleveland Police), durham (Durham Constabulary), "
        "metropolitan (Metropolitan Police Service)"
    ) in result.output
    assert stored_by_force(app) == {}
    blank = runner.invoke(args=["import-crime", str(archive.path), "--force", " , "])
    assert blank.exit_code == 2 and "--force: give a force's slug" in blank.output


def test_importing_the_archive_again_changes_nothing(
    app: Flask, runner: FlaskCliRunner, archive: Archive
) -> None:
    first = run_json(runner, "import-crime", str(archive.path))
    before = incidents(app)

    again = run_json(runner, "import-crime", str(archive.path))

    assert again["rows_written"] == 0 and again["unchanged_files"] == 6
    assert again["by_force"] == first["by_force"]
    assert incidents(app) == before


def corrupt(path: Path, member: str) -> None:
    """Flip bytes in the middle of one member's compressed data."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + min(info.compress_size, 60)):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_corrupt_member_fails_alone_and_is_named(
    app: Flask, runner: FlaskCliRunner, archive: Archive
) -> None:
    member = "2025-02/2025-02-durham-street.csv"
    corrupt(archive.path, member)

    result = runner.invoke(args=["import-crime", str(archive.path), "--json"])

    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    [failed] = summary["failed_files"]
    assert failed["source"] == f"{archive.path}!{member}"
    assert failed["message"].startswith(f"{archive.path}!{member}: cannot read from the archive")
    durham = next(f for f in summary["by_force"] if f["force"] == "Durham Constabulary")
    assert (durham["files"], durham["failed_files"], durham["months"]) == (2, 1, ["2025-01"])
    assert durham["rows_read"] == durham["rows_stored"] + durham["rows_rejected"]
    assert stored_by_force(app)["Durham Constabulary"] == durham["rows_stored"]
    assert f"failed: {archive.path}!{member}" in result.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_counts_files_and_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)

    with import_crime._progress(3) as progress:
        progress.read(1200)
        progress.file(StreetSource(Path("a.zip"), "2025-01/2025-01-cleveland-street.csv"))
        progress.read(34)
        progress.file(StreetSource(Path("2025-01-durham-street.csv")))

    shown = screen.getvalue()
    assert "Importing" in shown and "2/3" in shown
    assert "1,234 rows, 2025-01-durham-street.csv" in shown
