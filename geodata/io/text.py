"""Reading a small text table (concerns, plans): its text and the positions of its columns.

Both helpers take the error class to raise, so each reader's failures stay its own kind
(``ConcernFileError``, ``PlanFileError``) while the checks and messages are written once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def read_text(data: str | os.PathLike[str] | bytes, *, source: str, error: type[Exception]) -> str:
    """The UTF-8 text (a byte-order mark dropped) of a file given by its path, or of
    ``data`` when it is already the file's bytes."""
    try:
        raw = data if isinstance(data, bytes) else Path(data).read_bytes()
    except FileNotFoundError as failure:
        raise error(f"{source}: no such file") from failure
    except OSError as failure:
        raise error(f"{source}: cannot be read ({failure.strerror})") from failure
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(f"{source}: is not UTF-8 text ({failure})") from failure


def column_positions(
    header: list[str], expected: Sequence[str], *, source: str, error: type[Exception]
) -> dict[str, int]:
    """Position of each expected column in the header, matched without regard to case or
    surrounding spaces; a header that lacks or repeats one is refused whole."""
    folded = [name.strip().casefold() for name in header]
    missing = [name for name in expected if name not in folded]
    repeated = sorted({name for name in expected if folded.count(name) > 1})
    if missing or repeated:
        problem = f"lacks the columns {missing}" if missing else f"repeats {repeated}"
        raise error(
            f"{source}: the header {problem}; expected the columns "
            f"{', '.join(expected)} (any order; other columns are ignored)"
        )
    return {name: folded.index(name) for name in expected}
