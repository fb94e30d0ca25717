"""The point-to-ward join, on hand-drawn wards a kilometre or so wide near Middlesbrough."""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geodata.crs import BNG, WGS84
from geodata.join import OUTSIDE, JoinError, _distinct_points, assign_wards

NAN = float("nan")

# Named shapes, in WGS84 degrees. Every shared edge and vertex is written with the same
# literal in each shape, so the points placed on them are exactly on them.
#
#   54.61 +------+------+
#         | WEST | EAST |        WEST and EAST share the edge x = -1.19;
#   54.60 +------*------+        WEST, EAST and SOUTH share the vertex * (-1.19, 54.60).
#         |    SOUTH    |
#   54.59 +-------------+
#       -1.20  -1.19  -1.18
WEST = box(-1.20, 54.60, -1.19, 54.61)
EAST = box(-1.19, 54.60, -1.18, 54.61)
SOUTH = Polygon([(-1.20, 54.59), (-1.18, 54.59), (-1.18, 54.60), (-1.19, 54.60), (-1.20, 54.60)])
"""SOUTH has (-1.19, 54.60) as a vertex of its own, not just a point on its top edge."""

SHARED_EDGE = (-1.19, 54.605)
SHARED_VERTEX = (-1.19, 54.60)

# A ward with a hole, and the enclave ward that fills it:
#   RING is the square (-1.20, 54.62)-(-1.17, 54.65) less the middle square HOLE.
HOLE = box(-1.19, 54.63, -1.18, 54.64)
RING = Polygon(box(-1.20, 54.62, -1.17, 54.65).exterior.coords, [HOLE.exterior.coords])
ENCLAVE = HOLE
IN_HOLE = (-1.185, 54.635)
ON_HOLE_EDGE = (-1.19, 54.635)

# A ward in two parts with a gap between them, inside its bounding box.
TWO_PARTS = MultiPolygon([box(-1.25, 54.60, -1.24, 54.61), box(-1.22, 54.60, -1.21, 54.61)])
IN_SECOND_PART = (-1.215, 54.605)
IN_GAP = (-1.23, 54.605)

FAR_AWAY = (-1.0, 54.0)


def create_wards(shapes: dict[str, BaseGeometry], *, crs: str | None = WGS84) -> gpd.GeoDataFrame:
    """A wards frame with one row per ``code: shape``, in the order given."""
    return gpd.GeoDataFrame({"code": list(shapes)}, geometry=list(shapes.values()), crs=crs)


def codes_of(points: list[tuple[float, float]], wards: gpd.GeoDataFrame) -> list[str | None]:
    """The code of the ward each point is assigned to (None for OUTSIDE)."""
    longitude = [p[0] for p in points]
    latitude = [p[1] for p in points]
    positions = assign_wards(longitude, latitude, wards)
    codes = wards["code"].to_numpy()
    return [None if p == OUTSIDE else codes[p] for p in positions]


# --- one point, one answer -------------------------------------------------------------


def test_point_inside_a_ward_gets_its_position() -> None:
    wards = create_wards({"E05000002": WEST, "E05000001": EAST})
    positions = assign_wards([-1.195, -1.185], [54.605, 54.605], wards)
    assert positions.tolist() == [0, 1]
    assert positions.dtype == np.intp


def test_position_is_by_row_not_by_index_label() -> None:
    wards = create_wards({"E05000002": WEST, "E05000001": EAST})
    wards.index = pd.Index([10, 0])
    assert assign_wards([-1.195, -1.185], [54.605, 54.605], wards).tolist() == [0, 1]


def test_code_column_is_configurable() -> None:
    wards = create_wards({"E05000002": WEST, "E05000001": EAST}).rename(columns={"code": "WD25CD"})
    positions = assign_wards([SHARED_EDGE[0]], [SHARED_EDGE[1]], wards, code_column="WD25CD")
    assert positions.tolist() == [1]


