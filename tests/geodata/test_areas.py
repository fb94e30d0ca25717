"""Plan areas as the service draws them: targets, circles and rings in true metres."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, box, mapping

from geodata.areas import area_m2, buffer_geometry, circle, ring, target_geometry
from geodata.crs import BNG, WGS84
from geodata.errors import AreaError, PlanError
from geodata.plans import Plan
from tests.factories import EAST, NORTH, WEST

TO_BNG = Transformer.from_crs(WGS84, BNG, always_xy=True)
TO_WGS84 = Transformer.from_crs(BNG, WGS84, always_xy=True)
WARDS = {"E05000001": EAST, "E05000002": WEST, "E05000003": NORTH}

TARGET = box(-1.21, 54.60, -1.19, 54.61)
"""A target about 1.3 km by 1.1 km, south of Stockton (the profile tests' ward)."""
IN_TARGET = (-1.20, 54.605)

SIDES = 64
"""Sides of every circle drawn: 16 segments a quarter circle."""


def polygon_area(metres: float) -> float:
    """The area of a regular 64-gon whose vertices lie ``metres`` from its centre."""
    return SIDES / 2 * math.sin(2 * math.pi / SIDES) * metres**2


def to_bng(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(TO_BNG.transform(xy[:, 0], xy[:, 1]))
    )


def to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(TO_WGS84.transform(xy[:, 0], xy[:, 1]))
    )


def plan(**fields: Any) -> Plan:
    """A plan whose target is a 300 m circle round (-1.21, 54.61) with a 250 m buffer;
    keyword arguments replace fields."""
    values: dict[str, Any] = {
        "ward_codes": ("E05000002",),
        "title": "Mill Lane park ASB",
        "problem": "Groups gather in Mill Lane park.",
        "start_date": date(2025, 7, 1),
        "target_kind": "point-buffer",
        "longitude": -1.21,
        "latitude": 54.61,
        "radius_m": 300.0,
    }
    return Plan(**(values | fields))


WARD_PLAN = plan(
    ward_codes=("E05000002", "E05000001"),
    target_kind="ward",
    longitude=None,
    latitude=None,
    radius_m=None,
)
POLYGON_PLAN = plan(
    target_kind="polygon",
    target_geojson=mapping(box(-1.215, 54.605, -1.205, 54.615)),
    longitude=None,
    latitude=None,
    radius_m=None,
)


# --- Rings and circles ---------------------------------------------------------------------


def test_ring_surrounds_the_target_without_overlapping_it() -> None:
    grown = ring(TARGET, metres=100)
    assert grown.intersection(TARGET).area == 0
    assert grown.union(TARGET).covers(TARGET)
    # 1 degree of longitude at 54.605 N is about 64.4 km: 0.0008 is about 52 m, 0.0024 about 155 m.
    assert grown.contains(Point(-1.19 + 0.0008, 54.605))
    assert not grown.contains(Point(-1.19 + 0.0024, 54.605))
    assert not grown.contains(Point(*IN_TARGET))


def test_ring_area_is_perimeter_times_width_plus_the_corners() -> None:
    """A rectangle grown by r gains its perimeter times r plus a circle of radius r at the
    corners, drawn as a 64-gon, 0.16 % short of pi r^2."""
    metres = 100.0
    expected = to_bng(TARGET).length * metres + polygon_area(metres)
    assert area_m2(ring(TARGET, metres=metres)) == pytest.approx(expected, rel=1e-3)


def test_ring_of_a_square_kilometre_is_worked_by_hand() -> None:
    """A 1 km square drawn in British National Grid, grown by 100 m: 4 x 1,000 x 100 m2 of
    sides plus a 64-gon of radius 100 m at the corners, 431,365.5 m2."""
    square = to_wgs84(shapely.segmentize(box(450_000, 520_000, 451_000, 521_000), 10))

    grown = ring(square, metres=100)

    assert area_m2(square) == pytest.approx(1_000_000, rel=1e-6)
    assert area_m2(grown) == pytest.approx(400_000 + polygon_area(100), rel=1e-5)
    assert polygon_area(100) == pytest.approx(31_365.5, abs=0.1)
    assert grown.intersection(square).area == 0
    assert to_bng(grown).contains(Point(451_099, 520_500))
    assert not to_bng(grown).contains(Point(451_101, 520_500))


