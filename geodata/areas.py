"""Plan areas: a plan's target (wards, a drawn polygon or a circle) and the ring around it.

Every distance is true metres: a shape is projected to British National Grid with
:func:`geodata.crs.project`, grown or drawn there, and projected back to WGS84, where it is
stored, mapped and used for counting. A circle is one polygon of :data:`QUAD_SEGS` segments a
quarter (64 sides), for a plan's point target and for every ring's round corners alike, so a
circle has one area wherever it is drawn. ``service.readmodels.plan_evaluations`` takes a
stored plan's areas from :func:`target_geometry` and :func:`buffer_geometry` and hands them
to ``geodata.evaluation``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geodata.crs import ENGLAND_WALES_BOUNDS, project, transformers
from geodata.errors import AreaError, PlanError
from geodata.plans import Plan

QUAD_SEGS = 16
"""Segments per quarter circle: a circle is a 64-gon, 0.16 % short of pi r^2 in area."""


def check_metres(metres: float) -> None:
    """A finite distance greater than 0, or AreaError naming ``metres``."""
    if isinstance(metres, bool) or not isinstance(metres, int | float) or not metres > 0:
        raise AreaError(f"metres: {metres!r} is not a distance greater than 0")
    if not math.isfinite(metres):
        raise AreaError(f"metres: {metres!r} is not a finite distance")


def check_area(name: str, geometry: Any) -> None:
    """A non-empty polygonal shape in WGS84 over England and Wales, or AreaError."""
    if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon) or geometry.is_empty:
        raise AreaError(f"{name}: expected a non-empty Polygon or MultiPolygon")
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    x0, y0, x1, y1 = geometry.bounds
    if x0 < min_x or y0 < min_y or x1 > max_x or y1 > max_y:
        raise AreaError(
            f"{name}: bounds {geometry.bounds} are not WGS84 longitude/latitude in England "
            "and Wales (a shape in British National Grid metres?)"
        )


def circle(longitude: float, latitude: float, *, metres: float) -> shapely.Polygon:
    """A circle of radius ``metres`` around a WGS84 point (WGS84).

    Method: the point is projected to British National Grid, buffered by ``metres`` (a
    polygon of :data:`QUAD_SEGS` segments a quarter circle, every vertex exactly ``metres``
    from the centre) and projected back, so the radius is true metres rather than degrees.
    """
    check_metres(metres)
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    if not (
        math.isfinite(longitude)
        and math.isfinite(latitude)
        and min_x <= longitude <= max_x
        and min_y <= latitude <= max_y
    ):
        raise AreaError(
            f"longitude, latitude: ({longitude}, {latitude}) is not a WGS84 point in England "
            "and Wales"
        )
    to_bng, to_wgs84 = transformers()
    centre = project(shapely.Point(longitude, latitude), to_bng)
    drawn: shapely.Polygon = project(shapely.buffer(centre, metres, quad_segs=QUAD_SEGS), to_wgs84)
    return drawn


def ring(target: BaseGeometry, *, metres: float) -> BaseGeometry:
    """The ring of land within ``metres`` of the target, the target itself excluded (WGS84).

    Method: the target is projected to British National Grid, buffered by ``metres`` (round
    corners of :data:`QUAD_SEGS` segments a quarter circle), projected back to WGS84, and the
    original target subtracted there, so the ring's inner edge is exactly the target's
    boundary: the ring never overlaps the target, not even by the sliver (about 1 m2) that
    subtracting in British National Grid leaves after the round trip.
    """
    check_area("target", target)
    check_metres(metres)
    to_bng, to_wgs84 = transformers()
    grown = project(shapely.buffer(project(target, to_bng), metres, quad_segs=QUAD_SEGS), to_wgs84)
    return shapely.difference(grown, target)


def area_m2(geometry: BaseGeometry) -> float:
    """Area in square metres, measured in British National Grid."""
    return float(shapely.area(project(geometry, transformers()[0])))


def target_geometry(plan: Plan, *, ward_geometries: Mapping[str, BaseGeometry]) -> BaseGeometry:
    """The plan's target area in WGS84.

    Method. ``ward``: the union of the geometries of the plan's wards, taken from
    ``ward_geometries`` (code → WGS84 geometry). ``polygon``: ``target_geojson`` as it is.
    ``point-buffer``: the :func:`circle` of ``radius_m`` metres round the point.

    Raises
    ------
    PlanError
        When a ward code is missing from ``ward_geometries`` or the target fields do not
        fit the kind (check the plan with :func:`geodata.plans.plan_problems` first).
    """
    if plan.target_kind == "ward":
        missing = [code for code in plan.ward_codes if code not in ward_geometries]
        if missing or not plan.ward_codes:
            raise PlanError(f"ward_codes: no geometry for {', '.join(missing) or 'any ward'}")
        return shapely.union_all([ward_geometries[code] for code in plan.ward_codes])
    if plan.target_kind == "polygon":
        if plan.target_geojson is None:
            raise PlanError("target_geojson: a polygon target needs its GeoJSON")
        return shape(plan.target_geojson)
    if plan.target_kind == "point-buffer":
        if plan.longitude is None or plan.latitude is None or plan.radius_m is None:
            raise PlanError("a point-buffer target needs longitude, latitude and radius_m")
        return circle(plan.longitude, plan.latitude, metres=plan.radius_m)
    raise PlanError(f"target_kind: unknown target kind {plan.target_kind!r}")


def buffer_geometry(plan: Plan, *, ward_geometries: Mapping[str, BaseGeometry]) -> BaseGeometry:
    """The displacement buffer in WGS84: the :func:`ring` ``buffer_m`` metres wide round the
    plan's target (:func:`target_geometry`). A buffer of 0 gives an empty polygon."""
    target = target_geometry(plan, ward_geometries=ward_geometries)
    if plan.buffer_m <= 0:
        return shapely.Polygon()
    return ring(target, metres=plan.buffer_m)
