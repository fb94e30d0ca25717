"""Concerns in and out of CSV files, and the theme-tag table.

:func:`read_concerns_csv` turns a concerns CSV into :class:`geodata.concerns.Concern`
records plus ``RowError``s naming the file, line, column and problem, each field checked by
the checks of ``geodata/concerns.py``; :func:`read_concern_tags` reads the theme tags;
:func:`export_rows` writes concerns back as the same columns, every text cell made
spreadsheet-safe (:func:`spreadsheet_safe`) so a cell is never run as a formula.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

from geodata.concerns import (
    CHANNELS,
    CONCERN_COLUMNS,
    STATUSES,
    Concern,
    ConcernTag,
    choice_problem,
    description_problem,
    future_problem,
    length_problem,
    normalise_community,
    point_problems,
    recorded_by_problem,
    vocabulary_slug,
    ward_problem,
)
from geodata.crime import CATEGORIES, canonical_category
from geodata.errors import ConcernFileError, RowError
from geodata.io.text import csv_rows, read_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (or hide one)."""

SPREADSHEET_PREFIX = "'"
"""Put before a cell that could be read as a formula: spreadsheets show it as text."""


TAG_COLUMNS: tuple[str, ...] = ("tag", "label", "categories")

_TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEEDS_PREFIX = re.compile(f"'*[{re.escape(''.join(FORMULA_TRIGGERS))}]")
_PREFIXED = re.compile(f"'+[{re.escape(''.join(FORMULA_TRIGGERS))}]")


# --- Tags ----------------------------------------------------------------------------------


def read_concern_tags(path: str | os.PathLike[str]) -> dict[str, ConcernTag]:
    """Read and check a theme-tag table.

    The file is a CSV with the header ``tag,label,categories``. A tag is a lower-case slug
    (``knife-crime``); the label is what people read; ``categories`` lists the police.uk
    categories that record the same kind of thing, separated by ``;``, and is empty for a
    theme police.uk has no category for (speeding, parking, noise). Categories may be
    written as any label :func:`geodata.crime.canonical_category` accepts and are kept
    under their current police.uk name, so a concern can be set beside recorded crime.

    Every fault is collected before anything is raised: a bad or repeated tag, a blank
    label, an unknown category, a row with the wrong number of fields.

    Raises
    ------
    ConcernFileError
        When the file cannot be read or breaks a rule above; one fault per line, as
        ``<file>, line <n>, column '<column>': <problem>``.
    """
    source = str(path)
    text = read_text(path, source=source, error=ConcernFileError)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if header != list(TAG_COLUMNS):
        raise ConcernFileError(
            f"{source}: the header is {','.join(header)!r}; expected {','.join(TAG_COLUMNS)!r}"
        )
    tags: dict[str, ConcernTag] = {}
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(TAG_COLUMNS):
            errors.append(
                RowError(source, line, "tag", f"has {len(row)} fields, expected {len(TAG_COLUMNS)}")
            )
            continue
        tag, label, listed = (cell.strip() for cell in row)
        if not _TAG.fullmatch(tag):
            errors.append(
                RowError(
                    source, line, "tag", f"{tag!r} is not a lower-case slug like 'knife-crime'"
                )
            )
        elif tag in tags:
            errors.append(RowError(source, line, "tag", f"{tag!r} is given twice"))
        if not label:
            errors.append(RowError(source, line, "label", "is blank"))
        categories: list[str] = []
        for name in (part.strip() for part in listed.split(";")):
            category = canonical_category(name) if name else None
            if name and category is None:
                errors.append(
                    RowError(
                        source,
                        line,
                        "categories",
                        f"{name!r} is not a police.uk category; one of {', '.join(CATEGORIES)}",
                    )
                )
            elif category and category not in categories:
                categories.append(category)
        tags.setdefault(tag, ConcernTag(tag, label, tuple(categories)))
    if errors:
        raise ConcernFileError("\n".join(str(error) for error in errors))
    if not tags:
        raise ConcernFileError(f"{source}: holds no tags")
    return tags


# --- Reading -------------------------------------------------------------------------------


