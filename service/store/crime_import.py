"""The crime import's write side: street files stored a block at a time, per (force, month).

Writes go through the backend's bulk writer (``service.store.bulk``: ADBC into SQLite,
COPY into PostgreSQL), which moves Arrow columns without a Python object per value; one
import run is one transaction holding the import lock, so readers never see half of it, and
a process killed at any moment leaves every month as it was before the run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from geodata.errors import CrimeFileError, RowError
from geodata.io.police_uk import StreetBatch, StreetFile
from geodata.join import assign_wards
from service.store.aggregates import (
    AGGREGATES,
    PlaceWards,
    force_sums,
    group_rows,
    label_aggregates,
    sum_aggregates,
)
from service.store.bulk import WriteBehind, bulk_writer, write_behind
from service.store.crime_ids import split_crime_ids
from service.store.imports import now
from service.store.schema import incidents
from service.store.wards import list_vintages, load_wards

KEY_SEPARATOR = "\x1f"
"""Joins text columns into one key; the ASCII unit separator never occurs in police.uk text."""

REJECTED_KEPT = 1000
"""Rejected rows of one file kept in memory and in the summary; the rest are counted."""

PENDING_AGGREGATES = 16
"""Blocks whose aggregates are held apart before they are summed into one."""

PLACE_COLUMNS = ("longitude", "latitude", "Location", "LSOA code", "LSOA name")
"""What makes a snap point: its coordinates (as numbers), street and LSOA."""

PLACE_TEXT = ("Longitude", "Latitude", "Location", "LSOA code", "LSOA name")
"""A snap point as written in the file: one text per place, looked up once per block."""


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
    with bulk_writer(engine) as writer, write_behind(writer) as behind:
        yield CrimeImport(behind, wards=wards, active=active, on_rejected=on_rejected)


@dataclass
class _Partition:
    """One (force, month) of the file being stored: the new partition its rows go to, or
    None when the stored one came from the same file (unchanged)."""

    force_id: int
    month: str
    partition_id: int | None
    rows: int = 0


@dataclass(frozen=True)
class _Encoded:
    """A text column dictionary-encoded: its distinct values and each row's index."""

    values: list[str]
    indices: pa.Array

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> _Encoded:
        encoded = pc.dictionary_encode(column).combine_chunks()
        return cls(encoded.dictionary.to_pylist(), encoded.indices)


@dataclass(frozen=True)
class _Block:
    """A checked block with the work that needs nothing stored done: partitions, snap
    points and labels encoded, blanks made nulls. Built on the reader thread."""

    batch: StreetBatch
    groups: list[tuple[str, str]]
    group_of_row: npt.NDArray[np.int64]
    places: _Encoded
    reported_by: _Encoded
    category: _Encoded
    outcome: _Encoded
    crime_id: pa.Array
    crime_id_text: pa.Array
    context: pa.ChunkedArray

    @classmethod
    def of(cls, batch: StreetBatch) -> _Block:
        table = batch.table
        groups, group_of_row = _groups(table)
        blank = pa.scalar(None, pa.string())
        crime_id, crime_id_text = split_crime_ids(table["Crime ID"])
        return cls(
            batch=batch,
            groups=groups,
            group_of_row=group_of_row,
            places=_Encoded.of(
                pc.binary_join_element_wise(*(table[c] for c in PLACE_TEXT), KEY_SEPARATOR)
            ),
            reported_by=_Encoded.of(table["Reported by"]),
            category=_Encoded.of(table["Crime type"]),
            outcome=_Encoded.of(table["Last outcome category"]),
            crime_id=crime_id,
            crime_id_text=crime_id_text,
            context=_null_if_blank(table["Context"], blank),
        )


