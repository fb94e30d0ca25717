"""Stored map context: files of roads and place names, each with its attribution and licence."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
import sqlalchemy as sa

from geodata.context import CONTEXT_COLUMNS, PLACE, ROAD, MapContext, empty_context
from geodata.crs import WGS84
from service.store.imports import now, record_if_unchanged, record_import
from service.store.schema import context_features, context_sources

KIND = "context"
"""The import ledger's kind for a map context file."""


def replace_context_source(
    engine: sa.Engine,
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    source: str,
    sha256: str,
    attribution: str,
    licence: str,
    rows_read: int,
) -> dict[str, Any]:
    """Store the features of one file as the source ``name``, replacing an earlier file of
    that name, in one transaction; the same file (same SHA-256, attribution and licence)
    again changes nothing."""
    roads = int((frame["kind"] == ROAD).sum())
    places = int((frame["kind"] == PLACE).sum())
    counts = {
        "rows_read": rows_read,
        "rows_stored": len(frame),
        "rows_rejected": rows_read - len(frame),
    }
    with engine.begin() as connection:
        stored = connection.execute(
            sa.select(context_sources).where(context_sources.c.name == name)
        ).first()
        if (
            stored is not None
            and stored.sha256 == sha256
            and (stored.attribution, stored.licence) == (attribution, licence)
        ):
            same = record_if_unchanged(
                connection, kind=KIND, source=source, sha256=sha256, counts=counts
            )
            if same is not None:
                return same | {"roads": roads, "places": places}
        connection.execute(context_sources.delete().where(context_sources.c.name == name))
        source_id = connection.execute(
            context_sources.insert().returning(context_sources.c.id),
            {
                "name": name,
                "sha256": sha256,
                "attribution": attribution,
                "licence": licence,
                "roads": roads,
                "places": places,
                "imported_at": now(),
            },
        ).scalar_one()
        bounds = shapely.bounds(frame.geometry.to_numpy())
        if len(frame):
            connection.execute(
                context_features.insert(),
                [
                    {
                        "source_id": source_id,
                        "kind": kind,
                        "name": label,
                        "ref": ref,
                        "min_lon": float(box[0]),
                        "min_lat": float(box[1]),
                        "max_lon": float(box[2]),
                        "max_lat": float(box[3]),
                        "geometry": shapely.to_wkb(geometry),
                    }
                    for kind, label, ref, geometry, box in zip(
                        frame["kind"],
                        frame["name"],
                        frame["ref"],
                        frame.geometry,
                        bounds,
                        strict=True,
                    )
                ],
            )
        import_id = record_import(
            connection,
            kind=KIND,
            source=source,
            sha256=sha256,
            status="stored",
            message=f"{roads} roads and {places} places; {attribution}",
            **counts,
        )
    return {"status": "stored", "import_id": import_id, "roads": roads, "places": places}


def list_context_sources(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        query = sa.select(context_sources).order_by(context_sources.c.name)
        return [dict(row._mapping) for row in connection.execute(query)]


def load_context(
    engine: sa.Engine, *, bounds: tuple[float, float, float, float] | None = None
) -> MapContext:
    """The stored roads and places whose bounding boxes meet ``bounds`` (WGS84 min lon, min
    lat, max lon, max lat; all when None), with the attributions of their sources."""
    query = sa.select(
        context_features.c.kind,
        context_features.c.name,
        context_features.c.ref,
        context_features.c.geometry,
        context_sources.c.attribution,
    ).join(context_sources)
    if bounds is not None:
        min_x, min_y, max_x, max_y = bounds
        query = query.where(
            context_features.c.max_lon >= min_x,
            context_features.c.min_lon <= max_x,
            context_features.c.max_lat >= min_y,
            context_features.c.min_lat <= max_y,
        )
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(context_features.c.id)).all()
    if not rows:
        return empty_context()
    frame = gpd.GeoDataFrame(
        {c: [getattr(r, c) for r in rows] for c in CONTEXT_COLUMNS},
        geometry=shapely.from_wkb([r.geometry for r in rows]),
        crs=WGS84,
    )
    credits = dict.fromkeys(r.attribution for r in rows if r.attribution)
    return MapContext(frame, "; ".join(credits))
