"""Reading police.uk street-level CSV files, folders and archives into validated Arrow tables."""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    """Read and validate one source; see :func:`parse_street_csv`."""
    try:
        data = source.read_bytes()
    except OSError as error:
        raise CrimeFileError(f"{source.name}: cannot read ({error.strerror})") from error
    return parse_street_csv(data, source=source.name)


def parse_street_csv(data: bytes | pa.Buffer, *, source: str) -> StreetFile:
    """Parse police.uk street-level CSV bytes and check every row.

    Method
    ------
    The header must be police.uk's twelve columns in order; anything else is refused as a
    whole, because a shifted column would silently corrupt every row. Rows are parsed by
    Arrow as text. Each check then runs once per *distinct* value, not once per row (a
    force-month has a dozen months, fourteen categories and a few thousand snap points
    against thousands of rows), and the verdict is spread back to the rows:

    - ``Month`` is ``YYYY-MM``;
    - ``Crime type`` is one of the fourteen police.uk categories or a known older label;
    - ``Falls within`` is not blank (it names the force that publishes the row);
    - ``Longitude`` and ``Latitude`` are both blank (a record with no location, kept) or
      both numbers inside England and Wales.

    A row failing any check is rejected with one ``RowError`` per problem; every other row
    is kept. Identical rows are distinct incidents and are all kept.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    table, malformed = _read_text_table(data, source=source)
    lines = _record_lines(table.num_rows, malformed)
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
    return StreetFile(
        source=source,
        sha256=sha256,
        rows_read=table.num_rows + len(malformed) - (0 if blank is None else int(blank.sum())),
        table=table.filter(pa.array(~rejected)) if rejected.any() else table,
        errors=errors,
    )


def _read_text_table(
    data: bytes | pa.Buffer, *, source: str
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """All columns as text, the header checked, and rows with the wrong number of fields."""
    header = _header(data, source=source)
    if header != list(STREET_COLUMNS):
        missing = [c for c in STREET_COLUMNS if c not in header]
        extra = [c for c in header if c not in STREET_COLUMNS]
        detail = f"missing {missing}" if missing else ""
        detail += ("; " if detail and extra else "") + (f"unexpected {extra}" if extra else "")
        raise CrimeFileError(
            f"{source}: the header is not the police.uk street layout "
            f"({detail or 'columns out of order'}); expected {', '.join(STREET_COLUMNS)}"
        )
    malformed: list[tuple[int, str]] = []

    def on_invalid_row(row: pcsv.InvalidRow) -> str:
        malformed.append(
            (
                -1 if row.number is None else row.number,
                f"has {row.actual_columns} fields, expected {row.expected_columns}",
            )
        )
        return "skip"

    def parse(use_threads: bool) -> pa.Table:
        malformed.clear()
        return pcsv.read_csv(
            pa.py_buffer(data) if isinstance(data, bytes) else data,
            read_options=pcsv.ReadOptions(use_threads=use_threads, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(
                invalid_row_handler=on_invalid_row, ignore_empty_lines=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(STREET_COLUMNS, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        table = parse(use_threads=True)
        if any(number < 0 for number, _ in malformed):
            table = parse(use_threads=False)  # row numbers are only known single-threaded
    except pa.ArrowInvalid as error:
        raise CrimeFileError(f"{source}: not a readable CSV file ({error})") from error
    return table, malformed


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


def _header(data: bytes | pa.Buffer, *, source: str) -> list[str]:
    start = bytes(memoryview(data)[:65536])
    first = (
        start[: start.find(b"\n") % (len(start) + 1)].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    )
    if not first.strip():
        raise CrimeFileError(f"{source}: the file is empty")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CrimeFileError(f"{source}: not a CSV text file (line 1 is not UTF-8)") from error
    return [name.removeprefix('"').removesuffix('"') for name in text.split(",")]


def _record_lines(rows: int, malformed: list[tuple[int, str]]) -> npt.NDArray[np.int64]:
    """File line of each parsed record: the header is line 1 and skipped rows keep their place."""
    lines = np.arange(2, rows + 2, dtype=np.int64)
    for number, _ in sorted(malformed):
        lines[lines >= number] += 1
    return lines


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
    """Float coordinates (NaN when both are blank) and the rows whose pair is unusable."""
    pairs = pc.dictionary_encode(
        pc.binary_join_element_wise(longitude, latitude, PAIR_SEPARATOR)
    ).combine_chunks()
    distinct = pairs.dictionary.to_pylist()
    x = np.full(len(distinct), np.nan)
    y = np.full(len(distinct), np.nan)
    bad: dict[int, str] = {}
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    for i, pair in enumerate(distinct):
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
    codes = pairs.indices.to_numpy(zero_copy_only=False)
    return x[codes], y[codes], _spread(pairs.indices, bad)
