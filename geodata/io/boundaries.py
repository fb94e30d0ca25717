"""Read ward boundary files (GeoJSON, GeoPackage, Shapefile, zipped Shapefile) into WGS84."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
from pyogrio.errors import DataLayerError, DataSourceError

from geodata.crs import WGS84
from geodata.errors import BoundaryError
from geodata.wards import SOURCE_COLUMN


def read_boundaries(
    paths: Sequence[str | os.PathLike[str]], *, crs: str | None = None
) -> gpd.GeoDataFrame:
    """Read one or more boundary files into a single frame in WGS84.

    Every file is read with pyogrio. A ``.zip`` is read as the one Shapefile inside it,
    through GDAL's ``/vsizip/`` path, so it need not be unpacked. Each file's own CRS is
    used to reproject it to WGS84 (:data:`geodata.crs.WGS84`) before the files are
    concatenated in the order given: a force area published as one file per local
    authority becomes one frame.

    Nothing is inferred about the fields or the geometries here; that is the job of
    :mod:`geodata.wards`, so that reading stays separate from checking.

    Parameters
    ----------
    paths
        Boundary files: GeoJSON, GeoPackage (one layer), Shapefile, or a zip holding
        one Shapefile.
    crs
        CRS to assume for files that declare none (a Shapefile without ``.prj``), as
        accepted by pyproj, e.g. ``"EPSG:27700"``. A file with its own CRS keeps it.
        Without this option a file with no CRS is refused: guessing would silently put
        wards in the wrong place.

    Returns
    -------
    geopandas.GeoDataFrame
        The features of every file with their original columns, plus ``source`` (the
        path of the file as given), with a fresh 0..n-1 index.

    Raises
    ------
    BoundaryError
        When a file is missing, unreadable, not spatial, empty, has several layers, has
        no CRS (and ``crs`` is not given), or is a zip without exactly one Shapefile.
        The message names the file.
    """
    if isinstance(paths, str | os.PathLike):
        raise TypeError("paths must be a sequence of file paths; wrap a single path in a list")
    if not paths:
        raise BoundaryError("no boundary files given")
    assumed_crs = _parse_crs(crs)
    frames = [_read_file(Path(path), assumed_crs=assumed_crs) for path in paths]
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


def _read_file(path: Path, *, assumed_crs: pyproj.CRS | None) -> gpd.GeoDataFrame:
    """Read one file, check it holds features with a CRS, and reproject it to WGS84."""
    source = str(path)
    if not path.is_file():
        raise BoundaryError(f"{source}: no such file")
    dataset = _zipped_shapefile(path) if path.suffix.lower() == ".zip" else source
    try:
        layers = pyogrio.list_layers(dataset)
        if len(layers) > 1:
            names = ", ".join(str(name) for name, _ in layers)
            raise BoundaryError(
                f"{source}: holds {len(layers)} layers ({names}); "
                "save the ward layer to a file of its own"
            )
        frame = pyogrio.read_dataframe(dataset)
    except (DataSourceError, DataLayerError) as error:
        raise BoundaryError(
            f"{source}: cannot be read as a boundary file (GeoJSON, GeoPackage, Shapefile "
            f"or zipped Shapefile): {error}"
        ) from error
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
    if frame.crs is None:
        if assumed_crs is None:
            raise BoundaryError(
                f"{source}: has no coordinate reference system; pass --crs with the CRS it "
                "is in, e.g. --crs EPSG:27700 for British National Grid"
            )
        frame = frame.set_crs(assumed_crs)
    frame = frame.to_crs(WGS84)
    frame[SOURCE_COLUMN] = source
    return frame


def _zipped_shapefile(path: Path) -> str:
    """Return the GDAL ``/vsizip/`` path of the one Shapefile inside a zip archive.

    macOS adds ``__MACOSX/._*.shp`` resource files to archives it creates; they are not
    Shapefiles and are ignored.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
    except zipfile.BadZipFile as error:
        raise BoundaryError(f"{path}: is not a valid zip archive ({error})") from error
    shapefiles = [
        member
        for member in members
        if member.lower().endswith(".shp") and not member.startswith("__MACOSX/")
    ]
    if not shapefiles:
        raise BoundaryError(f"{path}: the zip archive holds no Shapefile (.shp)")
    if len(shapefiles) > 1:
        raise BoundaryError(
            f"{path}: the zip archive holds {len(shapefiles)} Shapefiles "
            f"({', '.join(shapefiles)}); unzip it and pass the ward Shapefile"
        )
    return f"/vsizip/{path.resolve()}/{shapefiles[0]}"
