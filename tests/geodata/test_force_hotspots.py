"""Force-wide hot spots on hand-drawn wards in British National Grid, and on Cleveland 2025."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.errors import GeodataError
from geodata.force_hotspots import (
    MIN_HOT_COUNT,
    STATION_NOTE,
    force_hotspots,
    hot_cells_for_ward,
    label_cells,
    place_name,
    station_points,
)
from geodata.hotspots import hotspot_grid
from tests.geodata import cleveland
from tests.geodata.test_hotspots import (
    CELL,
    COL0,
    E0,
    N0,
    ROW0,
    TO_WGS84,
    cells_box,
    reference_gi_star,
    to_wgs84,
)

# Two wards side by side whose shared edge cuts column 2 in half: the force is 5 x 3 cells.
WEST = cells_box(0, 0, 2.5, 3)
EAST = cells_box(2.5, 0, 2.5, 3)
FORCE = shapely.union(WEST, EAST)


def create_incidents(
    per_cell: dict[tuple[float, float], int], *, location: str = "On or near High Street"
) -> pd.DataFrame:
    """``k`` incidents at relative position ``(row, col)`` (cell units from the corner)."""
    rows = []
    for (row, col), k in per_cell.items():
        lon, lat = TO_WGS84.transform(E0 + col * CELL, N0 + row * CELL)
        rows.append({"location": location, "longitude": lon, "latitude": lat, "n": k})
    return pd.DataFrame(rows, columns=["location", "longitude", "latitude", "n"])


def by_cell(cells: pd.DataFrame, column: str) -> dict[tuple[int, int], object]:
    return {
        (int(r) - ROW0, int(c) - COL0): v
        for r, c, v in zip(cells["row"], cells["col"], cells[column], strict=True)
    }


def test_a_square_cut_by_a_ward_boundary_is_counted_whole_and_scored_against_the_force() -> None:
    # Column 2 is cut by the boundary: 6 incidents on the west side of (1, 2), 9 on the east.
    placed = {(1.5, 2.25): 6, (1.5, 2.75): 9, (0.5, 0.5): 1, (2.5, 4.5): 2, (1.5, 1.5): 4}
    incidents = create_incidents(placed)

    result = force_hotspots(to_wgs84(FORCE), incidents, min_count=0)

    counts = by_cell(result.cells, "count")
    assert len(counts) == 15
    assert counts[1, 2] == 15
    expected = {cell: 0 for cell in counts}
    expected.update({(1, 2): 15, (0, 0): 1, (2, 4): 2, (1, 1): 4})
    assert counts == expected
    reference = reference_gi_star(expected)
    z = by_cell(result.cells, "z")
    for cell, value in reference.items():
        assert z[cell] == pytest.approx(value, abs=1e-9)
    # The west ward's own grid counts only its 6 + 4 + 1 and compares with its own mean.
    west = hotspot_grid(
        to_wgs84(WEST),
        *TO_WGS84.transform(
            np.array([E0 + 2.25 * CELL] * 6 + [E0 + 1.5 * CELL] * 4 + [E0 + 0.5 * CELL]),
            np.array([N0 + 1.5 * CELL] * 10 + [N0 + 0.5 * CELL]),
        ),
    )
    assert by_cell(west.cells, "count")[1, 2] == 6


def test_a_quiet_square_beside_busy_ones_is_not_hot_below_the_minimum() -> None:
    # 7 x 7 force of 1 incident a square, a ring of 30s round an empty centre (3, 3).
    force = cells_box(0, 0, 7, 7)
    placed: dict[tuple[float, float], int] = {
        (r + 0.5, c + 0.5): 1 for r in range(7) for c in range(7)
    }
    for r in (2, 3, 4):
        for c in (2, 3, 4):
            placed[r + 0.5, c + 0.5] = 0 if (r, c) == (3, 3) else 30
    incidents = create_incidents({k: v for k, v in placed.items() if v})

    floor = force_hotspots(to_wgs84(force), incidents)
    none = force_hotspots(to_wgs84(force), incidents, min_count=0)

    assert MIN_HOT_COUNT == 10
    assert by_cell(none.cells, "hot")[3, 3]
    assert not by_cell(floor.cells, "hot")[3, 3]
    assert by_cell(floor.cells, "hot")[2, 3]
    assert (floor.cells.loc[floor.cells["hot"], "count"] >= 10).all()


def test_station_points_are_flagged_by_name_and_pile_up() -> None:
    incidents = pd.concat(
        [
            create_incidents({(0.5, 0.5): 200}, location="On or near Police Station"),
            create_incidents({(2.5, 4.5): 3}, location="On or near POLICE STATION"),
            create_incidents({(1.5, 3.5): 150}, location="On or near Supermarket"),
            *[create_incidents({(0.5 + r, 1.5): 2}) for r in range(3)],
        ],
        ignore_index=True,
    )

    stations = station_points(incidents)

    # Mean per snap point: (200 + 3 + 150 + 2 + 2 + 2) / 6 = 59.83. At the default factor
    # (10 x 59.83 = 598.3) nothing piles up; at 3 (179.5) the 200 at "Police Station" does,
    # the 3 at the other station point do not, and the 150 at a supermarket is no station.
    assert stations.empty
    flagged = station_points(incidents, pile_up_factor=3)
    assert flagged[["location", "n"]].values.tolist() == [["On or near Police Station", 200]]


def test_station_records_are_left_out_of_the_hot_spots_with_a_note() -> None:
    busy = create_incidents({(1.5, 0.5): 400}, location="On or near Police Station")
    others = create_incidents({(r + 0.5, c + 0.5): 1 for r in range(3) for c in range(5)})
    incidents = pd.concat([busy, others], ignore_index=True)

    kept = force_hotspots(to_wgs84(FORCE), incidents)
    everything = force_hotspots(to_wgs84(FORCE), incidents, leave_out_stations=False)

    assert kept.excluded["n"].tolist() == [400]
    assert kept.note == STATION_NOTE
    assert by_cell(kept.cells, "count")[1, 0] == 1
    assert by_cell(everything.cells, "count")[1, 0] == 401
    assert everything.note == "" and everything.excluded.empty


def test_labels_name_the_busiest_streets_before_kinds_of_place() -> None:
    incidents = pd.concat(
        [
            create_incidents({(0.5, 0.5): 5}, location="On or near Albert Road"),
            create_incidents({(0.6, 0.6): 7}, location="On or near Linthorpe Road"),
            create_incidents({(0.4, 0.4): 20}, location="On or near Supermarket"),
            create_incidents({(0.5, 1.5): 4}, location="On or near Parking Area"),
            create_incidents({(0.5, 2.5): 4}, location="On or near Pelham Street"),
        ],
        ignore_index=True,
    )

    labels = label_cells(incidents, cell_size_m=CELL)

    assert labels == {
        (ROW0, COL0): "Linthorpe Road and Albert Road area",
        (ROW0, COL0 + 1): "Parking Area area",
        (ROW0, COL0 + 2): "Pelham Street area",
    }
    assert place_name("On or near Albert Road") == "Albert Road"


def test_hot_cells_for_a_ward_reach_into_it_and_keep_the_force_figures() -> None:
    force = cells_box(0, 0, 7, 7)
    placed = {(r + 0.5, c + 0.5): 1 for r in range(7) for c in range(7)}
    placed.update({(r + 0.5, c + 0.5): 30 for r in (4, 5, 6) for c in (4, 5, 6)})
    result = force_hotspots(to_wgs84(force), create_incidents(placed))
    inside = to_wgs84(cells_box(5, 5, 2, 2))
    touching = to_wgs84(cells_box(0, 0, 4, 4))  # meets the busy block only at a corner

    listed = hot_cells_for_ward(result, inside)

    assert set(by_cell(listed, "count")) <= {(r, c) for r in (4, 5, 6) for c in (4, 5, 6)}
    assert {(5, 5), (6, 6)} <= set(by_cell(listed, "count"))
    assert all(n == 30 for n in by_cell(listed, "count").values())
    assert hot_cells_for_ward(result, touching).empty


def test_a_bad_minimum_or_missing_column_is_refused() -> None:
    incidents = create_incidents({(0.5, 0.5): 1})
    with pytest.raises(GeodataError, match="min_count must be a whole number >= 0"):
        force_hotspots(to_wgs84(FORCE), incidents, min_count=-1)
    with pytest.raises(GeodataError, match="must have a 'location' column"):
        force_hotspots(to_wgs84(FORCE), incidents.drop(columns="location"))


@pytest.mark.realdata
def test_cleveland_2025_force_hot_spots(real_data: Path) -> None:
    wards = cleveland.wards(real_data)
    incidents = cleveland.incidents(real_data)

    result = force_hotspots(shapely.union_all(wards.geometry.to_numpy()), incidents)

    hot = result.cells[result.cells["hot"]]
    assert len(hot) == 607
    assert int(hot["count"].min()) >= MIN_HOT_COUNT
    assert (hot["label"] != "").all()
    assert result.excluded["n"].tolist() == [679, 316, 252, 134]
    central = wards.loc[wards["name"] == "Central", "geometry"].item()
    top = hot_cells_for_ward(result, central).iloc[0]
    assert (top["count"], top["label"]) == (
        873,
        "Captain Cook Square and The Cleveland Shopping Centre area",
    )
