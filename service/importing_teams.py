"""Import runs for neighbourhood teams and their abstraction: the readers feeding the store.

Kept beside ``service/importing.py`` (which runs the other imports) so the teams' run reads
as one piece: check every file whole first, then store in one transaction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geodata.errors import TeamFileError
from geodata.io.teams import read_abstraction, read_teams
from service.store.imports import file_sha256
from service.store.teams import store_abstraction, store_teams, team_names
from service.store.wards import latest_vintage, list_wards


def import_team_files(
    engine: sa.Engine,
    path: str | os.PathLike[str],
    *,
    abstraction: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Read, check and store a team file (and an abstraction file naming its teams).

    Ward codes are checked against the latest boundary vintage, and the teams are stored
    with it. Both files are read and checked before anything is stored, so a bad row in
    either leaves every stored team and hour as it was (``TeamFileError``).
    """
    vintage = latest_vintage(engine)
    if vintage is None:
        raise TeamFileError(f"{path}: no ward boundaries are stored; run import-wards first")
    known = {ward["code"] for ward in list_wards(engine, vintage=vintage)}
    found = read_teams(path, known_wards=known, source=str(path))
    hours = None
    if abstraction is not None:
        names = [team.name for team in found]
        hours = read_abstraction(abstraction, known_teams=names, source=str(abstraction))
    return store_teams(
        engine,
        found,
        vintage=vintage,
        source=str(path),
        sha256=file_sha256(Path(path)),
        abstraction=hours,
        abstraction_source=str(abstraction or ""),
        abstraction_sha256=file_sha256(Path(abstraction)) if abstraction else "",
    )


def import_abstraction_file(engine: sa.Engine, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read, check and store an abstraction file; its teams must be the stored teams."""
    found = read_abstraction(path, known_teams=team_names(engine), source=str(path))
    return store_abstraction(engine, found, source=str(path), sha256=file_sha256(Path(path)))
