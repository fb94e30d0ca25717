"""People who sign in, with their role; passwords are stored only as salted hashes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from service.store.imports import now
from service.store.schema import users

ROLES = ("viewer", "pcso", "analyst", "admin")
"""viewer reads; pcso (PCSO, PC) also records and updates concerns and plans; analyst also
runs imports; admin also manages users."""


def create_user(
    engine: sa.Engine, *, username: str, password: str, role: str, display_name: str = ""
) -> int:
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    if not username.strip():
        raise ValueError("username: give a name to sign in with")
    if len(password) < 12:
        raise ValueError("password: use at least 12 characters")
    with engine.begin() as connection:
        exists = connection.execute(sa.select(users.c.id).where(users.c.username == username))
        if exists.first() is not None:
            raise ValueError(f"username: {username!r} is taken")
        result = connection.execute(
            users.insert().returning(users.c.id),
            {
                "username": username.strip(),
                "display_name": display_name.strip() or username.strip(),
                "password_hash": generate_password_hash(password),
                "role": role,
                "active": True,
                "created_at": now(),
            },
        )
        return int(result.scalar_one())


def set_password(engine: sa.Engine, *, username: str, password: str) -> None:
    if len(password) < 12:
        raise ValueError("password: use at least 12 characters")
    with engine.begin() as connection:
        done = connection.execute(
            users.update()
            .where(users.c.username == username)
            .values(password_hash=generate_password_hash(password))
        )
        if done.rowcount == 0:
            raise LookupError(f"no user {username!r}")


def get_user(engine: sa.Engine, user_id: int) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.id == user_id)).first()
    return None if row is None else dict(row._mapping)


def authenticate(engine: sa.Engine, *, username: str, password: str) -> dict[str, Any] | None:
    """The active user with this name and password, or None (the same for either mistake)."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None or not row.active or not check_password_hash(row.password_hash, password):
        return None
    return dict(row._mapping)


def count_users(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one())


def find_user(engine: sa.Engine, username: str) -> dict[str, Any] | None:
    """The user with this name, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
    return None if row is None else dict(row._mapping)
