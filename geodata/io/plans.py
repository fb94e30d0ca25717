"""Plans in and out of files: JSON (``{"plans": [...]}``) and CSV (one row per plan).

The readers turn a file into :class:`geodata.plans.Plan` records plus ``RowError``s naming
the file, the plan (line or position), the field and the problem; every plan is checked by
:func:`geodata.plans.plan_problems`. The writers give what the readers read back, so an
export can be edited and imported again; CSV text cells are made spreadsheet-safe.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from geodata.crime import canonical_category
from geodata.errors import PlanFileError, RowError
from geodata.io.concerns import from_spreadsheet, spreadsheet_safe
from geodata.io.text import csv_rows, read_text
from geodata.plans import (
    DEFAULT_BUFFER_M,
    LIST_SEPARATOR,
    NUMBER_FIELDS,
    PLAN_COLUMNS,
    PLAN_FIELDS,
    PLAN_STATUSES,
    REQUIRED_FIELDS,
    RESPONSE_FIELDS,
    SCANNING_SOURCES,
    TARGET_KINDS,
    TEXT_FIELDS,
    TOOLKIT_RATINGS,
    Plan,
    Response,
    plan_problems,
)

_LIST_FIELDS = (
    "ward_codes",
    "scanning_sources",
    "linked_concern_ids",
    "categories",
    "review_dates",
    "partners",
)
_JSON_FIELDS = ("responses", "target_geojson")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- JSON ----------------------------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-ready values: lists for tuples, ``YYYY-MM-DD`` for dates."""
    data: dict[str, Any] = {}
    for name in PLAN_FIELDS:
        value = getattr(plan, name)
        if name == "responses":
            value = [_response_to_dict(r) for r in value]
        elif name == "target_geojson":
            value = None if value is None else json.loads(json.dumps(value))
        elif name in _LIST_FIELDS:
            value = [v.isoformat() if isinstance(v, date) else v for v in value]
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    return data


def _response_to_dict(response: Response) -> dict[str, Any]:
    return {
        "action": response.action,
        "owner": response.owner,
        "due": None if response.due is None else response.due.isoformat(),
        "partners": list(response.partners),
        "evidence": response.evidence,
        "toolkit_rating": response.toolkit_rating,
    }


