"""import-crime: store police.uk street-level records and join them to wards."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.errors import CrimeFileError, ForceChoiceError
from geodata.io.police_uk import StreetSource, discover_street_files
from service.cli.options import (
    check_out_file,
    json_option,
    overwrite_option,
    report,
    show_rejected,
)
from service.errors import storage_errors_as_messages
from service.importing import archive_limits, import_crime_paths, rejected_rows_csv
from service.readmodels.ward_priorities import keep_force_figures
from service.store.db import get_engine


@click.command("import-crime")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--vintage", help="Boundary vintage to count wards in (default: the latest).")
@click.option(
    "--force",
    "forces",
    multiple=True,
    metavar="NAME",
    help="Keep only this force's files: its police.uk slug (cleveland) or its name "
    "(Cleveland Police). Repeat, or separate with commas, for several.",
)
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
    forces: tuple[str, ...],
    rejected_out: Path | None,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Import police.uk street-level CSV files, folders of them, or police.uk archive zips.

    An archive may be police.uk's monthly all-forces archive or a custom download: its
    street files are imported, its outcomes and stop-and-search files skipped with a note.
    Re-importing a file changes nothing; a revised file for a force and month replaces
    that month. Files that cannot be read are reported and nothing of them is stored.

    Rows are read, checked and stored in blocks within WARDPROFILES_IMPORT_MEMORY_MB, so a
    file of any size imports in bounded memory. The summary lists the first rejected rows
    of each file; --rejected-out writes every one of them.

    Example: flask --app service import-crime 2025-10.zip --force cleveland --force durham
    """
    limits = archive_limits(current_app.config)
    if rejected_out is not None:
        check_out_file(rejected_out, overwrite=overwrite)
    chosen = [name.strip() for value in forces for name in value.split(",") if name.strip()]
    if forces and not chosen:
        raise click.UsageError("--force: give a force's slug (cleveland) or name")
    try:
        found = discover_street_files(paths, forces=chosen, limits=limits)
    except ForceChoiceError as error:
        raise click.UsageError(f"--force {error}") from error
    except CrimeFileError as error:
        raise click.ClickException(str(error)) from error
    try:
        with (
            rejected_rows_csv(rejected_out) as on_rejected,
            _progress(len(found.sources)) as progress,
        ):
            summary = import_crime_paths(
                get_engine(),
                paths,
                vintage=vintage,
                each=progress.file,
                progress=progress.read,
                on_rejected=on_rejected,
                memory_mb=int(current_app.config["IMPORT_MEMORY_MB"]),
                limits=limits,
                forces=chosen,
            )
    except (CrimeFileError, LookupError, NotImplementedError) as error:
        raise click.ClickException(str(error)) from error
    result = summary.to_json()
    if result["rows_written"]:
        keep_force_figures(current_app, get_engine())
    show_rejected(result["rejected"])
    if result["rejected_not_listed"]:
        where = f"all are in {rejected_out}" if rejected_out else "see --rejected-out"
        click.echo(f"... and {result['rejected_not_listed']:,} more rejected ({where})", err=True)
    for failed in result["failed_files"]:
        click.echo(f"failed: {failed['message']}", err=True)
    if not as_json:
        _show_forces(result["by_force"])
    report(
        result,
        f"Read {result['rows_read']:,} rows from {result['files']} files: "
        f"{result['rows_stored']:,} stored ({result['rows_written']:,} new or replaced), "
        f"{result['rows_rejected']:,} rejected; {result['assigned']:,} in wards, "
        f"{result['outside_wards']:,} outside wards, {result['no_location']:,} without location."
        + (f"\nNote: {result['note']}." if result["note"] else ""),
        as_json=as_json,
    )
    if result["failed_files"]:
        raise SystemExit(1)


class _Progress:
    """A bar on stderr advancing by file, showing the rows read so far and the last file;
    nothing unless stderr is a terminal (so tests, pipes and cron logs stay quiet)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.rows = 0

    def file(self, source: StreetSource) -> None:
        self.bar.update(1, source)

    def read(self, rows: int) -> None:
        self.rows += rows
        self.bar.update(0)

    def shown(self, source: StreetSource | None) -> str:
        return f"{self.rows:,} rows" + (f", {Path(source.name).name}" if source else "")


@contextmanager
def _progress(files: int) -> Iterator[_Progress]:
    progress = _Progress()
    with click.progressbar(
        length=files,
        label="Importing",
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
        item_show_func=progress.shown,
        show_pos=True,
    ) as progress.bar:
        yield progress


def _show_forces(forces: Sequence[dict[str, Any]]) -> None:
    """Each force's rows, when there is more than one: read = stored + rejected, and where
    the stored rows fell."""
    if len(forces) < 2:
        return
    width = max(len(force["force"]) for force in forces)
    click.echo(
        f"{'Force':<{width}}  {'read':>10}  {'stored':>10}  {'rejected':>8}  "
        f"{'in wards':>10}  {'outside':>8}  {'no location':>11}"
    )
    for force in forces:
        click.echo(
            f"{force['force']:<{width}}  {force['rows_read']:>10,}  {force['rows_stored']:>10,}  "
            f"{force['rows_rejected']:>8,}  {force['assigned']:>10,}  "
            f"{force['outside_wards']:>8,}  {force['no_location']:>11,}"
        )
