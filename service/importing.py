"""Import runs: the geodata readers feeding the store, shared by the CLI and the demo."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa

from geodata.errors import (
    BoundaryError,
    ConcernFileError,
    CrimeFileError,
    PlanFileError,
    PopulationError,
    RowError,
)
from geodata.forces import force_of_slug
from geodata.io.archives import DEFAULT_LIMITS, ArchiveLimits
from geodata.io.boundaries import read_boundaries
from geodata.io.census import read_lsoa_population
from geodata.io.concerns import read_concerns_csv
from geodata.io.context import read_context
from geodata.io.plans import read_plans_csv, read_plans_json
from geodata.io.police_uk import (
    StreetSource,
    StreetStream,
    discover_street_files,
    force_slug,
)
from geodata.io.threat import read_threat_assessment
from geodata.population import CENSUS_YEAR, describe_method, lsoa_points, prepare_lsoas
from geodata.threat import band_counts
from geodata.wards import SOURCE_COLUMN, detect_ons_fields, prepare_wards
from service.store.concerns import (
    concern_tags,
    import_concerns,
    ward_codes,
)
from service.store.context import replace_context_source
from service.store.crime_import import CrimeImport, FileResult, crime_import
from service.store.imports import file_sha256, record_failed_import
from service.store.plans import import_plans, plan_references
from service.store.population import (
    list_local_authority_population,
    list_ward_population,
    replace_population,
)
from service.store.threat import list_assessments, store_assessment
from service.store.wards import latest_vintage, replace_boundary_set

Paths = Sequence[str | os.PathLike[str]]


def archive_limits(config: Mapping[str, Any]) -> ArchiveLimits:
    """The archive limits set by ``ARCHIVE_MEMBER_MAX_MB`` and ``ARCHIVE_MAX_RATIO``."""
    return ArchiveLimits(
        max_member_mb=int(config["ARCHIVE_MEMBER_MAX_MB"]),
        max_ratio=int(config["ARCHIVE_MAX_RATIO"]),
    )


def import_ward_files(
    engine: sa.Engine,
    paths: Paths,
    *,
    crs: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    vintage: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """Read, check, repair and store one boundary vintage from one or more files."""
    frame = read_boundaries(paths, crs=crs, limits=limits)
    with _naming_files(paths):
        fields = detect_ons_fields(
            frame.columns, code_field=code_field, name_field=name_field, vintage=vintage
        )
        wards, repairs = prepare_wards(frame, fields)
    counts = frame[SOURCE_COLUMN].value_counts()
    sources = [(str(p), file_sha256(Path(p)), int(counts.get(str(p), 0))) for p in paths]
    assignment = replace_boundary_set(engine, wards, sources=sources)
    return {
        "wards": len(wards),
        "vintage": fields.vintage,
        "local_authorities": {
            str(name): int(n) for name, n in wards["lad_name"].value_counts().sort_index().items()
        },
        "repaired": len(repairs),
        "repairs": [
            {
                "ward": r.label,
                "reason": r.reason,
                "area_before_km2": r.area_before_km2,
                "area_after_km2": r.area_after_km2,
            }
            for r in repairs
        ],
        **assignment,
    }


@dataclass
class CrimeImportSummary:
    """Totals over every file of one run; ``rows_read == rows_stored + rows_rejected``,
    overall and for each force.

    ``skipped`` counts the outcomes and stop-and-search files passed over by kind, and
    ``left_out`` the street files of forces not chosen (see
    :func:`geodata.io.police_uk.discover_street_files`).
    """

    files: list[FileResult] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    left_out: int = 0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            **_totals(self.files),
            "months": sorted({m for f in self.files for m in f.months}),
            "forces": sorted({x for f in self.files for x in f.forces}),
            "rows_written": sum(f.rows_written for f in self.files),
            "unchanged_files": sum(f.status == "unchanged" for f in self.files),
            "failed_files": [{"source": f.source, "message": f.message} for f in self.failed],
            "by_force": self.by_force(),
            "skipped_files": {kind: n for kind, n in self.skipped.items() if n},
            "left_out_files": self.left_out,
            "note": self.note(),
            "rejected": [asdict(e) for f in self.files for e in f.errors],
            "rejected_not_listed": sum(f.errors_not_listed for f in self.files),
        }

    def by_force(self) -> list[dict[str, Any]]:
        """The row counts of each force, in name order.

        A file belongs to the force its police.uk name gives (``2025-10-cleveland-street.csv``
        is Cleveland Police), so a file that failed, or whose rows were all rejected, still
        counts under its force; a file named otherwise belongs to the force its rows name.
        Rejected rows count under their file's force, since a rejected row's own ``Falls
        within`` may be the very fault. Each force's counts are sums over its files, so
        ``rows_read == rows_stored + rows_rejected`` holds for each force as for each file.
        """
        groups: dict[tuple[str | None, tuple[str, ...]], list[FileResult]] = {}
        for result in self.files:
            slug = force_slug(result.source)
            key = (slug, ()) if slug else (None, tuple(result.forces))
            groups.setdefault(key, []).append(result)
        forces = [
            {
                "force": _force_label(slug, results),
                "slug": slug,
                "files": len(results),
                "failed_files": sum(r.status == "failed" for r in results),
                "months": sorted({m for r in results for m in r.months}),
                **_totals(results),
            }
            for (slug, _), results in groups.items()
        ]
        return sorted(forces, key=lambda force: force["force"])

    def note(self) -> str | None:
        """The files passed over, in a sentence, or None when every file found was imported."""
        parts = [
            f"{n:,} {kind} file{'s' if n != 1 else ''}" for kind, n in self.skipped.items() if n
        ]
        said = []
        if parts:
            said.append(f"skipped {' and '.join(parts)}: Ward Profiles imports street files")
        if self.left_out:
            plural = "s" if self.left_out != 1 else ""
            said.append(f"left out {self.left_out:,} street file{plural} of forces not chosen")
        return "; ".join(said) or None


CONSERVED = (
    "rows_read",
    "rows_stored",
    "rows_rejected",
    "assigned",
    "outside_wards",
    "no_location",
)
"""The row counts of a file that add up over files and forces."""


def _totals(results: Sequence[FileResult]) -> dict[str, int]:
    return {name: sum(getattr(r, name) for r in results) for name in CONSERVED}


def _force_label(slug: str | None, results: Sequence[FileResult]) -> str:
    """A force's name: police.uk's name for the slug, else the names its rows give, else
    the slug."""
    force = force_of_slug(slug) if slug else None
    if force is not None:
        return force.name
    return " / ".join(sorted({x for r in results for x in r.forces})) or slug or "(not known)"


DEFAULT_IMPORT_MEMORY_MB = 512
"""The default of ``IMPORT_MEMORY_MB``: the memory a crime import may hold rows in."""


def import_crime_paths(
    engine: sa.Engine,
    paths: Paths,
    *,
    vintage: str | None = None,
    each: Callable[[StreetSource], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_rejected: Callable[[Sequence[RowError]], None] | None = None,
    memory_mb: int = DEFAULT_IMPORT_MEMORY_MB,
    block_size: int | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    forces: Sequence[str] = (),
) -> CrimeImportSummary:
    """Import every street file under ``paths`` in one transaction, a block at a time.

    Memory holds about ``memory_mb`` of rows in flight whatever the size of a file (see
    :func:`block_bytes`); the next block is read, checked and encoded on a second thread
    while this one is stored. A file that cannot be read at all is recorded as failed and
    nothing of it is stored; the other files are stored. ``each`` is called after every
    file, and ``progress`` with the rows read after every block (a progress bar); ``on_rejected``
    receives every rejected row (the summary lists the first of each file). ``block_size``
    (bytes of CSV text per block) overrides the one worked out from ``memory_mb``: the tests
    make it small so that a few rows cross the edges between blocks. ``forces`` keeps only
    the files of those forces (slugs or names).
    """
    found = discover_street_files(paths, forces=forces, limits=limits)
    sources = found.sources
    summary = CrimeImportSummary(skipped=found.skipped, left_out=found.left_out)
    block_size = block_size or block_bytes(memory_mb)
    with crime_import(engine, vintage=vintage, on_rejected=on_rejected) as run:
        for source in sources:
            summary.files.append(
                _import_street_source(run, source, block_size=block_size, progress=progress)
            )
            if each:
                each(source)
    return summary


BLOCK_SHARE = 32
"""How many blocks of CSV text fit in the import's memory budget.

