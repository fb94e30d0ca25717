"""import-crime: store police.uk street-level records and join them to wards."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.errors import CrimeFileError
from geodata.io.police_uk import find_street_files
from service.cli.options import (
    check_out_file,
    json_option,
    overwrite_option,
    report,
    show_rejected,
)
from service.errors import storage_errors_as_messages
from service.importing import archive_limits, import_crime_paths, rejected_rows_csv
from service.store.db import get_engine


@click.command("import-crime")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--vintage", help="Boundary vintage to count wards in (default: the latest).")
@click.option(
    "--rejected-out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write every rejected row to this CSV (file, line, column, problem).",
)
@overwrite_option
@json_option
@with_appcontext
@storage_errors_as_messages
def command(
    paths: tuple[Path, ...],
    vintage: str | None,
    rejected_out: Path | None,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Import police.uk street-level CSV files, folders of them, or police.uk archive zips.

    Re-importing a file changes nothing; a revised file for a force and month replaces
    that month. Files that cannot be read are reported and nothing of them is stored.

    Rows are read, checked and stored in blocks within WARDPROFILES_IMPORT_MEMORY_MB, so a
    file of any size imports in bounded memory. The summary lists the first rejected rows
    of each file; --rejected-out writes every one of them.

    Example: flask --app service import-crime data/police_uk/cleveland
    """
    limits = archive_limits(current_app.config)
    if rejected_out is not None:
        check_out_file(rejected_out, overwrite=overwrite)
    try:
        total = len(find_street_files(paths, limits=limits))
        with (
            rejected_rows_csv(rejected_out) as on_rejected,
            click.progressbar(length=total, label="Importing", file=sys.stderr) as bar,
        ):
            summary = import_crime_paths(
                get_engine(),
                paths,
                vintage=vintage,
                each=lambda _: bar.update(1),
                on_rejected=on_rejected,
                memory_mb=int(current_app.config["IMPORT_MEMORY_MB"]),
                limits=limits,
            )
    except (CrimeFileError, LookupError, NotImplementedError) as error:
        raise click.ClickException(str(error)) from error
    result = summary.to_json()
    show_rejected(result["rejected"])
    if result["rejected_not_listed"]:
        where = f"all are in {rejected_out}" if rejected_out else "see --rejected-out"
        click.echo(f"... and {result['rejected_not_listed']:,} more rejected ({where})", err=True)
    for failed in result["failed_files"]:
        click.echo(f"failed: {failed['message']}", err=True)
    report(
        result,
        f"Read {result['rows_read']:,} rows from {result['files']} files: "
        f"{result['rows_stored']:,} stored ({result['rows_written']:,} new or replaced), "
        f"{result['rows_rejected']:,} rejected; {result['assigned']:,} in wards, "
        f"{result['outside_wards']:,} outside wards, {result['no_location']:,} without location.",
        as_json=as_json,
    )
    if result["failed_files"]:
        raise SystemExit(1)
