"""Force-wide figures built once per data version and kept in the database for every process.

:mod:`service.store.kept` holds the bytes; here each figure is encoded as an Arrow IPC
stream (zstd-compressed columns, the scalars as JSON in the schema's metadata) and decoded
back to the same object: the same arrays, frames and column types, so a figure read back
gives a profile byte for byte the same as one built in the process. A figure's name
carries an edition: change a figure's method or encoding and bump :data:`EDITION`, so a
figure kept by an older release is never read as a newer one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
import sqlalchemy as sa

from geodata.crs import WGS84
from geodata.force_hotspots import ForceHotspots
from geodata.profile import ForceCounts
from service.errors import STORAGE_ERRORS, storage_problem
from service.store.kept import keep, read_kept

T = TypeVar("T")

EDITION = 1
"""Bumped whenever a kept figure's method or encoding changes."""

_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")
RING = 5
"""Corners of a grid square's ring, the first repeated as the last."""


def kept_figure(
    engine: sa.Engine,
    *,
    version: int,
    name: str,
    key: str,
    build: Callable[[], T],
    encode: Callable[[T], bytes],
    decode: Callable[[bytes], T],
) -> T:
    """The figure kept for (``version``, ``name``, ``key``), or built by ``build()`` and kept."""
    name = f"{name}/{EDITION}"
    payload = read_kept(engine, version=version, name=name, key=key)
    if payload is not None:
        return decode(payload)
    figure = build()
    try:
        keep(engine, version=version, name=name, key=key, payload=encode(figure))
    except STORAGE_ERRORS as error:
        if storage_problem(error) is None:
            raise
        # A database this process may not write (a read-only file, a full disk) still
        # serves pages: the figure is kept in this process's memory only.
    return figure


def encode_force_counts(force: ForceCounts) -> bytes:
    metadata = {
        "categories": force.counts.shape[1],
        "wards": force.wards,
        "months": force.months,
        "outside": force.outside.tolist(),
        "no_location": force.no_location.tolist(),
    }
    return _ipc(pa.table({"n": force.counts.ravel()}), metadata)


def decode_force_counts(payload: bytes) -> ForceCounts:
    table, metadata = _table(payload)
    wards, months = metadata["wards"], metadata["months"]
    counts = table["n"].to_numpy().astype(np.int64)
    return ForceCounts(
        wards,
        months,
        counts.reshape(len(wards), metadata["categories"], len(months)),
        np.array(metadata["outside"], dtype=np.int64),
        np.array(metadata["no_location"], dtype=np.int64),
    )


def encode_grid(grid: ForceHotspots) -> bytes:
    """The grid's squares as columns, each square's polygon as its ring's five corners
    (rebuilt from the flat corners in one call, several times faster than parsing WKB)."""
    squares = grid.cells.geometry.values
    if not (
        (shapely.get_type_id(squares) == shapely.GeometryType.POLYGON).all()
        and (shapely.get_num_coordinates(squares) == RING).all()
    ):
        raise ValueError("a hot-spot grid's squares must be polygons of five corners")
    cells = pd.DataFrame(grid.cells.drop(columns="geometry"))
    ring = pa.FixedSizeListArray.from_arrays(shapely.get_coordinates(squares).ravel(), 2 * RING)
    excluded = grid.excluded
    metadata = {
        "cell_size_m": grid.cell_size_m,
        "alpha": grid.alpha,
        "min_count": grid.min_count,
        "note": grid.note,
        "method": grid.method,
        "columns": list(grid.cells.columns),
        "excluded": {
            "columns": {name: str(dtype) for name, dtype in excluded.dtypes.items()},
            "rows": excluded.to_numpy(object).tolist(),
        },
    }
    table = pa.Table.from_pandas(cells, preserve_index=False).append_column("ring", ring)
    return _ipc(table, metadata)


def decode_grid(payload: bytes) -> ForceHotspots:
    table, metadata = _table(payload)
    corners = table["ring"].combine_chunks().flatten().to_numpy().reshape(-1, 2)
    squares = len(corners) // RING
    geometry = shapely.from_ragged_array(
        shapely.GeometryType.POLYGON,
        corners,
        (np.arange(0, len(corners) + 1, RING), np.arange(squares + 1)),
    )
    frame = table.drop_columns("ring").to_pandas()
    cells = gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)[metadata["columns"]]
    kinds = metadata["excluded"]["columns"]
    rows = list(zip(*metadata["excluded"]["rows"], strict=True)) or [()] * len(kinds)
    excluded = pd.DataFrame(
        {
            name: pd.Series(values, dtype=dtype)
            for (name, dtype), values in zip(kinds.items(), rows, strict=True)
        }
    )
    return ForceHotspots(
        cell_size_m=metadata["cell_size_m"],
        alpha=metadata["alpha"],
        min_count=metadata["min_count"],
        cells=cells,
        excluded=excluded,
        note=metadata["note"],
        method=metadata["method"],
    )


def encode_rising(rising: dict[str, frozenset[str]]) -> bytes:
    return json.dumps({code: sorted(categories) for code, categories in rising.items()}).encode()


def decode_rising(payload: bytes) -> dict[str, frozenset[str]]:
    return {code: frozenset(categories) for code, categories in json.loads(payload).items()}


def _ipc(table: pa.Table, metadata: dict[str, Any]) -> bytes:
    table = table.replace_schema_metadata({"figure": json.dumps(metadata)})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=_OPTIONS) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _table(payload: bytes) -> tuple[pa.Table, dict[str, Any]]:
    table = pa.ipc.open_stream(payload).read_all()
    metadata: dict[str, Any] = json.loads(table.schema.metadata[b"figure"])
    return table, metadata