Measured on the synthetic benchmark file: a block of text in flight becomes its Arrow
columns, the checked copy, the encoded incidents and the grouped aggregates, on two
threads (one reading ahead), and the process's own libraries, ward shapes and place ids
come on top: about twenty times the block at peak.
"""


def block_bytes(memory_mb: int) -> int:
    """The bytes of CSV text read per block for an import allowed ``memory_mb``."""
    return max((memory_mb << 20) // BLOCK_SHARE, 1 << 12)


def _import_street_source(
    run: CrimeImport,
    source: StreetSource,
    *,
    block_size: int,
    progress: Callable[[int], None] | None,
) -> FileResult:
    """Stream one street file into the run; an unreadable file is recorded as failed."""
    try:
        raw = source.open()
    except CrimeFileError as error:
        return run.fail(source.name, None, str(error))
    with raw:
        stream = StreetStream(raw, source=source.name, block_size=block_size)
        return run.add_batches(
            source.name,
            stream,
            sha256=lambda: stream.sha256,
            first_pass=lambda: _source_sha256(source),
            progress=progress,
        )


def _source_sha256(source: StreetSource) -> str:
    digest = hashlib.sha256()
    with source.open() as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def rejected_rows_csv(
    path: Path | None,
) -> Iterator[Callable[[Sequence[RowError]], None] | None]:
    """A receiver writing rejected rows to a CSV (file, line, column, problem) as they
    come, or None when no ``path`` is given."""
    if path is None:
        yield None
        return
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "line", "column", "problem"])
        yield lambda errors: writer.writerows(
            (e.source, e.line, e.column, e.problem) for e in errors
        )


def import_concern_file(
    engine: sa.Engine, path: str | os.PathLike[str], *, today: date | None = None
) -> dict[str, Any]:
    """Read, check and store a community concerns CSV in one transaction.

    Rows are checked by ``geodata.concerns.read_concerns_csv`` against the wards of the latest
    boundary vintage and the shipped theme tags (and ``today``, default the computer's date,
    for dates in the future); rejected rows are returned with file, line and reason, and every
    other row is stored, so ``rows_read == rows_stored + rows_rejected``. The same file
    offered again adds nothing (``unchanged``). A file that cannot be read at all (missing,
    not CSV, a header lacking a column) raises ``ConcernFileError``: nothing of it is stored,
    and an existing file is put in the ledger as failed.
    """
    source = str(path)
    vintage = latest_vintage(engine)
    if vintage is None:
        raise ConcernFileError(f"{source}: no ward boundaries are stored; run import-wards first")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ConcernFileError(f"{source}: cannot be read ({error.strerror})") from error
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        concerns, errors = read_concerns_csv(
            data,
            source=source,
            wards=ward_codes(engine, vintage=vintage),
            tags=concern_tags(),
            today=today,
        )
    except ConcernFileError as error:
        record_failed_import(
            engine, kind="concerns", source=source, sha256=sha256, message=str(error)
        )
        raise
    rejected = _rejected_rows(errors)
    stored = import_concerns(
        engine,
        concerns,
        source=source,
        sha256=sha256,
        rows_read=len(concerns) + rejected,
        rows_rejected=rejected,
    )
    summary = _file_summary(source, sha256, stored, len(concerns), rejected, errors)
    return {"vintage": vintage, **summary}


def import_plan_file(engine: sa.Engine, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read, check and store problem-solving plans from a CSV or JSON file in one transaction.

    The format follows the file name (``.csv`` or ``.json``). Plans are checked by
    ``geodata.plans.read_plans_csv`` / ``read_plans_json`` against the wards of the latest
    boundary vintage and the stored concerns; rejected plans are returned with file, line
    (a JSON plan's number) and reason, and every other plan is stored, so ``rows_read ==
    rows_stored + rows_rejected``. The same file offered again adds nothing
    (``unchanged``). A file that cannot be read at all (missing, another format, a CSV
    header lacking a column, JSON that is not a list of plans) raises ``PlanFileError``:
    nothing of it is stored, and an existing file is put in the ledger as failed.
    """
    source = str(path)
    suffix = Path(path).suffix.casefold()
    if suffix not in (".csv", ".json"):
        raise PlanFileError(f"{source}: give a .csv or .json file of plans, not {suffix!r}")
    if latest_vintage(engine) is None:
        raise PlanFileError(f"{source}: no ward boundaries are stored; run import-wards first")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise PlanFileError(f"{source}: cannot be read ({error.strerror})") from error
    sha256 = hashlib.sha256(data).hexdigest()
    wards, concern_ids = plan_references(engine)
    read = read_plans_json if suffix == ".json" else read_plans_csv
    try:
        plans, errors = read(data, source=source, wards=wards, concern_ids=concern_ids)
    except PlanFileError as error:
        record_failed_import(engine, kind="plans", source=source, sha256=sha256, message=str(error))
        raise
    rejected = _rejected_rows(errors)
    stored = import_plans(
        engine,
        plans,
        source=source,
        sha256=sha256,
        rows_read=len(plans) + rejected,
        rows_rejected=rejected,
    )
    return _file_summary(source, sha256, stored, len(plans), rejected, errors)


