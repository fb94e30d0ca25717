"""export-concerns: write stored community concerns to a CSV that is safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.concerns import STATUSES
from service.access import record_command
from service.cli.options import (
    check_out_file,
    check_ward,
    json_option,
    overwrite_option,
    report,
)
from service.files import write_file
from service.store.concerns import export_concerns
from service.store.db import get_engine


@click.command("export-concerns")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV file to write (UTF-8 with a byte-order mark, which spreadsheets expect).",
)
@click.option("--ward", help="Only this ward (a code of the latest boundary vintage).")
@click.option(
    "--status", type=click.Choice(list(STATUSES)), help="Only concerns with this current status."
)
@overwrite_option
@json_option
@with_appcontext
def command(
    out: Path, ward: str | None, status: str | None, overwrite: bool, as_json: bool
) -> None:
    """Export community concerns as they stand, newest first, with their current status.

    The columns are those import-concerns reads, then id, ward_vintage and updated_on. Any
    text cell that a spreadsheet could run as a formula (starting with =, +, -, @, a tab or
    a carriage return) gets a leading apostrophe, which import-concerns takes off again.

    Example: flask --app service export-concerns --out concerns.csv --status open
    """
    engine = get_engine()
    check_ward(engine, ward)
    check_out_file(out, overwrite=overwrite)
    rows = export_concerns(engine, ward_code=ward, status=status)
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    write_file(out, text.getvalue().encode("utf-8-sig"))
    ids = [row[rows[0].index("id")] for row in rows[1:]]
    record_command(kind="concern", refs=ids, command=f"export-concerns --out {out}")
    summary = {"out": str(out), "concerns": len(rows) - 1, "ward": ward, "status": status}
    report(summary, f"Wrote {len(rows) - 1:,} concerns to {out}.", as_json=as_json)
