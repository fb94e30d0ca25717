"""Options and output shared by every command, defined once."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from service.store.concerns import ward_codes
from service.store.wards import latest_vintage

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print a machine-readable JSON summary instead."
)

overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace the output file if it exists (refused otherwise)."
)


def report(summary: dict[str, Any], line: str, *, as_json: bool) -> None:
    """The one-line human summary, or the JSON summary for machines."""
    if as_json:
        json.dump(summary, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        click.echo(line)


SHOWN_ERRORS = 20
"""Rejected rows listed on screen; --json lists them all."""


def show_rejected(rejected: Sequence[Mapping[str, Any]]) -> None:
    """The first rejected rows on stderr, each with file, line, column and reason."""
    for row in rejected[:SHOWN_ERRORS]:
        click.echo(
            f"rejected: {row['source']}, line {row['line']}, "
            f"{row['column'] or 'row'}: {row['problem']}",
            err=True,
        )
    if len(rejected) > SHOWN_ERRORS:
        click.echo(f"... and {len(rejected) - SHOWN_ERRORS} more (see --json)", err=True)


def report_file_import(summary: dict[str, Any], *, unit: str, as_json: bool) -> None:
    """What a file import of concerns or plans (``unit``) did: its rejected rows, then how
    many it read, stored (and how many of those are new) and rejected."""
    show_rejected(summary["rejected"])
    added = (
        f"{summary['added']:,} new"
        if summary["status"] == "stored"
        else "none new: the same file was imported before"
    )
    report(
        summary,
        f"Read {summary['rows_read']:,} {unit} from {summary['source']}: "
        f"{summary['rows_stored']:,} stored ({added}), {summary['rows_rejected']:,} rejected.",
        as_json=as_json,
    )


def check_ward(engine: sa.Engine, ward: str | None) -> None:
    """A --ward filter must name a ward of the latest boundary vintage."""
    check_wards(engine, [] if ward is None else [ward])


def check_wards(engine: sa.Engine, wards: Sequence[str]) -> None:
    """Every code given to --ward must name a ward of the latest boundary vintage; the
    refusal names every one that does not."""
    if not wards:
        return
    vintage = latest_vintage(engine)
    known = set() if vintage is None else ward_codes(engine, vintage=vintage)
    unknown = [ward for ward in wards if ward not in known]
    if unknown:
        named = ", ".join(repr(ward) for ward in unknown)
        verb = "is not a ward" if len(unknown) == 1 else "are not wards"
        raise click.UsageError(f"--ward {named} {verb} of the latest boundary vintage ({vintage})")


def check_out_file(out: Path, *, overwrite: bool) -> None:
    """An --out file goes into a folder that exists, and replaces a file only when asked."""
    if not out.parent.is_dir():
        raise click.UsageError(f"--out: the folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise click.UsageError(f"{out} exists; pass --overwrite to replace it")