def import_population_files(
    engine: sa.Engine,
    *,
    population: str | os.PathLike[str],
    lsoa_boundaries: Paths,
    census_year: int = CENSUS_YEAR,
    code_field: str | None = None,
    count_field: str | None = None,
    lsoa_code_field: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """Store census population by LSOA, placed in wards by best fit, in one transaction.

    The population file gives each LSOA's residents; the LSOA boundary files give each
    LSOA's point-on-surface (``geodata.population.lsoa_points``); the two are matched by
    LSOA code. An LSOA of the population file without a boundary is still stored (its
    residents count in no ward) and listed in ``missing_boundaries``; a boundary without
    population is listed in ``missing_population``. Nothing is dropped unreported.
    """
    counts, errors = read_lsoa_population(
        population, code_field=code_field, count_field=count_field
    )
    if counts.empty:
        raise PopulationError(
            f"{population}: holds no usable population rows ({len(errors)} rejected)"
        )
    boundaries = read_boundaries(lsoa_boundaries, limits=limits)
    with _naming_files(lsoa_boundaries):
        lsoas, repairs = prepare_lsoas(boundaries, code_field=lsoa_code_field)
    points = lsoa_points(lsoas).assign(
        boundary_name=lsoas["name"].to_numpy(),
        boundary=list(shapely.to_wkb(np.asarray(lsoas.geometry.values))),
    )
    frame = counts.merge(points, on="lsoa_code", how="left")
    frame["lsoa_name"] = frame["lsoa_name"].where(
        frame["lsoa_name"] != "", frame["boundary_name"].fillna("")
    )
    with_population = set(counts["lsoa_code"])
    with_boundary = set(points["lsoa_code"])
    features = boundaries[SOURCE_COLUMN].value_counts()
    assignment = replace_population(
        engine,
        frame,
        census_year=census_year,
        source=str(population),
        sha256=file_sha256(Path(population)),
        rows_read=int(counts["rows"].sum()) + len(errors),
        rows_rejected=len(errors),
        boundary_sources=[
            (str(p), file_sha256(Path(p)), int(features.get(str(p), 0))) for p in lsoa_boundaries
        ],
    )
    return {
        "lsoas": len(frame),
        "residents": int(frame["residents"].sum()),
        "census_year": census_year,
        "method": describe_method(census_year=census_year),
        "rows_rejected": len(errors),
        "rejected": [
            {"source": e.source, "line": e.line, "column": e.column, "problem": e.problem}
            for e in errors
        ],
        "repaired": len(repairs),
        "repairs": [
            {
                "lsoa": r.label,
                "reason": r.reason,
                "area_before_km2": r.area_before_km2,
                "area_after_km2": r.area_after_km2,
            }
            for r in repairs
        ],
        "missing_boundaries": sorted(with_population - with_boundary),
        "missing_population": sorted(with_boundary - with_population),
        "wards_with_population": {
            vintage: len(list_ward_population(engine, vintage=vintage)) for vintage in assignment
        },
        "lsoas_outside_wards": {
            vintage: assigned["lsoas_outside"] for vintage, assigned in assignment.items()
        },
        "by_local_authority": {
            vintage: list_local_authority_population(engine, vintage=vintage)
            for vintage in assignment
        },
    }


def import_threat_file(
    engine: sa.Engine,
    path: str | os.PathLike[str],
    *,
    known_tags: Collection[str] | None = None,
    title: str | None = None,
    force: str | None = None,
    assessed_on: date | None = None,
) -> dict[str, Any]:
    """Read, check and store a force threat assessment as a new version, the active one.

    The file is refused whole (``ThreatFileError``, nothing stored) when any field is wrong;
    the active version's file offered again is ``unchanged`` and adds no version.
    """
    assessment = read_threat_assessment(
        path, known_tags=known_tags, title=title, force=force, assessed_on=assessed_on
    )
    previous = next((v["id"] for v in list_assessments(engine) if v["active"]), None)
    assessment_id = store_assessment(engine, assessment, sha256=file_sha256(Path(path)))
    stored = next(v for v in list_assessments(engine) if v["id"] == assessment_id)
    return {
        "assessment_id": assessment_id,
        "version": stored["version"],
        "title": assessment.title,
        "themes": len(assessment.themes),
        "bands": band_counts(assessment.themes),
        "example": assessment.is_example,
        "unchanged": assessment_id == previous,
        "active_since": stored["imported_at"],
    }


@contextmanager
def _naming_files(paths: Paths) -> Iterator[None]:
    """Name the boundary files in a refusal that names none of them: a missing code field
    or an unknown ``--code-field`` is a fault of the files, not of one feature."""
    try:
        yield
    except BoundaryError as error:
        names = [str(path) for path in paths]
        if any(name in str(error) for name in names):
            raise
        raise BoundaryError(f"{', '.join(names)}: {error}") from error


def _rejected_rows(errors: list[RowError]) -> int:
    """The rows ``errors`` reject: a row with several problems counts once."""
    return len({error.line for error in errors})


def _file_summary(
    source: str,
    sha256: str,
    stored: dict[str, Any],
    kept: int,
    rejected: int,
    errors: list[RowError],
) -> dict[str, Any]:
    """What one file's import did: ``rows_read == rows_stored + rows_rejected``, every
    problem listed."""
    return {
        "source": source,
        "sha256": sha256,
        "status": stored["status"],
        "import_id": stored["import_id"],
        "rows_read": kept + rejected,
        "rows_stored": kept,
        "rows_rejected": rejected,
        "added": stored["added"],
        "rejected": [asdict(error) for error in errors],
    }


def import_context_file(
    engine: sa.Engine,
    path: str | os.PathLike[str],
    *,
    attribution: str,
    licence: str,
    crs: str | None = None,
    name_field: str | None = None,
    ref_field: str | None = None,
) -> dict[str, Any]:
    """Store the roads and places of one map context file with its attribution and licence.

    The file replaces an earlier one of the same file name (a newer extract); the same file
    again changes nothing. Rows it cannot use are listed, never stored.
    """
    if not attribution.strip():
        raise ValueError("attribution: say whom every map must credit for these roads")
    if not licence.strip():
        raise ValueError("licence: name the licence the file is published under")
    frame, errors = read_context(path, crs=crs, name_field=name_field, ref_field=ref_field)
    result = replace_context_source(
        engine,
        frame,
        name=Path(path).name,
        source=str(path),
        sha256=file_sha256(Path(path)),
        attribution=attribution.strip(),
        licence=licence.strip(),
        rows_read=len(frame) + len(errors),
    )
    return result | {
        "rows_rejected": len(errors),
        "rejected": [
            {"source": e.source, "line": e.line, "column": e.column, "problem": e.problem}
            for e in errors
        ],
    }