@pytest.mark.parametrize("order", [("WEST", "EAST"), ("EAST", "WEST")])
@pytest.mark.parametrize(
    ("west_code", "east_code"), [("E05000001", "E05000002"), ("E05000002", "E05000001")]
)
def test_point_on_a_shared_edge_goes_to_the_smaller_code_whatever_the_row_order(
    order: tuple[str, str], west_code: str, east_code: str
) -> None:
    shapes = {"WEST": (west_code, WEST), "EAST": (east_code, EAST)}
    wards = create_wards(dict(shapes[name] for name in order))
    assert codes_of([SHARED_EDGE], wards) == ["E05000001"]


@pytest.mark.parametrize("order", list(itertools.permutations(["WEST", "EAST", "SOUTH"])))
def test_point_on_a_vertex_shared_by_three_wards_goes_to_the_smallest_code(
    order: tuple[str, ...],
) -> None:
    shapes = {
        "WEST": ("E05000003", WEST),
        "EAST": ("E05000002", EAST),
        "SOUTH": ("E05000001", SOUTH),
    }
    wards = create_wards(dict(shapes[name] for name in order))
    assert codes_of([SHARED_VERTEX], wards) == ["E05000001"]


def test_point_in_a_hole_is_outside_when_nothing_fills_it() -> None:
    wards = create_wards({"E05000001": RING, "E05000002": WEST})
    assert codes_of([IN_HOLE, ON_HOLE_EDGE], wards) == [None, "E05000001"]


@pytest.mark.parametrize(
    ("ring_code", "enclave_code"), [("E05000001", "E05000002"), ("E05000002", "E05000001")]
)
def test_point_in_a_hole_belongs_to_the_enclave_ward(ring_code: str, enclave_code: str) -> None:
    wards = create_wards({ring_code: RING, enclave_code: ENCLAVE})
    assert codes_of([IN_HOLE, ON_HOLE_EDGE], wards) == [enclave_code, "E05000001"]


def test_point_in_the_second_part_of_a_multipolygon_ward() -> None:
    wards = create_wards({"E05000001": WEST, "E05000002": TWO_PARTS})
    assert codes_of([IN_SECOND_PART, IN_GAP], wards) == ["E05000002", None]


def test_point_outside_every_ward() -> None:
    wards = create_wards({"E05000001": WEST, "E05000002": EAST, "E05000003": SOUTH})
    assert assign_wards([FAR_AWAY[0]], [FAR_AWAY[1]], wards).tolist() == [OUTSIDE]


@pytest.mark.parametrize(
    "point",
    [(NAN, 54.605), (-1.195, NAN), (NAN, NAN)],
    ids=["no longitude", "no latitude", "neither"],
)
def test_nan_coordinates_are_outside(point: tuple[float, float]) -> None:
    wards = create_wards({"E05000001": WEST, "E05000002": EAST})
    points = [(-1.195, 54.605), point, point, (-1.185, 54.605)]
    assert codes_of(points, wards) == ["E05000001", None, None, "E05000002"]


def test_many_duplicate_points_give_the_same_answer_as_the_unique_points() -> None:
    wards = create_wards({"E05000003": WEST, "E05000002": EAST, "E05000001": SOUTH})
    unique = [
        (-1.195, 54.605),
        (-1.185, 54.605),
        SHARED_EDGE,
        SHARED_VERTEX,
        (-1.19, 54.595),
        FAR_AWAY,
        (NAN, NAN),
    ]
    expected = assign_wards([p[0] for p in unique], [p[1] for p in unique], wards)
    which = np.random.default_rng(20250101).integers(0, len(unique), size=5_000)
    longitude = np.array([p[0] for p in unique])[which]
    latitude = np.array([p[1] for p in unique])[which]
    assert assign_wards(longitude, latitude, wards).tolist() == expected[which].tolist()
    assert expected.tolist() == [0, 1, 1, 2, 2, OUTSIDE, OUTSIDE]


def test_empty_input_gives_an_empty_answer() -> None:
    wards = create_wards({"E05000001": WEST})
    positions = assign_wards([], [], wards)
    assert positions.shape == (0,)
    assert positions.dtype == np.intp


