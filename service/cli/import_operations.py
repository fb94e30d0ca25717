"""import-operations: store operations from a CSV file, all or nothing, each with its history."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.io.operations import OperationFileError
from service.cli.options import json_option, report_file_import, show_rejected
from service.errors import storage_errors_as_messages
from service.operation_imports import RejectedRowsError, import_operation_file, rejected_rows
from service.store.db import get_engine


@click.command("import-operations")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, as_json: bool) -> None:
    """Import operations from a CSV file (columns in README, "Operations").

    Ward codes are checked against the latest stored boundary vintage. A file with any
    bad row is refused whole: every problem is listed with file, line and column (the
    first 20 here, all with --json) and nothing is stored. Importing the same file again
    adds nothing.

    Example: flask --app service import-operations operations.csv
    """
    try:
        summary = import_operation_file(get_engine(), path)
    except RejectedRowsError as error:
        show_rejected(rejected_rows(error))
        raise click.ClickException(str(error)) from error
    except OperationFileError as error:
        raise click.ClickException(str(error)) from error
    report_file_import(summary, unit="operations", as_json=as_json)
