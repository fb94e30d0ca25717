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
