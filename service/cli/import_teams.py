"""import-teams: store the neighbourhood teams, their wards and staff in post (replacing all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from geodata.errors import TeamFileError
from service.cli.options import json_option, report
from service.errors import storage_errors_as_messages
from service.importing_teams import import_team_files
from service.store.db import get_engine


@click.command("import-teams")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--abstraction",
    type=click.Path(path_type=Path),
    help="A CSV of hours each team lost to response work per month (team, month, hours), "
    "stored with the teams.",
)
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, abstraction: Path | None, as_json: bool) -> None:
    """Import the neighbourhood teams: a CSV of team, ward_codes (';'-separated), pcs, pcsos.

    The file describes every team, so it replaces the stored teams exactly; the same teams
    again change nothing. Ward codes are checked against the latest boundary vintage, and a
    ward may be in one team only. A file with any bad row is refused whole, every problem
    listed with its line and column, and nothing is stored (the abstraction file neither).

    Example: flask --app service import-teams teams.csv --abstraction abstraction.csv
    """
    try:
        summary = import_team_files(get_engine(), path, abstraction=abstraction)
    except TeamFileError as error:
        raise click.ClickException(str(error)) from error
    report(summary, summary_line(summary), as_json=as_json)


def summary_line(summary: dict[str, Any]) -> str:
    """One line for the teams, and one more for the abstraction when it was given."""
    teams = (
        f"{summary['teams']} teams covering {summary['wards']} wards, "
        f"{summary['pcs']} PCs and {summary['pcsos']} PCSOs in post"
    )
    line = (
        f"Teams unchanged ({teams}); nothing stored."
        if summary["status"] == "unchanged"
        else f"Stored {teams} (replacing {summary['replaced']} teams)."
    )
    if "abstraction" in summary:
        line += "\n" + abstraction_line(summary["abstraction"])
    return line


def abstraction_line(summary: dict[str, Any]) -> str:
    months = summary["months"]
    held = f"{summary['rows']} rows, {summary['hours']:,.0f} hours, {months[0]} to {months[-1]}"
    if summary["status"] == "unchanged":
        return f"Abstraction unchanged ({held}); nothing stored."
    return f"Stored abstraction ({held}), replacing {summary['replaced']} rows of those months."