def test_wards_in_british_national_grid_are_refused() -> None:
    wards = create_wards({"E05000001": WEST}).to_crs(BNG)
    with pytest.raises(JoinError, match=r"EPSG:4326.*EPSG:27700|EPSG:27700.*EPSG:4326"):
        assign_wards([-1.195], [54.605], wards)


def test_wards_without_a_crs_are_refused() -> None:
    wards = create_wards({"E05000001": WEST}, crs=None)
    with pytest.raises(JoinError, match="EPSG:4326"):
        assign_wards([-1.195], [54.605], wards)


@pytest.mark.parametrize(
    ("longitude", "latitude"),
    [
        ([-1.195, -1.185], [54.605]),
        ([-1.195], []),
        ([[-1.195]], [[54.605]]),
    ],
    ids=["2 and 1", "1 and 0", "2-d"],
)
def test_coordinates_of_different_shapes_are_refused(
    longitude: list[float], latitude: list[float]
) -> None:
    wards = create_wards({"E05000001": WEST})
    with pytest.raises(JoinError, match="equal length"):
        assign_wards(longitude, latitude, wards)


def test_join_error_is_a_value_error() -> None:
    assert issubclass(JoinError, ValueError)


# --- de-duplication by mixed bit patterns ----------------------------------------------

MIX = 0x9E3779B97F4A7C15
"""The multiplier `_distinct_points` mixes the longitude bits with."""
BITS64 = (1 << 64) - 1


def float_bits(value: float) -> int:
    return int(np.float64(value).view(np.uint64))


def bits_float(bits: int) -> float:
    return float(np.uint64(bits).view(np.float64))


def mixed_key(x: float, y: float) -> int:
    return ((float_bits(x) * MIX) & BITS64) ^ float_bits(y)


def colliding_latitude(x1: float, y1: float, x2: float) -> float:
    """The latitude that gives (x2, latitude) the same mixed key as (x1, y1)."""
    return bits_float(mixed_key(x1, y1) ^ ((float_bits(x2) * MIX) & BITS64))


def colliding_point(x1: float, y1: float) -> tuple[float, float]:
    """A finite point other than (x1, y1) whose mixed key is the same."""
    x2 = x1 + 0.01
    while not np.isfinite(colliding_latitude(x1, y1, x2)):
        x2 = float(np.nextafter(x2, 0.0))
    return x2, colliding_latitude(x1, y1, x2)


def test_colliding_keys_are_not_merged() -> None:
    x1, y1 = -1.195, 54.605
    x2, y2 = colliding_point(x1, y1)
    assert (x2, y2) != (x1, y1)
    assert mixed_key(x1, y1) == mixed_key(x2, y2)

    x = np.array([x1, x2, x1, x2])
    y = np.array([y1, y2, y1, y2])
    inverse, ux, uy = _distinct_points(x, y)
    assert len(ux) == 2
    assert ux[inverse].tolist() == x.tolist()
    assert uy[inverse].tolist() == y.tolist()

    # A second ward around the colliding point, wherever its latitude landed, so that
    # merging the two points would give them the same ward.
    around_x2 = box(x2 - 0.001, y2 - 0.001, x2 + 0.001, y2 + 0.001)
    wards = create_wards({"E05000001": WEST, "E05000002": around_x2})
    assert codes_of(list(zip(x, y, strict=True)), wards) == [
        "E05000001",
        "E05000002",
        "E05000001",
        "E05000002",
    ]


def test_point_without_a_location_colliding_with_a_located_point_is_outside() -> None:
    """A NaN longitude with the latitude that gives it the key of a point inside WEST.

    The collision check in `_distinct_points` skips points with a NaN coordinate, so such a
    point merged into a located one would take that point's ward.
    """
    x1, y1 = -1.195, 54.605
    latitude = colliding_latitude(x1, y1, NAN)
    assert np.isfinite(latitude)
    assert mixed_key(NAN, latitude) == mixed_key(x1, y1)
    wards = create_wards({"E05000001": WEST})
    assert codes_of([(x1, y1), (NAN, latitude)], wards) == ["E05000001", None]


