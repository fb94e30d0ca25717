"""import-abstraction: store the hours each team lost to response work, month by month."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.errors import TeamFileError
from service.cli.import_teams import abstraction_line
from service.cli.options import json_option, report
from service.errors import storage_errors_as_messages
from service.importing_teams import import_abstraction_file
from service.store.db import get_engine


@click.command("import-abstraction")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, as_json: bool) -> None:
    """Import abstraction: a CSV of team, month (YYYY-MM) and hours taken to response work.

    Teams are the stored teams (import-teams first). Each month in the file replaces that
    month's stored hours for every team; other months are kept; the same file again
    changes nothing. A file with any bad row is refused whole, every problem listed.

    Example: flask --app service import-abstraction abstraction-2025.csv
    """
    try:
        summary = import_abstraction_file(get_engine(), path)
    except TeamFileError as error:
        raise click.ClickException(str(error)) from error
    report(summary, abstraction_line(summary), as_json=as_json)
