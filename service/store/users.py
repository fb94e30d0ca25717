"""People who sign in, with their role; passwords are stored only as salted hashes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from service.store.imports import now
from service.store.schema import user_wards, users

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


def set_user_wards(engine: sa.Engine, *, username: str, codes: Sequence[str]) -> list[str]:
    """Give ``username`` exactly the wards ``codes`` (replacing any before), in one
    transaction; returns them sorted. The codes are checked by the caller."""
    chosen = sorted({code.strip() for code in codes if code.strip()})
    with engine.begin() as connection:
        user_id = connection.scalar(sa.select(users.c.id).where(users.c.username == username))
        if user_id is None:
            raise LookupError(f"no user {username!r}")
        connection.execute(user_wards.delete().where(user_wards.c.user_id == user_id))
        if chosen:
            connection.execute(
                user_wards.insert(), [{"user_id": user_id, "ward_code": c} for c in chosen]
            )
    return chosen


def list_user_wards(engine: sa.Engine, user_id: int) -> list[str]:
    """The ward codes a user works in, sorted."""
    with engine.connect() as connection:
        query = (
            sa.select(user_wards.c.ward_code)
            .where(user_wards.c.user_id == user_id)
            .order_by(user_wards.c.ward_code)
        )
        return list(connection.scalars(query))


def list_users(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every user (no password hash) with ``wards``, their ward codes, by user name."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.active
            ).order_by(users.c.username)
        ).all()
        given = connection.execute(
            sa.select(user_wards.c.user_id, user_wards.c.ward_code).order_by(user_wards.c.ward_code)
        ).all()
    wards: dict[int, list[str]] = {}
    for user_id, code in given:
        wards.setdefault(user_id, []).append(code)
    return [dict(row._mapping) | {"wards": wards.get(row.id, [])} for row in rows]
