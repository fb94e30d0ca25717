"""Stored ward boundary sets: replace a vintage atomically, read wards back as frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from geodata.crs import WGS84
from geodata.denominators import area_shares
from geodata.join import OUTSIDE, assign_wards
from geodata.population import best_fit_wards
from service.store.aggregates import regroup_vintage
from service.store.bulk import lock_imports
from service.store.imports import now, record_import
from service.store.schema import (
    boundary_sets,
    lsoa_ward_shares,
    lsoa_wards,
    lsoas,
    place_wards,
    places,
    wards,
)


def replace_boundary_set(
    engine: sa.Engine,
    frame: gpd.GeoDataFrame,
    *,
    sources: Sequence[tuple[str, str, int]],
) -> dict[str, int]:
    """Store a prepared ward frame as its vintage, replacing any earlier copy, in one transaction.

    Every stored snap point and LSOA is assigned to the new wards in the same transaction,
    so a vintage is never visible without its assignments. ``sources`` holds (file name,
    SHA-256, feature count) for the ledger. Returns assigned and outside counts of places
    and LSOAs.
    """
    vintages = frame["vintage"].unique()
    if len(vintages) != 1:
        raise ValueError(f"one boundary vintage per import, got {sorted(vintages)}")
    vintage = str(vintages[0])
    with engine.begin() as connection:
        lock_imports(connection)
        connection.execute(boundary_sets.delete().where(boundary_sets.c.vintage == vintage))
        connection.execute(
            boundary_sets.insert(),
            {
                "vintage": vintage,
                "sources": "\n".join(name for name, _, _ in sources),
                "ward_count": len(frame),
                "imported_at": now(),
            },
        )
        connection.execute(wards.insert(), _ward_rows(frame))
        for name, sha256, count in sources:
            record_import(
                connection,
                kind="wards",
                source=name,
                sha256=sha256,
                rows_read=count,
                rows_stored=count,
                status="stored",
                message=f"vintage {vintage}",
            )
        assignment = assign_places(connection, frame, vintage=vintage)
        assignment |= assign_lsoas(connection, frame, vintage=vintage)
        regroup_vintage(connection, vintage=vintage)
        return assignment


def assign_places(
    connection: sa.Connection, frame: gpd.GeoDataFrame, *, vintage: str
) -> dict[str, int]:
    """Assign every located stored place to a ward of ``frame`` (see ``assign_wards``)."""
    located = pd.DataFrame(
        connection.execute(
            sa.select(places.c.id, places.c.longitude, places.c.latitude).where(
                places.c.longitude.is_not(None)
            )
        ).all(),
        columns=["id", "longitude", "latitude"],
    )
    position = assign_wards(located["longitude"], located["latitude"], frame)
    codes = frame["code"].to_numpy(dtype=object)
    rows = [
        {"place_id": int(pid), "vintage": vintage, "ward_code": None if p == OUTSIDE else codes[p]}
        for pid, p in zip(located["id"], position, strict=True)
    ]
    if rows:
        connection.execute(place_wards.insert(), rows)
    assigned = int((position != OUTSIDE).sum())
    return {"places_assigned": assigned, "places_outside": len(rows) - assigned}


def assign_lsoas(
    connection: sa.Connection, wards_frame: gpd.GeoDataFrame, *, vintage: str
) -> dict[str, int]:
    """Give every located stored LSOA its ward of ``wards_frame`` (the best-fit lookup).

    The stored point of each LSOA is the point-on-surface computed when the population was
    imported, so every vintage is joined from the same points, by the same rule as snap
    points (:func:`geodata.population.best_fit_wards`). Replaces the vintage's lookup.
    """
    connection.execute(lsoa_wards.delete().where(lsoa_wards.c.vintage == vintage))
    points = pd.DataFrame(
        connection.execute(
            sa.select(lsoas.c.code, lsoas.c.longitude, lsoas.c.latitude)
            .where(lsoas.c.longitude.is_not(None))
            .order_by(lsoas.c.code)
        ).all(),
        columns=["lsoa_code", "longitude", "latitude"],
    )
    lookup = best_fit_wards(points, wards_frame)
    rows = [
        {"lsoa_code": code, "vintage": vintage, "ward_code": ward}
        for code, ward in zip(lookup["lsoa_code"], lookup["ward_code"], strict=True)
    ]
    if rows:
        connection.execute(lsoa_wards.insert(), rows)
    assigned = int(lookup["ward_code"].notna().sum())
    share_lsoas(connection, wards_frame, vintage=vintage)
    return {"lsoas_assigned": assigned, "lsoas_outside": len(rows) - assigned}


def share_lsoas(connection: sa.Connection, wards_frame: gpd.GeoDataFrame, *, vintage: str) -> None:
    """Store each LSOA's share of area in each ward of ``wards_frame`` (the area-weighted
    lookup, :func:`geodata.denominators.area_shares`), from the stored LSOA polygons.

    LSOAs stored without a polygon (before polygons were kept) have no shares, so their
    wards have no area-weighted figure. Replaces the vintage's shares.
    """
    connection.execute(lsoa_ward_shares.delete().where(lsoa_ward_shares.c.vintage == vintage))
    stored = connection.execute(
        sa.select(lsoas.c.code, lsoas.c.boundary)
        .where(lsoas.c.boundary.is_not(None))
        .order_by(lsoas.c.code)
    ).all()
    if not stored or wards_frame.empty:
        return
    polygons = gpd.GeoDataFrame(
        {"code": [code for code, _ in stored]},
        geometry=shapely.from_wkb([bytes(wkb) for _, wkb in stored]),
        crs=WGS84,
    )
    shares = area_shares(polygons, wards_frame)
    connection.execute(
        lsoa_ward_shares.insert(),
        [
            {"lsoa_code": lsoa, "vintage": vintage, "ward_code": ward, "share": float(share)}
            for lsoa, ward, share in shares.itertuples(index=False)
        ],
    )


def _ward_rows(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    wkb = shapely.to_wkb(np.asarray(frame.geometry.values))
    return [
        {
            "vintage": row.vintage,
            "code": row.code,
            "name": row.name,
            "lad_code": row.lad_code,
            "lad_name": row.lad_name,
            "area_km2": float(row.area_km2),
            "geometry": geometry,
        }
        for row, geometry in zip(frame.itertuples(index=False), wkb, strict=True)
    ]


def list_vintages(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.scalars(sa.select(boundary_sets.c.vintage).order_by(boundary_sets.c.vintage))
        )


def latest_vintage(engine: sa.Engine) -> str | None:
    vintages = list_vintages(engine)
    return vintages[-1] if vintages else None


def load_wards(connection: sa.Connection, *, vintage: str) -> gpd.GeoDataFrame:
    """The wards of one vintage as a WGS84 frame in the shape ``prepare_wards`` returns."""
    query = sa.select(wards).where(wards.c.vintage == vintage).order_by(wards.c.code)
    frame = pd.DataFrame(connection.execute(query).all(), columns=list(wards.c.keys()))
    geometry = shapely.from_wkb(frame.pop("geometry").to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def list_wards(engine: sa.Engine, *, vintage: str) -> list[dict[str, Any]]:
    """The wards of one vintage without their geometry, by code."""
    columns = [c for c in wards.c if c.name != "geometry"]
    query = sa.select(*columns).where(wards.c.vintage == vintage).order_by(wards.c.code)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def get_ward(engine: sa.Engine, *, vintage: str, code: str) -> tuple[dict[str, Any], Any] | None:
    """One ward's fields and its shapely geometry, or None when the vintage has no such code."""
    query = sa.select(wards).where(wards.c.vintage == vintage, wards.c.code == code)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    fields = dict(row._mapping)
    return fields, shapely.from_wkb(fields.pop("geometry"))


def load_ward_frame(engine: sa.Engine, *, vintage: str) -> gpd.GeoDataFrame:
    with engine.connect() as connection:
        return load_wards(connection, vintage=vintage)


def unknown_ward_codes(engine: sa.Engine, codes: Sequence[str]) -> list[str]:
    """The codes of ``codes`` that are not wards of the latest vintage (all of them when no
    boundaries are stored), in the order given."""
    vintage = latest_vintage(engine)
    known = {w["code"] for w in list_wards(engine, vintage=vintage)} if vintage else set()
    return [code for code in codes if code not in known]


def list_ward_streets(engine: sa.Engine, *, vintage: str, ward_code: str) -> list[str]:
    """The police.uk location names ("On or near ...") of the snap points in a ward, sorted."""
    query = (
        sa.select(places.c.location)
        .distinct()
        .join(place_wards, place_wards.c.place_id == places.c.id)
        .where(place_wards.c.vintage == vintage, place_wards.c.ward_code == ward_code)
        .order_by(places.c.location)
    )
    with engine.connect() as connection:
        return [str(v) for v in connection.scalars(query) if v]
