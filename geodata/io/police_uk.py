"""Reading police.uk street-level CSV files, folders and archives into validated Arrow tables."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from geodata.crime import CATEGORIES, STREET_COLUMNS, canonical_category
from geodata.crs import ENGLAND_WALES_BOUNDS
from geodata.errors import CrimeFileError, RowError
from geodata.forces import choose_forces
from geodata.io.archives import DEFAULT_LIMITS, ArchiveLimits, member_problem, traversal_problem

POLICE_UK_FILE = re.compile(
    r"(?:^|/)(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
"""How police.uk names the files of its folders and archives: month, force slug and kind."""

SKIPPED_KINDS = ("outcomes", "stop-and-search")
"""The other files of a police.uk download: outcomes (the same crimes' later outcomes) and
stop and search records. They are passed over, and counted so the summary can say so."""

PAIR_SEPARATOR = "\x1f"
"""Joins a longitude and a latitude into one key; never part of a number."""

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class StreetSource:
    """One street-level CSV: a file on disk, or a member of a zip archive (read within
    ``limits``)."""

    path: Path
    member: str | None = None
    limits: ArchiveLimits = DEFAULT_LIMITS

    @property
    def name(self) -> str:
        """The name used in every message and in the import ledger."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def force_slug(self) -> str | None:
        """The force slug of a police.uk file name (``cleveland`` of
        ``2025-10-cleveland-street.csv``), None for a CSV named otherwise."""
        return force_slug(self.name)

    def read_bytes(self) -> bytes | pa.Buffer:
        """The file's bytes; a file on disk is memory-mapped rather than copied."""
        if self.member is None:
            return pa.memory_map(str(self.path)).read_buffer()
        try:
            with zipfile.ZipFile(self.path) as archive:
                problem = member_problem(archive.getinfo(self.member), limits=self.limits)
                if problem:
                    raise CrimeFileError(f"{self.name}: not read: {problem}")
                return archive.read(self.member)
        except (zipfile.BadZipFile, zlib.error, OSError) as error:
            raise CrimeFileError(f"{self.name}: cannot read from the archive ({error})") from error

    def open(self) -> IO[bytes]:
        """The file's bytes as a stream, for reading a block at a time; a member of an
        archive is checked against ``limits`` first and decompressed as it is read."""
        try:
            if self.member is None:
                return self.path.open("rb")
            with zipfile.ZipFile(self.path) as archive:
                problem = member_problem(archive.getinfo(self.member), limits=self.limits)
                if problem:
                    raise CrimeFileError(f"{self.name}: not read: {problem}")
                # The member keeps the archive's file open after the archive is closed.
                return archive.open(self.member)
        except zipfile.BadZipFile as error:
            raise CrimeFileError(f"{self.name}: cannot read from the archive ({error})") from error
        except OSError as error:
            raise CrimeFileError(f"{self.name}: cannot read ({error.strerror})") from error


@dataclass(frozen=True, slots=True)
class StreetFile:
    """The rows of one source that passed validation, and the ones that did not.

    ``table`` keeps every police.uk column as text (blank is ``""``), with ``Crime type``
    mapped to its current label, plus ``line`` (the header is line 1), and ``longitude`` and
    ``latitude`` as floats (NaN when the record has no location).
    """

    source: str
    sha256: str
    rows_read: int
    table: pa.Table
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.table.num_rows


@dataclass(frozen=True, slots=True)
class StreetFiles:
    """What some paths hold: the street files to import and the files passed over.

    ``skipped`` counts the outcomes and stop-and-search files of the folders and archives by
    kind; ``left_out`` counts the street files of forces not chosen; ``forces`` are the
    force slugs of every street file found (chosen or not).
    """

    sources: list[StreetSource]
    skipped: dict[str, int]
    left_out: int = 0
    forces: tuple[str, ...] = ()


def force_slug(name: str) -> str | None:
    """The force slug of a police.uk file name or ``archive!member`` name, if it has one."""
    match = POLICE_UK_FILE.search(name.rsplit("!", 1)[-1].replace("\\", "/"))
    return match["force"] if match else None


def find_street_files(
    paths: Sequence[str | os.PathLike[str]], *, limits: ArchiveLimits = DEFAULT_LIMITS
) -> list[StreetSource]:
    """Every street-level CSV named by ``paths``, in a stable order; see
    :func:`discover_street_files`."""
    return discover_street_files(paths, limits=limits).sources


def discover_street_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    forces: Sequence[str] = (),
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> StreetFiles:
    """Every street-level CSV named by ``paths``, in a stable order, and what was passed over.

    A path may be a CSV file (taken whatever its name), a folder (searched recursively for
    police.uk's ``YYYY-MM-<force>-street.csv`` names) or a police.uk zip: the monthly
    all-forces archive or a custom download, one ``YYYY-MM/`` folder per month holding each
    force's street, outcomes and stop-and-search files. Street files are taken; outcomes
    and stop-and-search files are counted in ``skipped`` (they are not street records).
    A missing path, another kind of file, a broken zip, an archive with a member name
    leading outside it (``../``), or a folder or archive with no street files is an error
    naming the path. An archive member is read only within ``limits`` (its size and
    compression ratio are checked when it is read, so one oversized member fails alone).

    ``forces`` keeps only the street files of those forces, each given by slug or name
    (:func:`geodata.forces.choose_forces`); a force the files do not hold is refused with
    the forces they do hold, and so is a CSV whose name does not say its force.
    """
    sources: list[StreetSource] = []
    skipped = dict.fromkeys(SKIPPED_KINDS, 0)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*.csv"))
            found = _police_uk_files(names, skipped)
            if not found:
                raise CrimeFileError(
                    f"{path}: no police.uk street files (YYYY-MM-<force>-street.csv)"
                )
            sources.extend(StreetSource(path / name) for name in found)
        elif not path.exists():
            raise CrimeFileError(f"{path}: no such file or folder")
        elif path.suffix.lower() == ".zip":
            sources.extend(_archive_members(path, skipped, limits=limits))
        elif path.suffix.lower() == ".csv":
            sources.append(StreetSource(path))
        else:
            raise CrimeFileError(f"{path}: not a CSV file, a folder or a zip archive")
    held = tuple(sorted({s.force_slug for s in sources if s.force_slug}))
    if not forces:
        return StreetFiles(sources, skipped, forces=held)
    unnamed = [s.name for s in sources if s.force_slug is None]
    if unnamed:
        raise CrimeFileError(
            f"{unnamed[0]}: the file name does not say its force (police.uk names files "
            "YYYY-MM-<force>-street.csv), so forces cannot be chosen among these files"
        )
    chosen = choose_forces(forces, held)
    kept = [s for s in sources if s.force_slug in chosen]
    return StreetFiles(kept, skipped, left_out=len(sources) - len(kept), forces=held)


def _police_uk_files(names: Sequence[str], skipped: dict[str, int]) -> list[str]:
    """The street files among ``names``, counting the outcomes and stop-and-search files."""
    street: list[str] = []
    for name in names:
        match = POLICE_UK_FILE.search(name)
        if match is None:
            continue
        if match["kind"] == "street":
            street.append(name)
        else:
            skipped[match["kind"]] += 1
    return street


def _archive_members(
    path: Path, skipped: dict[str, int], *, limits: ArchiveLimits
) -> list[StreetSource]:
    try:
        with zipfile.ZipFile(path) as archive:
            traversal = traversal_problem(archive)
            names = sorted(archive.namelist())
    except zipfile.BadZipFile as error:
        raise CrimeFileError(f"{path}: not a readable zip archive ({error})") from error
    if traversal:
        raise CrimeFileError(f"{path}: {traversal}")
    found = _police_uk_files(names, skipped)
    if not found:
        raise CrimeFileError(f"{path}: the archive holds no police.uk street files")
    return [StreetSource(path, name, limits) for name in found]


def read_street_file(source: StreetSource) -> StreetFile:
    """Read and validate one source whole; see :func:`parse_street_csv`."""
    try:
        data = source.read_bytes()
    except OSError as error:
        raise CrimeFileError(f"{source.name}: cannot read ({error.strerror})") from error
    return parse_street_csv(data, source=source.name)


def parse_street_csv(data: bytes | pa.Buffer, *, source: str) -> StreetFile:
    """Parse police.uk street-level CSV bytes and check every row, as one table.

    The rows are read and checked by :class:`StreetStream`, one block at a time, and the
    blocks put together: the streaming import and this whole-file reading share every check.
    """
    stream = StreetStream(pa.BufferReader(data), source=source, block_size=WHOLE_FILE_BLOCK)
    batches = list(stream)
    return StreetFile(
        source=source,
        sha256=stream.sha256,
        rows_read=sum(batch.rows_read for batch in batches),
        table=pa.concat_tables(batch.table for batch in batches),
        errors=[error for batch in batches for error in batch.errors],
    )


READ_AHEAD_BLOCKS = 3
"""Blocks Arrow may read beyond the ones taken: one to finish a row cut by a block's end,
one parsing, one waiting."""

WAITING_READ_S = 0.1
"""Longest wait of a read at the gate while the caller waits for a batch."""

WHOLE_FILE_BLOCK = 1 << 24
"""Bytes per block when a file is read whole (Arrow's reader needs a block to hold a row)."""


@dataclass(frozen=True, slots=True)
class StreetBatch:
    """One block of a street file: the rows that passed validation, and the ones that did not.

    ``table`` has the columns of :class:`StreetFile`; ``rows_read`` counts the block's
    records (blank lines apart), so ``rows_read == table.num_rows + rows_rejected``.
    """

    table: pa.Table
    rows_read: int
    errors: list[RowError]

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.table.num_rows


class StreetStream:
    """A police.uk street-level CSV read and checked one block of about ``block_size``
    bytes at a time, so memory holds one block whatever the size of the file.

    Method
    ------
    The header must be police.uk's twelve columns in order; anything else is refused as a
    whole (``CrimeFileError`` on the first iteration), because a shifted column would
    silently corrupt every row. Arrow's streaming reader parses each block as text on one
    thread (so the numbers of rows with the wrong number of fields are known). Each check
    then runs once per *distinct* value of the block, not once per row, and the verdict is
    spread back to the rows:

    - ``Month`` is ``YYYY-MM``;
    - ``Crime type`` is one of the fourteen police.uk categories or a known older label;
    - ``Falls within`` is not blank (it names the force that publishes the row);
    - ``Longitude`` and ``Latitude`` are both blank (a record with no location, kept) or
      both numbers inside England and Wales.

    A row failing any check is rejected with one ``RowError`` per problem, naming its line
    in the file (the header is line 1; blank lines and skipped rows keep their place); every
    other row is kept. Identical rows are distinct incidents and are all kept. The SHA-256
    of the bytes is worked out as they are read: :attr:`sha256` once the stream is spent.
    """

    def __init__(self, raw: IO[bytes] | pa.NativeFile, *, source: str, block_size: int) -> None:
        self.source = source
        self._raw = raw
        self._block_size = max(block_size, 256)
        self._digest = hashlib.sha256()
        self._head = b""
        self._malformed: list[tuple[int, str]] = []
        self._spent = False
        self._gate = threading.Condition()
        self._blocks_read = 0
        self._blocks_taken = 0
        self._stopped = False
        self._caller_waits = False

    @property
    def sha256(self) -> str:
        """The SHA-256 of every byte of the file, known once every batch has been read."""
        if not self._spent:
            raise RuntimeError(f"{self.source}: the SHA-256 is known once the file is read")
        return self._digest.hexdigest()

    def read(self, size: int = -1) -> bytes:
        """The next bytes for Arrow's reader, hashed on the way (the header block first).

        Arrow reads ahead on its I/O threads, by default many blocks; a read waits here
        until the blocks already read are taken (``READ_AHEAD_BLOCKS``), so memory holds a
        few blocks whatever the size of the file. A block can yield no batch (all its rows
        malformed, or the header alone), so Arrow may need more blocks than that for the
        batch the caller is waiting for: while the caller waits, a read waits at most
        ``WAITING_READ_S`` (without that limit such a file hung the import).
        """
        with self._gate:
            while not self._stopped and self._blocks_read >= self._blocks_taken + READ_AHEAD_BLOCKS:
                waiting = self._caller_waits
                if not self._gate.wait(WAITING_READ_S if waiting else None) and waiting:
                    break
            if self._stopped:
                return b""
            self._blocks_read += 1
        if self._head:
            data, self._head = self._head, b""
            if size < 0 or size >= len(data):
                return data + self._read_raw(-1 if size < 0 else size - len(data))
            data, self._head = data[:size], data[size:]
            return data
        return self._read_raw(size)

    def _read_raw(self, size: int) -> bytes:
        try:
            data = bytes(self._raw.read(size) if size >= 0 else self._raw.read())
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            # A damaged archive member shows only as its bytes are inflated.
            raise CrimeFileError(
                f"{self.source}: cannot read from the archive ({error})"
            ) from error
        self._digest.update(data)
        return data

    @property
    def closed(self) -> bool:
        return False

    def __iter__(self) -> Iterator[StreetBatch]:
        self._head = self._read_raw(65536)
        _check_header(self._head, source=self.source)
        with self._waiting():
            reader = self._open()
        try:
            yield from self._batches(reader)
        finally:
            # Left early (an error while storing): free Arrow's waiting reads, then let its
            # threads finish before the file is closed under them.
            with self._gate:
                self._stopped = True
                self._gate.notify_all()
            reader.close()

    @contextmanager
    def _waiting(self) -> Iterator[None]:
        """The caller waits for Arrow: reads held at the gate may go on (see :meth:`read`)."""
        with self._gate:
            self._caller_waits = True
            self._gate.notify_all()
        try:
            yield
        finally:
            with self._gate:
                self._caller_waits = False

    def _batches(self, reader: pcsv.CSVStreamingReader) -> Iterator[StreetBatch]:
        records = 0  # records read so far, blank lines included
        reported = 0  # rows with the wrong number of fields already in a batch
        yielded = False
        while True:
            try:
                with self._waiting():
                    batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as error:
                raise CrimeFileError(f"{self.source}: not a readable CSV file ({error})") from error
            with self._gate:
                self._blocks_taken += 1
                self._gate.notify_all()
            table = pa.Table.from_batches([batch])
            lines = _record_lines(records, table.num_rows, self._malformed)
            records += table.num_rows
            # Arrow may have parsed the next block already: its skipped rows wait for it.
            last = int(lines[-1]) if len(lines) else 0
            ahead = reported
            while ahead < len(self._malformed) and self._malformed[ahead][0] <= last:
                ahead += 1
            malformed, reported = self._malformed[reported:ahead], ahead
            yield _check_block(table, lines, malformed, source=self.source)
            yielded = True
        self._spent = True
        if len(self._malformed) > reported or not yielded:
            empty = pa.Table.from_batches([], schema=reader.schema)
            lines = _record_lines(records, 0, [])
            yield _check_block(empty, lines, self._malformed[reported:], source=self.source)

    def _open(self) -> pcsv.CSVStreamingReader:
        def on_invalid_row(row: pcsv.InvalidRow) -> str:
            self._malformed.append(
                (
                    -1 if row.number is None else row.number,
                    f"has {row.actual_columns} fields, expected {row.expected_columns}",
                )
            )
            return "skip"

        try:
            return pcsv.open_csv(
                self,
                read_options=pcsv.ReadOptions(use_threads=False, block_size=self._block_size),
                parse_options=pcsv.ParseOptions(
                    invalid_row_handler=on_invalid_row, ignore_empty_lines=False
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(STREET_COLUMNS, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as error:
            raise CrimeFileError(f"{self.source}: not a readable CSV file ({error})") from error


def _check_block(
    table: pa.Table,
    lines: npt.NDArray[np.int64],
    malformed: list[tuple[int, str]],
    *,
    source: str,
) -> StreetBatch:
    """The checks of :class:`StreetStream` on one block of records."""
    blank = _blank_rows(table)
    rejected = np.zeros(table.num_rows, dtype=bool) if blank is None else blank.copy()
    errors: list[RowError] = [RowError(source, line, "", problem) for line, problem in malformed]

    month_bad = _check_distinct(
        table["Month"], lambda v: None if MONTH.match(v) else "is not YYYY-MM"
    )
    category, category_bad = _canonical_categories(table["Crime type"])
    force_bad = _check_distinct(
        table["Falls within"], lambda v: "is blank" if not v.strip() else None
    )
    longitude, latitude, coordinate_bad = _coordinates(table["Longitude"], table["Latitude"])
    checks = [
        ("Month", month_bad),
        ("Crime type", category_bad),
        ("Falls within", force_bad),
        ("Longitude", coordinate_bad),
    ]
    for column, (mask, problems) in checks:
        if blank is not None:
            mask &= ~blank
        rejected |= mask
        errors.extend(
            RowError(source, int(lines[row]), column, problems[int(row)])
            for row in np.flatnonzero(mask)
        )
    errors.sort(key=lambda error: error.line)

    table = table.set_column(table.schema.get_field_index("Crime type"), "Crime type", category)
    table = table.append_column("line", pa.array(lines, pa.int64()))
    table = table.append_column("longitude", pa.array(longitude))
    table = table.append_column("latitude", pa.array(latitude))
    return StreetBatch(
        table=table.filter(pa.array(~rejected)) if rejected.any() else table,
        rows_read=table.num_rows + len(malformed) - (0 if blank is None else int(blank.sum())),
        errors=errors,
    )


def _check_header(start: bytes, *, source: str) -> None:
    """Refuse a file whose first line is not police.uk's street header."""
    first = (
        start[: start.find(b"\n") % (len(start) + 1)].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    )
    if not first.strip():
        raise CrimeFileError(f"{source}: the file is empty")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CrimeFileError(f"{source}: not a CSV text file (line 1 is not UTF-8)") from error
    header = [name.removeprefix('"').removesuffix('"') for name in text.split(",")]
    if header != list(STREET_COLUMNS):
        missing = [c for c in STREET_COLUMNS if c not in header]
        extra = [c for c in header if c not in STREET_COLUMNS]
        detail = f"missing {missing}" if missing else ""
        detail += ("; " if detail and extra else "") + (f"unexpected {extra}" if extra else "")
        raise CrimeFileError(
            f"{source}: the header is not the police.uk street layout "
            f"({detail or 'columns out of order'}); expected {', '.join(STREET_COLUMNS)}"
        )


def _blank_rows(table: pa.Table) -> npt.NDArray[np.bool_] | None:
    """Rows that are blank lines, or None when there are none.

    Arrow reads blank lines as records so that later lines keep their numbers. A real row
    always has a month, so only the rows with a blank month are examined further.
    """
    blank = pc.equal(table["Month"], "")
    if not pc.any(blank).as_py():
        return None
    for column in STREET_COLUMNS:
        blank = pc.and_(blank, pc.equal(table[column], ""))
    return blank.to_numpy(zero_copy_only=False)


def _record_lines(first: int, rows: int, malformed: list[tuple[int, str]]) -> npt.NDArray[np.int64]:
    """File line of records ``first`` .. ``first + rows - 1`` (counted from 0).

    The header is line 1 and each skipped row keeps its line: record ``k`` is on line
    ``k + 2 + j``, ``j`` the skipped rows before it. With the skipped lines sorted, the
    ``i``-th of them (from 0) comes before record ``k`` exactly when ``line_i - i <= k + 2``,
    so ``j`` is a binary search (rows skipped after the block do not count).
    """
    records = np.arange(first + 2, first + rows + 2, dtype=np.int64)
    skipped = np.sort(np.fromiter((number for number, _ in malformed), dtype=np.int64))
    thresholds = skipped - np.arange(skipped.size, dtype=np.int64)
    return records + np.searchsorted(thresholds, records, side="right")


def _check_distinct(
    column: pa.ChunkedArray,
    problem_of: Callable[[str], str | None],
) -> tuple[npt.NDArray[np.bool_], dict[int, str]]:
    """Rows whose value fails ``problem_of``, and the message for each such row."""
    encoded = pc.dictionary_encode(column).combine_chunks()
    values = encoded.dictionary.to_pylist()
    problems = {i: problem_of(v) for i, v in enumerate(values)}
    bad = {i: f"value {values[i]!r} {p}" for i, p in problems.items() if p}
    return _spread(encoded.indices, bad)


def _spread(indices: pa.Array, bad: dict[int, str]) -> tuple[npt.NDArray[np.bool_], dict[int, str]]:
    codes = indices.to_numpy(zero_copy_only=False)
    mask = np.isin(codes, np.fromiter(bad, dtype=codes.dtype, count=len(bad)))
    return mask, {int(row): bad[int(codes[row])] for row in np.flatnonzero(mask)}


def _canonical_categories(
    column: pa.ChunkedArray,
) -> tuple[pa.Array, tuple[npt.NDArray[np.bool_], dict[int, str]]]:
    encoded = pc.dictionary_encode(column).combine_chunks()
    labels = [canonical_category(v) for v in encoded.dictionary.to_pylist()]
    bad = {
        i: f"value {v!r} is not a police.uk crime type (one of {len(CATEGORIES)} categories)"
        for i, (v, label) in enumerate(zip(encoded.dictionary.to_pylist(), labels, strict=True))
        if label is None
    }
    canonical = pc.take(pa.array([label or "" for label in labels], pa.string()), encoded.indices)
    return canonical, _spread(encoded.indices, bad)


def _coordinates(
    longitude: pa.ChunkedArray, latitude: pa.ChunkedArray
) -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.float64], tuple[npt.NDArray[np.bool_], dict[int, str]]
]:
    """Float coordinates (NaN when both are blank) and the rows whose pair is unusable.

    Each distinct pair is judged once: by Arrow's number parsing for a whole block when
    it reads every pair (the usual case), else one by one with Python's ``float``; both
    give the same correctly rounded numbers.
    """
    pairs = pc.dictionary_encode(
        pc.binary_join_element_wise(longitude, latitude, PAIR_SEPARATOR)
    ).combine_chunks()
    parsed = _parse_pairs(pairs.dictionary)
    x, y, bad = parsed if parsed is not None else _parse_pairs_one_by_one(pairs.dictionary)
    codes = pairs.indices.to_numpy(zero_copy_only=False)
    return x[codes], y[codes], _spread(pairs.indices, bad)


def _parse_pairs(
    distinct: pa.Array,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], dict[int, str]] | None:
    """The pairs parsed by Arrow, or None when Arrow cannot read one of them as a number
    (Python's ``float`` then judges each: it reads more forms, and names the problem)."""
    parts = pc.split_pattern(distinct, PAIR_SEPARATOR, max_splits=1)
    lon_text, lat_text = pc.list_element(parts, 0), pc.list_element(parts, 1)
    lon_blank = pc.equal(pc.ascii_trim_whitespace(lon_text), "").to_numpy(zero_copy_only=False)
    lat_blank = pc.equal(pc.ascii_trim_whitespace(lat_text), "").to_numpy(zero_copy_only=False)
    number = ~lon_blank & ~lat_blank
    if (lon_blank != lat_blank).any():
        return None  # one coordinate without the other: its message comes from float()
    try:
        x = pc.cast(pc.filter(lon_text, pa.array(number)), pa.float64()).to_numpy()
        y = pc.cast(pc.filter(lat_text, pa.array(number)), pa.float64()).to_numpy()
    except pa.ArrowInvalid:
        return None
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    inside = (min_x <= x) & (x <= max_x) & (min_y <= y) & (y <= max_y)
    xs, ys = np.full(len(distinct), np.nan), np.full(len(distinct), np.nan)
    rows = np.flatnonzero(number)
    xs[rows[inside]], ys[rows[inside]] = x[inside], y[inside]
    bad = {
        i: "coordinates ({}, {}) lie outside England and Wales".format(
            *distinct[i].as_py().split(PAIR_SEPARATOR, 1)
        )
        for i in rows[~inside].tolist()
    }
    return xs, ys, bad


def _parse_pairs_one_by_one(
    distinct: pa.Array,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], dict[int, str]]:
    values = distinct.to_pylist()
    x = np.full(len(values), np.nan)
    y = np.full(len(values), np.nan)
    bad: dict[int, str] = {}
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    for i, pair in enumerate(values):
        lon_text, lat_text = pair.split(PAIR_SEPARATOR, 1)
        if not lon_text.strip() and not lat_text.strip():
            continue
        try:
            lon, lat = float(lon_text), float(lat_text)
        except ValueError:
            bad[i] = f"coordinates ({lon_text!r}, {lat_text!r}) are not a pair of numbers"
            continue
        if not (min_x <= lon <= max_x and min_y <= lat <= max_y):
            bad[i] = f"coordinates ({lon_text}, {lat_text}) lie outside England and Wales"
            continue
        x[i], y[i] = lon, lat
    return x, y, bad
