"""Writers of downloads: GeoPackage (with QGIS styles), GeoJSON and spreadsheet-safe CSV.

Every file says what it holds (:class:`geodata.products.Provenance`): a GeoPackage in each
layer's metadata (``pyogrio.read_info(path, layer=...)["layer_metadata"]``, QGIS's layer
properties) and description, a GeoJSON file in members beside ``features``, a CSV in ``#``
lines above the header. Coordinates: a GeoPackage in British National Grid unless WGS84
is asked for, GeoJSON always in WGS84 (RFC 7946).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodata.crs import BNG, WGS84
from geodata.io.concerns import spreadsheet_safe
from geodata.products import Provenance

FORMATS = ("gpkg", "geojson", "csv")
MEDIA_TYPES = {
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
}
CRS_CHOICES = {"27700": BNG, "4326": WGS84}
"""A GeoPackage's coordinates, by EPSG number: British National Grid by default."""

STYLES_LAYER = "layer_styles"
"""The table QGIS reads a layer's default style from (its own GeoPackage convention)."""


@dataclass(frozen=True)
class Layer:
    """One layer of a download: a frame (a GeoDataFrame when it has a geometry), its
    provenance, a one-line description, and a QGIS style (QML) when it has one."""

    name: str
    frame: pd.DataFrame
    provenance: Provenance
    description: str
    style: str | None = None


def write_geopackage(path: Path, layers: list[Layer], *, crs: str = BNG) -> None:
    """Write ``layers`` to a new GeoPackage at ``path``, with a ``layer_styles`` table for
    the layers that have a style.

    The file is written beside ``path`` and moved into place, so a failure leaves no half
    file. Each layer's metadata holds its provenance; geometries are reprojected to ``crs``.
    """
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.part.gpkg")
    temporary.unlink(missing_ok=True)
    try:
        for layer in layers:
            _write_layer(temporary, layer, crs=crs)
        styled = [layer for layer in layers if layer.style]
        if styled:
            pyogrio.write_dataframe(
                _styles_table(styled),
                temporary,
                layer=STYLES_LAYER,
                driver="GPKG",
                layer_options={"FID": "id", "DESCRIPTION": "QGIS default styles"},
            )
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def geopackage_bytes(layers: list[Layer], *, crs: str = BNG, folder: Path) -> bytes:
    """:func:`write_geopackage` into ``folder`` (GDAL writes files, not streams), read back."""
    path = folder / "download.gpkg"
    write_geopackage(path, layers, crs=crs)
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _write_layer(path: Path, layer: Layer, *, crs: str) -> None:
    frame = layer.frame
    pyogrio.write_dataframe(
        frame.to_crs(crs) if isinstance(frame, gpd.GeoDataFrame) else frame,
        path,
        layer=layer.name,
        driver="GPKG",
        promote_to_multi=isinstance(frame, gpd.GeoDataFrame) and _polygons(frame),
        layer_metadata=layer.provenance.items(),
        layer_options={"DESCRIPTION": layer.description},
    )


def _polygons(frame: gpd.GeoDataFrame) -> bool:
    return bool(frame.geom_type.isin(["Polygon", "MultiPolygon"]).any())


def _styles_table(layers: list[Layer]) -> pd.DataFrame:
    """Rows of QGIS's ``layer_styles`` table: one default style per styled layer."""
    return pd.DataFrame(
        {
            "f_table_catalog": ["" for _ in layers],
            "f_table_schema": ["" for _ in layers],
            "f_table_name": [layer.name for layer in layers],
            "f_geometry_column": ["geom" for _ in layers],
            "styleName": [layer.name for layer in layers],
            "styleQML": [layer.style for layer in layers],
            "styleSLD": ["" for _ in layers],
            "useAsDefault": [True for _ in layers],
            "description": [layer.description for layer in layers],
            "owner": ["" for _ in layers],
            "ui": ["" for _ in layers],
            "update_time": pd.Series([pd.Timestamp.now(tz="UTC")] * len(layers)),
        }
    )


def geojson_bytes(layer: Layer) -> bytes:
    """A GeoJSON FeatureCollection in WGS84, with the provenance beside ``features`` (a
    table without geometry has features with a null geometry)."""
    frame = layer.frame
    if isinstance(frame, gpd.GeoDataFrame):
        collection = json.loads(frame.to_crs(WGS84).to_json(na="null", drop_id=True))
    else:
        collection = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": None, "properties": properties}
                for properties in _records(frame)
            ],
        }
    collection = {
        "type": "FeatureCollection",
        "name": layer.name,
        "description": layer.description,
        **layer.provenance.items(),
        "features": collection["features"],
    }
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def csv_bytes(layer: Layer) -> bytes:
    """CSV a spreadsheet opens safely: ``# name: value`` lines with the provenance, then
    the header and rows. Points get ``longitude`` and ``latitude`` (WGS84) columns; other
    geometries are left out. Every text cell goes through
    :func:`geodata.io.concerns.spreadsheet_safe` (a leading ``=``, ``+``, ``-``, ``@``, tab
    or carriage return gets an apostrophe); numbers are written as numbers. UTF-8 with a
    byte-order mark, which spreadsheets expect."""
    frame = layer.frame
    if isinstance(frame, gpd.GeoDataFrame):
        points = frame.to_crs(WGS84).geometry
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        if bool(points.geom_type.eq("Point").any()):
            located = points.geom_type.eq("Point")
            table["longitude"] = np.where(located, points.x.where(located), np.nan)
            table["latitude"] = np.where(located, points.y.where(located), np.nan)
    else:
        table = pd.DataFrame(frame)
    stream = io.StringIO()
    writer = csv.writer(stream)
    for name, value in layer.provenance.items().items():
        writer.writerow([f"# {name}: {spreadsheet_safe(value)}"])
    writer.writerow([spreadsheet_safe(str(c)) for c in table.columns])
    for record in table.itertuples(index=False, name=None):
        writer.writerow([_cell(value) for value in record])
    return stream.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dictionaries (missing values as None, numpy values as Python's)."""
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def read_provenance(path: Path, *, layer: str) -> Mapping[str, str]:
    """The provenance written into a GeoPackage layer's metadata."""
    return dict(pyogrio.read_info(path, layer=layer)["layer_metadata"] or {})
