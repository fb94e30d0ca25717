"""Stored police.uk incidents: the transactional, idempotent crime import and its read side.

Writes go through an ADBC connection, which moves Arrow columns into SQLite without a
Python object per value (about three times the speed of ``executemany``); one import run is
one ``BEGIN IMMEDIATE`` transaction, so readers never see half of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any

import adbc_driver_sqlite.dbapi as adbc
import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from geodata.crime import ASB
from geodata.errors import CrimeFileError, RowError
from geodata.io.police_uk import StreetFile
from geodata.join import OUTSIDE, assign_wards
from service.store.aggregates import group_partition
from service.store.imports import now
from service.store.schema import incidents
from service.store.wards import list_vintages, load_wards

KEY_SEPARATOR = "\x1f"
"""Joins text columns into one key; the ASCII unit separator never occurs in police.uk text."""


@dataclass
class FileResult:
    """What one import did with one file; ``rows_read == rows_stored + rows_rejected``."""

    source: str
    sha256: str | None
    status: str
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    rows_written: int = 0
    assigned: int = 0
    outside_wards: int = 0
    no_location: int = 0
    months: list[str] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        result = asdict(self)
        result["errors"] = [asdict(error) for error in self.errors]
        return result


@contextmanager
def crime_import(engine: sa.Engine, *, vintage: str | None = None) -> Iterator[CrimeImport]:
    """One import run in one transaction: committed when the block ends, rolled back on error.

    ``vintage`` picks the boundary set whose wards the summary counts (default: the latest);
    every stored vintage gets the assignments of new places regardless.
    """
    if engine.dialect.name != "sqlite":
        raise NotImplementedError(
            f"crime import supports SQLite databases; {engine.dialect.name} is not built yet"
        )
    with engine.connect() as probe:
        busy_timeout_ms = int(probe.exec_driver_sql("PRAGMA busy_timeout").scalar_one())
    vintages = list_vintages(engine)
    if not vintages:
        raise LookupError("no ward boundaries are stored: run import-wards first")
    active = vintage or vintages[-1]
    if active not in vintages:
        raise LookupError(f"no boundary vintage {active!r}; stored: {', '.join(vintages)}")
    with engine.connect() as reader:
        wards = {v: load_wards(reader, vintage=v) for v in vintages}
    # ADBC links its own copy of SQLite. Two copies in one process do not see each other's
    # POSIX locks, and the last one to close deletes the WAL under the other, so the
    # engine's pooled connections are closed first and reopened after.
    engine.dispose()
    connection = adbc.connect(str(engine.url.database), autocommit=True)
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Ids are resolved by CrimeImport itself; checking five foreign keys on every row
        # would cost about a fifth of the import. The app's own connections enforce them,
        # and the tests run PRAGMA foreign_key_check after every kind of import.
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("BEGIN IMMEDIATE")
        run = CrimeImport(cursor, wards=wards, active=active)
        yield run
        cursor.execute("COMMIT")
    except BaseException:
        # After a full disk or an I/O error SQLite has rolled back already; a second
        # ROLLBACK would fail and hide the error that says what happened.
        with suppress(adbc.Error):
            cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()
        connection.close()
        engine.dispose()


class CrimeImport:
    """Adds parsed street files to the open transaction, one (force, month) at a time.

    A (force, month) partition is the unit of replacement: a file whose SHA-256 matches the
    stored partition changes nothing; a different file for the same partition replaces its
    rows. Snap points are stored once in ``places`` and assigned to a ward once per vintage.
    """

    def __init__(self, cursor: Any, *, wards: dict[str, gpd.GeoDataFrame], active: str) -> None:
        self._cursor = cursor
        self._active = active
        self._claimed: dict[tuple[str, str], str] = {}
        self._forces = self._lookup("SELECT name, id FROM forces")
        self._categories = self._lookup("SELECT label, id FROM categories")
        self._outcomes = self._lookup("SELECT label, id FROM outcomes")
        self._places = {
            (_nan(lon), _nan(lat), loc, code, name): pid
            for pid, lon, lat, loc, code, name in self._rows(
                "SELECT id, longitude, latitude, location, lsoa_code, lsoa_name FROM places"
            )
        }
        self._ward_of_place: dict[str, dict[int, str | None]] = {v: {} for v in wards}
        for place_id, vintage, ward_code in self._rows(
            "SELECT place_id, vintage, ward_code FROM place_wards"
        ):
            self._ward_of_place[vintage][place_id] = ward_code
        self._wards = wards

    def add(self, street: StreetFile) -> FileResult:
        """Store the file's partitions that differ from what is stored; count every row."""
        table = street.table
        groups, group_of_row = self._claim_partitions(street)
        place_ids, place_index = self._place_ids(table)
        result = self._count(street, place_ids, place_index, groups)
        stored = {group: self._stored_partition(group) for group in groups}
        changed = [g for g, old in stored.items() if old is None or old[1] != street.sha256]
        result.status = "stored" if changed or not groups else "unchanged"
        import_id = self._record(result)
        place_of_row = place_ids[place_index]
        for index, group in enumerate(groups):
            if group not in changed:
                continue
            old = stored[group]
            if old is not None:
                self._cursor.execute(
                    "DELETE FROM incidents WHERE id BETWEEN ? AND ?", (old[2], old[3])
                )
                self._cursor.execute("DELETE FROM partitions WHERE id = ?", (old[0],))
                for aggregate in ("ward_month_counts", "ward_facts"):
                    self._cursor.execute(
                        f"DELETE FROM {aggregate} WHERE force_id = ? AND month = ?",
                        (old[4], group[1]),
                    )
            rows = np.flatnonzero(group_of_row == index)
            part = table if len(rows) == table.num_rows else table.take(pa.array(rows))
            self._write_partition(group, import_id, street.sha256, part, place_of_row[rows])
            result.rows_written += len(rows)
        return result

    def _claim_partitions(self, street: StreetFile) -> tuple[list[tuple[str, str]], np.ndarray]:
        """The (force, month) partitions in the file and each row's partition index.

        Two files of one run that both hold a partition are refused, since either would
        silently replace the other.
        """
        table = street.table
        key = pc.binary_join_element_wise(table["Falls within"], table["Month"], KEY_SEPARATOR)
        encoded = pc.dictionary_encode(key).combine_chunks()
        groups: list[tuple[str, str]] = []
        for value in encoded.dictionary.to_pylist():
            force, month = value.split(KEY_SEPARATOR, 1)
            groups.append((force, month))
        for group in groups:
            other = self._claimed.get(group)
            if other and other != street.source:
                raise CrimeFileError(
                    f"{street.source}: {group[0]} {group[1]} is also in {other}; "
                    "import one file per force and month"
                )
        for group in groups:
            self._claimed[group] = street.source
        return groups, encoded.indices.to_numpy(zero_copy_only=False)

    def _stored_partition(self, group: tuple[str, str]) -> tuple[Any, ...] | None:
        return self._optional(
            "SELECT p.id, p.sha256, p.first_id, p.last_id, p.force_id FROM partitions p "
            "JOIN forces f ON f.id = p.force_id WHERE f.name = ? AND p.month = ?",
            group,
        )

    def fail(self, source: str, sha256: str | None, message: str) -> FileResult:
        """Record a file that could not be read at all; nothing from it is stored."""
        result = FileResult(source=source, sha256=sha256, status="failed", message=message)
        self._record(result)
        return result

    def _count(
        self,
        street: StreetFile,
        place_ids: np.ndarray,
        place_of_row: np.ndarray,
        groups: list[tuple[str, str]],
    ) -> FileResult:
        """Rows per join outcome, worked out once per distinct place and spread to the rows."""
        wards = self._ward_of_place[self._active]
        located = np.array([pid in wards for pid in place_ids.tolist()], dtype=bool)
        in_ward = np.array([bool(wards.get(pid)) for pid in place_ids.tolist()], dtype=bool)
        rows_per_place = np.bincount(place_of_row, minlength=len(place_ids))
        assigned = int(rows_per_place[in_ward].sum()) if len(place_ids) else 0
        outside = int(rows_per_place[located & ~in_ward].sum()) if len(place_ids) else 0
        return FileResult(
            source=street.source,
            sha256=street.sha256,
            status="stored",
            rows_read=street.rows_read,
            rows_stored=street.table.num_rows,
            rows_rejected=street.rows_rejected,
            assigned=assigned,
            outside_wards=outside,
            no_location=street.table.num_rows - assigned - outside,
            months=sorted({g[1] for g in groups}),
            forces=sorted({g[0] for g in groups}),
            errors=street.errors,
        )

    def _place_ids(self, table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
        """Distinct place ids and each row's index into them, storing new snap points.

        A new place is assigned to a ward of every stored vintage as it is stored.
        """
        key = pc.binary_join_element_wise(
            table["Longitude"],
            table["Latitude"],
            table["Location"],
            table["LSOA code"],
            table["LSOA name"],
            KEY_SEPARATOR,
        )
        encoded = pc.dictionary_encode(key).combine_chunks()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        first = np.zeros(len(encoded.dictionary), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
        sample = table.take(pa.array(first))
        columns = [
            sample[c].to_pylist()
            for c in ("longitude", "latitude", "Location", "LSOA code", "LSOA name")
        ]
        keys = [(_nan(lon), _nan(lat), *rest) for lon, lat, *rest in zip(*columns, strict=True)]
        ids = np.array([self._places.get(k, -1) for k in keys], dtype=np.int64)
        new = np.flatnonzero(ids < 0)
        if new.size:
            start = (self._one("SELECT coalesce(max(id), 0) FROM places")[0]) + 1
            ids[new] = np.arange(start, start + new.size)
            new_places = pa.table(
                {
                    "id": pa.array(ids[new]),
                    "longitude": pa.array([keys[i][0] for i in new], pa.float64()),
                    "latitude": pa.array([keys[i][1] for i in new], pa.float64()),
                    "location": pa.array([keys[i][2] for i in new], pa.string()),
                    "lsoa_code": pa.array([keys[i][3] for i in new], pa.string()),
                    "lsoa_name": pa.array([keys[i][4] for i in new], pa.string()),
                }
            )
            self._cursor.adbc_ingest("places", new_places, mode="append")
            self._places.update({keys[i]: int(ids[i]) for i in new})
            self._assign(new_places)
        return ids, codes.astype(np.int64)

    def _assign(self, new_places: pa.Table) -> None:
        located = new_places.filter(pc.is_valid(new_places["longitude"]))
        if located.num_rows == 0:
            return
        lon = located["longitude"].to_numpy()
        lat = located["latitude"].to_numpy()
        for vintage, frame in self._wards.items():
            position = assign_wards(lon, lat, frame)
            codes = frame["code"].to_numpy(dtype=object)
            ward_code = [None if p == OUTSIDE else codes[p] for p in position]
            self._cursor.adbc_ingest(
                "place_wards",
                pa.table(
                    {
                        "place_id": located["id"],
                        "vintage": pa.array([vintage] * located.num_rows, pa.string()),
                        "ward_code": pa.array(ward_code, pa.string()),
                    }
                ),
                mode="append",
            )
            self._ward_of_place[vintage].update(
                zip(located["id"].to_pylist(), ward_code, strict=True)
            )

    def _write_partition(
        self,
        group: tuple[str, str],
        import_id: int,
        sha256: str,
        rows: pa.Table,
        place_of_row: np.ndarray,
    ) -> None:
        """Append one partition's rows as one contiguous run of incident ids.

        SQLite gives each new row the largest id plus one, and this transaction is the only
        writer, so a partition is the id range [first_id, last_id]: replacing it deletes a
        primary-key range, which needs no index on the incidents table to maintain.
        """
        first_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM incidents")[0]
        last_id = first_id + rows.num_rows - 1
        force_id = self._id(self._forces, "forces", "name", group[0])
        partition_id = self._one(
            "INSERT INTO partitions (force_id, month, import_id, sha256, first_id, last_id) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (force_id, group[1], import_id, sha256, first_id, last_id),
        )[0]
        blank = pa.scalar(None, pa.string())
        columns = {
            "partition_id": pa.array(np.full(rows.num_rows, partition_id, dtype=np.int64)),
            "line": rows["line"],
            "crime_id": _null_if_blank(rows["Crime ID"], blank),
            "reported_by_id": self._encode(rows["Reported by"], self._forces, "forces", "name"),
            "place_id": pa.array(place_of_row),
            "category_id": self._encode(
                rows["Crime type"], self._categories, "categories", "label"
            ),
            "outcome_id": self._encode(
                rows["Last outcome category"], self._outcomes, "outcomes", "label"
            ),
            "context": _null_if_blank(rows["Context"], blank),
        }
        self._cursor.adbc_ingest(incidents.name, pa.table(columns), mode="append")
        stored_last = self._one("SELECT max(id) FROM incidents")[0]
        if stored_last != last_id:
            raise RuntimeError(f"incident ids of {group} are not contiguous; import rolled back")
        for vintage, wards in self._ward_of_place.items():
            counts, facts = group_partition(
                columns["place_id"], columns["category_id"], columns["outcome_id"], wards
            )
            key = {"vintage": vintage, "force_id": force_id, "month": group[1]}
            self._cursor.adbc_ingest("ward_month_counts", _with(counts, key), mode="append")
            self._cursor.adbc_ingest("ward_facts", _with(facts, key), mode="append")

    def _encode(
        self, column: pa.ChunkedArray, ids: dict[str, int], table: str, label: str
    ) -> pa.Array:
        """Integer ids for a text column (blank becomes NULL), adding unseen labels."""
        encoded = pc.dictionary_encode(column).combine_chunks()
        values = encoded.dictionary.to_pylist()
        mapped = pa.array(
            [self._id(ids, table, label, v) if v else None for v in values], pa.int64()
        )
        return pc.take(mapped, encoded.indices)

    def _id(self, ids: dict[str, int], table: str, label: str, value: str) -> int:
        if value not in ids:
            ids[value] = self._one(
                f"INSERT INTO {table} ({label}) VALUES (?) RETURNING id", (value,)
            )[0]
        return ids[value]

    def _record(self, result: FileResult) -> int:
        message = result.message or (
            f"{len(result.errors)} rows rejected" if result.errors else None
        )
        return self._one(
            "INSERT INTO imports (kind, source, sha256, rows_read, rows_stored, rows_rejected, "
            "status, message, imported_at) VALUES ('crime', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                result.source,
                result.sha256,
                result.rows_read,
                result.rows_stored,
                result.rows_rejected,
                result.status,
                message,
                now(),
            ),
        )[0]

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(sql, params)
        return list(self._cursor.fetchall())

    def _optional(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        self._cursor.execute(sql, params)
        row: tuple[Any, ...] | None = self._cursor.fetchone()
        return row

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        row = self._optional(sql, params)
        if row is None:
            raise LookupError(f"no row from {sql}")
        return row

    def _lookup(self, sql: str) -> dict[str, int]:
        return dict(self._rows(sql))


def _with(table: pa.Table, constants: dict[str, Any]) -> pa.Table:
    """``table`` with a constant column for each item of ``constants``."""
    for name, value in constants.items():
        table = table.append_column(name, pa.array([value] * table.num_rows))
    return table


def _nan(value: float | None) -> float | None:
    """Missing coordinates as None, so keys built from Arrow and from SQLite compare equal."""
    return None if value is None or math.isnan(value) else value


def _null_if_blank(column: pa.ChunkedArray, blank: pa.Scalar) -> pa.ChunkedArray:
    return pc.if_else(pc.equal(column, ""), blank, column)


def summarise_wards(engine: sa.Engine, *, vintage: str) -> list[dict[str, Any]]:
    """Each ward of ``vintage`` with its stored crime and ASB counts over all months held.

    Method: every stored incident row is counted once, in the ward its snap point was
    assigned to for this vintage (see ``geodata.join.assign_wards``); crimes are the rows
    whose category is not anti-social behaviour, as police.uk counts them. Reproduce with
    ``SELECT ward_code, "Crime type" FROM incident_rows``.
    """
    query = sa.text(
        """
        WITH counted AS (
            SELECT pw.ward_code,
                   sum(c.label != :asb) AS crimes,
                   sum(c.label = :asb) AS asb
            FROM incidents i
            JOIN categories c ON c.id = i.category_id
            JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = :vintage
            WHERE pw.ward_code IS NOT NULL
            GROUP BY pw.ward_code
        )
        SELECT w.code, w.name, w.lad_name, w.area_km2,
               coalesce(counted.crimes, 0) AS crimes, coalesce(counted.asb, 0) AS asb
        FROM wards w LEFT JOIN counted ON counted.ward_code = w.code
        WHERE w.vintage = :vintage
        ORDER BY w.name
        """
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"vintage": vintage, "asb": ASB})
        return [dict(row._mapping) for row in rows]


def count_incidents_by_ward(engine: sa.Engine, *, vintage: str) -> dict[str | None, int]:
    """Incidents (crime and ASB) per ward code of ``vintage``.

    Rows whose snap point lies outside every ward, or that have no location, count under
    None: every stored row is in exactly one key, so the values sum to the rows stored.
    """
    query = sa.text(
        "SELECT pw.ward_code, count(*) FROM incidents i "
        "LEFT JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = :vintage "
        "GROUP BY pw.ward_code"
    )
    with engine.connect() as connection:
        return {code: int(n) for code, n in connection.execute(query, {"vintage": vintage})}


def summarise_forces(engine: sa.Engine) -> list[dict[str, Any]]:
    """Each force held: first and last month, months held and incident rows stored."""
    query = sa.text(
        "SELECT f.name AS force, min(p.month) AS first_month, max(p.month) AS last_month, "
        "count(*) AS months, sum(p.last_id - p.first_id + 1) AS incidents "
        "FROM partitions p JOIN forces f ON f.id = p.force_id GROUP BY f.name ORDER BY f.name"
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
