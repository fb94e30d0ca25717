"""Reading a small text table (concerns, plans): its text, its columns and its rows.

The helpers take the error class to raise, so each reader's failures stay its own kind
(``ConcernFileError``, ``PlanFileError``) while the checks and messages are written once.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from geodata.errors import RowError


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


def csv_rows(
    data: str | os.PathLike[str] | bytes,
    columns: Sequence[str],
    *,
    source: str,
    error: type[Exception],
    errors: list[RowError],
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as (line, cells of ``columns`` by name), the cells as written.

    The header must name every column (:func:`column_positions`); an empty file, a header
    of blanks or text that is not CSV raises ``error``. Blank rows are skipped; a row with
    more or fewer fields than the header is added to ``errors`` and not given. A row's line
    is where it starts (the header is line 1).
    """
    reader = csv.reader(io.StringIO(read_text(data, source=source, error=error), newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise error(f"{source}: is empty; expected a header row with {', '.join(columns)}")
        position = column_positions(header, columns, source=source, error=error)
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                errors.append(
                    RowError(source, line, "", f"has {len(row)} fields, expected {len(header)}")
                )
                continue
            yield line, {name: row[at] for name, at in position.items()}
    except csv.Error as failure:
        raise error(
            f"{source}: cannot be read as CSV at line {reader.line_num} ({failure})"
        ) from failure
