"""Stored police.uk incidents: the transactional, idempotent crime import and its read side.

Writes go through the backend's bulk writer (``service.store.bulk``: ADBC into SQLite,
COPY into PostgreSQL), which moves Arrow columns without a Python object per value; one
import run is one transaction holding the import lock, so readers never see half of it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from geodata.crime import ASB
from geodata.errors import CrimeFileError, RowError
from geodata.io.police_uk import StreetBatch, StreetFile
from geodata.join import OUTSIDE, assign_wards
from service.store.aggregates import PENDING_AGGREGATES, group_partition, sum_aggregates
from service.store.bulk import BulkWriter, bulk_writer
from service.store.imports import now
from service.store.schema import incidents
from service.store.wards import list_vintages, load_wards

KEY_SEPARATOR = "\x1f"
"""Joins text columns into one key; the ASCII unit separator never occurs in police.uk text."""


@dataclass
class FileResult:
    """What one import did with one file; ``rows_read == rows_stored + rows_rejected``.

    ``errors`` lists the first ``REJECTED_KEPT`` rejected rows of the file, so memory stays
    bounded; ``errors_not_listed`` counts the rest (every one goes to ``on_rejected``).
    """

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
    errors_not_listed: int = 0
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        result = asdict(self)
        result["errors"] = [asdict(error) for error in self.errors]
        return result


REJECTED_KEPT = 1000
"""Rejected rows of one file kept in memory and in the summary; the rest are counted."""


@contextmanager
def crime_import(
    engine: sa.Engine,
    *,
    vintage: str | None = None,
    on_rejected: Callable[[Sequence[RowError]], None] | None = None,
) -> Iterator[CrimeImport]:
    """One import run in one transaction: committed when the block ends, rolled back on error.

    ``vintage`` picks the boundary set whose wards the summary counts (default: the latest);
    every stored vintage gets the assignments of new places regardless. ``on_rejected``
    receives every rejected row as it is found (``--rejected-out``).
    """
    vintages = list_vintages(engine)
    if not vintages:
        raise LookupError("no ward boundaries are stored: run import-wards first")
    active = vintage or vintages[-1]
    if active not in vintages:
        raise LookupError(f"no boundary vintage {active!r}; stored: {', '.join(vintages)}")
    with engine.connect() as reader:
        wards = {v: load_wards(reader, vintage=v) for v in vintages}
    with bulk_writer(engine) as writer:
        yield CrimeImport(writer, wards=wards, active=active, on_rejected=on_rejected)


@dataclass
class _Partition:
    """One (force, month) of the file being stored: where its rows go, or that they are
    the stored ones already (``unchanged``)."""

    force_id: int
    month: str
    unchanged: bool
    partition_id: int | None = None
    rows: int = 0
    aggregates: dict[str, list[tuple[pa.Table, pa.Table]]] = field(default_factory=dict)


class CrimeImport:
    """Adds street files to the open transaction, a block of rows at a time.

    A (force, month) partition is the unit of replacement: a file whose SHA-256 matches the
    stored partition changes nothing; a different file for the same partition replaces its
    rows. Snap points are stored once in ``places`` and assigned to a ward once per vintage.
    Each file is stored inside a savepoint, so a file that turns out unreadable half way
    leaves nothing of it behind.
    """

    def __init__(
        self,
        writer: BulkWriter,
        *,
        wards: dict[str, gpd.GeoDataFrame],
        active: str,
        on_rejected: Callable[[Sequence[RowError]], None] | None = None,
    ) -> None:
        self._writer = writer
        self._active = active
        self._wards = wards
        self._on_rejected = on_rejected
        self._claimed: dict[tuple[str, str], str] = {}
        self._load()

    def _load(self) -> None:
        """The ids of stored forces, categories, outcomes and places, held while importing."""
        self._forces = self._lookup("SELECT name, id FROM forces")
        self._categories = self._lookup("SELECT label, id FROM categories")
        self._outcomes = self._lookup("SELECT label, id FROM outcomes")
        self._places = {
            (_nan(lon), _nan(lat), loc, code, name): pid
            for pid, lon, lat, loc, code, name in self._rows(
                "SELECT id, longitude, latitude, location, lsoa_code, lsoa_name FROM places"
            )
        }
        self._ward_of_place: dict[str, dict[int, str | None]] = {v: {} for v in self._wards}
        for place_id, vintage, ward_code in self._rows(
            "SELECT place_id, vintage, ward_code FROM place_wards"
        ):
            self._ward_of_place[vintage][place_id] = ward_code

    def add(self, street: StreetFile) -> FileResult:
        """Store a file read whole; see :meth:`add_batches`."""
        batch = StreetBatch(table=street.table, rows_read=street.rows_read, errors=street.errors)
        return self.add_batches(
            street.source, [batch], sha256=lambda: street.sha256, first_pass=lambda: street.sha256
        )

    def add_batches(
        self,
        source: str,
        batches: Iterable[StreetBatch],
        *,
        sha256: Callable[[], str],
        first_pass: Callable[[], str],
        progress: Callable[[int], None] | None = None,
    ) -> FileResult:
        """Store one file's partitions that differ from what is stored; count every row.

        ``sha256`` gives the file's SHA-256 once every batch is read (worked out as the
        bytes stream by). A partition is unchanged only when the stored one came from a file
        with the same SHA-256, and such a file was imported before, so its first partition
        is stored: when none of the first batch's partitions is stored, nothing in the file
        can be unchanged and no batch waits for the hash. Otherwise ``first_pass`` reads the
        file once more for its SHA-256 before any row is written. A ``CrimeFileError`` while
        reading rolls the file back to its savepoint and records it as failed.
        """
        self._writer.execute("SAVEPOINT crime_file")
        try:
            result = self._add_batches(source, iter(batches), sha256, first_pass, progress)
        except CrimeFileError as error:
            self._writer.execute("ROLLBACK TO SAVEPOINT crime_file")
            self._writer.execute("RELEASE SAVEPOINT crime_file")
            self._claimed = {g: s for g, s in self._claimed.items() if s != source}
            self._load()
            return self.fail(source, None, str(error))
        self._writer.execute("RELEASE SAVEPOINT crime_file")
        return result

    def _add_batches(
        self,
        source: str,
        batches: Iterator[StreetBatch],
        sha256: Callable[[], str],
        first_pass: Callable[[], str],
        progress: Callable[[int], None] | None,
    ) -> FileResult:
        result = FileResult(source=source, sha256=None, status="stored")
        import_id = self._record(result)
        partitions: dict[tuple[str, str], _Partition] = {}
        known: str | None = None
        first = next(batches, None)
        if first is not None and any(
            self._stored_partition(group) for group in self._groups(first.table)[0]
        ):
            known = first_pass()
        for batch in itertools.chain([] if first is None else [first], batches):
            self._add_batch(batch, result, partitions, import_id, known)
            if progress:
                progress(batch.rows_read)
        result.sha256 = sha256()
        if known is not None and known != result.sha256:
            raise CrimeFileError(f"{source}: the file changed while it was being imported")
        for partition in partitions.values():
            if not partition.unchanged:
                self._finish_partition(partition, result.sha256)
        written = [p for p in partitions.values() if not p.unchanged]
        result.status = "stored" if written or not partitions else "unchanged"
        result.months = sorted({month for _, month in partitions})
        result.forces = sorted({force for force, _ in partitions})
        self._update_record(import_id, result)
        return result

    def _add_batch(
        self,
        batch: StreetBatch,
        result: FileResult,
        partitions: dict[tuple[str, str], _Partition],
        import_id: int,
        known: str | None,
    ) -> None:
        """Count, and store the rows of, one batch."""
        table = batch.table
        result.rows_read += batch.rows_read
        result.rows_stored += table.num_rows
        result.rows_rejected += batch.rows_rejected
        self._reject(result, batch.errors)
        groups, group_of_row = self._groups(table)
        for group in groups:
            if group not in partitions:
                partitions[group] = self._open_partition(result.source, group, import_id, known)
        place_ids, place_index = self._place_ids(table)
        self._count(result, place_ids, place_index)
        place_of_row = place_ids[place_index]
        for index, group in enumerate(groups):
            partition = partitions[group]
            if partition.unchanged:
                continue
            rows = np.flatnonzero(group_of_row == index)
            part = table if len(rows) == table.num_rows else table.take(pa.array(rows))
            self._write_rows(partition, part, place_of_row[rows])
            result.rows_written += len(rows)

    def _reject(self, result: FileResult, errors: list[RowError]) -> None:
        if not errors:
            return
        if self._on_rejected:
            self._on_rejected(errors)
        room = max(REJECTED_KEPT - len(result.errors), 0)
        result.errors.extend(errors[:room])
        result.errors_not_listed += max(len(errors) - room, 0)

    def _groups(self, table: pa.Table) -> tuple[list[tuple[str, str]], np.ndarray]:
        """The (force, month) partitions in a batch and each row's index into them."""
        key = pc.binary_join_element_wise(table["Falls within"], table["Month"], KEY_SEPARATOR)
        encoded = pc.dictionary_encode(key).combine_chunks()
        groups = [
            (force, month)
            for force, month in (v.split(KEY_SEPARATOR, 1) for v in encoded.dictionary.to_pylist())
        ]
        return groups, encoded.indices.to_numpy(zero_copy_only=False)

    def _open_partition(
        self, source: str, group: tuple[str, str], import_id: int, known: str | None
    ) -> _Partition:
        """Claim a partition met for the first time in this file; replace it unless the
        stored one came from a file with the same SHA-256.

        Two files of one run that both hold a partition are refused, since either would
        silently replace the other.
        """
        other = self._claimed.get(group)
        if other and other != source:
            raise CrimeFileError(
                f"{source}: {group[0]} {group[1]} is also in {other}; "
                "import one file per force and month"
            )
        self._claimed[group] = source
        old = self._stored_partition(group)
        force_id = self._id(self._forces, "forces", "name", group[0])
        if old is not None and known is not None and old[1] == known:
            return _Partition(force_id=force_id, month=group[1], unchanged=True)
        if old is not None:
            self._writer.execute("DELETE FROM incidents WHERE partition_id = :id", id=old[0])
            self._writer.execute("DELETE FROM partitions WHERE id = :id", id=old[0])
            for aggregate in ("ward_month_counts", "ward_facts"):
                self._writer.execute(
                    f"DELETE FROM {aggregate} WHERE force_id = :force AND month = :month",
                    force=old[2],
                    month=group[1],
                )
        partition_id = self._one(
            "INSERT INTO partitions (force_id, month, import_id, sha256, incident_count) "
            "VALUES (:force, :month, :import_id, '', 0) RETURNING id",
            force=force_id,
            month=group[1],
            import_id=import_id,
        )[0]
        return _Partition(
            force_id=force_id, month=group[1], unchanged=False, partition_id=partition_id
        )

    def _stored_partition(self, group: tuple[str, str]) -> tuple[Any, ...] | None:
        return self._optional(
            "SELECT p.id, p.sha256, p.force_id FROM partitions p "
            "JOIN forces f ON f.id = p.force_id WHERE f.name = :force AND p.month = :month",
            force=group[0],
            month=group[1],
        )

    def fail(self, source: str, sha256: str | None, message: str) -> FileResult:
        """Record a file that could not be read at all; nothing from it is stored."""
        result = FileResult(source=source, sha256=sha256, status="failed", message=message)
        self._record(result)
        return result

    def _count(self, result: FileResult, place_ids: np.ndarray, place_of_row: np.ndarray) -> None:
        """Rows per join outcome, worked out once per distinct place and spread to the rows."""
        wards = self._ward_of_place[self._active]
        located = np.array([pid in wards for pid in place_ids.tolist()], dtype=bool)
        in_ward = np.array([bool(wards.get(pid)) for pid in place_ids.tolist()], dtype=bool)
        rows_per_place = np.bincount(place_of_row, minlength=len(place_ids))
        assigned = int(rows_per_place[in_ward].sum()) if len(place_ids) else 0
        outside = int(rows_per_place[located & ~in_ward].sum()) if len(place_ids) else 0
        result.assigned += assigned
        result.outside_wards += outside
        result.no_location += len(place_of_row) - assigned - outside

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
            self._writer.ingest("places", new_places)
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
            self._writer.ingest(
                "place_wards",
                pa.table(
                    {
                        "place_id": located["id"],
                        "vintage": pa.array([vintage] * located.num_rows, pa.string()),
                        "ward_code": pa.array(ward_code, pa.string()),
                    }
                ),
            )
            self._ward_of_place[vintage].update(
                zip(located["id"].to_pylist(), ward_code, strict=True)
            )

    def _write_rows(self, partition: _Partition, rows: pa.Table, place_of_row: np.ndarray) -> None:
        """Append a batch's rows of one partition, each carrying the partition's id, and
        group its aggregates (summed over the batches when the partition is finished).

        Incident ids come from the database (SQLite's rowid, PostgreSQL's sequence) in no
        promised order; a partition's rows are found, and replaced, by ``partition_id``.
        """
        blank = pa.scalar(None, pa.string())
        columns = {
            "partition_id": pa.array(np.full(rows.num_rows, partition.partition_id, np.int64)),
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
        self._writer.ingest(incidents.name, pa.table(columns))
        partition.rows += rows.num_rows
        for vintage, wards in self._ward_of_place.items():
            grouped = group_partition(
                columns["place_id"], columns["category_id"], columns["outcome_id"], wards
            )
            pending = partition.aggregates.setdefault(vintage, [])
            pending.append(grouped)
            if len(pending) >= PENDING_AGGREGATES:
                pending[:] = [sum_aggregates(pending)]

    def _finish_partition(self, partition: _Partition, sha256: str) -> None:
        """Write a partition's aggregates and its count and SHA-256, once its file is read."""
        self._writer.execute(
            "UPDATE partitions SET sha256 = :sha256, incident_count = :n WHERE id = :id",
            sha256=sha256,
            n=partition.rows,
            id=partition.partition_id,
        )
        for vintage, pending in partition.aggregates.items():
            counts, facts = sum_aggregates(pending)
            key = {"vintage": vintage, "force_id": partition.force_id, "month": partition.month}
            self._writer.ingest("ward_month_counts", _with(counts, key))
            self._writer.ingest("ward_facts", _with(facts, key))

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
                f"INSERT INTO {table} ({label}) VALUES (:value) RETURNING id", value=value
            )[0]
        return ids[value]

    def _record(self, result: FileResult) -> int:
        return self._one(
            "INSERT INTO imports (kind, source, sha256, rows_read, rows_stored, rows_rejected, "
            "status, message, imported_at) VALUES ('crime', :source, :sha256, :rows_read, "
            ":rows_stored, :rows_rejected, :status, :message, :imported_at) RETURNING id",
            source=result.source,
            sha256=result.sha256,
            rows_read=result.rows_read,
            rows_stored=result.rows_stored,
            rows_rejected=result.rows_rejected,
            status=result.status,
            message=_message(result),
            imported_at=now(),
        )[0]

    def _update_record(self, import_id: int, result: FileResult) -> None:
        """The ledger row of a file, completed once every batch is stored."""
        self._writer.execute(
            "UPDATE imports SET sha256 = :sha256, rows_read = :rows_read, "
            "rows_stored = :rows_stored, rows_rejected = :rows_rejected, status = :status, "
            "message = :message WHERE id = :id",
            sha256=result.sha256,
            rows_read=result.rows_read,
            rows_stored=result.rows_stored,
            rows_rejected=result.rows_rejected,
            status=result.status,
            message=_message(result),
            id=import_id,
        )

    def _rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        return self._writer.rows(sql, **params)

    def _optional(self, sql: str, **params: Any) -> tuple[Any, ...] | None:
        rows = self._writer.rows(sql, **params)
        return rows[0] if rows else None

    def _one(self, sql: str, **params: Any) -> tuple[Any, ...]:
        row = self._optional(sql, **params)
        if row is None:
            raise LookupError(f"no row from {sql}")
        return row

    def _lookup(self, sql: str) -> dict[str, int]:
        return dict(self._rows(sql))


def _message(result: FileResult) -> str | None:
    rejected = len(result.errors) + result.errors_not_listed
    return result.message or (f"{rejected} rows rejected" if rejected else None)


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
                   sum(CASE WHEN c.label <> :asb THEN 1 ELSE 0 END) AS crimes,
                   sum(CASE WHEN c.label = :asb THEN 1 ELSE 0 END) AS asb
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
        "count(*) AS months, sum(p.incident_count) AS incidents "
        "FROM partitions p JOIN forces f ON f.id = p.force_id GROUP BY f.name ORDER BY f.name"
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
