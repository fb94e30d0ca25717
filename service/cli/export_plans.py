"""export-plans: write stored problem-solving plans to a CSV (spreadsheet-safe) or JSON file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from geodata.plans import PLAN_STATUSES
from service.cli.options import (
    check_out_file,
    check_ward,
    json_option,
    overwrite_option,
    report,
)
from service.files import write_file
from service.store.db import get_engine
from service.store.plans import export_plans


@click.command("export-plans")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write: CSV (UTF-8 with a byte-order mark, which spreadsheets expect) or JSON.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "json"]),
    help="File format (default: json when --out ends in .json, otherwise csv).",
)
@click.option("--ward", help="Only plans covering this ward (a code of the latest vintage).")
@click.option(
    "--status", type=click.Choice(list(PLAN_STATUSES)), help="Only plans with this status."
)
@overwrite_option
@json_option
@with_appcontext
def command(
    out: Path,
    file_format: str | None,
    ward: str | None,
    status: str | None,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Export problem-solving plans as they stand, newest first.

    The columns (CSV) or keys (JSON) are those import-plans reads, then id, ward_vintage,
    created_by, created_at, updated_at and quality_score. In the CSV any text cell that a
    spreadsheet could run as a formula (starting with =, +, -, @, a tab or a carriage
    return) gets a leading apostrophe, which import-plans takes off again.

    Example: flask --app service export-plans --out plans.csv --status active
    """
    engine = get_engine()
    check_ward(engine, ward)
    check_out_file(out, overwrite=overwrite)
    chosen = file_format or ("json" if out.suffix.casefold() == ".json" else "csv")
    text, count = export_plans(engine, ward=ward, status=status, format=chosen)
    write_file(out, text.encode("utf-8-sig" if chosen == "csv" else "utf-8"))
    summary = {"out": str(out), "format": chosen, "plans": count, "ward": ward, "status": status}
    report(summary, f"Wrote {count:,} plans to {out} ({chosen}).", as_json=as_json)
