"""Reading and writing operations: JSON objects (the API, the store) and a CSV file.

The CSV has one row per operation and the columns of
:data:`geodata.operations.OPERATION_FIELDS` in any order and letter case (other columns are
ignored): list cells are joined with ``;``, dates are ``YYYY-MM-DD``, yes-or-no cells are
``yes``/``no`` (also ``true``/``false``, ``1``/``0``; blank is no).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any

from geodata.errors import PlanFileError, RowError
from geodata.io.concerns import from_spreadsheet
from geodata.io.plans import _category, _kind, _Reader
from geodata.io.text import csv_rows
from geodata.operations import (
    FLAG_FIELDS,
    LIST_FIELDS,
    OPERATION_FIELDS,
    REQUIRED_FIELDS,
    Operation,
    operation_problems,
)
from geodata.plans import LIST_SEPARATOR

_YES = {"yes": True, "y": True, "true": True, "1": True}
_NO = {"no": False, "n": False, "false": False, "0": False, "": False}


class OperationFileError(PlanFileError):
    """An operations file cannot be read at all (missing, not CSV, wrong header)."""


def operation_to_dict(operation: Operation) -> dict[str, Any]:
    """The operation as JSON-ready values: lists as lists, dates as ``YYYY-MM-DD``."""
    values: dict[str, Any] = {}
    for name in OPERATION_FIELDS:
        value = getattr(operation, name)
        if name in LIST_FIELDS:
            value = list(value)
        elif name in ("start_date", "end_date"):
            value = value.isoformat()
        values[name] = value
    return values


def operation_from_dict(
    data: Any, *, ignore: Collection[str] = ()
) -> tuple[Operation | None, list[tuple[str, str]]]:
    """An operation from a JSON object's values, or None and every problem with their types.

    The keys are :data:`~geodata.operations.OPERATION_FIELDS`; the required ones must be
    given; keys in ``ignore`` are skipped and any other key is a problem, so a misspelt
    field is never lost. Categories may use any label
    :func:`geodata.crime.canonical_category` accepts. Types only: pass the operation to
    :func:`geodata.operations.operation_problems` for the rest.
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        return None, [("", f"an operation is a JSON object of its fields, not {_kind(data)}")]
    unknown = sorted(set(data) - set(OPERATION_FIELDS) - set(ignore))
    fields = ", ".join(OPERATION_FIELDS)
    problems.extend((name, f"unknown field; fields: {fields}") for name in unknown)
    for name in REQUIRED_FIELDS:  # a blank name is for operation_problems to name
        if data.get(name) is None or (name != "name" and data[name] == ""):
            problems.append((name, "is missing; it is required"))
    reader = _Reader(problems)
    values: dict[str, Any] = {
        "name": reader.text(data.get("name"), "name"),
        "description": reader.text(data.get("description"), "description"),
        "start_date": reader.day(data.get("start_date"), "start_date"),
        "end_date": reader.day(data.get("end_date"), "end_date"),
    }
    for name in LIST_FIELDS:
        values[name] = tuple(reader.text(v, name) for v in reader.list(data, name))
    values["categories"] = tuple(_category(c) for c in values["categories"])
    for name in FLAG_FIELDS:
        value = data.get(name, False)
        if not isinstance(value, bool):
            problems.append((name, f"{value!r} is not true or false"))
        values[name] = value is True
    if problems:
        return None, problems
    return Operation(**values), []


def read_operations_csv(
    data: str | bytes | os.PathLike[str],
    *,
    source: str,
    wards: Collection[str] | None = None,
) -> tuple[list[Operation], list[RowError]]:
    """Read an operations CSV (module docstring) and check every row.

    Method: each cell has the spreadsheet-safety prefix taken off
    (:func:`geodata.io.concerns.from_spreadsheet`), so an exported file reads back as it
    was; list cells are split on ``;`` (items stripped, blanks dropped); the row is read by
    :func:`operation_from_dict` and checked by
    :func:`geodata.operations.operation_problems` against ``wards``; a row with any problem
    gives one ``RowError`` per problem naming its line and column. A row's line is where it
    starts (the header is line 1).

    Raises
    ------
    OperationFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    operations: list[Operation] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, OPERATION_FIELDS, source=source, error=OperationFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell).strip() for name, cell in raw.items()}
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for name, cell in cells.items():
            if name in LIST_FIELDS:
                values[name] = [i.strip() for i in cell.split(LIST_SEPARATOR) if i.strip()]
            elif name in FLAG_FIELDS:
                flag = {**_YES, **_NO}.get(cell.casefold())
                if flag is None:
                    problems.append((name, f"{cell!r} is not yes or no"))
                values[name] = bool(flag)
            else:
                values[name] = cell or None
        operation = None
        if not problems:
            operation, problems = operation_from_dict(values)
        if operation is not None:
            problems = operation_problems(operation, wards=wards)
        errors.extend(RowError(source, line, name, problem) for name, problem in problems)
        if operation is not None and not problems:
            operations.append(operation)
    return operations, errors