@dataclass
class _FileState:
    """What is known of the file being stored, block by block."""

    result: FileResult
    import_id: int
    sha256: str | None
    partitions: dict[tuple[str, str], _Partition] = field(default_factory=dict)
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
        writer: WriteBehind,
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
        self._place_of_text: dict[str, int] = {}
        self._place_wards = {
            vintage: PlaceWards(frame["code"].tolist()) for vintage, frame in self._wards.items()
        }
        for vintage, place_wards in self._place_wards.items():
            rows = self._rows(
                "SELECT place_id, ward_code FROM place_wards WHERE vintage = :vintage",
                vintage=vintage,
            )
            if rows:
                ids, codes = zip(*rows, strict=True)
                place_wards.set_codes(np.array(ids, dtype=np.int64), codes)

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
        with the same SHA-256; such a file was imported before, so its first partition is
        stored too. So when none of the first batch's partitions is stored, nothing in the
        file can be unchanged and no row waits for the hash; otherwise ``first_pass`` reads
        the file once more for its SHA-256 before any row is written. A ``CrimeFileError``
        while reading rolls the file back to its savepoint and records it as failed.

        The first block is read before the savepoint is taken, so that on PostgreSQL it is
        read while the server still inserts the last file's rows (``PostgresWriter``
        leaves a ``COPY`` running until the next statement).
        """
        blocks = _read_ahead(map(_Block.of, batches))
        try:
            first = next(blocks, None)
        except CrimeFileError as error:
            return self.fail(source, None, str(error))
        self._writer.execute("SAVEPOINT crime_file")
        try:
            result = self._add_batches(source, first, blocks, sha256, first_pass, progress)
        except CrimeFileError as error:
            self._writer.execute("ROLLBACK TO SAVEPOINT crime_file")
            self._writer.execute("RELEASE SAVEPOINT crime_file")
            self._claimed = {g: s for g, s in self._claimed.items() if s != source}
            self._load()
            return self.fail(source, None, str(error))
        self._writer.execute("RELEASE SAVEPOINT crime_file")
        return result

    def fail(self, source: str, sha256: str | None, message: str) -> FileResult:
        """Record a file that could not be read at all; nothing from it is stored."""
        result = FileResult(source=source, sha256=sha256, status="failed", message=message)
        self._record(result)
        return result

    def _add_batches(
        self,
        source: str,
        first: _Block | None,
        blocks: Iterator[_Block],
        sha256: Callable[[], str],
        first_pass: Callable[[], str],
        progress: Callable[[int], None] | None,
    ) -> FileResult:
        result = FileResult(source=source, sha256=None, status="stored")
        known = None
        if first is not None and any(self._stored_partition(group) for group in first.groups):
            known = first_pass()
        state = _FileState(result=result, import_id=self._record(result), sha256=known)
        for block in itertools.chain([] if first is None else [first], blocks):
            self._add_block(state, block)
            if progress:
                progress(block.batch.rows_read)
        result.sha256 = sha256()
        if known is not None and known != result.sha256:
            raise CrimeFileError(f"{source}: the file changed while it was being imported")
        written = [p for p in state.partitions.values() if p.partition_id is not None]
        for partition in written:
            self._writer.execute(
                "UPDATE partitions SET sha256 = :sha256, incident_count = :n WHERE id = :id",
                sha256=result.sha256,
                n=partition.rows,
                id=partition.partition_id,
            )
        self._write_aggregates(state, written)
        result.status = "stored" if written or not state.partitions else "unchanged"
        result.months = sorted({month for _, month in state.partitions})
        result.forces = sorted({force for force, _ in state.partitions})
        self._update_record(state.import_id, result)
        return result

    def _add_block(self, state: _FileState, block: _Block) -> None:
        """Count one block's rows and store those of partitions being written.

        Every step works on whole columns: the lookups (partition, place, force, category,
        outcome) run once per distinct value of the block, then spread to its rows.
        """
        batch, result = block.batch, state.result
        table = batch.table
        result.rows_read += batch.rows_read
        result.rows_stored += table.num_rows
        result.rows_rejected += batch.rows_rejected
        self._reject(result, batch.errors)
        if table.num_rows == 0:
            return
        partition_of_group = np.array(
            [self._partition(state, group).partition_id or 0 for group in block.groups],
            np.int64,
        )
        rows_of_group = np.bincount(block.group_of_row, minlength=len(block.groups))
        for group, rows in zip(block.groups, rows_of_group.tolist(), strict=True):
            state.partitions[group].rows += rows
        place_of_row = self._place_ids(table, block.places)
        self._count(result, place_of_row)
        partition_of_row = partition_of_group[block.group_of_row]
        columns = {
            "partition_id": pa.array(partition_of_row),
            "line": table["line"],
            "crime_id": block.crime_id,
            "crime_id_text": block.crime_id_text,
            "reported_by_id": self._ids(block.reported_by, self._forces, "forces", "name"),
            "place_id": pa.array(place_of_row),
            "category_id": self._ids(block.category, self._categories, "categories", "label"),
            "outcome_id": self._ids(block.outcome, self._outcomes, "outcomes", "label"),
            "context": block.context,
        }
        rows = pa.table(columns)
        written = partition_of_row > 0
        if not written.any():
            return
        if not written.all():
            rows = rows.filter(pa.array(written))
            partition_of_row = partition_of_row[written]
            place_of_row = place_of_row[written]
        self._writer.ingest_behind(incidents.name, rows)
        result.rows_written += rows.num_rows
        for vintage, place_wards in self._place_wards.items():
            pending = state.aggregates.setdefault(vintage, [])
            pending.append(
                group_rows(
                    partition_of_row,
                    place_of_row,
                    rows["category_id"],
                    rows["outcome_id"],
                    place_wards,
                )
            )
            if len(pending) >= PENDING_AGGREGATES:
                pending[:] = [sum_aggregates(pending)]

    def _write_aggregates(self, state: _FileState, written: list[_Partition]) -> None:
        """The aggregates of the partitions written, summed over the blocks of the file."""
        force_of = {p.partition_id: p.force_id for p in written}
        month_of = {p.partition_id: p.month for p in written}
        for vintage, pending in state.aggregates.items():
            counts, facts = label_aggregates(*sum_aggregates(pending), self._place_wards[vintage])
            for name, table in zip(AGGREGATES, (counts, facts, force_sums(counts)), strict=True):
                partition = table["partition_id"].to_pylist()
                rows = table.drop_columns(["partition_id"])
                rows = rows.append_column("vintage", pa.array([vintage] * rows.num_rows))
                rows = rows.append_column("force_id", pa.array([force_of[p] for p in partition]))
                rows = rows.append_column("month", pa.array([month_of[p] for p in partition]))
                self._writer.ingest(name, rows)

    def _reject(self, result: FileResult, errors: list[RowError]) -> None:
        if not errors:
            return
        if self._on_rejected:
            self._on_rejected(errors)
        room = max(REJECTED_KEPT - len(result.errors), 0)
        result.errors.extend(errors[:room])
        result.errors_not_listed += max(len(errors) - room, 0)

    def _partition(self, state: _FileState, group: tuple[str, str]) -> _Partition:
        """The partition of ``group`` in this file; met for the first time, it is claimed
        and, unless the stored one came from a file with the same SHA-256, replaced.

        Two files of one run that both hold a partition are refused, since either would
        silently replace the other.
        """
        if group in state.partitions:
            return state.partitions[group]
        source = state.result.source
        other = self._claimed.get(group)
        if other and other != source:
            raise CrimeFileError(
                f"{source}: {group[0]} {group[1]} is also in {other}; "
                "import one file per force and month"
            )
        self._claimed[group] = source
        old = self._stored_partition(group)
        force_id = self._id(self._forces, "forces", "name", group[0])
        if old is not None and state.sha256 is not None and old[1] == state.sha256:
            partition = _Partition(force_id=force_id, month=group[1], partition_id=None)
        else:
            if old is not None:
                self._delete_partition(old[0], force_id=old[2], month=group[1])
            partition_id = self._one(
                "INSERT INTO partitions (force_id, month, import_id, sha256, incident_count) "
                "VALUES (:force, :month, :import_id, '', 0) RETURNING id",
                force=force_id,
                month=group[1],
                import_id=state.import_id,
            )[0]
            partition = _Partition(force_id=force_id, month=group[1], partition_id=partition_id)
        state.partitions[group] = partition
        return partition

    def _delete_partition(self, partition_id: int, *, force_id: int, month: str) -> None:
        """Delete a stored partition's incidents and its rows of the aggregates.

        The ward aggregates are keyed by (vintage, ward, month, force, ...), so a delete by force
        and month alone reads every row of every force: a scan per revised month, which grows
        with all that is stored. The wards the partition's rows fall in are read from its own
        incidents first, per vintage (``''`` holds the rows outside every ward and without a
        location), and the delete names each key prefix in a ``VALUES`` list, which both
        stores look up through the key whether or not the planner's statistics are fresh:
        measured at 2 forces x 2 years, 4 ms for a partition's 5,192 facts on PostgreSQL
        where the scan took 24 ms. ``force_month_counts`` is keyed by (vintage, force,
        month, ...) and deleted by that prefix. A row left behind would not go unnoticed:
        the partition's new rows of that key would fail the key's uniqueness.
        """
        wards: dict[str, list[str]] = {vintage: [""] for vintage in self._place_wards}
        for vintage, code in self._rows(
            "SELECT DISTINCT pw.vintage, pw.ward_code FROM incidents i "
            "JOIN place_wards pw ON pw.place_id = i.place_id "
            "WHERE i.partition_id = :id AND pw.ward_code IS NOT NULL",
            id=partition_id,
        ):
            wards[vintage].append(code)
        self._writer.execute("DELETE FROM incidents WHERE partition_id = :id", id=partition_id)
        self._writer.execute("DELETE FROM partitions WHERE id = :id", id=partition_id)
        for vintage, codes in wards.items():
            keys = ", ".join(f"(:vintage, :ward{n}, :month, :force)" for n in range(len(codes)))
            named = {f"ward{n}": code for n, code in enumerate(codes)}
            for aggregate in ("ward_month_counts", "ward_facts"):
                self._writer.execute(
                    f"DELETE FROM {aggregate} WHERE (vintage, ward_code, month, force_id) "
                    f"IN (VALUES {keys})",
                    vintage=vintage,
                    month=month,
                    force=force_id,
                    **named,
                )
            self._writer.execute(
                "DELETE FROM force_month_counts "
                "WHERE vintage = :vintage AND force_id = :force AND month = :month",
                vintage=vintage,
                force=force_id,
                month=month,
            )

    def _stored_partition(self, group: tuple[str, str]) -> tuple[Any, ...] | None:
        return self._optional(
            "SELECT p.id, p.sha256, p.force_id FROM partitions p "
            "JOIN forces f ON f.id = p.force_id WHERE f.name = :force AND p.month = :month",
            force=group[0],
            month=group[1],
        )

    def _count(self, result: FileResult, place_of_row: npt.NDArray[np.int64]) -> None:
        """Rows in a ward, outside every ward and without a location, in the active vintage."""
        ward = self._place_wards[self._active].ward_of(place_of_row)
        assigned = int(np.count_nonzero(ward >= 0))
        outside = int(np.count_nonzero(ward == PlaceWards.OUTSIDE))
        result.assigned += assigned
        result.outside_wards += outside
        result.no_location += len(place_of_row) - assigned - outside

    def _place_ids(self, table: pa.Table, places: _Encoded) -> npt.NDArray[np.int64]:
        """Each row's place id, storing new snap points.

        Each distinct place text of the block is looked up once; text not seen before is
        matched on the parsed coordinates (so ``-1.20`` and ``-1.2`` are one place), and a
        place not stored yet is stored and assigned to a ward of every stored vintage.
        """
        codes = places.indices.to_numpy().astype(np.int64)
        ids = np.array([self._place_of_text.get(t, -1) for t in places.values], dtype=np.int64)
        unknown = np.flatnonzero(ids < 0)
        if unknown.size:
            first = np.zeros(len(places.values), dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
            sample = table.take(pa.array(first[unknown]))
            columns = [sample[c].to_pylist() for c in PLACE_COLUMNS]
            keys = [(_nan(x), _nan(y), *rest) for x, y, *rest in zip(*columns, strict=True)]
            found = np.array([self._places.get(k, -1) for k in keys], dtype=np.int64)
            new = np.flatnonzero(found < 0)
            if new.size:
                found[new] = self._store_places([keys[i] for i in new])
            ids[unknown] = found
            self._place_of_text.update(
                zip((places.values[i] for i in unknown), found.tolist(), strict=True)
            )
        return ids[codes]

    def _store_places(self, keys: list[tuple[Any, ...]]) -> npt.NDArray[np.int64]:
        """Store new snap points and assign them to a ward of every stored vintage."""
        start = (self._one("SELECT coalesce(max(id), 0) FROM places")[0]) + 1
        ids = np.arange(start, start + len(keys), dtype=np.int64)
        lon = np.array([np.nan if k[0] is None else k[0] for k in keys], dtype=np.float64)
        lat = np.array([np.nan if k[1] is None else k[1] for k in keys], dtype=np.float64)
        self._writer.ingest(
            "places",
            pa.table(
                {
                    "id": pa.array(ids),
                    "longitude": pa.array(lon, from_pandas=True),
                    "latitude": pa.array(lat, from_pandas=True),
                    "location": pa.array([k[2] for k in keys], pa.string()),
                    "lsoa_code": pa.array([k[3] for k in keys], pa.string()),
                    "lsoa_name": pa.array([k[4] for k in keys], pa.string()),
                }
            ),
        )
        self._places.update(zip(keys, ids.tolist(), strict=True))
        located = ~np.isnan(lon)
        if located.any():
            for vintage, frame in self._wards.items():
                position = assign_wards(lon[located], lat[located], frame)
                place_wards = self._place_wards[vintage]
                place_wards.set_positions(ids[located], position)
                self._writer.ingest(
                    "place_wards",
                    pa.table(
                        {
                            "place_id": pa.array(ids[located]),
                            "vintage": pa.array([vintage] * int(located.sum()), pa.string()),
                            "ward_code": place_wards.codes_of(ids[located]),
                        }
                    ),
                )
        return ids

    def _ids(self, encoded: _Encoded, ids: dict[str, int], table: str, label: str) -> pa.Array:
        """Integer ids for an encoded text column (blank becomes NULL), adding unseen labels."""
        mapped = pa.array(
            [self._id(ids, table, label, v) if v else None for v in encoded.values], pa.int64()
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


def _groups(table: pa.Table) -> tuple[list[tuple[str, str]], npt.NDArray[np.int64]]:
    """The (force, month) partitions in a block and each row's index into them."""
    force = pc.dictionary_encode(table["Falls within"]).combine_chunks()
    month = pc.dictionary_encode(table["Month"]).combine_chunks()
    months = len(month.dictionary)
    pair = force.indices.to_numpy().astype(np.int64) * months + month.indices.to_numpy()
    distinct, group_of_row = np.unique(pair, return_inverse=True)
    forces, month_names = force.dictionary.to_pylist(), month.dictionary.to_pylist()
    groups = [(forces[p // months], month_names[p % months]) for p in distinct.tolist()]
    return groups, group_of_row.astype(np.int64)


_END = object()


def _read_ahead(blocks: Iterator[_Block]) -> Iterator[_Block]:
    """``blocks`` with the next one read, checked and encoded on a second thread while the
    caller stores this one (Arrow's parsing, checks and encodings release the GIL, and so
    does SQLite's ingest); one block waits at most."""
    with ThreadPoolExecutor(1) as reader:
        pending = reader.submit(next, blocks, _END)
        while (item := pending.result()) is not _END:
            pending = reader.submit(next, blocks, _END)
            yield cast(_Block, item)


def _message(result: FileResult) -> str | None:
    rejected = len(result.errors) + result.errors_not_listed
    return result.message or (f"{rejected} rows rejected" if rejected else None)


def _nan(value: float | None) -> float | None:
    """Missing coordinates as None, so keys built from Arrow and from SQLite compare equal."""
    return None if value is None or math.isnan(value) else value


def _null_if_blank(column: pa.ChunkedArray, blank: pa.Scalar) -> pa.ChunkedArray:
    return pc.if_else(pc.equal(column, ""), blank, column)
