"""Team and abstraction files: a bad row refuses the whole file, every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.errors import TeamFileError
from geodata.io.teams import read_abstraction, read_teams
from geodata.resourcing import Abstraction, Team

KNOWN = {"E05000001", "E05000002", "E05000003", "E05000004"}


def write(tmp_path: Path, text: str, name: str = "teams.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_team_file_is_read_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Team,Ward_codes,PCs,PCSOs,notes\n"
        "North,E05000001; E05000002,3,4,ignored\n"
        "\n"
        "South,E05000003,0,2,\n",
    )

    assert read_teams(path, known_wards=KNOWN) == (
        Team("North", ("E05000001", "E05000002"), pcs=3, pcsos=4),
        Team("South", ("E05000003",), pcs=0, pcsos=2),
    )


def test_every_bad_row_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "team,ward_codes,pcs,pcsos\n"
        "North,E05000001;E05099999,3,4\n"  # line 2: unknown ward
        "South,E05000002;E05000001,-1,2\n"  # line 3: ward of North, negative PCs
        "north,E05000003,2,two\n"  # line 4: repeated name, PCSOs not a number
        ",,1,1\n",  # line 5: blank name, no wards
    )

    with pytest.raises(TeamFileError) as caught:
        read_teams(path, known_wards=KNOWN)

    found = [(e.line, e.column, e.problem) for e in caught.value.errors]
    assert found == [
        (2, "ward_codes", "'E05099999' is not a stored ward code"),
        (
            3,
            "ward_codes",
            "'E05000001' is already in team 'North' (line 2); a ward belongs to one team",
        ),
        (3, "pcs", "-1 is negative; staff are 0 or more"),
        (4, "team", "'north' is already the team of line 2; give each team one row"),
        (4, "pcsos", "'two' is not a whole number of people in post"),
        (5, "team", "is blank; give the team's name"),
        (5, "ward_codes", "is blank; list the team's ward codes"),
    ]
    message = str(caught.value)
    assert message.startswith(f"{path}: teams file cannot be used (7 problems):")
    assert f"{path}, line 3, column 'pcs': -1 is negative" in message


def test_a_ward_twice_in_one_team_and_a_file_without_teams_are_refused(tmp_path: Path) -> None:
    twice = write(tmp_path, "team,ward_codes,pcs,pcsos\nNorth,E05000001;E05000001,1,1\n")
    with pytest.raises(TeamFileError, match="'E05000001' is listed twice"):
        read_teams(twice, known_wards=KNOWN)
    empty = write(tmp_path, "team,ward_codes,pcs,pcsos\n", name="empty.csv")
    with pytest.raises(TeamFileError, match="holds no team"):
        read_teams(empty, known_wards=KNOWN)
    header = write(tmp_path, "team,wards,pcs\nNorth,E05000001,1\n", name="header.csv")
    with pytest.raises(TeamFileError, match="lacks the columns"):
        read_teams(header, known_wards=KNOWN)


def test_abstraction_rows_name_known_teams_as_they_are_spelt(tmp_path: Path) -> None:
    path = write(
        tmp_path, "team,month,hours\nnorth,2025-01,120.5\nSouth,2025-01,0\n", name="hours.csv"
    )

    assert read_abstraction(path, known_teams=["North", "South"]) == (
        Abstraction("North", "2025-01", 120.5),
        Abstraction("South", "2025-01", 0.0),
    )


def test_bad_abstraction_rows_are_each_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "team,month,hours\n"
        "West,2025-01,10\n"  # unknown team
        "North,2025-13,10\n"  # bad month
        "North,2025-02,-4\n"  # negative hours
        "North,2025-03,lots\n"  # not a number
        "North,2025-04,5\n"
        "NORTH,2025-04,6\n",  # the same team and month again
        name="hours.csv",
    )

    with pytest.raises(TeamFileError) as caught:
        read_abstraction(path, known_teams=["North"])

    assert [(e.line, e.column) for e in caught.value.errors] == [
        (2, "team"),
        (3, "month"),
        (4, "hours"),
        (5, "hours"),
        (7, "month"),
    ]
    assert "'2025-13' is not a month as YYYY-MM" in str(caught.value)
    assert "'West' is not a known team (known: North)" in str(caught.value)
    assert "North 2025-04 is already given on line 6" in str(caught.value)
