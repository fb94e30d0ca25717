"""export-messages: write stored prevention messages to a CSV that is safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.io.messages import export_rows
from geodata.messages import MESSAGE_COLUMNS
from service.cli.options import check_out_file, check_ward, json_option, overwrite_option, report
from service.files import write_file
from service.store.db import get_engine
from service.store.messages import list_messages

EXPORT_COLUMNS = (*MESSAGE_COLUMNS, "id", "ward_vintage", "recorded_by")
"""The columns import-messages reads, then what the store adds."""


@click.command("export-messages")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV file to write (UTF-8 with a byte-order mark, which spreadsheets expect).",
)
@click.option("--ward", help="Only messages that reached this ward (a code of the latest vintage).")
@overwrite_option
@json_option
@with_appcontext
def command(out: Path, ward: str | None, overwrite: bool, as_json: bool) -> None:
    """Export prevention messages as they stand, newest sent first.

    The columns are those import-messages reads, then id, ward_vintage and recorded_by, so
    an exported file imports again as it is. Any text cell a spreadsheet could run as a
    formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe,
    which import-messages takes off again.

    Example: flask --app service export-messages --out messages.csv
    """
    engine = get_engine()
    check_ward(engine, ward)
    check_out_file(out, overwrite=overwrite)
    rows = export_rows(list_messages(engine, ward_code=ward), columns=EXPORT_COLUMNS)
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    write_file(out, text.getvalue().encode("utf-8-sig"))
    summary = {"out": str(out), "messages": len(rows) - 1, "ward": ward}
    report(summary, f"Wrote {len(rows) - 1:,} prevention messages to {out}.", as_json=as_json)
