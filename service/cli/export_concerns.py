"""export-concerns: write stored community concerns to a CSV that is safe in a spreadsheet."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.concerns import STATUSES
from service.cli.options import json_option, overwrite_option, report
from service.store.concerns import export_concerns, ward_codes
from service.store.db import get_engine
from service.store.wards import latest_vintage


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
    if ward is not None:
        vintage = latest_vintage(engine)
        if vintage is None or ward not in ward_codes(engine, vintage=vintage):
            raise click.UsageError(
                f"--ward {ward!r} is not a ward of the latest boundary vintage ({vintage})"
            )
    if not out.parent.is_dir():
        raise click.UsageError(f"--out: the folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise click.UsageError(f"{out} exists; pass --overwrite to replace it")
    rows = export_concerns(engine, ward_code=ward, status=status)
    _write_csv(out, rows)
    summary = {"out": str(out), "concerns": len(rows) - 1, "ward": ward, "status": status}
    report(summary, f"Wrote {len(rows) - 1:,} concerns to {out}.", as_json=as_json)


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    """Write next to ``path`` and move into place, so a failed export leaves no half file."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8-sig") as stream:
            csv.writer(stream).writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
