"""Read Census population tables by LSOA (CSV) into one count of residents per LSOA."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geodata.errors import PopulationError, RowError

CODE_COLUMNS: tuple[str, ...] = (
    "lsoa21_code",
    "LSOA21CD",
    "lsoa_code",
    "LSOA code",
    "geography code",
)
"""LSOA code columns, in the order they are looked for (any letter case)."""

COUNT_COLUMNS: tuple[str, ...] = (
    "usual_residents",
    "observation",
    "count",
    "population",
    "Observation",
)
"""Count columns, in the order they are looked for (any letter case)."""

NAME_COLUMNS: tuple[str, ...] = ("lsoa21_name", "LSOA21NM", "lsoa_name", "LSOA name", "geography")
"""LSOA name columns, optional, in the order they are looked for (any letter case)."""

POPULATION_COLUMNS: tuple[str, ...] = ("lsoa_code", "lsoa_name", "residents", "rows")
"""The columns of the frame :func:`read_lsoa_population` returns, in order."""

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def read_lsoa_population(
    path: str | os.PathLike[str],
    *,
    code_field: str | None = None,
    count_field: str | None = None,
) -> tuple[pd.DataFrame, list[RowError]]:
    """Read a CSV of counts by LSOA and add up the rows of each LSOA.

    Census tables by LSOA come with one row per LSOA and category (six age bands, say),
    so the residents of an LSOA are the sum of its rows. The columns are found by name:
    the code column is the first of :data:`CODE_COLUMNS` present, the count column the
    first of :data:`COUNT_COLUMNS` and the optional name column the first of
    :data:`NAME_COLUMNS`, each in any letter case (``LSOA code`` and ``Observation`` are
    the ONS custom-dataset names, ``geography code`` the bulk-download one).

    A row is rejected, and reported with its line, when its code is blank or its count is
    not a whole number of 0 or more. The other rows of that LSOA are still added up, so
    its total then lacks the rejected rows: that is why every rejected row is reported.
    Blank lines are skipped. Nothing else is checked here; whether a code is an LSOA of
    the boundaries in use is for the join.

    Parameters
    ----------
    path
        The CSV file, UTF-8 (a byte-order mark is allowed).
    code_field, count_field
        Column names to use instead of detection (``--code-field``, ``--count-field``),
        spelled exactly as in the header.

    Returns
    -------
    tuple of (pandas.DataFrame, list of RowError)
        One row per LSOA, sorted by code, with the columns :data:`POPULATION_COLUMNS`:
        ``lsoa_name`` is the first non-blank name of the LSOA ("" without a name column),
        ``residents`` the sum of its counts and ``rows`` how many file rows were summed.
        Then the rejected rows, in file order (the header is line 1).

    Raises
    ------
    PopulationError
        When the file is missing, empty, not UTF-8 CSV text, or has no code or count
        column (or a named one is absent). The message names the file and the columns
        found.
    """
    source = str(path)
    if not Path(path).is_file():
        raise PopulationError(f"{source}: no such file")
    names: dict[str, str] = {}
    residents: dict[str, int] = {}
    rows: dict[str, int] = {}
    errors: list[RowError] = []
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.reader(stream)
            header = next(reader, None)
            if header is None:
                raise PopulationError(f"{source}: is empty; expected a CSV with a header row")
            columns = [column.strip() for column in header]
            code_at = _column(
                source, columns, code_field, CODE_COLUMNS, option="--code-field", what="LSOA code"
            )
            count_at = _column(
                source, columns, count_field, COUNT_COLUMNS, option="--count-field", what="count"
            )
            name_at = _detect(columns, NAME_COLUMNS)
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                cells = [*row, *[""] * (len(columns) - len(row))]
                code = cells[code_at].strip()
                text = cells[count_at].strip()
                problem = _count_problem(text) if code else "the LSOA code is blank"
                if problem is not None:
                    column = columns[code_at if not code else count_at]
                    errors.append(RowError(source, reader.line_num, column, problem))
                    continue
                if not names.get(code):
                    names[code] = cells[name_at].strip() if name_at is not None else ""
                residents[code] = residents.get(code, 0) + int(text)
                rows[code] = rows.get(code, 0) + 1
    except UnicodeDecodeError as error:
        raise PopulationError(f"{source}: is not UTF-8 text, so not a CSV ({error})") from error
    except csv.Error as error:
        raise PopulationError(f"{source}: cannot be read as CSV ({error})") from error
    codes = sorted(residents)
    frame = pd.DataFrame(
        {
            "lsoa_code": pd.Series(codes, dtype="str"),
            "lsoa_name": pd.Series([names[code] for code in codes], dtype="str"),
            "residents": pd.Series([residents[code] for code in codes], dtype="int64"),
            "rows": pd.Series([rows[code] for code in codes], dtype="int64"),
        }
    )
    return frame, errors


def _column(
    source: str,
    columns: list[str],
    given: str | None,
    candidates: tuple[str, ...],
    *,
    option: str,
    what: str,
) -> int:
    """Position of the named column, or of the first candidate present."""
    if given is not None:
        if given not in columns:
            raise PopulationError(
                f"{source}: {option} {given!r} is not one of the columns {columns}"
            )
        return columns.index(given)
    found = _detect(columns, candidates)
    if found is None:
        raise PopulationError(
            f"{source}: no {what} column (one of {', '.join(candidates)}) among the columns "
            f"{columns}; pass {option}"
        )
    return found


def _detect(columns: list[str], candidates: Iterable[str]) -> int | None:
    """Position of the first candidate present in any letter case, or None."""
    folded = [column.casefold() for column in columns]
    for candidate in candidates:
        if candidate.casefold() in folded:
            return folded.index(candidate.casefold())
    return None


def _count_problem(text: str) -> str | None:
    """Why a count cannot be used, or None when it is a whole number of 0 or more."""
    if not text:
        return "the count is blank"
    if _WHOLE_NUMBER.fullmatch(text) is None:
        return f"the count {text!r} is not a whole number"
    if int(text) < 0:
        return f"the count {text} is negative"
    return None
