"""Reading a harm-weights table (``category,weight[,basis]`` with ``# source:`` and
``# caveat:`` notes) into :class:`geodata.harm.HarmWeights`, checked once, every fault
named with its file and line."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from types import MappingProxyType

from geodata.crime import ASB, canonical_category
from geodata.errors import HarmWeightsError, RowError
from geodata.harm import (
    COLUMNS,
    HEADERS,
    RANGE_COLUMNS,
    REQUIRED_NOTES,
    WEIGHTED_CATEGORIES,
    HarmWeights,
)


def read_harm_weights(path: str | os.PathLike[str]) -> HarmWeights:
    """Read and check a harm-weights table.

    The file is a CSV with a ``category,weight`` header (and optionally ``basis``, or
    ``low,high,basis`` for a plausible range around each weight, ``low <= weight <= high``). Lines
    whose first non-blank character is ``#`` are notes, not rows: ``# source: ...`` and
    ``# caveat: ...`` are required and kept with the weights (a key given on several lines
    is joined with spaces); other notes are for the reader of the file. Blank lines are
    skipped. A category may be written as any label :func:`geodata.crime.canonical_category`
    accepts (``violent-crime``, ``Violent crime``) and is stored under the current police.uk
    name.

    Every fault is collected before anything is raised, so one run lists them all: a
    category police.uk does not use; a weight for anti-social behaviour (it is not a
    notifiable crime, so it has no sentence to weigh); a weight that is not a number, not
    finite or negative; a category given twice (also under an old or API label); a row with
    the wrong number of fields; and, at the end of the file, any category with no row.

    Raises
    ------
    HarmWeightsError
        When the file cannot be read or breaks any rule above. Each fault is on a line of
        its own, as ``<file>, line <n>, column '<column>': <problem>``.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise HarmWeightsError(f"{source}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise HarmWeightsError(f"{source}: cannot be read as UTF-8 text ({error})") from error

    lines = text.splitlines()
    notes: dict[str, list[str]] = {}
    rows: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            key, colon, value = stripped[1:].partition(":")
            if colon:
                notes.setdefault(key.strip().lower(), []).append(value.strip())
            continue
        rows.append((number, line))

    errors: list[RowError] = []
    end = max(len(lines), 1)
    for key in REQUIRED_NOTES:
        if not " ".join(notes.get(key, [])).strip():
            errors.append(
                RowError(
                    source, 1, "#", f"no '# {key}: ...' line; every table must state its {key}"
                )
            )
    if not rows:
        errors.append(RowError(source, end, "category", "no header and no rows"))
        raise _fault(source, errors)

    header_line, header_text = rows[0]
    header = [name.strip() for name in next(csv.reader([header_text]))]
    if header not in [list(h) for h in HEADERS]:
        errors.append(
            RowError(
                source,
                header_line,
                "header",
                f"header is {','.join(header)!r}; expected {','.join(COLUMNS)!r} "
                f"(or {','.join(COLUMNS[:2])!r}, or {','.join(RANGE_COLUMNS)!r})",
            )
        )
        raise _fault(source, errors)

    weights: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    seen_on: dict[str, int] = {}
    for number, line in rows[1:]:
        fields = next(csv.reader([line]))
        if len(fields) != len(header):
            errors.append(
                RowError(
                    source,
                    number,
                    "category",
                    f"has {len(fields)} fields; the header has {len(header)} ({','.join(header)})",
                )
            )
            continue
        label, weight_text = fields[0].strip(), fields[1].strip()
        category = canonical_category(label)
        weighted = False
        if category is None:
            errors.append(
                RowError(
                    source,
                    number,
                    "category",
                    f"{label!r} is not a police.uk category; "
                    f"allowed: {', '.join(WEIGHTED_CATEGORIES)}",
                )
            )
        elif category == ASB:
            errors.append(
                RowError(
                    source,
                    number,
                    "category",
                    f"{label!r} cannot be weighted: anti-social behaviour is not a notifiable "
                    "crime and has no sentence to weigh; remove the row",
                )
            )
        elif category in seen_on:
            errors.append(
                RowError(
                    source,
                    number,
                    "category",
                    f"{label!r} repeats {category!r}, already weighted on line {seen_on[category]}",
                )
            )
        else:
            seen_on[category] = number
            weighted = True
        weight = _parse_weight(weight_text)
        if isinstance(weight, str):
            errors.append(RowError(source, number, "weight", weight))
        elif weighted and category is not None:
            weights[category] = weight
        if header == list(RANGE_COLUMNS) and not isinstance(weight, str):
            bounds = _parse_range(source, number, weight, fields[2].strip(), fields[3].strip())
            if isinstance(bounds, RowError):
                errors.append(bounds)
            elif weighted and category is not None:
                ranges[category] = bounds

    missing = [c for c in WEIGHTED_CATEGORIES if c not in seen_on]
    if missing:
        errors.append(
            RowError(source, end, "category", f"end of file: no row for {', '.join(missing)}")
        )
    if errors:
        raise _fault(source, errors)
    return HarmWeights(
        weights=MappingProxyType({c: weights[c] for c in WEIGHTED_CATEGORIES}),
        source=" ".join(notes["source"]).strip(),
        caveat=" ".join(notes["caveat"]).strip(),
        ranges=MappingProxyType({c: ranges[c] for c in WEIGHTED_CATEGORIES if c in ranges}),
    )


def _parse_weight(text: str) -> float | str:
    """The weight in ``text``, or what is wrong with it."""
    try:
        weight = float(text)
    except ValueError:
        return f"{text!r} is not a number"
    if not math.isfinite(weight):
        return f"{text!r} is not a finite number"
    if weight < 0:
        return f"{text!r} is negative; weights are 0 or more"
    return weight


def _parse_range(
    source: str, number: int, weight: float, low_text: str, high_text: str
) -> tuple[float, float] | RowError:
    """The (low, high) of a row, or the fault: each a weight, ``low <= weight <= high``."""
    bounds = []
    for column, text in (("low", low_text), ("high", high_text)):
        value = _parse_weight(text)
        if isinstance(value, str):
            return RowError(source, number, column, value)
        bounds.append(value)
    low, high = bounds
    if not low <= weight <= high:
        return RowError(
            source,
            number,
            "low",
            f"the range {low:g} to {high:g} does not hold the weight {weight:g}",
        )
    return low, high


def _fault(source: str, errors: list[RowError]) -> HarmWeightsError:
    """One error listing every fault found in the table."""
    listed = "\n".join(f"  {error}" for error in errors)
    return HarmWeightsError(f"{source}: harm weights cannot be used:\n{listed}")
