"""Aggregates kept in step with every import, so a ward profile reads a few hundred rows.

A profile needs the force-wide counts of every ward (for rates, ratios and ranks) and the
ward's own incidents by month, place, category and outcome. Both are grouped once, when
the incidents or the wards change, inside the same transaction as the change:

- ``ward_month_counts``: incidents per (vintage, ward, month, category), with rows outside
  every ward and rows with no location under their own status;
- ``ward_facts``: per ward, incidents grouped by month, snap point, category and outcome.

Both are grouped per (force, month) in Arrow as a partition is stored, and per vintage in
SQL when wards are imported; a fresh ``GROUP BY`` over ``incident_rows`` reproduces them.
A third, ``force_month_counts``, is ``ward_month_counts`` summed over wards (per vintage,
force, month, category and status), written and replaced with them: the force totals a
profile tests a ward's trends against, read in a few thousand rows whatever the number of
wards.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
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


AGGREGATES = ("ward_month_counts", "ward_facts", "force_month_counts")
"""The tables kept in step with every (force, month) partition, in the order the import
writes them (:func:`label_aggregates`, then :func:`force_sums`)."""


def regroup_vintage(connection: sa.Connection, *, vintage: str) -> None:
    """Regroup the aggregates for one boundary vintage, after its wards were (re)imported.

    Method: the same grouping as :func:`group_rows` and :func:`force_sums`, written as SQL
    over every stored incident.
    """
    key = {"vintage": vintage}
    for aggregate in AGGREGATES:
        connection.execute(sa.text(f"DELETE FROM {aggregate} WHERE vintage = :vintage"), key)
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
    connection.execute(
        sa.text(
            "INSERT INTO force_month_counts (vintage, force_id, month, category_id, status, n) "
            "SELECT vintage, force_id, month, category_id, status, sum(n) "
            "FROM ward_month_counts WHERE vintage = :vintage GROUP BY 1, 2, 3, 4, 5"
        ),
        key,
    )


class PlaceWards:
    """The ward of every place id in one boundary vintage, as a position in its ward codes,
    ``OUTSIDE`` for a place in no ward and ``NO_LOCATION`` for a place never assigned (it
    has no coordinates): one array lookup per row instead of a Python object per place."""

    OUTSIDE = -1
    NO_LOCATION = -2

    def __init__(self, codes: Sequence[str]) -> None:
        self._codes = list(codes)
        self._position = {code: i for i, code in enumerate(self._codes)}
        self._ward = np.full(1024, self.NO_LOCATION, dtype=np.int32)
        self._labels: pa.Array | None = None

    def set_positions(self, ids: npt.NDArray[np.int64], positions: npt.ArrayLike) -> None:
        """Places ``ids`` are in the wards at ``positions`` (``OUTSIDE``: in none)."""
        if len(ids):
            self._grow(int(ids.max()))
            self._ward[ids] = positions

    def set_codes(self, ids: npt.NDArray[np.int64], codes: Sequence[str | None]) -> None:
        """Places ``ids`` are in the wards ``codes`` (None: in no ward)."""
        self.set_positions(ids, [self._code_position(code) for code in codes])

    def ward_of(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        if len(ids):
            self._grow(int(ids.max()))
        return self._ward[ids]

    def codes_of(self, ids: npt.NDArray[np.int64]) -> pa.Array:
        """The ward code of each place, null for a place in no ward."""
        return pa.array(
            [self._codes[p] if p >= 0 else None for p in self.ward_of(ids).tolist()], pa.string()
        )

    def labels(self, positions: pa.ChunkedArray) -> pa.ChunkedArray:
        """Ward codes for grouped positions, ``""`` for rows in no ward."""
        if self._labels is None or len(self._labels) != len(self._codes) + 1:
            self._labels = pa.array(["", *self._codes], pa.string())
        return pc.take(self._labels, pc.add(positions, 1))

    def _code_position(self, code: str | None) -> int:
        if code is None:
            return self.OUTSIDE
        if code not in self._position:
            self._position[code] = len(self._codes)
            self._codes.append(code)
        return self._position[code]

    def _grow(self, largest: int) -> None:
        if largest >= len(self._ward):
            grown = np.full(max(2 * len(self._ward), largest + 1), self.NO_LOCATION, np.int32)
            grown[: len(self._ward)] = self._ward
            self._ward = grown


COUNT_KEYS = ["partition_id", "ward", "status", "category_id"]
FACT_KEYS = ["partition_id", "ward", "place_id", "category_id", "outcome_id"]
STATUSES = ("ward", "outside", "no location")


def group_rows(
    partition_id: npt.NDArray[np.int64],
    place_id: npt.NDArray[np.int64],
    category_id: pa.Array,
    outcome_id: pa.Array,
    place_wards: PlaceWards,
) -> tuple[pa.Table, pa.Table]:
    """Both aggregates of a block of incidents, grouped while importing.

    Method: a row's status is "no location" when its place was never assigned (it has no
    coordinates), "outside" when its place is in no ward, otherwise "ward".
    ``ward_month_counts`` counts rows per (partition, ward, status, category);
    ``ward_facts`` counts rows in wards per (partition, ward, place, category, outcome), a
    missing outcome as 0. Wards and statuses stay integer positions until
    :func:`label_aggregates`; counts of several blocks add up (:func:`sum_aggregates`).

    A place has one ward, so the rows are counted once per (partition, place, category,
    outcome), the four ids packed into one 64-bit integer and counted by ``np.unique`` (a
    sort: about ten times Arrow's group-by on four keys); both aggregates are then read
    off those few distinct keys. Ids too large to pack together fall back to the group-by.
    """
    category = category_id.to_numpy(zero_copy_only=False).astype(np.int64)
    outcome = pc.fill_null(outcome_id, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    partition, place, category, outcome, n = _distinct([partition_id, place_id, category, outcome])
    ward = place_wards.ward_of(place)
    status = np.where(ward >= 0, 0, np.where(ward == PlaceWards.OUTSIDE, 1, 2))
    in_ward = status == 0
    facts = pa.table(
        {
            "partition_id": partition[in_ward],
            "ward": ward[in_ward],
            "place_id": place[in_ward],
            "category_id": category[in_ward],
            "outcome_id": outcome[in_ward],
            "n": n[in_ward],
        }
    )
    outside = np.maximum(ward, PlaceWards.OUTSIDE) - PlaceWards.OUTSIDE
    c_partition, c_ward, c_status, c_category, c_n = _distinct(
        [partition, outside.astype(np.int64), status.astype(np.int64), category], n
    )
    counts = pa.table(
        {
            "partition_id": c_partition,
            "ward": (c_ward + PlaceWards.OUTSIDE).astype(np.int32),
            "status": c_status.astype(np.int8),
            "category_id": c_category,
            "n": c_n,
        }
    )
    return counts, facts


def _distinct(
    columns: list[npt.NDArray[np.int64]], weights: npt.NDArray[np.int64] | None = None
) -> list[npt.NDArray[np.int64]]:
    """The distinct rows of non-negative integer columns, with the count (or the sum of
    ``weights``) of each.

    Each row is packed into one 64-bit integer (each column given the bits of its largest
    value) and the packed keys are sorted by ``np.unique``; columns whose values need more
    than 63 bits together are grouped by Arrow instead.
    """
    widths = [int(c.max()).bit_length() if len(c) else 0 for c in columns]
    if sum(widths) > 63 or any(len(c) and int(c.min()) < 0 for c in columns):
        return _group_distinct(columns, weights)
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, width in zip(columns, widths, strict=True):
        key = (key << width) | column
    distinct, inverse, n = np.unique(key, return_inverse=True, return_counts=True)
    if weights is not None:
        n = np.bincount(inverse, weights=weights, minlength=len(distinct))
    values = []
    for width in reversed(widths):
        values.append(distinct & ((1 << width) - 1))
        distinct = distinct >> width
    return [*reversed(values), n.astype(np.int64)]


def _group_distinct(
    columns: list[npt.NDArray[np.int64]], weights: npt.NDArray[np.int64] | None
) -> list[npt.NDArray[np.int64]]:
    names = [str(i) for i in range(len(columns))]
    table = pa.table(dict(zip(names, columns, strict=True)))
    table = table.append_column(
        "n", pa.array(np.ones(len(table), np.int64) if weights is None else weights)
    )
    grouped = table.group_by(names, use_threads=False).aggregate([("n", "sum")])
    return [grouped[c].to_numpy() for c in [*names, "n_sum"]]


def sum_aggregates(parts: Sequence[tuple[pa.Table, pa.Table]]) -> tuple[pa.Table, pa.Table]:
    """The aggregates of several blocks (:func:`group_rows`), summed by key: the grouping of
    all their rows at once."""
    counts = pa.concat_tables(counts for counts, _ in parts)
    facts = pa.concat_tables(facts for _, facts in parts)
    return _summed(counts, COUNT_KEYS), _summed(facts, FACT_KEYS)


def _summed(table: pa.Table, keys: list[str]) -> pa.Table:
    summed = table.group_by(keys, use_threads=False).aggregate([("n", "sum")])
    return summed.rename_columns({"n_sum": "n"}).select([*keys, "n"])


def label_aggregates(
    counts: pa.Table, facts: pa.Table, place_wards: PlaceWards
) -> tuple[pa.Table, pa.Table]:
    """Summed aggregates with ward codes and status words for their positions, as stored."""
    statuses = pa.array(STATUSES, pa.string())
    counts = counts.set_column(1, "ward_code", place_wards.labels(counts["ward"]))
    counts = counts.set_column(2, "status", pc.take(statuses, counts["status"]))
    facts = facts.set_column(1, "ward_code", place_wards.labels(facts["ward"]))
    return counts, facts


def force_sums(counts: pa.Table) -> pa.Table:
    """``force_month_counts`` rows of labelled counts (:func:`label_aggregates`): their
    ``n`` summed per (partition, category, status), every ward together."""
    keys = ["partition_id", "category_id", "status"]
    return _summed(counts.select([*keys, "n"]), keys)


def count_by_ward(engine: sa.Engine, *, vintage: str, first: str, last: str) -> pd.DataFrame:
    """Incidents per status, ward, month and category label over the months first..last.

    The rows in wards come from ``ward_month_counts``; the rows outside every ward and with
    no location (ward code "") from ``force_month_counts``, one row per force and month
    rather than one per ward.
    """
    query = sa.text(
        "SELECT 'ward', w.ward_code, w.month, c.label, w.n "
        "FROM ward_month_counts w JOIN categories c ON c.id = w.category_id "
        "WHERE w.vintage = :vintage AND w.month BETWEEN :first AND :last AND w.status = 'ward' "
        "UNION ALL SELECT f.status, '', f.month, c.label, f.n "
        "FROM force_month_counts f JOIN categories c ON c.id = f.category_id "
        "WHERE f.vintage = :vintage AND f.month BETWEEN :first AND :last AND f.status <> 'ward'"
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
    (ward, month, force, place, category, outcome), so a row's position is stable.

    The snap points are read in a second statement, only those of the rows read: joined in
    one, PostgreSQL hashes every place of the region (70,000 at 830 wards, two thirds of a
    busy ward's read), a cost that grows with the region and not with the ward. For named
    wards they are read by their ids: even a subquery naming the ward's rows made
    PostgreSQL scan every place (24 ms for the 200 places of a busy ward of 830).
    """
    wards = "" if ward_codes is None else "AND f.ward_code IN :wards "
    where = f"WHERE f.vintage = :vintage AND f.month BETWEEN :first AND :last {wards}"
    query = sa.text(
        "SELECT f.ward_code, f.month, c.label, coalesce(o.label, ''), f.place_id, f.n "
        "FROM ward_facts f JOIN categories c ON c.id = f.category_id "
        f"LEFT JOIN outcomes o ON o.id = f.outcome_id {where}"
        "ORDER BY f.ward_code, f.month, f.force_id, f.place_id, f.category_id, f.outcome_id"
    )
    points = sa.text(
        "SELECT pl.id, pl.location, pl.longitude, pl.latitude FROM places pl "
        f"WHERE pl.id IN (SELECT f.place_id FROM ward_facts f {where})"
    )
    parameters: dict[str, Any] = {"vintage": vintage, "first": first, "last": last}
    if ward_codes is not None:
        query = query.bindparams(sa.bindparam("wards", expanding=True))
        parameters["wards"] = list(ward_codes)
    columns = {"ward_code": "str", "month": "str", "category": "str", "outcome": "str"}
    columns |= _POINT_COLUMNS
    with engine.connect() as connection:
        facts = connection.execute(query, parameters).all()
        place: dict[int, tuple[Any, ...]] = {}
        if ward_codes is None:
            place = {row[0]: tuple(row[1:]) for row in connection.execute(points, parameters)}
        # A month replaced between the two reads may bring rows at other snap points;
        # places are never deleted, so the points of the rows read are all still there.
        missing = {fact[4] for fact in facts} - place.keys()
        if missing:
            place |= {row[0]: tuple(row[1:]) for row in _places(connection, missing)}
    rows = [(*fact[:5], *place[fact[4]], fact[5]) for fact in facts]
    return _frame(rows, columns)


PLACES_PER_READ = 10_000
"""Snap points read per statement by id (SQLite allows 32,766 parameters in one)."""


def _places(connection: sa.Connection, ids: Collection[int]) -> list[sa.Row[Any]]:
    query = sa.text(
        "SELECT id, location, longitude, latitude FROM places WHERE id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    ordered = sorted(ids)
    rows: list[sa.Row[Any]] = []
    for start in range(0, len(ordered), PLACES_PER_READ):
        part = ordered[start : start + PLACES_PER_READ]
        rows += connection.execute(query, {"ids": part}).all()
    return rows


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
