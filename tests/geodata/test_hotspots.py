"""Hot-spot grids on hand-built wards drawn in British National Grid near Middlesbrough."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from pyproj import Transformer
from scipy import stats
from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geodata.crs import BNG, WGS84
from geodata.hotspots import HotspotError, HotspotGrid, _gi_star, bh_adjust, hotspot_grid

NAN = float("nan")
CELL = 250.0
E0, N0 = 450_000.0, 520_000.0
"""South-west corner of every fixture: a grid line in both directions (col 1800, row 2080)."""
COL0, ROW0 = 1800, 2080

TO_WGS84 = Transformer.from_crs(BNG, WGS84, always_xy=True)
TO_BNG = Transformer.from_crs(WGS84, BNG, always_xy=True)


def cells_box(col: float, row: float, width: float, height: float) -> Polygon:
    """A BNG rectangle measured in 250 m cells from (E0, N0)."""
    return box(
        E0 + col * CELL, N0 + row * CELL, E0 + (col + width) * CELL, N0 + (row + height) * CELL
    )


# Named wards, drawn in BNG metres.
SQUARE_5X5 = cells_box(0, 0, 5, 5)
"""Exactly 5 x 5 cells, edges on grid lines."""
UNALIGNED = box(E0 + 100, N0 + 100, E0 + 600, N0 + 400)
"""Off the grid: cols 1800-1802 and rows 2080-2081, every cell partial."""
L_SHAPE = shapely.union(cells_box(0, 0, 2, 1), cells_box(0, 1, 1, 1))
"""Cells (0, 0), (0, 1), (1, 0); the bounding box's cell (1, 1) is not the ward's."""
TWO_CELLS = cells_box(0, 0, 2, 1)
ONE_CELL = cells_box(0, 0, 1, 1)


def to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(TO_WGS84.transform(xy[:, 0], xy[:, 1]))
    )


def create_points(
    per_cell: dict[tuple[int, int], int], *, extra: list[tuple[float, float]] = ()
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """WGS84 lon/lat: ``k`` points at the centre of relative cell ``(row, col)``, plus extras."""
    eastings, northings = [], []
    for (row, col), k in per_cell.items():
        eastings += [E0 + (col + 0.5) * CELL] * k
        northings += [N0 + (row + 0.5) * CELL] * k
    lon, lat = TO_WGS84.transform(np.array(eastings, dtype=float), np.array(northings, dtype=float))
    extra_lon, extra_lat = zip(*extra, strict=True) if extra else ((), ())
    return np.concatenate([lon, extra_lon]), np.concatenate([lat, extra_lat])


def run(ward: BaseGeometry, per_cell: dict[tuple[int, int], int], **options: float) -> HotspotGrid:
    return hotspot_grid(to_wgs84(ward), *create_points(per_cell), **options)


def by_cell(grid: HotspotGrid, column: str) -> dict[tuple[int, int], object]:
    """``column`` keyed by the relative cell (row, col) from (ROW0, COL0)."""
    cells = grid.cells
    return {
        (row - ROW0, col - COL0): value
        for row, col, value in zip(cells["row"], cells["col"], cells[column], strict=True)
    }


def reference_gi_star(cells: dict[tuple[int, int], int]) -> dict[tuple[int, int], float]:
    """Gi* by the formula, one cell pair at a time, for kept cells ``(row, col): count``."""
    n = len(cells)
    if n < 3:
        return dict.fromkeys(cells, 0.0)
    mean = sum(cells.values()) / n
    s = math.sqrt(sum(x * x for x in cells.values()) / n - mean * mean)
    z = {}
    for ri, ci in cells:
        local = weights = weights_sq = 0.0
        for (rj, cj), x in cells.items():
            w = 1.0 if abs(ri - rj) <= 1 and abs(ci - cj) <= 1 else 0.0
            local += w * x
            weights += w
            weights_sq += w * w
        variance = (n * weights_sq - weights * weights) / (n - 1)
        z[ri, ci] = (
            0.0
            if s == 0 or variance == 0
            else ((local - mean * weights) / (s * math.sqrt(variance)))
        )
    return z


def reference_bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg, step by step: p * m / rank, then the running minimum from the top."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


# Grid and counts


def test_square_ward_has_its_25_cells_with_the_counts_placed() -> None:
    placed = {(row, col): (3 * row + col) % 4 for row in range(5) for col in range(5)}

    grid = run(SQUARE_5X5, placed)

    assert len(grid.cells) == 25
    assert by_cell(grid, "count") == placed
    assert grid.cells.crs == WGS84
    assert list(grid.cells.columns) == [
        "row",
        "col",
        "count",
        "z",
        "p",
        "q",
        "hot",
        "cold",
        "geometry",
    ]
    expected_order = sorted(zip(grid.cells["row"], grid.cells["col"], strict=True))
    assert list(zip(grid.cells["row"], grid.cells["col"], strict=True)) == expected_order
    assert grid.cells["row"].tolist() == [ROW0 + r for r in range(5) for _ in range(5)]
    assert grid.cells["col"].tolist() == [COL0 + c for _ in range(5) for c in range(5)]


def test_cells_are_anchored_at_multiples_of_the_cell_size() -> None:
    grid = run(UNALIGNED, {(0, 0): 2, (1, 2): 3})

    assert sorted(by_cell(grid, "count").items()) == [
        ((0, 0), 2),
        ((0, 1), 0),
        ((0, 2), 0),
        ((1, 0), 0),
        ((1, 1), 0),
        ((1, 2), 3),
    ]
    bounds = shapely.bounds(
        shapely.transform(
            np.asarray(grid.cells.geometry.values),
            lambda xy: np.column_stack(TO_BNG.transform(xy[:, 0], xy[:, 1])),
        )
    )
    expected = (
        np.column_stack(
            [grid.cells["col"], grid.cells["row"], grid.cells["col"] + 1, grid.cells["row"] + 1]
        )
        * CELL
    )
    # The BNG -> WGS84 -> BNG round trip (pyproj's Helmert inverse) moves corners by < 1 mm.
    np.testing.assert_allclose(bounds, expected, rtol=0, atol=0.002)


def test_partial_edge_cells_count_points_inside_the_ward() -> None:
    # In UNALIGNED, (E0 + 150, N0 + 150) is in partial cell (0, 0), (E0 + 550, N0 + 350) in (1, 2).
    lon, lat = TO_WGS84.transform(
        np.array([E0 + 150, E0 + 550, E0 + 550]), np.array([N0 + 150, N0 + 350, N0 + 380])
    )

    grid = hotspot_grid(to_wgs84(UNALIGNED), lon, lat, cell_size_m=CELL)

    assert by_cell(grid, "count") == {
        (0, 0): 1,
        (0, 1): 0,
        (0, 2): 0,
        (1, 0): 0,
        (1, 1): 0,
        (1, 2): 2,
    }


def test_a_coarser_grid_is_anchored_at_its_own_multiples() -> None:
    grid = hotspot_grid(to_wgs84(SQUARE_5X5), [], [], cell_size_m=500.0)

    # 450,000..451,250 E spans 500 m cols 900, 901, 902; 520,000..521,250 N rows 1040-1042.
    assert grid.cells["col"].tolist() == [900, 901, 902] * 3
    assert grid.cells["row"].tolist() == [1040] * 3 + [1041] * 3 + [1042] * 3


def test_points_outside_the_kept_cells_or_without_coordinates_are_ignored() -> None:
    lon, lat = create_points(
        {(0, 0): 1, (0, 1): 2, (1, 0): 3, (1, 1): 7},  # (1, 1) is in the box, not the ward
        extra=[(NAN, 54.5), (-1.2, NAN), (NAN, NAN), (-1.0, 54.0), (0.0, 0.0)],
    )

    grid = hotspot_grid(to_wgs84(L_SHAPE), lon, lat)

    assert by_cell(grid, "count") == {(0, 0): 1, (0, 1): 2, (1, 0): 3}


def test_a_ward_touching_a_cell_does_not_keep_it() -> None:
    # A 1 m strip along the east edge of SQUARE_5X5 reaches into col 5; a 5 mm one does not.
    wide = shapely.union(SQUARE_5X5, box(E0 + 1250, N0, E0 + 1251, N0 + 250))
    narrow = shapely.union(SQUARE_5X5, box(E0 + 1250, N0, E0 + 1250.005, N0 + 250))

    assert len(run(wide, {}).cells) == 26
    assert len(run(narrow, {}).cells) == 25


# Gi* by hand


def test_centre_of_a_busy_block_is_a_hot_spot_worked_by_hand() -> None:
    # Every cell 1 point, except the centre 3 x 3 block (rows 1-3, cols 1-3) with 20 each.
    placed = {
        (row, col): 20 if 1 <= row <= 3 and 1 <= col <= 3 else 1
        for row in range(5)
        for col in range(5)
    }

    grid = run(SQUARE_5X5, placed)

    # n = 25 cells; Σx = 9·20 + 16·1 = 196; X̄ = 196 / 25 = 7.84.
    # Σx² = 9·400 + 16·1 = 3616; S² = 3616 / 25 - 7.84² = 144.64 - 61.4656 = 83.1744.
    s = math.sqrt(83.1744)
    # Centre (2, 2): its 3 x 3 block is the busy block, Σw = Σw² = 9, Σwx = 9·20 = 180.
    # z = (180 - 7.84·9) / (S·sqrt((25·9 - 9²) / 24)) = 109.44 / (S·sqrt(144 / 24)).
    centre = 109.44 / (s * math.sqrt(6.0))
    # Corner (0, 0): block (0..1, 0..1), Σw = 4, Σwx = 1 + 1 + 1 + 20 = 23.
    # z = (23 - 7.84·4) / (S·sqrt((25·4 - 4²) / 24)) = -8.36 / (S·sqrt(84 / 24)).
    corner = -8.36 / (s * math.sqrt(3.5))
    z = by_cell(grid, "z")
    assert z[2, 2] == pytest.approx(centre, rel=0, abs=1e-9)
    assert centre == pytest.approx(4.8990, abs=1e-4)
    assert z[0, 0] == pytest.approx(corner, rel=0, abs=1e-9)
    assert by_cell(grid, "p")[2, 2] == pytest.approx(2 * stats.norm.sf(centre), rel=1e-12)
    hot = by_cell(grid, "hot")
    assert hot[2, 2]
    assert not hot[0, 0]
    assert not grid.cells["cold"].any()


def test_centre_of_an_empty_block_is_a_cold_spot() -> None:
    # 7 x 7 cells of 10 points each, except an empty centre 3 x 3 block.
    placed = {
        (row, col): 0 if 2 <= row <= 4 and 2 <= col <= 4 else 10
        for row in range(7)
        for col in range(7)
    }

    grid = run(cells_box(0, 0, 7, 7), placed)

    # X̄ = 400 / 49, S² = 4000 / 49 - X̄², centre: Σwx = 0, Σw = 9.
    mean = 400 / 49
    s = math.sqrt(4000 / 49 - mean**2)
    expected = (0 - mean * 9) / (s * math.sqrt((49 * 9 - 81) / 48))
    assert by_cell(grid, "z")[3, 3] == pytest.approx(expected, rel=0, abs=1e-9)
    assert by_cell(grid, "cold")[3, 3]
    assert not grid.cells["hot"].any()


@pytest.mark.parametrize("per_cell", [2, 0], ids=["two-each", "empty"])
def test_a_uniform_grid_has_no_hot_spot_and_zero_z(per_cell: int) -> None:
    grid = run(SQUARE_5X5, {(r, c): per_cell for r in range(5) for c in range(5)})

    assert (grid.cells["z"] == 0).all()
    assert (grid.cells["p"] == 1).all()
    assert (grid.cells["q"] == 1).all()
    assert not grid.cells["hot"].any()
    assert not grid.cells["cold"].any()


@pytest.mark.parametrize("ward", [ONE_CELL, TWO_CELLS], ids=["one", "two"])
def test_fewer_than_three_cells_give_no_test(ward: Polygon) -> None:
    grid = run(ward, {(0, 0): 5})

    assert grid.cells["count"].tolist()[0] == 5
    assert (grid.cells["z"] == 0).all()
    assert (grid.cells["p"] == 1).all()
    assert not grid.cells["hot"].any()


def test_a_cell_whose_block_is_the_whole_ward_gets_zero() -> None:
    # L_SHAPE has 3 cells, all in each other's 3 x 3 block: Σw = n, so Gi* is 0 / 0.
    grid = run(L_SHAPE, {(0, 0): 9, (0, 1): 1, (1, 0): 0})

    assert grid.cells["z"].tolist() == [0.0, 0.0, 0.0]
    assert grid.cells["p"].tolist() == [1.0, 1.0, 1.0]


# Independent checks


def test_vectorised_gi_star_matches_the_double_loop_on_a_random_ward() -> None:
    rng = np.random.default_rng(20240611)
    # A 9 x 8 block with a bite out of one side and a hole in the middle.
    ward = shapely.difference(cells_box(0, 0, 9, 8), cells_box(6, 2, 3, 3))
    ward = Polygon(ward.exterior.coords, [cells_box(2, 5, 1, 1).exterior.coords])
    e = rng.uniform(E0, E0 + 9 * CELL, 3000)
    n = rng.uniform(N0, N0 + 8 * CELL, 3000)
    keep = rng.random(3000) < np.where(e < E0 + 4 * CELL, 0.9, 0.2)  # busier in the west
    lon, lat = TO_WGS84.transform(e[keep], n[keep])

    grid = hotspot_grid(to_wgs84(ward), lon, lat)

    cells = grid.cells
    counts = {
        (r, c): int(x) for r, c, x in zip(cells["row"], cells["col"], cells["count"], strict=True)
    }
    assert len(counts) == 9 * 8 - 9 - 1
    assert sum(counts.values()) == int(shapely.contains_xy(ward, e[keep], n[keep]).sum())
    expected = reference_gi_star(counts)
    np.testing.assert_allclose(cells["z"], [expected[key] for key in counts], rtol=0, atol=1e-9)
    p = [2 * stats.norm.sf(abs(expected[key])) for key in counts]
    np.testing.assert_allclose(cells["q"], reference_bh(p), rtol=1e-12, atol=0)
    assert cells["hot"].any()
    assert cells["cold"].any()


@settings(max_examples=100, deadline=None)
@given(
    counts=hnp.arrays(
        np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.integers(0, 30)
    ),
    data=st.data(),
)
def test_gi_star_matches_the_double_loop_on_any_grid(
    counts: npt.NDArray[np.int64], data: st.DataObject
) -> None:
    kept = data.draw(hnp.arrays(np.bool_, counts.shape))
    counts = np.where(kept, counts, 0)

    z = _gi_star(counts, kept)

    cells = {(int(r), int(c)): int(counts[r, c]) for r, c in zip(*np.nonzero(kept), strict=True)}
    if not cells:
        assert (z == 0).all()
        return
    expected = reference_gi_star(cells)
    np.testing.assert_allclose([z[key] for key in cells], list(expected.values()), atol=1e-9)
    assert (z[~kept] == 0).all()


# Benjamini-Hochberg


def test_benjamini_hochberg_worked_by_hand() -> None:
    # Sorted: 0.01 (rank 1), 0.03 (2), 0.04 (3), 0.20 (4); p·m/rank = 0.04, 0.06, 0.0533…, 0.20.
    # Running minimum from the top: 0.20, 0.16/3, min(0.06, 0.16/3) = 0.16/3, 0.04.
    q = bh_adjust(np.array([0.01, 0.04, 0.03, 0.20]))

    np.testing.assert_allclose(q, [0.04, 0.16 / 3, 0.16 / 3, 0.20], rtol=1e-12)
    assert bh_adjust(np.array([])).size == 0


@given(hnp.arrays(np.float64, st.integers(1, 60), elements=st.floats(0.0, 1.0)))
def test_benjamini_hochberg_is_scipys(p: npt.NDArray[np.float64]) -> None:
    np.testing.assert_array_equal(bh_adjust(p), stats.false_discovery_control(p, method="bh"))


# Arguments and method


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cell_size_m": 0}, r"cell_size_m must be a finite number of metres > 0, got 0"),
        ({"cell_size_m": -250.0}, r"cell_size_m .* got -250.0"),
        ({"cell_size_m": NAN}, r"cell_size_m .* got nan"),
        ({"cell_size_m": math.inf}, r"cell_size_m .* got inf"),
        ({"cell_size_m": "250"}, r"cell_size_m .* got '250'"),
        ({"alpha": 0.0}, r"alpha must be a number with 0 < alpha < 1, got 0.0"),
        ({"alpha": 1}, r"alpha .* got 1"),
        ({"alpha": NAN}, r"alpha .* got nan"),
        ({"alpha": True}, r"alpha .* got True"),
    ],
)
def test_options_out_of_range_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(HotspotError, match=message):
        hotspot_grid(to_wgs84(SQUARE_5X5), [], [], **options)  # type: ignore[arg-type]


def test_coordinates_of_different_lengths_are_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"must be 1-d and of equal length, got shapes \(2,\) and \(1,\)$",
    ):
        hotspot_grid(to_wgs84(SQUARE_5X5), [-1.2, -1.2], [54.5])


@pytest.mark.parametrize(
    ("ward", "got"),
    [(Point(-1.2, 54.5), "Point"), (Polygon(), r"Polygon \(empty\)"), ("E05000001", "str")],
)
def test_a_ward_that_is_not_a_polygon_is_refused(ward: object, got: str) -> None:
    with pytest.raises(
        ValueError, match=rf"ward must be a non-empty shapely Polygon or MultiPolygon .*, got {got}"
    ):
        hotspot_grid(ward, [], [])  # type: ignore[arg-type]


def test_method_names_the_parameters_and_the_result_is_repeatable() -> None:
    placed = {(r, c): (r * c) % 5 for r, c in itertools.product(range(5), range(5))}

    first = run(SQUARE_5X5, placed, cell_size_m=CELL, alpha=0.1)
    second = run(SQUARE_5X5, placed, cell_size_m=CELL, alpha=0.1)

    assert (first.cell_size_m, first.alpha) == (250.0, 0.1)
    assert "250 m squares" in first.method
    assert "below 0.1 " in first.method
    assert "(25 squares for this ward)" in first.method
    assert "\n" not in first.method
    pd.testing.assert_frame_equal(first.cells, second.cells)


def test_points_given_once_with_weights_make_the_grid_of_every_incident() -> None:
    per_cell = {(0, 0): 9, (1, 1): 4, (2, 3): 1, (4, 4): 7}
    ward = to_wgs84(SQUARE_5X5)
    lon, lat = create_points(dict.fromkeys(per_cell, 1), extra=[(NAN, NAN)])
    weights = [*per_cell.values(), 3]
    repeated = hotspot_grid(ward, *create_points(per_cell, extra=[(NAN, NAN)] * 3))

    weighted = hotspot_grid(ward, lon, lat, weights=weights)

    pd.testing.assert_frame_equal(weighted.cells, repeated.cells)
    assert weighted.method == repeated.method
    assert by_cell(weighted, "count")[0, 0] == 9
    for bad in ([1, 2], [1, 2, 3, 4, -1]):
        with pytest.raises(HotspotError, match="weights must be one whole number >= 0"):
            hotspot_grid(ward, lon, lat, weights=bad)
