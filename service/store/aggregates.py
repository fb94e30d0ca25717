"""Aggregates kept in step with every import, so a ward profile reads a few hundred rows.

A profile needs the force-wide counts of every ward (for rates, ratios and ranks) and the
ward's own incidents by month, place, category and outcome. Both are grouped once, when
the incidents or the wards change, inside the same transaction as the change:

- ``ward_month_counts``: incidents per (vintage, ward, month, category), with rows outside
  every ward and rows with no location under their own status;
- ``ward_facts``: per ward, incidents grouped by month, snap point, category and outcome.

Both are plain ``GROUP BY`` queries over ``incidents``; ``incident_rows`` reproduces them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

RunSql = Callable[[str, tuple[Any, ...]], object]
"""Executes one statement with qmark parameters: a DBAPI cursor's or SQLAlchemy's."""

_SOURCE = """
    FROM partitions p
    JOIN incidents i ON i.id BETWEEN p.first_id AND p.last_id
    JOIN places pl ON pl.id = i.place_id
    JOIN boundary_sets bs ON {vintage_filter}
    LEFT JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = bs.vintage
    WHERE {month_filter}
"""

_STATUS = (
    "CASE WHEN pl.longitude IS NULL THEN 'no location' "
    "WHEN pw.ward_code IS NULL THEN 'outside' ELSE 'ward' END"
)


def refresh_aggregates(
    run: RunSql, *, months: Sequence[str] | None = None, vintage: str | None = None
) -> None:
    """Regroup the aggregates for some months (after a crime import) or one vintage (after
    a ward import). Exactly one of ``months`` and ``vintage`` is given."""
    if (months is None) == (vintage is None):
        raise ValueError("give months or vintage, not both or neither")
    if months == []:
        return
    params: tuple[Any, ...]
    if months is not None:
        marks = ", ".join("?" * len(months))
        where, params = f"month IN ({marks})", tuple(months)
        source = _SOURCE.format(vintage_filter="1 = 1", month_filter=f"p.month IN ({marks})")
    else:
        where, params = "vintage = ?", (vintage,)
        source = _SOURCE.format(vintage_filter="bs.vintage = ?", month_filter="1 = 1")
    run(f"DELETE FROM ward_month_counts WHERE {where}", params)
    run(f"DELETE FROM ward_facts WHERE {where}", params)
    run(
        "INSERT INTO ward_month_counts (vintage, ward_code, month, category_id, status, n) "
        f"SELECT bs.vintage, coalesce(pw.ward_code, ''), p.month, i.category_id, {_STATUS}, "
        f"count(*) {source} GROUP BY 1, 2, 3, 4, 5",
        params,
    )
    run(
        "INSERT INTO ward_facts "
        "(vintage, ward_code, month, place_id, category_id, outcome_id, n) "
        "SELECT bs.vintage, pw.ward_code, p.month, i.place_id, i.category_id, "
        f"coalesce(i.outcome_id, 0), count(*) {source} AND pw.ward_code IS NOT NULL "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        params,
    )


def count_by_ward(engine: sa.Engine, *, vintage: str, first: str, last: str) -> pd.DataFrame:
    """Incidents per status, ward, month and category label over the months first..last."""
    query = sa.text(
        "SELECT w.status, w.ward_code, w.month, c.label AS category, w.n "
        "FROM ward_month_counts w JOIN categories c ON c.id = w.category_id "
        "WHERE w.vintage = :vintage AND w.month BETWEEN :first AND :last"
    )
    with engine.connect() as connection:
        result = connection.execute(query, {"vintage": vintage, "first": first, "last": last})
        return pd.DataFrame(result.all(), columns=["status", "ward_code", "month", "category", "n"])


def ward_facts(
    engine: sa.Engine, *, vintage: str, ward_code: str, first: str, last: str
) -> pd.DataFrame:
    """A ward's incidents grouped by month, snap point, category and outcome (with ``n``)."""
    query = sa.text(
        "SELECT f.month, c.label AS category, coalesce(o.label, '') AS outcome, "
        "pl.location, pl.longitude, pl.latitude, f.n "
        "FROM ward_facts f "
        "JOIN categories c ON c.id = f.category_id "
        "LEFT JOIN outcomes o ON o.id = f.outcome_id "
        "JOIN places pl ON pl.id = f.place_id "
        "WHERE f.vintage = :vintage AND f.ward_code = :ward AND f.month BETWEEN :first AND :last"
    )
    params = {"vintage": vintage, "ward": ward_code, "first": first, "last": last}
    columns = ["month", "category", "outcome", "location", "longitude", "latitude", "n"]
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query, params).all(), columns=columns)


def months_held(engine: sa.Engine) -> list[str]:
    """Every month for which at least one force's records are stored."""
    with engine.connect() as connection:
        return list(connection.scalars(sa.text("SELECT DISTINCT month FROM partitions ORDER BY 1")))
