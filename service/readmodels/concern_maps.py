"""The maps of a concern's place and what the record-a-concern form suggests.

The picking map (every ward's outline over the roads and places) is the same for every
form, so it is rendered once per data version and kept (:mod:`service.readmodels.cache`).
"""

from __future__ import annotations

from typing import Any

import shapely
import sqlalchemy as sa
from flask import Flask

from geodata.concern_maps import pick_map, point_map
from geodata.context import clip_context
from geodata.force_hotspots import place_name
from geodata.maps import MapParts, render
from service.readmodels.cache import data_cache
from service.readmodels.ward_profiles import shared_figures, ward_frame
from service.store.context import load_context
from service.store.wards import get_ward, latest_vintage, list_ward_streets

PICK_TOLERANCE_M = 10.0
"""Roads on the picking map are simplified to 10 m: the map covers the whole force."""


def pick_map_parts(app: Flask, engine: sa.Engine, *, asset_url: str) -> MapParts | None:
    """The picking map, or None when no wards are stored."""
    version = shared_figures(app, engine).version

    def build() -> MapParts | None:
        vintage = latest_vintage(engine)
        if vintage is None:
            return None
        wards = ward_frame(app, engine, vintage=vintage)
        bounds = tuple(wards.total_bounds)
        return render(
            pick_map(
                list(zip(wards["code"], wards["name"], wards.geometry, strict=True)),
                context=clip_context(load_context(engine), bounds, tolerance_m=PICK_TOLERANCE_M),
                tile_url=app.config["TILE_URL"],
                attribution=app.config["TILE_ATTRIBUTION"],
                asset_url=asset_url,
            )
        )

    return data_cache(app, "pick maps", size=2).get(version, asset_url, build)


def ward_bounds(app: Flask, engine: sa.Engine) -> dict[str, list[float]]:
    """Each ward's (min lon, min lat, max lon, max lat), for fitting the picking map."""
    vintage = latest_vintage(engine)
    if vintage is None:
        return {}
    wards = ward_frame(app, engine, vintage=vintage)
    return {
        str(code): [round(float(v), 5) for v in b]
        for code, b in zip(wards["code"], shapely.bounds(wards.geometry.to_numpy()), strict=True)
    }


def street_suggestions(engine: sa.Engine, *, ward_code: str | None) -> list[str]:
    """The police.uk street names of a ward, without "On or near", for the street field."""
    vintage = latest_vintage(engine)
    if not ward_code or vintage is None:
        return []
    names = {place_name(v) for v in list_ward_streets(engine, vintage=vintage, ward_code=ward_code)}
    return sorted(n for n in names if n)


def point_problem(
    engine: sa.Engine, *, ward_code: str, longitude: float, latitude: float
) -> str | None:
    """Why a concern's point cannot go with its ward, or None: it must lie in the ward (its
    boundary included) of the latest vintage."""
    vintage = latest_vintage(engine)
    found = get_ward(engine, vintage=vintage, code=ward_code) if vintage else None
    if found is None:
        return None
    fields, geometry = found
    if geometry.covers(shapely.Point(longitude, latitude)):
        return None
    return (
        f"That point is outside {fields['name']}: tap inside the ward's boundary, choose the "
        "ward it is in, or leave the point empty."
    )


def concern_map_parts(
    app: Flask, engine: sa.Engine, concern: dict[str, Any], *, asset_url: str
) -> MapParts | None:
    """The map of one concern's point in its ward, or None when it has no point."""
    if concern.get("longitude") is None or concern.get("latitude") is None:
        return None
    found = get_ward(engine, vintage=concern["ward_vintage"], code=concern["ward_code"])
    if found is None:
        return None
    fields, geometry = found
    lon, lat = float(concern["longitude"]), float(concern["latitude"])
    box = (lon - 0.005, lat - 0.004, lon + 0.005, lat + 0.004)
    return render(
        point_map(
            ward_name=fields["name"],
            ward_geometry=geometry,
            longitude=lon,
            latitude=lat,
            label="The concern's point",  # its own words stay in the page, out of scripts
            context=clip_context(load_context(engine, bounds=box), box),
            tile_url=app.config["TILE_URL"],
            attribution=app.config["TILE_ATTRIBUTION"],
            asset_url=asset_url,
        )
    )
