"""People who sign in, with their role; passwords are stored only as salted hashes.

Each user carries a session generation: a session is valid only while it names the
generation it was started with, so raising it (sign-out, a new password, a new role,
deactivation) ends every session of that user at once, in every server process. Failed
sign-ins are kept in ``sign_in_failures`` so every process counts the same failures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from service.passwords import password_problem
from service.store.db import single_read
from service.store.imports import now
from service.store.schema import sign_in_failures, user_wards, users

ROLES = ("viewer", "pcso", "analyst", "admin")
"""viewer reads; pcso (PCSO, PC) also records and updates concerns and plans; analyst also
runs imports; admin also manages users."""


def _check_password(password: str, *, username: str) -> None:
    problem = password_problem(password, username=username)
    if problem is not None:
        raise ValueError(f"password: {problem}")


def create_user(
    engine: sa.Engine, *, username: str, password: str, role: str, display_name: str = ""
) -> int:
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    if not username.strip():
        raise ValueError("username: give a name to sign in with")
    _check_password(password, username=username)
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
                "session_generation": 0,
            },
        )
        return int(result.scalar_one())


def _change(engine: sa.Engine, username: str, **values: Any) -> None:
    """Change one user and end their sessions (a new generation), in one statement."""
    with engine.begin() as connection:
        done = connection.execute(
            users.update()
            .where(users.c.username == username)
            .values(session_generation=users.c.session_generation + 1, **values)
        )
        if done.rowcount == 0:
            raise LookupError(f"no user {username!r}")


def set_password(engine: sa.Engine, *, username: str, password: str) -> None:
    _check_password(password, username=username)
    _change(engine, username, password_hash=generate_password_hash(password))


def set_role(engine: sa.Engine, *, username: str, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    _change(engine, username, role=role)


def set_active(engine: sa.Engine, *, username: str, active: bool) -> None:
    """Deactivate (or reactivate) a user; a deactivated user cannot sign in. Users are never
    deleted: the access log and the histories of concerns and plans name them."""
    _change(engine, username, active=active)


def end_sessions(engine: sa.Engine, *, user_id: int) -> None:
    """Sign a user out everywhere (a new session generation)."""
    with engine.begin() as connection:
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_generation=users.c.session_generation + 1)
        )


def get_user(engine: sa.Engine, user_id: int) -> dict[str, Any] | None:
    """The user's row, or None; read at every signed-in request (a revoked session ends at
    once), so in one round trip (:func:`service.store.db.single_read`)."""
    with single_read(engine) as connection:
        row = connection.execute(_USER, {"id": user_id}).first()
    return None if row is None else dict(row._mapping)


_USER = sa.select(users).where(users.c.id == sa.bindparam("id"))


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not anyone's password, only for timing")


def authenticate(engine: sa.Engine, *, username: str, password: str) -> dict[str, Any] | None:
    """The active user with this name and password, or None (the same for either mistake).

    A password hash is checked whatever the name, a dummy one for an unknown name, so the
    answer takes as long for a name that does not exist as for one that does.
    """
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
    matches = check_password_hash(row.password_hash if row else _dummy_hash(), password)
    if row is None or not row.active or not matches:
        return None
    return dict(row._mapping)


def user_id_named(engine: sa.Engine, username: str) -> int | None:
    with engine.connect() as connection:
        found = connection.scalar(sa.select(users.c.id).where(users.c.username == username))
    return None if found is None else int(found)


def record_sign_in_failure(engine: sa.Engine, *, username: str, address: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            sign_in_failures.insert(), {"at": now(), "username": username, "address": address}
        )


def count_sign_in_failures(
    engine: sa.Engine, *, username: str, address: str, since: datetime
) -> tuple[int, int]:
    """Failed sign-ins since ``since`` (UTC): (for this user name, from this address)."""
    after = since.isoformat(timespec="seconds")
    recent = sign_in_failures.c.at >= after
    count = sa.select(sa.func.count()).select_from(sign_in_failures)
    with engine.connect() as connection:
        by_name = connection.scalar(count.where(recent, sign_in_failures.c.username == username))
        by_address = connection.scalar(count.where(recent, sign_in_failures.c.address == address))
    return int(by_name or 0), int(by_address or 0)


def clear_sign_in_failures(engine: sa.Engine, *, username: str) -> None:
    """Forget a user name's failures once its owner signs in (the address's are kept)."""
    with engine.begin() as connection:
        connection.execute(sign_in_failures.delete().where(sign_in_failures.c.username == username))


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
    columns = [c for c in users.c if c.name != "password_hash"]
    with engine.connect() as connection:
        rows = connection.execute(sa.select(*columns).order_by(users.c.username)).all()
        given = connection.execute(
            sa.select(user_wards.c.user_id, user_wards.c.ward_code).order_by(user_wards.c.ward_code)
        ).all()
    wards: dict[int, list[str]] = {}
    for user_id, code in given:
        wards.setdefault(user_id, []).append(code)
    return [dict(row._mapping) | {"wards": wards.get(row.id, [])} for row in rows]


def find_user(engine: sa.Engine, username: str) -> dict[str, Any] | None:
    """The user with this name, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
    return None if row is None else dict(row._mapping)
