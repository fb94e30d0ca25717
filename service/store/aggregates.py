"""Aggregates kept in step with every import, so a ward profile reads a few hundred rows.

A profile needs the force-wide counts of every ward (for rates, ratios and ranks) and the
ward's own incidents by month, place, category and outcome. Both are grouped once, when
the incidents or the wards change, inside the same transaction as the change:

- ``ward_month_counts``: incidents per (vintage, ward, month, category), with rows outside
  every ward and rows with no location under their own status;
- ``ward_facts``: per ward, incidents grouped by month, snap point, category and outcome.

Both are grouped per (force, month) in Arrow as a partition is stored, and per vintage in
SQL when wards are imported; a fresh ``GROUP BY`` over ``incident_rows`` reproduces them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

_STATUS = (
    "CASE WHEN pl.longitude IS NULL THEN 'no location' "
    "WHEN pw.ward_code IS NULL THEN 'outside' ELSE 'ward' END"
)
_SOURCE = """
    FROM partitions p
    JOIN incidents i ON i.partition_id = p.id
    JOIN places pl ON pl.id = i.place_id
    LEFT JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = :vintage
"""


def regroup_vintage(connection: sa.Connection, *, vintage: str) -> None:
    """Regroup both aggregates for one boundary vintage, after its wards were (re)imported.

    Method: the same grouping as :func:`group_partition`, written as SQL over every stored
    incident.
    """
    key = {"vintage": vintage}
    connection.execute(sa.text("DELETE FROM ward_month_counts WHERE vintage = :vintage"), key)
    connection.execute(sa.text("DELETE FROM ward_facts WHERE vintage = :vintage"), key)
    connection.execute(
        sa.text(
            "INSERT INTO ward_month_counts "
            "(vintage, ward_code, month, force_id, category_id, status, n) "
            "SELECT CAST(:vintage AS TEXT), coalesce(pw.ward_code, ''), p.month, p.force_id, "
            f"i.category_id, {_STATUS}, count(*) {_SOURCE} GROUP BY 2, 3, 4, 5, 6"
        ),
        key,
    )
    connection.execute(
        sa.text(
            "INSERT INTO ward_facts "
            "(vintage, ward_code, month, force_id, place_id, category_id, outcome_id, n) "
            "SELECT CAST(:vintage AS TEXT), pw.ward_code, p.month, p.force_id, i.place_id, "
            f"i.category_id, coalesce(i.outcome_id, 0), count(*) {_SOURCE} "
            "WHERE pw.ward_code IS NOT NULL GROUP BY 2, 3, 4, 5, 6, 7"
        ),
        key,
    )


def group_partition(
    place_id: pa.Array,
    category_id: pa.Array,
    outcome_id: pa.Array,
    ward_of_place: Mapping[int, str | None],
) -> tuple[pa.Table, pa.Table]:
    """Both aggregates for one (force, month) of incidents, grouped in Arrow while importing.

    Method: a row's status is "no location" when its place has no coordinates (it has no
    entry in ``ward_of_place``), "outside" when its place is in no ward, otherwise "ward".
    ``ward_month_counts`` counts rows per (ward, status, category); ``ward_facts`` counts
    rows in wards per (ward, place, category, outcome), a missing outcome as 0.
    """
    distinct = pc.unique(place_id)
    ward = [ward_of_place.get(p) for p in distinct.to_pylist()]
    status = [
        "ward" if w else ("outside" if p in ward_of_place else "no location")
        for p, w in zip(distinct.to_pylist(), ward, strict=True)
    ]
    index = pc.index_in(place_id, value_set=distinct)
    rows = pa.table(
        {
            "ward_code": pc.take(pa.array([w or "" for w in ward], pa.string()), index),
            "status": pc.take(pa.array(status, pa.string()), index),
            "place_id": place_id,
            "category_id": category_id,
            "outcome_id": pc.fill_null(outcome_id, 0),
        }
    )
    counts = rows.group_by(["ward_code", "status", "category_id"]).aggregate([([], "count_all")])
    facts = (
        rows.filter(pc.equal(rows["status"], "ward"))
        .group_by(["ward_code", "place_id", "category_id", "outcome_id"])
        .aggregate([([], "count_all")])
    )
    return (
        counts.rename_columns({"count_all": "n"}),
        facts.rename_columns({"count_all": "n"}),
    )


def count_by_ward(engine: sa.Engine, *, vintage: str, first: str, last: str) -> pd.DataFrame:
    """Incidents per status, ward, month and category label over the months first..last."""
    query = sa.text(
        "SELECT w.status, w.ward_code, w.month, c.label, w.n "
        "FROM ward_month_counts w JOIN categories c ON c.id = w.category_id "
        "WHERE w.vintage = :vintage AND w.month BETWEEN :first AND :last"
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"vintage": vintage, "first": first, "last": last}).all()
    # Text as Python objects: half a million rows of a region become a frame in a blink.
    columns = {
        "status": "object",
        "ward_code": "object",
        "month": "object",
        "category": "object",
        "n": "int64",
    }
    return _frame(rows, columns)


def ward_facts(
    engine: sa.Engine, *, vintage: str, ward_code: str, first: str, last: str
) -> pd.DataFrame:
    """A ward's incidents by month, snap point, category and outcome, ``n`` per row.

    A ward policed by two forces has a row per force; every profile figure sums ``n``.
    """
    facts = list_facts(engine, vintage=vintage, first=first, last=last, ward_codes=[ward_code])
    return facts.drop(columns="ward_code")


def list_facts(
    engine: sa.Engine,
    *,
    vintage: str,
    first: str,
    last: str,
    ward_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Incidents by ward, month, snap point, category and outcome, ``n`` per row, of the
    wards ``ward_codes`` (every ward of the vintage when None), in the table's key order
    (ward, month, force, place, category, outcome), so a row's position is stable."""
    wards = "" if ward_codes is None else "AND f.ward_code IN :wards "
    query = sa.text(
        "SELECT f.ward_code, f.month, c.label, coalesce(o.label, ''), f.place_id, pl.location, "
        "pl.longitude, pl.latitude, f.n FROM ward_facts f "
        "JOIN categories c ON c.id = f.category_id "
        "LEFT JOIN outcomes o ON o.id = f.outcome_id "
        "JOIN places pl ON pl.id = f.place_id "
        f"WHERE f.vintage = :vintage AND f.month BETWEEN :first AND :last {wards}"
        "ORDER BY f.ward_code, f.month, f.force_id, f.place_id, f.category_id, f.outcome_id"
    )
    parameters: dict[str, Any] = {"vintage": vintage, "first": first, "last": last}
    if ward_codes is not None:
        query = query.bindparams(sa.bindparam("wards", expanding=True))
        parameters["wards"] = list(ward_codes)
    columns = {"ward_code": "str", "month": "str", "category": "str", "outcome": "str"}
    columns |= _POINT_COLUMNS
    with engine.connect() as connection:
        rows = connection.execute(query, parameters).all()
    return _frame(rows, columns)