def test_circle_is_a_64_gon_of_true_metres() -> None:
    drawn = circle(*IN_TARGET, metres=200)

    centre = Point(TO_BNG.transform(*IN_TARGET))
    distances = [centre.distance(Point(xy)) for xy in to_bng(drawn).exterior.coords]
    assert len(drawn.exterior.coords) == SIDES + 1
    assert min(distances) == pytest.approx(200.0, abs=1e-3)
    assert max(distances) == pytest.approx(200.0, abs=1e-3)
    assert area_m2(drawn) == pytest.approx(polygon_area(200), rel=1e-6)
    assert drawn.contains(Point(*IN_TARGET))


@pytest.mark.parametrize("metres", [0, -5, float("inf"), float("nan"), True])
def test_buffers_need_a_positive_distance(metres: float) -> None:
    with pytest.raises(AreaError, match="metres: "):
        ring(TARGET, metres=metres)
    with pytest.raises(AreaError, match="metres: "):
        circle(*IN_TARGET, metres=metres)


def test_ring_refuses_a_target_in_metres() -> None:
    with pytest.raises(AreaError, match="target: bounds"):
        ring(box(450_000, 520_000, 451_000, 521_000), metres=100)


@pytest.mark.parametrize("point", [(float("nan"), 54.6), (450_000.0, 520_000.0), (0.0, 0.0)])
def test_circle_refuses_a_point_outside_england_and_wales(point: tuple[float, float]) -> None:
    with pytest.raises(AreaError, match=r"longitude, latitude: .* not a WGS84 point"):
        circle(*point, metres=100)


# --- A plan's target and buffer, as served --------------------------------------------------


def test_a_ward_target_is_the_union_of_its_wards() -> None:
    target = target_geometry(WARD_PLAN, ward_geometries=WARDS)

    assert target.equals(box(-1.22, 54.60, -1.18, 54.62))
    with pytest.raises(PlanError, match="no geometry for E05000002"):
        target_geometry(WARD_PLAN, ward_geometries={"E05000001": EAST})


def test_a_polygon_target_is_its_geojson() -> None:
    square = box(-1.215, 54.605, -1.205, 54.615)
    assert target_geometry(POLYGON_PLAN, ward_geometries={}).equals(square)


def test_a_point_buffer_is_a_circle_of_true_metres() -> None:
    served = plan(radius_m=300.0, buffer_m=100.0)
    centre = shapely.Point(TO_BNG.transform(-1.21, 54.61))

    drawn = to_bng(target_geometry(served, ward_geometries={}))
    grown = to_bng(buffer_geometry(served, ward_geometries={}))

    distances = [centre.distance(shapely.Point(xy)) for xy in drawn.exterior.coords]
    assert min(distances) == pytest.approx(300.0, abs=1e-3)
    assert max(distances) == pytest.approx(300.0, abs=1e-3)
    assert len(drawn.exterior.coords) == 65
    assert grown.area == pytest.approx(math.pi * (400.0**2 - 300.0**2), rel=3e-3)
    assert grown.intersection(drawn).area == pytest.approx(0.0, abs=1.0)


@pytest.mark.parametrize("served", [WARD_PLAN, POLYGON_PLAN, plan()], ids=lambda p: p.target_kind)
def test_the_served_ring_never_overlaps_its_target(served: Plan) -> None:
    """Subtracting the target in British National Grid and projecting the ring back left a
    sliver of 0.7-4 m2 inside the target; the ring is now cut from the target as stored."""
    target = target_geometry(served, ward_geometries=WARDS)

    grown = buffer_geometry(served, ward_geometries=WARDS)

    assert not grown.is_empty
    assert grown.intersection(target).area == 0
    assert grown.union(target).equals(ring(target, metres=served.buffer_m).union(target))
    assert area_m2(grown.union(target)) > area_m2(target)


def test_the_served_ring_is_the_ring_of_the_target() -> None:
    served = plan(buffer_m=120.0)
    target = target_geometry(served, ward_geometries={})

    assert buffer_geometry(served, ward_geometries={}).equals(ring(target, metres=120.0))


def test_no_buffer_is_an_empty_ring() -> None:
    assert buffer_geometry(plan(buffer_m=0.0), ward_geometries={}).is_empty
