"""Best-fit LSOA-to-ward lookup and ward population, on hand-drawn LSOAs near Middlesbrough."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from geodata.crs import BNG, WGS84
from geodata.errors import BoundaryError, PopulationError
from geodata.population import (
    METHOD,
    best_fit_lookup,
    describe_method,
    lsoa_points,
    prepare_lsoas,
    ward_population,
)

# Two wards side by side, sharing the edge x = -1.19:
#
#   54.61 +---------+---------+
#         |  WARD_A | WARD_B  |      COMB: a comb in WARD_B whose handle reaches into WARD_A
#   54.60 +---------+---------+      STRADDLE: a square centred on the shared edge
#       -1.20     -1.19     -1.18
WARD_A = box(-1.20, 54.60, -1.19, 54.61)
WARD_B = box(-1.19, 54.60, -1.18, 54.61)

COMB = shapely.union_all(
    [
        box(-1.188, 54.601, -1.187, 54.609),  # the spine, in WARD_B
        box(-1.187, 54.607, -1.181, 54.609),  # top tooth, in WARD_B
        box(-1.187, 54.601, -1.181, 54.603),  # bottom tooth, in WARD_B
        box(-1.199, 54.6045, -1.187, 54.6055),  # the handle, mostly in WARD_A
    ]
)
"""Four fifths of COMB's area, and its centroid, are in WARD_B; its widest stretch along the
middle line runs through the handle, so its point-on-surface is in WARD_A."""

STRADDLE = box(-1.195, 54.60, -1.185, 54.61)
"""Its point-on-surface is exactly on the shared edge, so the smaller ward code takes it."""

# An L-shaped ward holding an L-shaped LSOA, and the ward in the crook of the L:
#
#   54.65 +--+-----------+
#         |L |   CROOK   |          L_SHAPE is the ward E05000010 and the LSOA E01000003;
#   54.623|  +-----------+          its centroid lies in CROOK, outside the L.
#   54.62 +--------------+
#       -1.20 -1.197   -1.17
L_SHAPE = shapely.union_all([box(-1.20, 54.62, -1.17, 54.623), box(-1.20, 54.62, -1.197, 54.65)])
CROOK = box(-1.197, 54.623, -1.17, 54.65)

FAR_AWAY = box(-1.00, 54.00, -0.99, 54.01)

WARDS = {"E05000001": WARD_A, "E05000002": WARD_B, "E05000010": L_SHAPE, "E05000011": CROOK}
LSOAS = {
    "E01000001": COMB,
    "E01000002": STRADDLE,
    "E01000003": L_SHAPE,
    "E01000004": FAR_AWAY,
}


def create_frame(shapes: dict[str, BaseGeometry], *, crs: str | None = WGS84) -> gpd.GeoDataFrame:
    """A frame with one row per ``code: shape``, in the order given."""
    return gpd.GeoDataFrame({"code": list(shapes)}, geometry=list(shapes.values()), crs=crs)


def ward_of(lookup: pd.DataFrame, lsoa_code: str) -> str | None:
    [ward] = lookup.loc[lookup["lsoa_code"] == lsoa_code, "ward_code"].tolist()
    return ward


def test_the_shapes_are_as_drawn() -> None:
    comb_area = gpd.GeoSeries([COMB.intersection(WARD_A), COMB], crs=WGS84).to_crs(BNG).area
    assert comb_area[0] < comb_area[1] / 4
    assert WARD_B.contains(COMB.centroid)
    assert COMB.geom_type == L_SHAPE.geom_type == "Polygon"
    assert CROOK.contains(L_SHAPE.centroid)
    assert STRADDLE.point_on_surface().x == -1.19


def test_lookup_has_one_row_per_lsoa_with_its_point() -> None:
    lookup = best_fit_lookup(create_frame(LSOAS), create_frame(WARDS))

    assert list(lookup.columns) == ["lsoa_code", "ward_code", "longitude", "latitude"]
    assert lookup["lsoa_code"].tolist() == list(LSOAS)
    for shape, x, y in zip(LSOAS.values(), lookup["longitude"], lookup["latitude"], strict=True):
        assert shape.contains(Point(x, y))


def test_an_lsoa_goes_whole_to_the_ward_of_its_point_not_of_most_of_its_area() -> None:
    lookup = best_fit_lookup(create_frame(LSOAS), create_frame(WARDS))

    assert ward_of(lookup, "E01000001") == "E05000001"


def test_an_l_shaped_lsoa_is_placed_by_a_point_inside_it_not_by_its_centroid() -> None:
    lookup = best_fit_lookup(create_frame(LSOAS), create_frame(WARDS))

    assert ward_of(lookup, "E01000003") == "E05000010"


def test_a_point_on_a_shared_edge_goes_to_the_smaller_ward_code() -> None:
    lookup = best_fit_lookup(create_frame(LSOAS), create_frame(dict(reversed(WARDS.items()))))

    assert ward_of(lookup, "E01000002") == "E05000001"


def test_an_lsoa_outside_every_ward_has_no_ward() -> None:
    lookup = best_fit_lookup(create_frame(LSOAS), create_frame(WARDS))

    assert ward_of(lookup, "E01000004") is None


def test_points_are_refused_in_another_crs() -> None:
    lsoas = create_frame(LSOAS).to_crs(BNG)

    with pytest.raises(PopulationError, match="must be in EPSG:4326"):
        lsoa_points(lsoas)


def test_ward_population_adds_up_the_lsoas_of_each_ward() -> None:
    lookup = pd.DataFrame(
        {
            "lsoa_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005"],
            "ward_code": ["E05000001", "E05000001", "E05000010", None, "E05000002"],
        }
    )
    population = pd.DataFrame(
        {
            "lsoa_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000009"],
            "residents": [1500, 1000, 1200, 900, 700],
        }
    )

    totals = ward_population(population, lookup)

    # E05000002's only LSOA (E01000005) has no population row and E05000011 has no LSOA:
    # both are absent, not zero. E01000004 (no ward) and E01000009 (no lookup) count nowhere.
    pd.testing.assert_frame_equal(
        totals,
        pd.DataFrame(
            {"ward_code": ["E05000001", "E05000010"], "residents": [2500, 1200], "lsoas": [2, 1]}
        ).astype({"residents": "int64", "lsoas": "int64"}),
        check_dtype=False,
    )
    assert totals["residents"].dtype == "int64"


def test_ward_population_refuses_two_rows_for_one_lsoa() -> None:
    lookup = pd.DataFrame({"lsoa_code": ["E01000001"], "ward_code": ["E05000001"]})
    population = pd.DataFrame({"lsoa_code": ["E01000001", "E01000001"], "residents": [1, 2]})

    with pytest.raises(PopulationError, match="E01000001"):
        ward_population(population, lookup)


def test_the_method_is_written_down_with_its_census_year() -> None:
    assert METHOD == (
        "Census 2021 usual residents by LSOA, each LSOA assigned whole to the ward containing "
        "its point-on-surface (best fit)"
    )
    assert describe_method(census_year=2011).startswith("Census 2011 usual residents")


def ons_lsoas(year: str = "21", **extra: list[object]) -> gpd.GeoDataFrame:
    """LSOA features in ONS layout (LSOAyyCD, LSOAyyNM), two files' worth, out of code order."""
    return gpd.GeoDataFrame(
        {
            f"LSOA{year}CD": ["E01000002", "E01000001"],
            f"LSOA{year}NM": ["Testborough 001B", "Testborough 001A"],
            "source": ["b.geojson", "a.geojson"],
            **extra,
        },
        geometry=[STRADDLE, COMB],
        crs=WGS84,
    )


