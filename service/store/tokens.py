"""Personal access tokens.

A token is shown once, when it is made; only its SHA-256 is stored (a token is 256 random
bits, so a fast hash is as strong as a slow one and lets a request be checked with one
indexed look-up). Each token belongs to a user, acts with that user's role, and has a
name, an expiry and a scope: ``read``, or ``read write`` when the user's role may write
and the maker asked for it. A revoked or expired token, or one whose user is no longer
active, authenticates no one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from service.store.imports import now
from service.store.schema import api_tokens, users

PREFIX = "wpt_"
"""Every token starts so, which secret scanners and people recognise."""
SCOPES = ("read", "read write")
MAX_DAYS = 366
"""The longest a token may live: a year, so a forgotten one stops working."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    engine: sa.Engine,
    *,
    user_id: int,
    name: str,
    days: int,
    write: bool = False,
    at: datetime | None = None,
) -> tuple[str, dict[str, Any]]:
    """A new token (the text, shown once) and its stored row without the hash.

    ``write`` asks for the ``read write`` scope; the caller checks the user's role.
    """
    if not name.strip():
        raise ValueError("name: give the token a name that says what uses it")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"expires: give a number of days from 1 to {MAX_DAYS}")
    token = PREFIX + secrets.token_urlsafe(32)
    made = at or datetime.now(UTC)
    row = {
        "user_id": user_id,
        "name": name.strip(),
        "token_hash": hash_token(token),
        "prefix": token[: len(PREFIX) + 6],
        "scope": SCOPES[1] if write else SCOPES[0],
        "created_at": made.isoformat(timespec="seconds"),
        "expires_at": (made + timedelta(days=days)).isoformat(timespec="seconds"),
    }
    with engine.begin() as connection:
        token_id = connection.execute(api_tokens.insert().returning(api_tokens.c.id), row)
        row["id"] = int(token_id.scalar_one())
    del row["token_hash"]
    return token, row


_LISTED = [c for c in api_tokens.c if c.name != "token_hash"]


def list_tokens(engine: sa.Engine, *, user_id: int) -> list[dict[str, Any]]:
    """A user's tokens, newest first, with whether each still works."""
    query = (
        sa.select(*_LISTED).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id.desc())
    )
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    current = now()
    for row in rows:
        row["active"] = row["revoked_at"] is None and row["expires_at"] > current
    return rows


def revoke_token(engine: sa.Engine, *, token_id: int, user_id: int) -> bool:
    """Revoke one of the user's tokens; False when it is not theirs or already revoked."""
    with engine.begin() as connection:
        done = connection.execute(
            api_tokens.update()
            .where(
                api_tokens.c.id == token_id,
                api_tokens.c.user_id == user_id,
                api_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=now())
        )
    return done.rowcount == 1


def authenticate_token(engine: sa.Engine, token: str) -> dict[str, Any] | None:
    """The token's row with its active user's fields (``user``), or None when the token is
    unknown, revoked or expired, or its user is not active; marks it used."""
    current = now()
    query = (
        sa.select(*_LISTED, users.c.active.label("user_active"))
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.token_hash == hash_token(token))
    )
    with engine.begin() as connection:
        row = connection.execute(query).first()
        if row is None or row.revoked_at is not None or row.expires_at <= current:
            return None
        if not row.user_active:
            return None
        connection.execute(
            api_tokens.update().where(api_tokens.c.id == row.id).values(last_used_at=current)
        )
    return dict(row._mapping)
