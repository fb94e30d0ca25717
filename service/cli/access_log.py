"""access-log: who consulted which ward profile, report or concern, and when."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.cli.options import json_option, report
from service.store.access import list_access
from service.store.db import get_engine


@click.command("access-log")
@click.option("--ward", help="Only consultations of this ward code.")
@click.option("--concern", type=int, help="Only consultations of this concern id.")
@click.option("--limit", type=int, default=50, show_default=True)
@json_option
@with_appcontext
def command(ward: str | None, concern: int | None, limit: int, as_json: bool) -> None:
    """Show the access log, newest first (data protection: record of consultation).

    Example: flask --app service access-log --ward E05013038
    """
    if ward and concern:
        raise click.UsageError("give --ward or --concern, not both")
    kind, ref = ("concern", str(concern)) if concern else (None, ward)
    rows = list_access(get_engine(), kind=kind, ref=ref, limit=limit)
    if as_json:
        report({"entries": rows}, "", as_json=True)
        return
    for row in rows:
        click.echo(
            f"{row['at']}  {row['username']:20} {row['kind']:8} {row['ref']:12} {row['path']}"
        )
    click.echo(f"{len(rows)} entries.")