def read_concerns_csv(
    data: str | os.PathLike[str] | bytes,
    *,
    source: str,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date | None = None,
) -> tuple[list[Concern], list[RowError]]:
    """Read a concerns CSV (the columns of :data:`CONCERN_COLUMNS`) and check every row.

    Method
    ------
    The header must name every column of :data:`CONCERN_COLUMNS`, in any order and letter
    case; other columns (``id``, ``updated_on`` of an export) are ignored. A header missing a
    column is refused as a whole. Each cell first has the spreadsheet-safety prefix taken
    off (:func:`from_spreadsheet`), so a file written by :func:`export_rows` reads back as it
    was, and its ends are stripped (the community also has inner spaces collapsed). Then a
    row is rejected, with one ``RowError`` per problem naming its column, when:

    - its number of fields differs from the header's;
    - the ward is not one of ``wards``, or the tag not one of ``tags`` (the message lists
      the tags allowed);
    - the description is blank or longer than :data:`MAX_DESCRIPTION` characters;
    - ``raised_on`` is not a date written ``YYYY-MM-DD``, or is after ``today``;
    - the channel or status is not in :data:`CHANNELS` or :data:`STATUSES` (slug or label,
      any case; a blank status is ``open``);
    - only one of longitude and latitude is given, either is not a number, or the point
      lies outside :data:`geodata.crs.ENGLAND_WALES_BOUNDS`;
    - ``recorded_by`` is blank, or a short text is over :data:`MAX_SHORT_TEXT` characters.

    Blank lines are skipped. A row's line is where it starts (the header is line 1), so a
    description running over several lines still points at its first.

    Parameters
    ----------
    data
        A path to the file, or its bytes; UTF-8, with or without a byte-order mark.
    source
        The name used in every message (the file name).
    wards
        The ward codes of the boundary vintage in use.
    tags
        The theme tags, as :func:`read_concern_tags` returns them.
    today
        The day after which ``raised_on`` is refused (default: the computer's date).

    Raises
    ------
    ConcernFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    today = date.today() if today is None else today
    concerns: list[Concern] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, CONCERN_COLUMNS, source=source, error=ConcernFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell).strip() for name, cell in raw.items()}
        concern, problems = _parse_row(cells, wards=wards, tags=tags, today=today)
        errors.extend(RowError(source, line, column, problem) for column, problem in problems)
        if concern is not None:
            concerns.append(concern)
    return concerns, errors


def _parse_row(
    cells: dict[str, str],
    *,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date,
) -> tuple[Concern | None, list[tuple[str, str]]]:
    """A concern from one row's stripped cells, or None and every problem found."""
    tag = vocabulary_slug(cells["tag"], _labels(tags)) or cells["tag"]
    channel = vocabulary_slug(cells["channel"], CHANNELS) or cells["channel"]
    status = vocabulary_slug(cells["status"] or "open", STATUSES) or cells["status"]
    community = normalise_community(cells["community"])
    problems: list[tuple[str, str | None]] = [
        ("ward_code", ward_problem(cells["ward_code"], wards)),
        ("tag", choice_problem(tag, tags, what="tag")),
        ("description", description_problem(cells["description"])),
        ("channel", choice_problem(channel, CHANNELS, what="channel")),
        ("community", length_problem(community)),
        ("location", length_problem(cells["location"] or None)),
        ("status", choice_problem(status, STATUSES, what="status")),
        ("recorded_by", recorded_by_problem(cells["recorded_by"])),
    ]
    raised_on: date | None = None
    if not _ISO_DATE.fullmatch(cells["raised_on"]):
        problems.append(("raised_on", f"{cells['raised_on']!r} is not a date written YYYY-MM-DD"))
    else:
        try:
            raised_on = date.fromisoformat(cells["raised_on"])
        except ValueError:
            problems.append(("raised_on", f"{cells['raised_on']!r} is not a real date"))
        else:
            problems.append(("raised_on", future_problem(raised_on, today)))
    point: dict[str, float | None] = {}
    for column in ("longitude", "latitude"):
        try:
            point[column] = float(cells[column]) if cells[column] else None
        except ValueError:
            problems.append((column, f"{cells[column]!r} is not a number"))
    if len(point) == 2:
        problems.extend(point_problems(point["longitude"], point["latitude"]))
    found = [(column, problem) for column, problem in problems if problem]
    if found or raised_on is None:
        return None, found
    concern = Concern(
        ward_code=cells["ward_code"],
        tag=tag,
        description=cells["description"],
        raised_on=raised_on,
        channel=channel,
        recorded_by=cells["recorded_by"],
        community=community,
        location_text=cells["location"] or None,
        longitude=point["longitude"],
        latitude=point["latitude"],
        status=status,
    )
    return concern, []


def _labels(tags: Mapping[str, Any]) -> dict[str, str]:
    return {tag: getattr(value, "label", tag) for tag, value in tags.items()}


# --- Writing -------------------------------------------------------------------------------


def spreadsheet_safe(text: str) -> str:
    """``text`` with an apostrophe put before it when a spreadsheet could run it as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
    Excel, LibreOffice and Google Sheets as a formula (or one hidden behind white space), so
    a description such as ``=HYPERLINK("http://...")`` could run when an exported file is
    opened. A leading apostrophe (``'``) makes a spreadsheet show the cell as text and hides
    the apostrophe. Text that already starts with apostrophes followed by one of those
    characters also gets one more, so that :func:`from_spreadsheet` can take exactly one
    off and every text comes back unchanged.
    """
    return SPREADSHEET_PREFIX + text if _NEEDS_PREFIX.match(text) else text


def from_spreadsheet(text: str) -> str:
    """Undo :func:`spreadsheet_safe`: drop one leading apostrophe before a formula character.

    Only an apostrophe followed (after any further apostrophes) by ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return is taken off; ``'tis`` stays as it is.
    """
    return text[1:] if _PREFIXED.match(text) else text


def export_rows(
    concerns: Iterable[Concern | Mapping[str, Any]],
    *,
    columns: Sequence[str] = CONCERN_COLUMNS,
) -> list[list[str]]:
    """The header and one row of text cells per concern, safe to open in a spreadsheet.

    ``concerns`` are :class:`Concern` objects or mappings with the same field names (the
    store's rows, which add ``id``, ``updated_on`` and the like); the ``location`` column
    reads ``location_text``. Every text value goes through :func:`spreadsheet_safe`.
    Numbers and dates are written by this function, not copied from anyone's text, so they
    are left as they are (a negative longitude stays a number): dates as ``YYYY-MM-DD``,
    floats in their shortest exact form, None as an empty cell.
    """
    rows = [list(columns)]
    for concern in concerns:
        fields = _fields(concern)
        rows.append([_cell(fields.get(_FIELD_OF_COLUMN.get(c, c))) for c in columns])
    return rows


_FIELD_OF_COLUMN = {"location": "location_text"}


def _fields(concern: Concern | Mapping[str, Any]) -> Mapping[str, Any]:
    if is_dataclass(concern) and not isinstance(concern, type):
        return asdict(concern)
    assert isinstance(concern, Mapping)
    return concern


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return spreadsheet_safe(str(value))
