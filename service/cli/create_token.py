"""create-token: a personal access token for the API and the OGC service, shown once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.cli.options import json_option, report
from service.store.db import get_engine
from service.store.tokens import MAX_DAYS, create_token
from service.store.users import ROLES, find_user

WRITE_ROLE = "pcso"
"""The lowest role whose tokens may write (the role that records concerns and plans)."""


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What uses the token.")
@click.option(
    "--expires-days",
    type=click.IntRange(1, MAX_DAYS),
    default=90,
    show_default=True,
    help="Days until the token stops working.",
)
@click.option(
    "--write", is_flag=True, help=f"Allow writes too (needs the {WRITE_ROLE} role or above)."
)
@json_option
@with_appcontext
def command(username: str, name: str, expires_days: int, write: bool, as_json: bool) -> None:
    """Make a token that signs USERNAME in to /api and /ogc with an
    "Authorization: Bearer <token>" header. The token is shown once and stored only as a
    hash; it is read-only unless --write is given and the user's role may write. Revoke it
    on the Tokens page.

    Example: flask --app service create-token analyst.jones --name QGIS --expires-days 30
    """
    engine = get_engine()
    user = find_user(engine, username)
    if user is None or not user["active"]:
        raise click.UsageError(f"no active user {username!r}")
    if write and ROLES.index(user["role"]) < ROLES.index(WRITE_ROLE):
        raise click.UsageError(
            f"--write: {username} is a {user['role']}; only {WRITE_ROLE} and above may write"
        )
    try:
        token, row = create_token(
            engine, user_id=int(user["id"]), name=name, days=expires_days, write=write
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    report(
        {**row, "username": username, "token": token},
        f"Token {row['name']!r} for {username} ({row['scope']}, expires {row['expires_at']}), "
        f"shown once: {token}",
        as_json=as_json,
    )
