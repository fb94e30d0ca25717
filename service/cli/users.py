"""list-users, set-role and deactivate-user: user administration from the command line.

Changing a role or deactivating a user ends their sessions at once, as on the Users page.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.cli.options import json_option, report
from service.store.db import get_engine
from service.store.users import ROLES, list_users, set_active, set_role


@click.command("list-users")
@json_option
@with_appcontext
def list_users_command(as_json: bool) -> None:
    """List every user with role and whether they may sign in (never a password).

    Example: flask --app service list-users
    """
    rows = list_users(get_engine())
    if as_json:
        report({"users": rows}, "", as_json=True)
        return
    for row in rows:
        state = "active" if row["active"] else "deactivated"
        click.echo(f"{row['username']:24} {row['role']:8} {state:12} {row['display_name']}")
    click.echo(f"{len(rows)} users.")


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@json_option
@with_appcontext
def set_role_command(username: str, role: str, as_json: bool) -> None:
    """Give a user another role; their sessions end.

    Example: flask --app service set-role pcso.smith analyst
    """
    try:
        set_role(get_engine(), username=username, role=role)
    except LookupError as error:
        raise click.UsageError(str(error)) from error
    summary = {"username": username, "role": role}
    report(summary, f"{username} is now {role}; their sessions have ended.", as_json=as_json)


@click.command("deactivate-user")
@click.argument("username")
@click.option("--undo", is_flag=True, help="Let a deactivated user sign in again.")
@json_option
@with_appcontext
def deactivate_command(username: str, undo: bool, as_json: bool) -> None:
    """Stop a user signing in and end their sessions (users are never deleted: the access
    log and the histories of concerns and plans name them).

    Example: flask --app service deactivate-user pcso.smith
    """
    try:
        set_active(get_engine(), username=username, active=undo)
    except LookupError as error:
        raise click.UsageError(str(error)) from error
    line = f"{username} may sign in again." if undo else f"{username} is deactivated."
    report({"username": username, "active": undo}, line, as_json=as_json)