def plan_from_dict(
    data: Any, *, ignore: Collection[str] = ()
) -> tuple[Plan | None, list[tuple[str, str]]]:
    """A plan from a JSON object's values, or None and every problem with their types.

    The keys are :data:`PLAN_FIELDS`; :data:`REQUIRED_FIELDS` must be given, the others
    default. Keys in ``ignore`` (those an export adds, such as ``id``) are skipped; any
    other key is a problem, so a misspelt field is never lost. Values are read as JSON
    gives them: texts are stripped (None is blank), lists are lists, dates ``YYYY-MM-DD``
    text, numbers numbers. Slugs may be written as labels in any case (``Under review``,
    ``no effect``); categories may use any label :func:`geodata.crime.canonical_category`
    accepts and are kept under their current police.uk name. This checks types only: pass
    the plan to :func:`plan_problems` for the rest.
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        return None, [("", f"a plan is a JSON object of its fields, not {_kind(data)}")]
    unknown = sorted(set(data) - set(PLAN_FIELDS) - set(ignore))
    problems.extend((name, f"unknown field; fields: {', '.join(PLAN_FIELDS)}") for name in unknown)
    for name in REQUIRED_FIELDS:  # blank text and empty lists are for plan_problems to name
        if data.get(name) is None or (name == "start_date" and data[name] == ""):
            problems.append((name, "is missing; it is required"))
    values: dict[str, Any] = {}
    reader = _Reader(problems)
    for name in TEXT_FIELDS:
        values[name] = reader.text(data.get(name), name)
    values["ward_codes"] = tuple(
        reader.text(v, "ward_codes") for v in reader.list(data, "ward_codes")
    )
    values["scanning_sources"] = tuple(
        _slug(reader.text(v, "scanning_sources"), SCANNING_SOURCES)
        for v in reader.list(data, "scanning_sources")
    )
    values["linked_concern_ids"] = tuple(
        reader.integer(v, "linked_concern_ids") for v in reader.list(data, "linked_concern_ids")
    )
    values["categories"] = tuple(
        _category(reader.text(v, "categories")) for v in reader.list(data, "categories")
    )
    review_dates = [reader.day(v, "review_dates") for v in reader.list(data, "review_dates")]
    if any(v in (None, "") for v in reader.list(data, "review_dates")):
        reader.note("review_dates", "a review date is blank; write each as YYYY-MM-DD")
    values["review_dates"] = tuple(day for day in review_dates if day is not None)
    values["partners"] = tuple(reader.text(v, "partners") for v in reader.list(data, "partners"))
    values["start_date"] = reader.day(data.get("start_date"), "start_date")
    values["assessment_date"] = reader.day(data.get("assessment_date"), "assessment_date")
    for name in NUMBER_FIELDS:
        values[name] = reader.number(data.get(name), name)
    if values["buffer_m"] is None:
        values["buffer_m"] = DEFAULT_BUFFER_M
    values["status"] = _slug(reader.text(data.get("status"), "status") or "draft", PLAN_STATUSES)
    values["target_kind"] = _slug(
        reader.text(data.get("target_kind"), "target_kind") or "ward", TARGET_KINDS
    )
    geojson = data.get("target_geojson")
    if geojson is not None and not isinstance(geojson, Mapping):
        problems.append(("target_geojson", "is not a GeoJSON geometry object"))
        geojson = None
    values["target_geojson"] = None if geojson is None else json.loads(json.dumps(geojson))
    values["responses"] = tuple(
        response
        for n, item in enumerate(reader.list(data, "responses"), start=1)
        if (response := _response_from_dict(item, n, reader)) is not None
    )
    if problems:
        return None, problems
    return Plan(**values), []


class _Reader:
    """Reads JSON values of the expected type, noting a problem (and a blank) otherwise."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems

    def note(self, name: str, problem: str) -> None:
        self.problems.append((name, problem))

    def list(self, data: Mapping[str, Any], name: str) -> list[Any]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(name, f"is not a list (a JSON array), but {_kind(value)}")
            return []
        return value

    def text(self, value: Any, name: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.note(name, f"{value!r} is not text")
            return ""
        return value.strip()

    def integer(self, value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.note(name, f"{value!r} is not a whole number")
            return 0
        return value

    def number(self, value: Any, name: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.note(name, f"{value!r} is not a number")
            return None
        if not math.isfinite(value):
            self.note(name, f"{value!r} is not a finite number")
            return None
        return float(value)

    def day(self, value: Any, name: str) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            self.note(name, f"{value!r} is not a date written YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.note(name, f"{value!r} is not a real date")
            return None


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "an array", str: "text", bool: "true or false"}
    return "nothing" if value is None else kinds.get(type(value), type(value).__name__)


def _response_from_dict(item: Any, n: int, reader: _Reader) -> Response | None:
    at = f"responses[{n}]"
    if not isinstance(item, Mapping):
        reader.note(at, f"is not an object with {', '.join(RESPONSE_FIELDS)}")
        return None
    before = len(reader.problems)
    for name in sorted(set(item) - set(RESPONSE_FIELDS)):
        reader.note(f"{at}.{name}", f"unknown field; fields: {', '.join(RESPONSE_FIELDS)}")
    rating = reader.text(item.get("toolkit_rating"), f"{at}.toolkit_rating")
    response = Response(
        action=reader.text(item.get("action"), f"{at}.action"),
        owner=reader.text(item.get("owner"), f"{at}.owner"),
        due=reader.day(item.get("due"), f"{at}.due"),
        partners=tuple(reader.text(p, f"{at}.partners") for p in reader.list(item, "partners")),
        evidence=reader.text(item.get("evidence"), f"{at}.evidence"),
        toolkit_rating=_slug(rating, TOOLKIT_RATINGS) if rating else None,
    )
    return response if len(reader.problems) == before else None


def _fold(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def _slug(text: str, vocabulary: Mapping[str, str]) -> str:
    """The slug ``text`` names (slug, or label up to its first colon), else ``text``."""
    wanted = _fold(text)
    for slug, label in vocabulary.items():
        if wanted in (_fold(slug), _fold(label), _fold(label.split(":")[0])):
            return slug
    return text


def _category(text: str) -> str:
    return canonical_category(text) or text


EXPORT_EXTRAS: tuple[str, ...] = (
    "id",
    "ward_vintage",
    "created_by",
    "created_at",
    "updated_at",
    "quality_score",
)
"""Keys and columns an export adds after the plan's own; the readers ignore them."""


def plans_to_json(plans: Iterable[Plan | Mapping[str, Any]]) -> str:
    """A JSON document ``{"plans": [...]}`` with one object per plan (:func:`plan_to_dict`).

    Mappings are written as they are (the store's export passes each plan's dict with the
    :data:`EXPORT_EXTRAS` added). Text is written as it is: JSON is not opened in a
    spreadsheet, so it needs no formula guard.
    """
    items = [plan_to_dict(p) if isinstance(p, Plan) else dict(p) for p in plans]
    return json.dumps({"plans": items}, indent=2, ensure_ascii=False) + "\n"


def read_plans_json(
    data: str | bytes | os.PathLike[str],
    *,
    source: str,
    wards: Collection[str] | None = None,
    concern_ids: Collection[int] | None = None,
) -> tuple[list[Plan], list[RowError]]:
    """Read a plans JSON document and check every plan.

    Layout: an object ``{"plans": [plan, ...]}`` (or just the array), each plan an object
    with the keys of :data:`PLAN_FIELDS` (:func:`plan_from_dict` says how values are
    written); the keys of :data:`EXPORT_EXTRAS` are ignored, so an export reads back. A plan
    with any problem (:func:`plan_from_dict`, then :func:`plan_problems` against ``wards``
    and ``concern_ids`` when given) is rejected with one ``RowError`` per problem; in a
    JSON file the error's ``line`` is the plan's number in the array (1 = the first).

    Raises
    ------
    PlanFileError
        When the file is missing, not UTF-8 JSON, or not an array of plans.
    """
    text = read_text(data, source=source, error=PlanFileError)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{source}: is not JSON ({error})") from error
    if isinstance(document, Mapping) and set(document) == {"plans"}:
        document = document["plans"]
    if not isinstance(document, list):
        raise PlanFileError(
            f'{source}: expected {{"plans": [...]}} or an array of plans, not {_kind(document)}'
        )
    plans: list[Plan] = []
    errors: list[RowError] = []
    for number, item in enumerate(document, start=1):
        plan, problems = _checked(item, wards=wards, concern_ids=concern_ids)
        errors.extend(RowError(source, number, name, problem) for name, problem in problems)
        if plan is not None:
            plans.append(plan)
    return plans, errors


def _checked(
    data: Any, *, wards: Collection[str] | None, concern_ids: Collection[int] | None
) -> tuple[Plan | None, list[tuple[str, str]]]:
    plan, problems = plan_from_dict(data, ignore=EXPORT_EXTRAS)
    if plan is None:
        return None, problems
    problems = plan_problems(plan, wards=wards, concern_ids=concern_ids)
    return (None, problems) if problems else (plan, [])


# --- CSV -----------------------------------------------------------------------------------


def plan_rows(
    plans: Iterable[Plan | Mapping[str, Any]], *, columns: Sequence[str] = PLAN_COLUMNS
) -> list[list[str]]:
    """The header and one row of text cells per plan, safe to open in a spreadsheet.

    ``plans`` are :class:`Plan` objects or their :func:`plan_to_dict` mappings (with any
    :data:`EXPORT_EXTRAS`). List fields are joined with ``;``; ``responses`` and
    ``target_geojson`` are written as compact JSON (starting ``[`` or ``{``, never read as
    a formula); every other text cell, and every joined list, goes through
    :func:`geodata.io.concerns.spreadsheet_safe`. Numbers are written as numbers (a negative
    longitude stays ``-1.2``) and None as an empty cell.
    """
    rows = [list(columns)]
    for plan in plans:
        data = plan_to_dict(plan) if isinstance(plan, Plan) else plan
        rows.append([_cell(name, data.get(name)) for name in columns])
    return rows


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in _JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    if name in _LIST_FIELDS:
        return spreadsheet_safe(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return spreadsheet_safe(str(value))


def plans_to_csv(
    plans: Iterable[Plan | Mapping[str, Any]], *, columns: Sequence[str] = PLAN_COLUMNS
) -> str:
    """:func:`plan_rows` as CSV text (``\\r\\n`` line ends, cells quoted when needed)."""
    stream = io.StringIO()
    csv.writer(stream).writerows(plan_rows(plans, columns=columns))
    return stream.getvalue()


def read_plans_csv(
    data: str | bytes | os.PathLike[str],
    *,
    source: str,
    wards: Collection[str] | None = None,
    concern_ids: Collection[int] | None = None,
) -> tuple[list[Plan], list[RowError]]:
    """Read a plans CSV (one row per plan, the columns of :data:`PLAN_COLUMNS`) and check it.

    Method
    ------
    The header must name every column of :data:`PLAN_COLUMNS`, in any order and letter
    case; other columns (those :data:`EXPORT_EXTRAS` an export adds) are ignored; a header
    missing a column is refused as a whole. Each cell first has the spreadsheet-safety
    prefix taken off (:func:`geodata.io.concerns.from_spreadsheet`), so an exported file reads
    back as it was. List cells are split on ``;`` (items stripped, blanks dropped);
    ``responses`` and ``target_geojson`` are parsed as JSON; numbers and concern ids as
    numbers; a blank cell is the field's default. The plan is then read by
    :func:`plan_from_dict` and checked by :func:`plan_problems`; a row with any problem is
    rejected with one ``RowError`` per problem naming its field. A row's line is where it
    starts (the header is line 1). Blank lines are skipped.

    Raises
    ------
    PlanFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    plans: list[Plan] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, PLAN_COLUMNS, source=source, error=PlanFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell) for name, cell in raw.items()}
        values, problems = _values_of_cells(cells)
        plan = None
        if not problems:
            plan, problems = _checked(values, wards=wards, concern_ids=concern_ids)
        errors.extend(RowError(source, line, name, problem) for name, problem in problems)
        if plan is not None:
            plans.append(plan)
    return plans, errors


def _values_of_cells(cells: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """JSON-like values of one CSV row, as :func:`plan_from_dict` reads them."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, cell in cells.items():
        text = cell.strip()
        if name in _JSON_FIELDS:
            try:
                values[name] = json.loads(text) if text else None
            except json.JSONDecodeError as error:
                problems.append((name, f"is not JSON ({error})"))
        elif name in _LIST_FIELDS:
            items = [item.strip() for item in cell.split(LIST_SEPARATOR)]
            values[name] = [item for item in items if item]
            if name == "linked_concern_ids":
                ids = []
                for item in values[name]:
                    if re.fullmatch(r"[0-9]+", item):
                        ids.append(int(item))
                    else:
                        problems.append((name, f"{item!r} is not a concern id (a number)"))
                values[name] = ids
        elif name in NUMBER_FIELDS:
            try:
                values[name] = float(text) if text else None
            except ValueError:
                problems.append((name, f"{text!r} is not a number"))
        else:
            values[name] = text or None
    return values, problems
