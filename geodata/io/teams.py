"""Reading neighbourhood teams (their wards and staff) and their abstraction from CSV files.

Both files are typed or exported by hand, and a half-read one would misstate where the
force's officers are, so each is refused whole when any row is wrong, every problem listed
with the file, line and column (``TeamFileError.errors``). The records are in
``geodata/resourcing.py``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection

from geodata.errors import RowError, TeamFileError
from geodata.io.text import csv_rows
from geodata.resourcing import Abstraction, Team

TEAM_COLUMNS: tuple[str, ...] = ("team", "ward_codes", "pcs", "pcsos")
"""One row per team: its name, the ward codes it covers (separated by ``;``), and the police
constables and PCSOs in post, each a whole number of people."""

ABSTRACTION_COLUMNS: tuple[str, ...] = ("team", "month", "hours")
"""One row per team and month (YYYY-MM): hours taken from the team to response work."""

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_SEPARATORS = re.compile(r"[;,\s]+")


def read_teams(
    data: str | os.PathLike[str] | bytes,
    *,
    known_wards: Collection[str],
    source: str | None = None,
) -> tuple[Team, ...]:
    """Read and check a teams file (:data:`TEAM_COLUMNS`, any order, other columns ignored).

    ``ward_codes`` lists the team's wards separated by ``;`` (commas or spaces are read
    the same). Every problem is collected before anything is raised: a blank or repeated
    team name (in any letter case), a team with no wards, a ward code not in
    ``known_wards`` (the stored boundaries), a ward named twice in a team or by two teams
    (a ward belongs to one team, or the shares would count it twice), and PCs or PCSOs that
    are not a whole number of 0 or more. A file with no team is refused too.

    Raises
    ------
    TeamFileError
        Naming the file, then each problem as ``<file>, line <n>, column '<column>': ...``.
    """
    where = source or str(data if not isinstance(data, bytes) else "teams file")
    errors: list[RowError] = []
    teams: list[Team] = []
    first_name: dict[str, int] = {}
    ward_team: dict[str, tuple[str, int]] = {}
    rows = csv_rows(data, TEAM_COLUMNS, source=where, error=TeamFileError, errors=errors)
    for line, cells in rows:
        problems = len(errors)
        name = " ".join(cells["team"].split())
        if not name:
            errors.append(RowError(where, line, "team", "is blank; give the team's name"))
        elif name.casefold() in first_name:
            errors.append(
                RowError(
                    where,
                    line,
                    "team",
                    f"{name!r} is already the team of line {first_name[name.casefold()]}; "
                    "give each team one row",
                )
            )
        else:
            first_name[name.casefold()] = line
        codes = [code for code in _SEPARATORS.split(cells["ward_codes"].strip()) if code]
        if not codes:
            errors.append(
                RowError(where, line, "ward_codes", "is blank; list the team's ward codes")
            )
        seen: set[str] = set()
        for code in codes:
            if code not in known_wards:
                errors.append(
                    RowError(where, line, "ward_codes", f"{code!r} is not a stored ward code")
                )
            elif code in seen:
                errors.append(RowError(where, line, "ward_codes", f"{code!r} is listed twice"))
            elif code in ward_team:
                other, at = ward_team[code]
                errors.append(
                    RowError(
                        where,
                        line,
                        "ward_codes",
                        f"{code!r} is already in team {other!r} (line {at}); "
                        "a ward belongs to one team",
                    )
                )
            else:
                ward_team[code] = (name, line)
            seen.add(code)
        pcs = _people(cells["pcs"], where=where, line=line, column="pcs", errors=errors)
        pcsos = _people(cells["pcsos"], where=where, line=line, column="pcsos", errors=errors)
        if len(errors) == problems and pcs is not None and pcsos is not None:
            teams.append(Team(name=name, ward_codes=tuple(codes), pcs=pcs, pcsos=pcsos))
    if not errors and not teams:
        raise TeamFileError(f"{where}: holds no team; expected a row per team")
    _raise_if_any(where, "teams file", errors)
    return tuple(teams)


def read_abstraction(
    data: str | os.PathLike[str] | bytes,
    *,
    known_teams: Collection[str],
    source: str | None = None,
) -> tuple[Abstraction, ...]:
    """Read and check an abstraction file (:data:`ABSTRACTION_COLUMNS`).

    Each row is the hours one team's officers spent on response work instead of
    neighbourhood work in one month. Problems, all collected before raising: a team not in
    ``known_teams`` (names match in any letter case and are kept as ``known_teams`` spells
    them), a month that is not YYYY-MM, hours that are not a finite number of 0 or more, and
    the same team and month twice. A file with no row is refused too.

    Raises
    ------
    TeamFileError
        As :func:`read_teams`.
    """
    where = source or str(data if not isinstance(data, bytes) else "abstraction file")
    spelt = {name.casefold(): name for name in known_teams}
    errors: list[RowError] = []
    found: list[Abstraction] = []
    first: dict[tuple[str, str], int] = {}
    rows = csv_rows(data, ABSTRACTION_COLUMNS, source=where, error=TeamFileError, errors=errors)
    for line, cells in rows:
        problems = len(errors)
        given = " ".join(cells["team"].split())
        team = spelt.get(given.casefold())
        if team is None:
            known = ", ".join(sorted(known_teams)) or "none stored: import the teams first"
            errors.append(
                RowError(where, line, "team", f"{given!r} is not a known team (known: {known})")
            )
        month = cells["month"].strip()
        if not _MONTH.fullmatch(month):
            errors.append(RowError(where, line, "month", f"{month!r} is not a month as YYYY-MM"))
        hours = _hours(cells["hours"], where=where, line=line, errors=errors)
        if team is not None and len(errors) == problems:
            if (team, month) in first:
                errors.append(
                    RowError(
                        where,
                        line,
                        "month",
                        f"{team} {month} is already given on line {first[(team, month)]}",
                    )
                )
                continue
            first[(team, month)] = line
            found.append(Abstraction(team=team, month=month, hours=float(hours or 0.0)))
    if not errors and not found:
        raise TeamFileError(f"{where}: holds no row; expected team, month and hours")
    _raise_if_any(where, "abstraction file", errors)
    return tuple(found)


def _people(
    value: str, *, where: str, line: int, column: str, errors: list[RowError]
) -> int | None:
    text = value.strip()
    if not re.fullmatch(r"-?[0-9]+", text):
        errors.append(
            RowError(where, line, column, f"{text!r} is not a whole number of people in post")
        )
        return None
    number = int(text)
    if number < 0:
        errors.append(RowError(where, line, column, f"{number} is negative; staff are 0 or more"))
        return None
    return number


def _hours(value: str, *, where: str, line: int, errors: list[RowError]) -> float | None:
    text = value.strip()
    try:
        hours = float(text)
    except ValueError:
        errors.append(RowError(where, line, "hours", f"{text!r} is not a number of hours"))
        return None
    if not math.isfinite(hours) or hours < 0:
        errors.append(RowError(where, line, "hours", f"{text} is not 0 or more"))
        return None
    return hours


def _raise_if_any(where: str, what: str, errors: list[RowError]) -> None:
    if errors:
        count = f"{len(errors)} problem{'' if len(errors) == 1 else 's'}"
        listed = "\n".join(f"  {error}" for error in sorted(errors, key=lambda e: e.line))
        raise TeamFileError(f"{where}: {what} cannot be used ({count}):\n{listed}", errors)
