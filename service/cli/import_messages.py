"""import-messages: store prevention messages from a CSV, all of the file or none of it."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.errors import MessageFileError
from service.cli.options import json_option, report, show_rejected
from service.errors import storage_errors_as_messages
from service.message_imports import import_message_file
from service.store.db import get_engine


@click.command("import-messages")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, as_json: bool) -> None:
    """Import prevention messages from a CSV (columns in README, "Prevention messages").

    Ward and council codes are checked against the latest stored boundary vintage, themes
    against the concern tags and the active threat assessment. A file with any bad row is
    refused whole: every rejected row is listed with file, line and reason (the first 20
    here, all with --json), nothing is stored and the command fails. Importing the same file
    again adds nothing.

    Example: flask --app service import-messages messages.csv
    """
    try:
        summary = import_message_file(get_engine(), path)
    except MessageFileError as error:
        raise click.ClickException(str(error)) from error
    if not as_json:
        show_rejected(summary["rejected"])
    if summary["status"] == "refused":
        line = (
            f"Refused {summary['source']}: {summary['rows_rejected']:,} of "
            f"{summary['rows_read']:,} rows have problems; nothing stored."
        )
    elif summary["status"] == "unchanged":
        line = f"Read {summary['rows_read']:,} messages from {summary['source']}: none new, "
        line += "the same file was imported before."
    else:
        line = f"Read {summary['rows_read']:,} messages from {summary['source']}: "
        line += f"{summary['added']:,} stored."
    report(summary, line, as_json=as_json)
    if summary["status"] == "refused":
        raise click.exceptions.Exit(1)
