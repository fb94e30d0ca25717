"""Password rules, after the NCSC's password guidance: length over composition.

A password must be at least 12 characters and is refused when it is easily guessed: one of
the common passwords shipped in ``service/data/common_passwords.txt`` (its first lines name
the source), the user name or a password containing it, or a run of very few different
characters (``aaaaaaaaaaaa``, twelve spaces). No rule asks for digits or symbols: the
guidance finds they make passwords harder to remember without making them harder to guess.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MIN_DISTINCT = 5
"""Fewer different characters than this is a pattern, not a password."""
COMMON = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("# "))


def password_problem(password: str, *, username: str) -> str | None:
    """Why ``password`` is refused for ``username``, in words, or None when it is good."""
    folded, name = password.casefold(), username.strip().casefold()
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(set(folded)) < MIN_DISTINCT:
        return f"use at least {MIN_DISTINCT} different characters"
    if folded.strip() in common_passwords():
        return "that is one of the most common passwords; choose another"
    if name and name in folded:
        return "do not use the user name in the password"
    return None
