"""Options and output shared by every command, defined once."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

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
