"""create-user: add someone who may sign in, with a role."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext

from service.cli.options import json_option, report
from service.store.db import get_engine
from service.store.users import ROLES, count_users, create_user, set_password


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--name", "display_name", default="", help="Name shown on pages.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--if-none", is_flag=True, help="Do nothing when any user exists (for first-run set-up)."
)
@click.option("--reset", is_flag=True, help="Give an existing user a new password.")
@json_option
@with_appcontext
def command(
    username: str,
    role: str,
    display_name: str,
    password_stdin: bool,
    if_none: bool,
    reset: bool,
    as_json: bool,
) -> None:
    """Create a user (or, with --reset, set a new password). The password is read from
    standard input with --password-stdin, asked for when run in a terminal, and otherwise
    generated at random and shown once; there is no default password.

    Example: flask --app service create-user pcso.smith --role pcso --name "PCSO Smith"
    """
    username = username.strip()  # "name " would be stored as "name" and look like a clash
    engine = get_engine()
    if if_none and count_users(engine):
        report({"created": False}, "Users already exist; none created.", as_json=as_json)
        return
    typed = password_stdin or sys.stdin.isatty()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif typed:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = secrets.token_urlsafe(12)
    try:
        if reset:
            set_password(engine, username=username, password=password)
        else:
            create_user(
                engine, username=username, password=password, role=role, display_name=display_name
            )
    except (ValueError, LookupError) as error:
        raise click.UsageError(str(error)) from error
    shown = "" if typed else f" Password (shown once): {password}"
    action = "New password for" if reset else f"Created {role}"
    report(
        {"created": not reset, "username": username, "role": role}
        | ({} if typed else {"password": password}),
        f"{action} {username}.{shown}",
        as_json=as_json,
    )
