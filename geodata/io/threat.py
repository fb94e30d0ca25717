"""Reading a force threat assessment file (YAML or CSV) into a ThreatAssessment.

The file is typed by hand or exported from a workbook, so the reader checks every field and
refuses the whole file when anything is wrong, listing every problem with the file, the
theme and the field: a half-read assessment would misstate the force's priorities. The
records themselves are in ``geodata/threat.py``.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

import yaml

from geodata.crime import CATEGORIES, canonical_category
from geodata.errors import ThreatFileError
from geodata.threat import (
    ASSESSMENT_FIELDS,
    BAND_ORDER,
    CONFIDENCES,
    LIST_SEPARATOR,
    NOTE_KEYS,
    OPTIONAL_THEME_FIELDS,
    SUFFIXES,
    THEME_FIELDS,
    ThreatAssessment,
    ThreatTheme,
)

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_IN_TEXT = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")
_NOTE_KEY = re.compile(r"[a-z_]+")
_NAMES: tuple[str, ...] = ("title", "force", "assessed_on")


def read_threat_assessment(
    path: str | os.PathLike[str],
    *,
    known_tags: Collection[str] | None = None,
    title: str | None = None,
    force: str | None = None,
    assessed_on: date | None = None,
) -> ThreatAssessment:
    """Read and check a threat assessment from a YAML or CSV file.

    The file name chooses the format. **YAML** (``.yaml``, ``.yml``) is a mapping with the
    keys ``title``, ``force``, ``assessed_on`` (YYYY-MM-DD), ``themes`` (a list of mappings
    with the keys of :data:`THEME_FIELDS`) and optionally ``example`` (true or false).
    **CSV** (``.csv``) has one row per theme and a header naming the columns of
    :data:`THEME_FIELDS` (``categories`` and ``concern_tags`` may be left out); the title,
    force, date and example flag are ``# title: ...``, ``# force: ...``,
    ``# assessed_on: YYYY-MM-DD`` and ``# example: true`` lines above the header. In CSV,
    several categories or tags in one cell are separated by ``;``; in YAML they are a list
    (a ``;``-separated text is accepted too). Other ``#`` lines above the header are free
    comments, as long as they do not look like ``# word: ...``, which would hide a
    misspelt key.

    The keyword options ``title``, ``force`` and ``assessed_on`` win over the file's own,
    for a CSV exported from a workbook without ``#`` lines.

    Every theme field is required except ``categories`` and ``concern_tags``. Text is
    stripped; ``confidence`` (one of :data:`CONFIDENCES`) and ``priority_band`` (one of
    :data:`BAND_ORDER`) are read in any letter case and kept in lower case. A category may
    be any label :func:`geodata.crime.canonical_category` accepts and is kept under its
    current police.uk name; a category or tag given twice is kept once.

    Every problem is collected before anything is raised, so one run lists them all: a
    missing or blank field, an unknown key or column (with the nearest allowed name, since
    a misspelt ``priorty_band`` must not pass silently), a risk score that is not a finite
    number of 0 or more, a confidence or band outside the allowed values, a date that is not
    YYYY-MM-DD, an unknown police.uk category, a concern tag not in ``known_tags`` (not
    checked when ``known_tags`` is None), two themes with the same name (in any letter
    case), and an assessment with no themes.

    Raises
    ------
    ThreatFileError
        When the file cannot be read or breaks any rule above. The first line names the
        file; then each problem is on a line of its own, as ``<file>, theme <n> ('<name>'),
        field '<field>': <problem>`` for YAML or ``<file>, line <n> ('<name>'), column
        '<column>': <problem>`` for CSV.
    """
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ThreatFileError(
            f"{source}: a threat assessment must be YAML or CSV; name it {', '.join(SUFFIXES)}"
        )
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ThreatFileError(f"{source}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ThreatFileError(f"{source}: cannot be read as UTF-8 text ({error})") from error

    problems = _Problems(source)
    if suffix == ".csv":
        top, rows = _csv_parts(text, problems)
    else:
        top, rows = _yaml_parts(text, problems)
    given = {"title": title, "force": force, "assessed_on": assessed_on}
    for key, value in given.items():
        if value is not None:
            top[key] = (top[key][0], top[key][1], value)

    title_ = _top_value("title", top["title"], problems, _text)
    force_ = _top_value("force", top["force"], problems, _text)
    assessed = _top_value("assessed_on", top["assessed_on"], problems, _date)
    example = _top_value("example", top["example"], problems, _flag) if "example" in top else False

    themes: list[ThreatTheme] = []
    first_seen: dict[str, str] = {}
    for where, ref, label, raw in rows:
        theme = _theme(raw, where=where, label=label, problems=problems, known_tags=known_tags)
        name = raw.get("name")
        if isinstance(name, str) and name.strip():
            key = name.strip().casefold()
            if key in first_seen:
                problems.add(
                    where,
                    f"{label} 'name'",
                    f"{name.strip()!r} repeats the name of {first_seen[key]}; "
                    "theme names must differ",
                )
                continue
            first_seen[key] = ref
        if theme is not None:
            themes.append(theme)
    problems.raise_if_any()
    return ThreatAssessment(
        title=cast(str, title_),
        force=cast(str, force_),
        assessed_on=cast(date, assessed),
        themes=tuple(themes),
        source=source,
        is_example=cast(bool, example),
    )


# --- collecting problems ----------------------------------------------------------------


class _Problems:
    """Every problem of one file, each as ``<file>, <where>, <field>: <problem>``.

    They are listed in file order: the assessment's own fields first, then by theme or line
    (the number in ``where``), each theme's in the order they were found.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[int, str]] = []

    def __len__(self) -> int:
        return len(self.found)

    def add(self, where: str, field: str, problem: str) -> None:
        located = ", ".join(part for part in (self.source, where, field) if part)
        number = re.search(r"[0-9]+", where)
        self.found.append((int(number.group()) if number else 0, f"{located}: {problem}"))

    def raise_if_any(self) -> None:
        if self.found:
            lines = [line for _, line in sorted(self.found, key=lambda found: found[0])]
            listed = "\n".join(f"  {line}" for line in lines)
            count = f"{len(lines)} problem{'' if len(lines) == 1 else 's'}"
            raise ThreatFileError(
                f"{self.source}: threat assessment cannot be used ({count}):\n{listed}"
            )