def force_points(engine: sa.Engine, *, vintage: str, first: str, last: str) -> pd.DataFrame:
    """Every snap point in the wards of ``vintage`` with its incidents over first..last.

    One row per snap point (``place_id``, ``location``, ``longitude``, ``latitude``, ``n``):
    what the force-wide hot-spot grid counts and names its squares by. Rows outside every
    ward and rows with no location are not in ``ward_facts`` and so not here.
    """
    query = sa.text(
        "SELECT f.place_id, pl.location, pl.longitude, pl.latitude, sum(f.n) FROM ward_facts f "
        "JOIN places pl ON pl.id = f.place_id "
        "WHERE f.vintage = :vintage AND f.month BETWEEN :first AND :last "
        "GROUP BY f.place_id, pl.location, pl.longitude, pl.latitude ORDER BY f.place_id"
    )
    with engine.connect() as connection:
        parameters = {"vintage": vintage, "first": first, "last": last}
        rows = connection.execute(query, parameters).all()
    return _frame(rows, _POINT_COLUMNS)


_POINT_COLUMNS = {
    "place_id": "int64",
    "location": "str",
    "longitude": "float64",
    "latitude": "float64",
    "n": "int64",
}
"""A snap point's columns and their dtypes, the tail of every row of facts."""


def _frame(rows: Sequence[Any], columns: Mapping[str, str]) -> pd.DataFrame:
    """Rows as a frame of the given column dtypes, built column by column (pandas is slow
    to build one from row objects)."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(
        {
            name: pd.Series(column, dtype=dtype)
            for (name, dtype), column in zip(columns.items(), values, strict=True)
        }
    )


def months_held(engine: sa.Engine) -> list[str]:
    """Every month for which at least one force's records are stored."""
    with engine.connect() as connection:
        return list(connection.scalars(sa.text("SELECT DISTINCT month FROM partitions ORDER BY 1")))


def force_facts(
    engine: sa.Engine, *, vintage: str, first: str, last: str, categories: Sequence[str]
) -> pd.DataFrame:
    """Every ward's incidents of some categories, by month and snap point (``n`` per row).

    The control area of an evaluation is the rest of the force: the incidents in the wards
    of the vintage (rows outside every ward are neighbouring forces' areas and left out).
    """
    return force_facts_in_windows(engine, vintage=vintage, windows=[(first, last, categories)])


def force_facts_in_windows(
    engine: sa.Engine, *, vintage: str, windows: Sequence[tuple[str, str, Sequence[str]]]
) -> pd.DataFrame:
    """:func:`force_facts` for several (first month, last month, categories) windows in one
    statement: the rows of any window, each once, so many evaluations read in one batch."""
    distinct = sorted({(first, last, tuple(sorted(cats))) for first, last, cats in windows})
    conditions = ["0 = 1"]  # no window: no rows
    expanding: list[sa.BindParameter[Any]] = []
    parameters: dict[str, Any] = {"vintage": vintage}
    for n, (first, last, categories) in enumerate(distinct):
        conditions.append(
            f"(f.month BETWEEN :first_{n} AND :last_{n} AND c.label IN :categories_{n})"
        )
        parameters |= {f"first_{n}": first, f"last_{n}": last, f"categories_{n}": list(categories)}
        expanding.append(sa.bindparam(f"categories_{n}", expanding=True))
    query = sa.text(
        "SELECT f.month, c.label, pl.longitude, pl.latitude, f.n FROM ward_facts f "
        "JOIN categories c ON c.id = f.category_id JOIN places pl ON pl.id = f.place_id "
        f"WHERE f.vintage = :vintage AND ({' OR '.join(conditions)})"
    ).bindparams(*expanding)
    with engine.connect() as connection:
        rows = connection.execute(query, parameters).all()
    columns = {
        "month": "str",
        "category": "str",
        "longitude": "float64",
        "latitude": "float64",
        "n": "int64",
    }
    return _frame(rows, columns)
