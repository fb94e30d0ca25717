"""Read a map context file (roads and place names: GeoJSON, GeoPackage or Shapefile) into
rows of :data:`geodata.context.CONTEXT_COLUMNS` in WGS84, with the rows it cannot use."""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd

from geodata.context import CONTEXT_COLUMNS, NAME_FIELDS, PLACE, REF_FIELDS, ROAD
from geodata.crs import WGS84
from geodata.errors import BoundaryError, ContextError, RowError
from geodata.io.boundaries import read_boundaries

_KIND_OF = {
    "LineString": ROAD,
    "MultiLineString": ROAD,
    "Point": PLACE,
    "MultiPoint": PLACE,
}


def read_context(
    path: str | os.PathLike[str],
    *,
    crs: str | None = None,
    name_field: str | None = None,
    ref_field: str | None = None,
) -> tuple[gpd.GeoDataFrame, list[RowError]]:
    """Read the roads (lines) and places (points) of one file.

    The file is opened exactly as a boundary file is (:func:`geodata.io.boundaries.
    read_boundaries`: pyogrio with only the GeoJSON, GeoPackage and Shapefile drivers, its
    own CRS or ``crs`` when it declares none, reprojected to WGS84), so the same safeguards
    apply. The name is the first column of :data:`geodata.context.NAME_FIELDS` present
    (any letter case) unless ``name_field`` names it, the road number likewise from
    :data:`geodata.context.REF_FIELDS` (optional).

    A feature is rejected, with its line (1 for the first feature), when it has no geometry,
    when it is neither a line nor a point (a polygon is not a road or a place), or when it
    is a place without a name; a road without a name is kept (it is still drawn).

    Raises
    ------
    ContextError
        When the file cannot be read, holds no features, or the name column asked for (or
        any of the known ones) is missing.
    """
    source = str(path)
    try:
        frame = read_boundaries([path], crs=crs)
    except BoundaryError as error:
        raise ContextError(str(error).replace("boundary file", "map context file")) from error
    columns = {str(c).lower(): str(c) for c in frame.columns if c != "geometry"}
    name_column = _column(columns, name_field, NAME_FIELDS, source=source, what="name")
    ref_column = _column(columns, ref_field, REF_FIELDS, source=source, what="road number")
    if name_column is None:
        raise ContextError(
            f"{source}: no name column (looked for {', '.join(NAME_FIELDS)}); "
            "pass --name-field with the column that holds the names"
        )
    names = _text(frame[name_column])
    refs = _text(frame[ref_column]) if ref_column else pd.Series("", index=frame.index)
    kinds = frame.geometry.geom_type.map(_KIND_OF)
    errors: list[RowError] = []
    keep: list[int] = []
    for line, (i, kind, name, geometry) in enumerate(
        zip(frame.index, kinds, names, frame.geometry, strict=True), start=1
    ):
        if geometry is None or geometry.is_empty:
            errors.append(RowError(source, line, "geometry", "no geometry"))
        elif not isinstance(kind, str):
            errors.append(
                RowError(
                    source,
                    line,
                    "geometry",
                    f"a {geometry.geom_type} is neither a road (line) nor a place (point)",
                )
            )
        elif kind == PLACE and not name:
            errors.append(RowError(source, line, name_column, "a place needs a name"))
        else:
            keep.append(i)
    rows = gpd.GeoDataFrame(
        {"kind": kinds[keep], "name": names[keep], "ref": refs[keep]},
        geometry=frame.geometry[keep],
        crs=WGS84,
    ).reset_index(drop=True)
    return rows[[*CONTEXT_COLUMNS, "geometry"]], errors


def _column(
    columns: dict[str, str],
    asked: str | None,
    known: tuple[str, ...],
    *,
    source: str,
    what: str,
) -> str | None:
    if asked is not None:
        if asked.lower() not in columns:
            raise ContextError(
                f"{source}: no {what} column {asked!r}; its columns are "
                f"{', '.join(sorted(columns.values()))}"
            )
        return columns[asked.lower()]
    return next((columns[k] for k in known if k in columns), None)


def _text(values: pd.Series) -> pd.Series:
    """Names as stripped text, a missing value as ""."""
    return values.astype("string").fillna("").str.strip().astype(str)