# (where, field label, value): where a top-level value came from, for its problems.
_Top = tuple[str, str, object]
# (where, short reference, field label, raw fields) for one theme.
_Row = tuple[str, str, str, Mapping[object, object]]


def _unknown(name: object, allowed: tuple[str, ...], what: str) -> str:
    """The problem for an unknown key, with the nearest allowed name when there is one."""
    near = difflib.get_close_matches(str(name), allowed, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown {what}{hint}; allowed: {', '.join(allowed)}"


# --- YAML -----------------------------------------------------------------------------------


def _yaml_parts(text: str, problems: _Problems) -> tuple[dict[str, _Top], list[_Row]]:
    """The top-level values and the raw themes of a YAML assessment."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ThreatFileError(f"{problems.source}: is not valid YAML ({error})") from error
    except ValueError as error:
        # PyYAML turns an unquoted YYYY-MM-DD into a date itself, and fails on 2026-02-30.
        found = [
            f"line {number}: {written!r}"
            for number, line in enumerate(text.splitlines(), start=1)
            for written in _DATE_IN_TEXT.findall(line)
            if not isinstance(_date(written), date)
        ]
        raise ThreatFileError(
            f"{problems.source}: holds a date that does not exist "
            f"({'; '.join(found) or error}); write real dates as YYYY-MM-DD"
        ) from error
    if not isinstance(data, dict):
        raise ThreatFileError(
            f"{problems.source}: must be a YAML mapping with the keys "
            f"{', '.join(ASSESSMENT_FIELDS)}; found {type(data).__name__}"
        )
    for key in data:
        if key not in ASSESSMENT_FIELDS:
            problems.add("", f"field {key!r}", _unknown(key, ASSESSMENT_FIELDS, "field"))
    top: dict[str, _Top] = {key: ("", "field", data.get(key)) for key in _NAMES}
    if "example" in data:
        top["example"] = ("", "field", data["example"])

    themes = data.get("themes")
    rows: list[_Row] = []
    if themes is None:
        problems.add("", "field 'themes'", "required but missing or blank")
    elif not isinstance(themes, list):
        problems.add("", "field 'themes'", "must be a list of themes, one mapping each")
    elif not themes:
        problems.add("", "field 'themes'", "lists no themes; an assessment needs at least one")
    for number, raw in enumerate(themes if isinstance(themes, list) else [], start=1):
        if not isinstance(raw, dict):
            problems.add(
                f"theme {number}", "", "must be a mapping of fields (name: ..., risk_score: ...)"
            )
            continue
        name = raw.get("name")
        named = f"({name.strip()!r})" if isinstance(name, str) and name.strip() else "(no name)"
        rows.append((f"theme {number} {named}", f"theme {number}", "field", raw))
    return top, rows


# --- CSV ------------------------------------------------------------------------------------


def _csv_parts(text: str, problems: _Problems) -> tuple[dict[str, _Top], list[_Row]]:
    """The ``#`` lines and the raw themes of a CSV assessment."""
    lines = text.splitlines(keepends=True)
    notes: dict[str, tuple[int, str]] = {}
    start = len(lines)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            start = number - 1
            break
        key, colon, value = stripped[1:].partition(":")
        key = key.strip().lower()
        if not colon or _NOTE_KEY.fullmatch(key) is None:
            continue  # a free comment
        if key not in NOTE_KEYS:
            problems.add(
                f"line {number}",
                f"note {key!r}",
                _unknown(key, NOTE_KEYS, "note")
                + "; write free comments without a 'word:' at the start",
            )
        elif key in notes:
            problems.add(
                f"line {number}", f"note {key!r}", f"repeats the note of line {notes[key][0]}"
            )
        else:
            notes[key] = (number, value.strip())

    top: dict[str, _Top] = {key: ("", "note", None) for key in _NAMES}
    for key, (at, note) in notes.items():
        top[key] = (f"line {at}", "note", note)

    rows: list[_Row] = []
    try:
        reader = csv.reader(io.StringIO("".join(lines[start:])))
        header_row = next(reader, None)
        if header_row is None:
            problems.add(
                "",
                "",
                f"has no header and no themes; expected the columns {', '.join(THEME_FIELDS)}",
            )
            return top, rows
        header = [name.strip() for name in header_row]
        if not _header_is_usable(header, start + reader.line_num, problems):
            return top, rows
        previous = reader.line_num
        for cells in reader:
            number, previous = start + previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            raw: dict[object, object] = dict(zip(header, cells, strict=False))
            name = str(raw.get("name", "")).strip()
            where = f"line {number}" + (f" ({name!r})" if name else "")
            if len(cells) != len(header):
                problems.add(
                    where,
                    "",
                    f"has {len(cells)} fields; the header has {len(header)} ({','.join(header)})",
                )
                continue
            rows.append((where, f"line {number}", "column", raw))
    except csv.Error as error:
        raise ThreatFileError(f"{problems.source}: cannot be read as CSV ({error})") from error
    if not rows and not len(problems):
        problems.add("", "", "lists no themes; an assessment needs at least one")
    return top, rows


def _header_is_usable(header: list[str], number: int, problems: _Problems) -> bool:
    """Whether the CSV header names each column once, all known and all required present."""
    before = len(problems)
    where = f"line {number}"
    for position, name in enumerate(header):
        if name not in THEME_FIELDS:
            problems.add(where, f"column {name!r}", _unknown(name, THEME_FIELDS, "column"))
        elif name in header[:position]:
            problems.add(where, f"column {name!r}", "appears twice in the header")
    for name in THEME_FIELDS:
        if name not in header and name not in OPTIONAL_THEME_FIELDS:
            problems.add(where, f"column {name!r}", "required but missing from the header")
    return len(problems) == before


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fault:
    """What is wrong with a value: one problem, or one for each bad item of a list."""

    problems: tuple[str, ...]


_Parser = Callable[[object], object]


def _theme(
    raw: Mapping[object, object],
    *,
    where: str,
    label: str,
    problems: _Problems,
    known_tags: Collection[str] | None,
) -> ThreatTheme | None:
    """The checked theme, or None after adding every one of its problems."""
    before = len(problems)
    parsers: dict[str, _Parser] = {**_PARSERS, "concern_tags": _concern_tags(known_tags)}
    for key in raw:
        if key not in THEME_FIELDS:
            problems.add(where, f"{label} {key!r}", _unknown(key, THEME_FIELDS, label))
    values: dict[str, object] = {}
    for field in THEME_FIELDS:
        value = raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field not in OPTIONAL_THEME_FIELDS:
                problems.add(where, f"{label} {field!r}", "required but missing or blank")
            values[field] = ()
            continue
        parsed = parsers[field](value)
        if isinstance(parsed, _Fault):
            for problem in parsed.problems:
                problems.add(where, f"{label} {field!r}", problem)
        values[field] = parsed
    if len(problems) != before:
        return None
    return ThreatTheme(
        name=cast(str, values["name"]),
        description=cast(str, values["description"]),
        risk_score=cast(float, values["risk_score"]),
        confidence=cast(str, values["confidence"]),
        priority_band=cast(str, values["priority_band"]),
        categories=tuple(cast(Collection[str], values["categories"])),
        concern_tags=tuple(cast(Collection[str], values["concern_tags"])),
        owner=cast(str, values["owner"]),
        review_date=cast(date, values["review_date"]),
    )


def _top_value(key: str, top: _Top, problems: _Problems, parse: _Parser) -> object:
    """A checked top-level value (title, force, date or example flag), or None."""
    where, label, value = top
    if key != "example" and (value is None or (isinstance(value, str) and not value.strip())):
        how = (
            f"; add a '# {key}: ...' line above the header, or pass the {key} option"
            if label == "note"
            else ""
        )
        problems.add(where, f"{label} {key!r}", f"required but missing or blank{how}")
        return None
    parsed = parse(value)
    if isinstance(parsed, _Fault):
        for problem in parsed.problems:
            problems.add(where, f"{label} {key!r}", problem)
        return None
    return parsed


def _text(value: object) -> str | _Fault:
    if isinstance(value, str):
        return value.strip()
    return _Fault((f"{value!r} is not text; put it in quotes",))


def _score(value: object) -> float | _Fault:
    fault = _Fault((f"{value!r} is not a number",))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return fault
    try:
        score = float(value)
    except ValueError:
        return fault
    if not math.isfinite(score):
        return _Fault((f"{value!r} is not a finite number",))
    if score < 0:
        return _Fault((f"{value!r} is negative; risk scores are 0 or more",))
    return score


def _choice(allowed: tuple[str, ...], what: str) -> _Parser:
    """A parser for one of ``allowed``, in any letter case, kept in lower case."""

    def parse(value: object) -> str | _Fault:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        return _Fault((f"{value!r} is not a {what}; allowed: {', '.join(allowed)}",))

    return parse


def _date(value: object) -> date | _Fault:
    if isinstance(value, datetime):
        return _Fault((f"{value.isoformat()!r} is a date and time; give the date, YYYY-MM-DD",))
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    return _Fault((f"{value!r} is not a date; write YYYY-MM-DD",))


def _flag(value: object) -> bool | _Fault:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return _Fault((f"{value!r} is not true or false",))


def _items(value: object) -> tuple[str, ...] | _Fault:
    """The items of a list or of ``;``-separated text: split at ``;``, stripped, each once."""
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, list):
        items = value
    else:
        return _Fault((f"{value!r} is not a list; give a list, or text separated by ';'",))
    faults = tuple(f"{item!r} is not text" for item in items if not isinstance(item, str))
    if faults:
        return _Fault(faults)
    parts = (part.strip() for item in items for part in str(item).split(LIST_SEPARATOR))
    return tuple(dict.fromkeys(part for part in parts if part))


