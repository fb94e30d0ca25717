"""Coordinate reference systems and extents, named once for the whole project."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

WGS84 = "EPSG:4326"
"""Storage CRS: police.uk publishes WGS84 longitude/latitude and ONS GeoJSON uses CRS84."""

BNG = "EPSG:27700"
"""British National Grid: every area and distance is measured here, in metres."""

ENGLAND_WALES_BOUNDS = (-6.5, 49.8, 2.0, 55.9)
"""(min lon, min lat, max lon, max lat) that every England and Wales snap point lies in.

Generous by a few kilometres on each side of the mainland, Scilly and the Welsh and
Northumbrian coasts, so that a real record is never refused, while a swapped
latitude/longitude pair or a 0,0 placeholder always is.
"""


@functools.cache
def transformers() -> tuple[Transformer, Transformer]:
    """WGS84 → BNG and back, built once (about 0.1 s); pyproj transformers are thread-safe."""
    return (
        Transformer.from_crs(WGS84, BNG, always_xy=True),
        Transformer.from_crs(BNG, WGS84, always_xy=True),
    )


def project(geometry: Any, transformer: Transformer) -> Any:
    """Geometry (or an array of them) with every vertex passed through ``transformer``:
    shapely and pyproj directly, without building a GeoSeries for it."""
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )
