"""import-plans: store problem-solving plans from a CSV or JSON file, each with its history."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.errors import PlanFileError
from service.cli.options import json_option, report, show_rejected
from service.importing import import_plan_file
from service.store.db import get_engine


@click.command("import-plans")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@with_appcontext
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
    show_rejected(summary["rejected"])
    added = (
        f"{summary['added']:,} new"
        if summary["status"] == "stored"
        else "none new: the same file was imported before"
    )
    report(
        summary,
        f"Read {summary['rows_read']:,} plans from {summary['source']}: "
        f"{summary['rows_stored']:,} stored ({added}), {summary['rows_rejected']:,} rejected.",
        as_json=as_json,
    )