def _categories(value: object) -> tuple[str, ...] | _Fault:
    """Current police.uk category names, from any label canonical_category accepts."""
    items = _items(value)
    if isinstance(items, _Fault):
        return items
    faults = tuple(
        f"{item!r} is not a police.uk category; allowed: {', '.join(CATEGORIES)}"
        for item in items
        if canonical_category(item) is None
    )
    if faults:
        return _Fault(faults)
    return tuple(dict.fromkeys(canonical_category(item) or item for item in items))


def _concern_tags(known_tags: Collection[str] | None) -> _Parser:
    """A parser for concern tags, each checked against ``known_tags`` unless it is None."""
    allowed = ", ".join(sorted(known_tags)) if known_tags is not None else ""

    def parse(value: object) -> tuple[str, ...] | _Fault:
        items = _items(value)
        if isinstance(items, _Fault) or known_tags is None:
            return items
        faults = tuple(
            f"{item!r} is not a concern tag; allowed: {allowed}"
            for item in items
            if item not in known_tags
        )
        return _Fault(faults) if faults else items

    return parse


_PARSERS: dict[str, _Parser] = {  # concern_tags: _concern_tags(known_tags), per file
    "name": _text,
    "description": _text,
    "risk_score": _score,
    "confidence": _choice(CONFIDENCES, "confidence"),
    "priority_band": _choice(BAND_ORDER, "priority band"),
    "categories": _categories,
    "owner": _text,
    "review_date": _date,
}
