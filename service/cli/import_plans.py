"""import-plans: store problem-solving plans from a CSV or JSON file, each with its history."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.errors import PlanFileError
from service.cli.options import json_option, report_file_import
from service.errors import storage_errors_as_messages
from service.importing import import_plan_file
from service.store.db import get_engine


@click.command("import-plans")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
@storage_errors_as_messages
def command(path: Path, as_json: bool) -> None:
    """Import problem-solving plans from a CSV or JSON file (layout in README, "Problem-solving
    plans").

    Ward codes are checked against the latest stored boundary vintage and linked concerns
    against the stored concerns. Rejected plans are listed with file, line (a JSON plan's
    number) and reason (the first 20 here, all with --json) and the other plans stored.
    Importing the same file again adds nothing. A file with a wrong header, or JSON that is
    not a list of plans, is refused whole.

    Example: flask --app service import-plans plans.csv
    """
    try:
        summary = import_plan_file(get_engine(), path)
    except PlanFileError as error:
        raise click.ClickException(str(error)) from error
    report_file_import(summary, unit="plans", as_json=as_json)
