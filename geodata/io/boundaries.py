"""Read ward and LSOA boundary files (GeoJSON, GeoPackage, Shapefile, zipped Shapefile)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
from pyogrio.errors import DataLayerError, DataSourceError

from geodata.crs import ENGLAND_WALES_BOUNDS, WGS84
from geodata.errors import BoundaryError
from geodata.io.archives import DEFAULT_LIMITS, ArchiveLimits, member_problem, traversal_problem
from geodata.wards import SOURCE_COLUMN

GEOJSON, GPKG, SHAPEFILE = "GeoJSON", "GPKG", "ESRI Shapefile"
"""The only GDAL drivers a boundary file is opened with."""

FORMATS: dict[str, str] = {
    ".geojson": GEOJSON,
    ".json": GEOJSON,
    ".gpkg": GPKG,
    ".shp": SHAPEFILE,
    ".zip": SHAPEFILE,
}
"""File name endings read, and the driver each must open with."""

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
"""The files of one Shapefile copied for GDAL: geometry, index, attributes, CRS, encoding."""

_TABLES = (".csv", ".tsv", ".txt", ".xlsx", ".ods")
_GEOJSON_CRS = re.compile(rb'"crs"\s*:\s*\{')
_SQLITE = b"SQLite format 3\x00"
_GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
_SHAPEFILE_CODE = b"\x00\x00\x27\x0a"
_MAX_LISTED = 5


def read_boundaries(
    paths: Sequence[str | os.PathLike[str]],
    *,
    crs: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> gpd.GeoDataFrame:
    """Read one or more boundary files into a single frame in WGS84.

    A boundary file names wards every user sees, so GDAL is never let near anything but
    the file itself. The format is chosen by the file name (:data:`FORMATS`); the bytes are
    copied into a private temporary folder (a Shapefile with its ``.shx``, ``.dbf``,
    ``.prj`` and ``.cpg``; a ``.zip`` unpacked by Python, its one Shapefile only, each
    member checked against ``limits`` before it is read); the copy must start as its format
    does (GeoJSON ``{``, a GeoPackage's SQLite header and application id, a Shapefile's
    file code), and it is opened by pyogrio, with no open options, only if GDAL reads it
    with the driver meant. So a GDAL VRT (or any other format) saved as ``.geojson`` is
    refused before GDAL sees it, and can read no other file and fetch no URL; ``/vsi...``
    paths and URLs are refused by name.

    Each file's CRS is used to reproject it to WGS84 (:data:`geodata.crs.WGS84`) before the
    files are concatenated in the order given: a force area published as one file per
    local authority becomes one frame. Every feature must then lie in England and Wales
    (:data:`geodata.crs.ENGLAND_WALES_BOUNDS`, the check the crime import makes of every
    record), which catches swapped longitude and latitude and metres read as degrees.

    Nothing is inferred about the fields here; that is the job of :mod:`geodata.wards`,
    so that reading stays separate from checking.

    Parameters
    ----------
    paths
        Boundary files: GeoJSON, GeoPackage (one layer), Shapefile, or a zip holding
        one Shapefile.
    crs
        CRS of files that declare none, as accepted by pyproj, e.g. ``"EPSG:27700"``: a
        Shapefile without ``.prj``, a GeoPackage layer without a CRS, or a GeoJSON without
        a ``crs`` member (which is otherwise WGS84, as RFC 7946 says). A file declaring
        its CRS keeps it. Without this option a Shapefile or GeoPackage with no CRS is
        refused: guessing would silently put wards in the wrong place.
    limits
        The largest size and compression ratio of a member of a zip archive.

    Returns
    -------
    geopandas.GeoDataFrame
        The features of every file with their original columns, plus ``source`` (the
        path of the file as given), with a fresh 0..n-1 index.

    Raises
    ------
    BoundaryError
        When a file is missing, of another format (whatever its name), unreadable, not
        spatial, empty, has several layers, has no CRS (and ``crs`` is not given), lies
        outside England and Wales, or is a zip without exactly one Shapefile or with an
        unsafe member. The message names the file.
    """
    if isinstance(paths, str | os.PathLike):
        raise TypeError("paths must be a sequence of file paths; wrap a single path in a list")
    if not paths:
        raise BoundaryError("no boundary files given")
    assumed_crs = _parse_crs(crs)
    frames = [_read_file(Path(path), assumed_crs=assumed_crs, limits=limits) for path in paths]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)


def _parse_crs(crs: str | None) -> pyproj.CRS | None:
    """Check the ``crs`` option once, before any file is read."""
    if crs is None:
        return None
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as error:
        raise BoundaryError(
            f"--crs {crs!r} is not a coordinate reference system pyproj recognises; "
            "give an authority code such as EPSG:27700"
        ) from error


def _read_file(
    path: Path, *, assumed_crs: pyproj.CRS | None, limits: ArchiveLimits
) -> gpd.GeoDataFrame:
    """Read one file, check it holds features with a CRS, and reproject it to WGS84."""
    source = str(path)
    driver = _driver(path)
    if not path.is_file():
        raise BoundaryError(f"{source}: no such file")
    with tempfile.TemporaryDirectory(prefix="boundaries-") as folder:
        copy = _private_copy(path, driver, Path(folder), limits=limits)
        declares_crs = _check_signature(copy, driver, source=source)
        frame = _open(copy, driver, source=source)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise BoundaryError(
            f"{source}: has no geometry, so it holds no boundaries (a table such as a CSV "
            "cannot be used)"
        )
    if frame.empty:
        raise BoundaryError(f"{source}: contains no features")
    if SOURCE_COLUMN in frame.columns:
        raise BoundaryError(
            f"{source}: already has a column named {SOURCE_COLUMN!r}, which is reserved for "
            "the name of the file each feature came from; rename it"
        )
    if frame.crs is None or not declares_crs:
        if assumed_crs is not None:
            frame = frame.set_crs(assumed_crs, allow_override=True)
        elif frame.crs is None:
            raise BoundaryError(
                f"{source}: has no coordinate reference system; pass --crs with the CRS it "
                "is in, e.g. --crs EPSG:27700 for British National Grid"
            )
    frame = frame.to_crs(WGS84)
    _check_extent(frame, source=source)
    frame[SOURCE_COLUMN] = source
    return frame


def _driver(path: Path) -> str:
    """The driver a file's name calls for; a GDAL path, a URL or another format is refused."""
    source = str(path)
    if source.startswith("/vsi") or "://" in source:
        raise BoundaryError(
            f"{source}: GDAL virtual file paths (/vsi...) and URLs are not read; give a "
            "boundary file on this computer"
        )
    suffix = path.suffix.lower()
    if suffix in _TABLES:
        raise BoundaryError(
            f"{source}: has no geometry, so it holds no boundaries (a table such as a CSV "
            "cannot be used)"
        )
    if suffix not in FORMATS:
        raise BoundaryError(
            f"{source}: cannot be read as a boundary file: give a GeoJSON (.geojson, .json), "
            f"GeoPackage (.gpkg), Shapefile (.shp) or zipped Shapefile (.zip), not {suffix!r}"
        )
    return FORMATS[suffix]


def _private_copy(path: Path, driver: str, folder: Path, *, limits: ArchiveLimits) -> Path:
    """Copy the file (a Shapefile with its parts, a zip's one Shapefile) into ``folder``."""
    if path.suffix.lower() == ".zip":
        return _unzip_shapefile(path, folder, limits=limits)
    if driver != SHAPEFILE:
        copy = folder / f"boundaries{path.suffix.lower()}"
        shutil.copyfile(path, copy)
        return copy
    for part in path.parent.iterdir():
        if part.stem == path.stem and part.suffix.lower() in SHAPEFILE_PARTS and part.is_file():
            shutil.copyfile(part, folder / f"boundaries{part.suffix.lower()}")
    return folder / "boundaries.shp"


def _unzip_shapefile(path: Path, folder: Path, *, limits: ArchiveLimits) -> Path:
    """Unpack the one Shapefile of a zip archive (its parts only) into ``folder``.

    macOS adds ``__MACOSX/._*.shp`` resource files to archives it creates; they are not
    Shapefiles and are ignored. Every other member is left unread.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            traversal = traversal_problem(archive)
            if traversal:
                raise BoundaryError(f"{path}: {traversal}")
            members = [m for m in archive.infolist() if not m.filename.startswith("__MACOSX/")]
            shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
            if not shapefiles:
                raise BoundaryError(f"{path}: the zip archive holds no Shapefile (.shp)")
            if len(shapefiles) > 1:
                raise BoundaryError(
                    f"{path}: the zip archive holds {len(shapefiles)} Shapefiles "
                    f"({', '.join(shapefiles)}); unzip it and pass the ward Shapefile"
                )
            stem = PurePosixPath(shapefiles[0]).with_suffix("")
            for member in members:
                name = PurePosixPath(member.filename)
                suffix = name.suffix.lower()
                if name.with_suffix("") != stem or suffix not in SHAPEFILE_PARTS:
                    continue
                problem = member_problem(member, limits=limits)
                if problem:
                    raise BoundaryError(f"{path}: not read: {problem}")
                with (
                    archive.open(member) as part,
                    open(folder / f"boundaries{suffix}", "wb") as out,
                ):
                    shutil.copyfileobj(part, out)
    except (zipfile.BadZipFile, OSError) as error:
        raise BoundaryError(f"{path}: is not a valid zip archive ({error})") from error
    return folder / "boundaries.shp"


def _check_signature(copy: Path, driver: str, *, source: str) -> bool:
    """Refuse a copy whose first bytes are not its format's; return whether it declares its
    CRS (a GeoJSON declares one only with a ``crs`` member; the other formats always say)."""
    with open(copy, "rb") as file:
        head = file.read(100)
    if driver == GEOJSON:
        ok = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"
        expected = "a JSON object starting with '{'"
    elif driver == GPKG:
        ok = head.startswith(_SQLITE) and head[68:72] in _GPKG_APPLICATION_IDS
        expected = "an SQLite database with the GeoPackage application id"
    else:
        ok = head.startswith(_SHAPEFILE_CODE)
        expected = "a Shapefile (.shp) starting with the file code 9994"
    if not ok:
        raise BoundaryError(
            f"{source}: cannot be read as a boundary file (GeoJSON, GeoPackage, Shapefile or "
            f"zipped Shapefile): its name says {driver}, but it is not {expected}; another "
            "format under a boundary file's name (such as a GDAL VRT) is refused"
        )
    return driver != GEOJSON or _GEOJSON_CRS.search(copy.read_bytes()) is not None


def _open(copy: Path, driver: str, *, source: str) -> gpd.GeoDataFrame:
    """Read the one layer of the copy, only when GDAL opens it with ``driver``."""
    try:
        layers = pyogrio.list_layers(copy)
        if len(layers) > 1:
            names = ", ".join(str(name) for name, _ in layers)
            raise BoundaryError(
                f"{source}: holds {len(layers)} layers ({names}); "
                "save the ward layer to a file of its own"
            )
        found = pyogrio.read_info(copy)["driver"]
        if found != driver:
            raise BoundaryError(
                f"{source}: GDAL reads it as {found}, not {driver}; only GeoJSON, GeoPackage "
                "and Shapefile boundary files are read"
            )
        frame = pyogrio.read_dataframe(copy)
    except (DataSourceError, DataLayerError) as error:
        message = str(error).replace(str(copy), "the file")
        raise BoundaryError(
            f"{source}: cannot be read as a boundary file (GeoJSON, GeoPackage, Shapefile "
            f"or zipped Shapefile): {message}"
        ) from error
    return frame


def _check_extent(frame: gpd.GeoDataFrame, *, source: str) -> None:
    """Refuse the file when any feature (in WGS84) reaches outside England and Wales,
    saying when longitude and latitude look swapped or the numbers look like metres."""
    bounds = frame.geometry.bounds.to_numpy()
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS

    def inside(b: np.ndarray) -> np.ndarray:
        return (b[:, 0] >= min_x) & (b[:, 1] >= min_y) & (b[:, 2] <= max_x) & (b[:, 3] <= max_y)

    present = frame.geometry.notna().to_numpy() & ~frame.geometry.is_empty.to_numpy()
    outside = np.flatnonzero(present & ~inside(bounds))
    if not len(outside):
        return
    swapped = bounds[outside][:, [1, 0, 3, 2]]
    if inside(swapped).all():
        hint = "longitude and latitude look swapped"
    elif np.abs(bounds[outside]).max() > 180:
        hint = (
            "the numbers look like metres, not degrees: pass --crs with the CRS they are in, "
            "e.g. --crs EPSG:27700 for British National Grid"
        )
    else:
        hint = "check the coordinate reference system"
    listed = ", ".join(
        f"feature {i} (longitude {bounds[i, 0]:.6g} to {bounds[i, 2]:.6g}, latitude "
        f"{bounds[i, 1]:.6g} to {bounds[i, 3]:.6g})"
        for i in outside[:_MAX_LISTED]
    )
    more = f" and {len(outside) - _MAX_LISTED} more" if len(outside) > _MAX_LISTED else ""
    raise BoundaryError(
        f"{source}: {len(outside)} of {len(frame)} features lie outside England and Wales "
        f"(longitude {min_x} to {max_x}, latitude {min_y} to {max_y}): {listed}{more}; {hint}"
    )