# --- property: the same answer as geopandas.sjoin ---------------------------------------

GRID_X = -1.20 + 0.01 * np.arange(4)
GRID_Y = 54.60 + 0.01 * np.arange(4)
"""Edges of a 3 x 3 grid of square wards; points snapped to edges use these same floats."""
GRID_SQUARES = [
    box(GRID_X[i], GRID_Y[j], GRID_X[i + 1], GRID_Y[j + 1]) for i in range(3) for j in range(3)
]

grid_x = st.sampled_from(GRID_X.tolist())
grid_y = st.sampled_from(GRID_Y.tolist())
free_x = st.floats(-1.21, -1.16)
free_y = st.floats(54.59, 54.64)
any_point = st.one_of(
    st.tuples(grid_x, grid_y),  # a vertex shared by up to four wards
    st.tuples(grid_x, free_y),  # on a north-south edge (or outside the grid)
    st.tuples(free_x, grid_y),  # on an east-west edge
    st.tuples(free_x, free_y),  # anywhere, mostly inside one ward
    st.sampled_from([(NAN, 54.605), (-1.195, NAN), (NAN, NAN)]),
)


def reference_codes(
    longitude: npt.NDArray[np.float64], latitude: npt.NDArray[np.float64], wards: gpd.GeoDataFrame
) -> list[str | None]:
    """Smallest code among the wards a point intersects, by geopandas.sjoin."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(longitude, latitude), crs=WGS84)
    joined = gpd.sjoin(points, wards[["code", "geometry"]], predicate="intersects", how="left")
    smallest = joined["code"].groupby(level=0).min()
    return [None if pd.isna(code) else code for code in smallest.sort_index()]


@settings(max_examples=100, deadline=None)
@given(
    codes=st.permutations([f"E0500000{i}" for i in range(1, 10)]),
    row_order=st.permutations(range(9)),
    distinct=st.lists(any_point, min_size=1, max_size=20),
    data=st.data(),
)
def test_assign_wards_agrees_with_sjoin_keeping_the_smallest_code(
    codes: list[str],
    row_order: list[int],
    distinct: list[tuple[float, float]],
    data: st.DataObject,
) -> None:
    wards = create_wards({codes[i]: GRID_SQUARES[i] for i in row_order})
    which = data.draw(st.lists(st.integers(0, len(distinct) - 1), min_size=0, max_size=200))
    longitude = np.array([distinct[i][0] for i in which], dtype=np.float64)
    latitude = np.array([distinct[i][1] for i in which], dtype=np.float64)
    assert codes_of(list(zip(longitude, latitude, strict=True)), wards) == reference_codes(
        longitude, latitude, wards
    )


# --- real data -------------------------------------------------------------------------


@pytest.mark.realdata
def test_cleveland_2025_matches_sjoin_per_ward(real_data: Path) -> None:
    wards = pd.concat(
        [
            gpd.read_file(path)
            for path in sorted((real_data / "boundaries/wards_wd25").glob("*.geojson"))
        ],
        ignore_index=True,
    ).rename(columns={"WD25CD": "code"})
    crimes = pd.concat(
        [pd.read_csv(path) for path in sorted((real_data / "police_uk/cleveland").glob("*.csv"))],
        ignore_index=True,
    )
    assert len(wards) == 83
    assert len(crimes) == 89_391

    longitude = crimes["Longitude"].to_numpy(dtype=np.float64)
    latitude = crimes["Latitude"].to_numpy(dtype=np.float64)
    positions = assign_wards(longitude, latitude, wards)
    codes = wards["code"].to_numpy()
    assigned = pd.Series([None if p == OUTSIDE else codes[p] for p in positions], dtype=object)
    reference = pd.Series(reference_codes(longitude, latitude, wards), dtype=object)

    assert assigned.value_counts().to_dict() == reference.value_counts().to_dict()
    assert assigned.notna().sum() == 89_373
    assert assigned.isna().sum() == 18
    assert assigned.equals(reference)
