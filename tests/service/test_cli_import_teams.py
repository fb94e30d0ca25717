"""import-teams and import-abstraction: all or nothing, the same data twice changes nothing,
a new team file replaces the teams exactly and an abstraction file replaces its months."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.resourcing import Abstraction, Team
from service.store.db import broken_foreign_keys, get_engine
from service.store.teams import get_teams, list_abstraction
from tests.factories import run_json, write_wards

TEAMS = "team,ward_codes,pcs,pcsos\nNorth,E05000003,4,5\nRiver,E05000001;E05000002,6,7\n"
HOURS = "team,month,hours\nNorth,2025-01,100\nRiver,2025-01,200\nRiver,2025-02,50.5\n"


@pytest.fixture
def wards(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def stored(app: Flask) -> tuple[Any, ...]:
    """Every stored team row (ids and times too), ward and hour, and the teams as records."""
    with app.app_context(), get_engine().connect() as connection:
        tables = tuple(
            tuple(
                tuple(row)
                for row in connection.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1, 2"))
            )
            for t in ("teams", "team_wards", "team_abstraction")
        )
        assert broken_foreign_keys(get_engine()) == []
        return (*tables, get_teams(get_engine()))


def ledger(app: Flask) -> list[tuple[str, str, int, int]]:
    with app.app_context(), get_engine().connect() as connection:
        query = "SELECT kind, status, rows_read, rows_stored FROM imports WHERE kind IN "
        query += "('teams', 'abstraction') ORDER BY id"
        return [tuple(row) for row in connection.execute(sa.text(query))]  # type: ignore[misc]


def test_teams_and_their_hours_are_stored_and_the_same_files_again_change_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, wards: None
) -> None:
    teams, hours = write(tmp_path, "teams.csv", TEAMS), write(tmp_path, "hours.csv", HOURS)

    summary = run_json(runner, "import-teams", teams, "--abstraction", hours)
    first = stored(app)
    again = run_json(runner, "import-teams", teams, "--abstraction", hours)

    assert summary["status"] == "stored" and summary["abstraction"]["status"] == "stored"
    assert (summary["teams"], summary["wards"], summary["pcs"], summary["pcsos"]) == (2, 3, 10, 12)
    assert summary["vintage"] == "2025"
    assert first[-1] == (
        [
            Team("North", ("E05000003",), pcs=4, pcsos=5),
            Team("River", ("E05000001", "E05000002"), pcs=6, pcsos=7),
        ],
        "2025",
    )
    with app.app_context():
        assert list_abstraction(get_engine(), first="2025-01", last="2025-12") == [
            Abstraction("North", "2025-01", 100.0),
            Abstraction("River", "2025-01", 200.0),
            Abstraction("River", "2025-02", 50.5),
        ]
    assert again["status"] == "unchanged" and again["abstraction"]["status"] == "unchanged"
    assert stored(app) == first
    assert ledger(app) == [
        ("teams", "stored", 2, 2),
        ("abstraction", "stored", 3, 3),
        ("teams", "unchanged", 2, 0),
        ("abstraction", "unchanged", 3, 0),
    ]


def test_a_new_team_file_replaces_the_teams_exactly(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, wards: None
) -> None:
    run_json(runner, "import-teams", write(tmp_path, "teams.csv", TEAMS))
    replacement = "team,ward_codes,pcs,pcsos\nRiver,E05000002;E05000003,9,9\n"

    summary = run_json(runner, "import-teams", write(tmp_path, "new.csv", replacement))

    assert summary["status"] == "stored" and summary["replaced"] == 2
    with app.app_context():
        assert get_teams(get_engine()) == (
            [Team("River", ("E05000002", "E05000003"), pcs=9, pcsos=9)],
            "2025",
        )
    assert len(stored(app)[1]) == 2  # West's old row is gone, not left behind


def test_a_bad_team_file_is_refused_whole_with_row_errors_and_nothing_stored(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, wards: None
) -> None:
    run_json(runner, "import-teams", write(tmp_path, "teams.csv", TEAMS))
    before, entries = stored(app), ledger(app)
    bad = write(
        tmp_path,
        "bad.csv",
        "team,ward_codes,pcs,pcsos\nNorth,E05000003,4,5\nRiver,E05000003;E05000099,-2,7\n",
    )

    result = runner.invoke(args=["import-teams", bad])

    assert result.exit_code == 1
    assert f"{bad}: teams file cannot be used (3 problems)" in result.output
    assert f"{bad}, line 3, column 'ward_codes': 'E05000003' is already in team 'North'" in (
        result.output
    )
    assert f"{bad}, line 3, column 'ward_codes': 'E05000099' is not a stored ward code" in (
        result.output
    )
    assert f"{bad}, line 3, column 'pcs': -2 is negative" in result.output
    assert stored(app) == before and ledger(app) == entries


def test_a_bad_abstraction_file_stops_its_teams_too(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, wards: None
) -> None:
    run_json(runner, "import-teams", write(tmp_path, "teams.csv", TEAMS))
    before = stored(app)
    renamed = write(tmp_path, "renamed.csv", TEAMS.replace("North", "Hill"))
    hours = write(tmp_path, "hours.csv", "team,month,hours\nHill,2025-1,10\nNorth,2025-02,5\n")

    result = runner.invoke(args=["import-teams", renamed, "--abstraction", hours])

    assert result.exit_code == 1
    assert f"{hours}, line 2, column 'month': '2025-1' is not a month as YYYY-MM" in result.output
    assert f"{hours}, line 3, column 'team': 'North' is not a known team" in result.output
    assert stored(app) == before


def test_an_abstraction_file_replaces_only_the_months_it_holds(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, wards: None
) -> None:
    run_json(runner, "import-teams", write(tmp_path, "teams.csv", TEAMS))
    run_json(runner, "import-abstraction", write(tmp_path, "hours.csv", HOURS))
    revised = write(tmp_path, "revised.csv", "team,month,hours\nnorth,2025-02,80\n")

    summary = run_json(runner, "import-abstraction", revised)
    again = run_json(runner, "import-abstraction", revised)

    assert (summary["status"], summary["replaced"], summary["months"]) == ("stored", 1, ["2025-02"])
    assert again["status"] == "unchanged"
    with app.app_context():
        assert list_abstraction(get_engine(), first="2025-01", last="2025-02") == [
            Abstraction("North", "2025-01", 100.0),
            Abstraction("North", "2025-02", 80.0),
            Abstraction("River", "2025-01", 200.0),
        ]


def test_abstraction_needs_stored_teams_and_teams_need_stored_wards(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    teams = runner.invoke(args=["import-teams", write(tmp_path, "teams.csv", TEAMS)])
    hours = runner.invoke(args=["import-abstraction", write(tmp_path, "hours.csv", HOURS)])

    assert teams.exit_code == 1 and "no ward boundaries are stored" in teams.output
    assert hours.exit_code == 1
    assert "'North' is not a known team (known: none stored: import the teams first)" in (
        hours.output
    )