@pytest.mark.parametrize("year", ["21", "11"])
def test_prepare_lsoas_finds_the_ons_fields_of_either_census(year: str) -> None:
    lsoas, repairs = prepare_lsoas(ons_lsoas(year))

    assert list(lsoas.columns) == ["code", "name", "geometry"]
    assert lsoas["code"].tolist() == ["E01000001", "E01000002"]
    assert lsoas["name"].tolist() == ["Testborough 001A", "Testborough 001B"]
    assert lsoas.geometry.tolist() == [COMB, STRADDLE]
    assert repairs == []


def test_prepare_lsoas_needs_to_be_told_which_of_two_code_columns() -> None:
    frame = ons_lsoas(LSOA11CD=["E01999999", "E01999998"])

    with pytest.raises(BoundaryError, match=r"several LSOA code columns.*--lsoa-code-field"):
        prepare_lsoas(frame)
    lsoas, _ = prepare_lsoas(frame, code_field="LSOA11CD")
    assert lsoas["code"].tolist() == ["E01999998", "E01999999"]


def test_prepare_lsoas_reports_every_bad_feature() -> None:
    frame = gpd.GeoDataFrame(
        {
            "LSOA21CD": ["E01000001", " ", "E01000001", "E01000003"],
            "source": ["a.geojson", "a.geojson", "b.geojson", "b.geojson"],
        },
        geometry=[COMB, STRADDLE, COMB, LineString([(-1.2, 54.6), (-1.1, 54.7)])],
        crs=WGS84,
    )

    with pytest.raises(BoundaryError) as raised:
        prepare_lsoas(frame)

    assert str(raised.value).splitlines() == [
        "boundaries cannot be used as LSOAs:",
        "  a.geojson feature 1 (no code): the LSOA code (LSOA21CD) is blank",
        "  b.geojson feature 1 (E01000003): the geometry is a LineString, not a polygon",
        "  LSOA code E01000001 appears 2 times: a.geojson feature 0 (E01000001), "
        "b.geojson feature 0 (E01000001)",
    ]


def test_prepare_lsoas_refuses_another_crs() -> None:
    with pytest.raises(BoundaryError, match="must be in WGS84"):
        prepare_lsoas(ons_lsoas().to_crs(BNG))
