"""import-concerns: store community concerns from a CSV, each with its first history entry."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.errors import ConcernFileError
from service.cli.options import json_option, report_file_import
from service.errors import storage_errors_as_messages
from service.importing import import_concern_file
from service.store.db import get_engine


@click.command("import-concerns")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, as_json: bool) -> None:
    """Import community concerns from a CSV (columns in README, "Community concerns").

    Ward codes are checked against the latest stored boundary vintage and tags against the
    shipped theme tags. Rejected rows are listed with file, line and reason (the first 20
    here, all with --json) and the other rows stored. Importing the same file again adds
    nothing. A file with a wrong header is refused whole.

    Example: flask --app service import-concerns concerns.csv
    """
    try:
        summary = import_concern_file(get_engine(), path)
    except ConcernFileError as error:
        raise click.ClickException(str(error)) from error
    report_file_import(summary, unit="rows", as_json=as_json)
