"""Prevention messages in and out of CSV files.

:func:`read_messages_csv` turns a messages CSV into :class:`geodata.messages.Message`
records plus ``RowError``s naming the file, line, column and problem, each field checked by
:func:`geodata.messages.message_problems`; :func:`export_rows` writes messages back as the
same columns, every text cell made spreadsheet-safe (the concerns export's
:func:`geodata.io.concerns.spreadsheet_safe`), so a cell is never run as a formula and an
exported file reads back unchanged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

from geodata.concerns import vocabulary_slug
from geodata.errors import MessageFileError, RowError
from geodata.io.concerns import from_spreadsheet, spreadsheet_safe
from geodata.io.text import csv_rows
from geodata.messages import (
    AUDIENCES,
    CHANNELS,
    FORCE_WIDE,
    LIST_SEPARATOR,
    MESSAGE_COLUMNS,
    Message,
    message_problems,
    parse_area,
    split_list,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d+")


def read_messages_csv(
    data: str | os.PathLike[str] | bytes,
    *,
    source: str,
    wards: Collection[str],
    councils: Collection[str],
    themes: Mapping[str, str],
    today: date | None = None,
) -> tuple[list[Message], list[RowError]]:
    """Read a prevention-messages CSV (the columns of :data:`MESSAGE_COLUMNS`), checking every row.

    Method
    ------
    The header must name every column of :data:`MESSAGE_COLUMNS`, in any order and letter
    case; other columns (``id``, ``recorded_by`` of an export) are ignored, and a header
    missing a column is refused as a whole. Each cell first has the spreadsheet-safety prefix
    taken off, so a file written by :func:`export_rows` reads back as it was, and its ends
    are stripped. The area is read by :func:`geodata.messages.parse_area`; the channel, each
    audience and each theme may be a slug or a label in any case; ``sent_on`` must be a date
    written ``YYYY-MM-DD`` and ``reach`` a whole number or blank. Then every check of
    :func:`geodata.messages.message_problems` runs, and each problem becomes one
    ``RowError`` naming its column. Blank lines are skipped; a row's line is where it starts
    (the header is line 1).

    The caller decides what a rejected row means: ``import-messages`` refuses the whole file
    when any row is rejected.

    Raises
    ------
    MessageFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    today = date.today() if today is None else today
    messages: list[Message] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, MESSAGE_COLUMNS, source=source, error=MessageFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell).strip() for name, cell in raw.items()}
        message, problems = parse_row(
            cells, wards=wards, councils=councils, themes=themes, today=today
        )
        errors.extend(RowError(source, line, column, problem) for column, problem in problems)
        if message is not None:
            messages.append(message)
    return messages, errors


def parse_row(
    cells: Mapping[str, str],
    *,
    wards: Collection[str],
    councils: Collection[str],
    themes: Mapping[str, str],
    today: date,
) -> tuple[Message | None, list[tuple[str, str]]]:
    """A message from one row's stripped text cells (also a form's), or None and its problems."""
    problems: list[tuple[str, str]] = []
    sent_on: date | None = None
    if not _ISO_DATE.fullmatch(cells["sent_on"]):
        problems.append(("sent_on", f"{cells['sent_on']!r} is not a date written YYYY-MM-DD"))
    else:
        try:
            sent_on = date.fromisoformat(cells["sent_on"])
        except ValueError:
            problems.append(("sent_on", f"{cells['sent_on']!r} is not a real date"))
    reach: int | None = None
    if cells["reach"]:
        if _WHOLE.fullmatch(cells["reach"].replace(",", "")):
            reach = int(cells["reach"].replace(",", ""))
        else:
            problems.append(("reach", f"{cells['reach']!r} is not a whole number"))
    area, codes = parse_area(cells["area"], wards=wards, councils=councils)
    message = Message(
        sent_on=sent_on or today,
        channel=vocabulary_slug(cells["channel"], CHANNELS) or cells["channel"],
        area=area,
        area_codes=codes,
        themes=tuple(dict.fromkeys(_slugs(cells["themes"], themes))),
        audiences=tuple(dict.fromkeys(_slugs(cells["audiences"], AUDIENCES))),
        group=" ".join(cells["group"].split()) or None,
        reach=reach,
        sent_by=cells["sent_by"],
        summary=cells["summary"],
        reference=cells["reference"] or None,
    )
    problems.extend(
        message_problems(message, wards=wards, councils=councils, themes=themes, today=today)
    )
    if problems:
        return None, problems
    return message, []


def _slugs(text: str, vocabulary: Mapping[str, str]) -> list[str]:
    return [vocabulary_slug(item, vocabulary) or item for item in split_list(text)]


# --- Writing -------------------------------------------------------------------------------


def export_rows(
    messages: Iterable[Message | Mapping[str, Any]],
    *,
    columns: Sequence[str] = MESSAGE_COLUMNS,
) -> list[list[str]]:
    """The header and one row of text cells per message, safe to open in a spreadsheet.

    ``messages`` are :class:`Message` objects or mappings with the same field names (the
    store's rows, which add ``id``, ``recorded_by`` and the like). The ``area`` column is
    written as :func:`geodata.messages.parse_area` reads it (``force-wide``, the council
    code, or the ward codes joined by ``;``); lists are joined by ``;``. Every text value
    goes through :func:`spreadsheet_safe`; dates are written ``YYYY-MM-DD``, whole numbers as
    digits, None as an empty cell.
    """
    rows = [list(columns)]
    for message in messages:
        fields = dict(_fields(message))
        fields["area"] = (
            FORCE_WIDE
            if fields["area"] == FORCE_WIDE
            else LIST_SEPARATOR.join(fields["area_codes"])
        )
        rows.append([_cell(fields.get(column)) for column in columns])
    return rows


def _fields(message: Message | Mapping[str, Any]) -> Mapping[str, Any]:
    if is_dataclass(message) and not isinstance(message, type):
        return asdict(message)
    assert isinstance(message, Mapping)
    return message


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return spreadsheet_safe(LIST_SEPARATOR.join(str(item) for item in value))
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return spreadsheet_safe(str(value))


# --- JSON ----------------------------------------------------------------------------------

JSON_FIELDS: tuple[str, ...] = (
    "sent_on",
    "channel",
    "area",
    "area_codes",
    "themes",
    "audiences",
    "group",
    "reach",
    "sent_by",
    "summary",
    "reference",
)
"""The fields of a message's JSON body (``POST /api/messages``): the :class:`Message` fields."""

_LIST_FIELDS = ("area_codes", "themes", "audiences")
_TEXT_FIELDS = ("channel", "area", "sent_by", "summary")
_OPTIONAL_TEXT = ("group", "reference")


def message_from_dict(
    body: Any,
    *,
    wards: Collection[str],
    councils: Collection[str],
    themes: Mapping[str, str],
    today: date,
) -> tuple[Message | None, list[tuple[str, str]]]:
    """A message from a JSON object with the fields of :data:`JSON_FIELDS`, or its problems.

    Each field must be of its kind (``sent_on`` a ``YYYY-MM-DD`` text, the lists lists of
    texts, ``reach`` a whole number or null, ``group`` and ``reference`` text or null);
    unknown fields are refused; then every check of
    :func:`geodata.messages.message_problems` runs. Texts have their ends stripped. Problems
    are (field, problem) pairs, the field ``""`` when the body is not an object at all.
    """
    if not isinstance(body, dict):
        return None, [("", "the body must be a JSON object with the fields of a message")]
    problems = [
        (name, "is not a field of a message") for name in sorted(set(body) - set(JSON_FIELDS))
    ]
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = body.get(name, "")
        if isinstance(value, str):
            values[name] = value.strip()
        else:
            problems.append((name, f"{value!r} is not text"))
    for name in _OPTIONAL_TEXT:
        value = body.get(name)
        if value is None or isinstance(value, str):
            values[name] = (value or "").strip() or None
        else:
            problems.append((name, f"{value!r} is not text or null"))
    for name in _LIST_FIELDS:
        value = body.get(name, [])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            values[name] = tuple(dict.fromkeys(item.strip() for item in value if item.strip()))
        else:
            problems.append((name, f"{value!r} is not a list of texts"))
    reach = body.get("reach")
    if reach is not None and (isinstance(reach, bool) or not isinstance(reach, int)):
        problems.append(("reach", f"{reach!r} is not a whole number or null"))
    values["reach"] = reach
    sent_on = body.get("sent_on")
    if isinstance(sent_on, str) and _ISO_DATE.fullmatch(sent_on.strip()):
        try:
            values["sent_on"] = date.fromisoformat(sent_on.strip())
        except ValueError:
            problems.append(("sent_on", f"{sent_on!r} is not a real date"))
    else:
        problems.append(("sent_on", f"{sent_on!r} is not a date written YYYY-MM-DD"))
    if problems:
        return None, problems
    message = Message(**values)
    found = message_problems(message, wards=wards, councils=councils, themes=themes, today=today)
    return (None, found) if found else (message, [])
