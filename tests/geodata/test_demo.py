"""The synthetic demo force: exact structure, exact tiling and the planted patterns."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
import shapely

import geodata.demo.force
from geodata.crime import ASB, CATEGORIES, STREET_COLUMNS
from geodata.crs import BNG, ENGLAND_WALES_BOUNDS, WGS84
from geodata.demo.force import DEMO_FORCE, DEMO_VINTAGE, DemoForce, make_demo_force
from geodata.demo.wards import (
    ASB_PARK,
    BURGLARY_RISING,
    DETACHED_WARD,
    HOLED_WARD,
    TOWN_CENTRE,
    VEHICLE_FALLING,
)

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
HEX_ID = re.compile(r"^[0-9a-f]{64}$")
SIX_DP = re.compile(r"^-?[0-9]+\.[0-9]{6}$")
LOCATION_FIELDS = ["Longitude", "Latitude", "Location", "LSOA code", "LSOA name"]
OUTCOMES = {
    "Unable to prosecute suspect",
    "Investigation complete; no suspect identified",
    "Court result unavailable",
    "Awaiting court outcome",
    "Status update unavailable",
    "Local resolution",
    "Further action is not in the public interest",
    "Action to be taken by another organisation",
    "Further investigation is not in the public interest",
    "Formal action is not in the public interest",
    "Offender given a caution",
    "Under investigation",
}


@pytest.fixture(scope="module")
def demo() -> DemoForce:
    return make_demo_force()


@pytest.fixture(scope="module")
def rows(demo: DemoForce) -> pd.DataFrame:
    return pd.concat(demo.months.values(), ignore_index=True)


@pytest.fixture(scope="module")
def in_wards(demo: DemoForce, rows: pd.DataFrame) -> pd.DataFrame:
    """Located rows with the name of the ward whose interior holds them ("" for none)."""
    located = rows[rows["Longitude"] != ""]
    xy = located[["Longitude", "Latitude"]].to_numpy(dtype=float)
    ward = np.full(len(located), "", dtype=object)
    for name, geometry in zip(demo.wards["WD25NM"], demo.wards.geometry, strict=True):
        shapely.prepare(geometry)
        ward[shapely.contains_xy(geometry, xy[:, 0], xy[:, 1])] = name
    return located.assign(ward=ward)


@pytest.fixture(scope="module")
def wards_bng(demo: DemoForce):
    return demo.wards.to_crs(BNG)


def ward_geometry(demo: DemoForce, name: str) -> shapely.Geometry:
    (geometry,) = demo.wards.loc[demo.wards["WD25NM"] == name, "geometry"]
    return geometry


def distinct_points(rows: pd.DataFrame) -> np.ndarray:
    located = rows.loc[rows["Longitude"] != "", ["Longitude", "Latitude"]].drop_duplicates()
    return located.to_numpy(dtype=float)


def monthly_count(in_wards: pd.DataFrame, *, ward: str, category: str) -> list[int]:
    chosen = in_wards[(in_wards["ward"] == ward) & (in_wards["Crime type"] == category)]
    return [int((chosen["Month"] == month).sum()) for month in MONTHS]


# --- Labelling and determinism ------------------------------------------------------------


def test_module_says_the_data_is_synthetic():
    assert "SYNTHETIC DATA - NOT REAL POLICE RECORDS" in (geodata.demo.force.__doc__ or "")
    assert "synthetic" in DEMO_FORCE
    assert DEMO_VINTAGE == "2025"


def test_same_seed_gives_identical_output(demo: DemoForce):
    again = make_demo_force()
    assert again.wards.drop(columns="geometry").equals(demo.wards.drop(columns="geometry"))
    assert list(again.wards.geometry.to_wkb()) == list(demo.wards.geometry.to_wkb())
    assert list(again.months) == list(demo.months)
    for month, frame in demo.months.items():
        pd.testing.assert_frame_equal(again.months[month], frame)


def test_another_seed_gives_a_different_force(demo: DemoForce):
    other = make_demo_force(seed=7)
    assert not other.wards.geometry.geom_equals(demo.wards.geometry).all()
    assert not other.months["2025-01"].equals(demo.months["2025-01"])
    assert list(other.wards["WD25NM"]).count(BURGLARY_RISING) == 1


# --- Wards ---------------------------------------------------------------------------------


def test_wards_have_ons_columns_and_synthetic_codes(demo: DemoForce):
    wards = demo.wards
    assert list(wards.columns) == ["WD25CD", "WD25NM", "LAD25CD", "LAD25NM", "geometry"]
    assert wards.crs == WGS84
    assert len(wards) >= 28
    assert wards["WD25CD"].is_unique and wards["WD25NM"].is_unique
    assert wards["WD25CD"].str.match(r"^X05[0-9]{6}$").all()
    assert wards["WD25CD"].iloc[0] == "X05000001"
    lads = dict(zip(wards["LAD25CD"], wards["LAD25NM"], strict=True))
    assert lads == {"X06000001": "Northvale (synthetic)", "X06000002": "Southmere (synthetic)"}
    assert wards["LAD25CD"].value_counts().min() >= 10


def test_named_wards_are_in_their_districts(demo: DemoForce):
    lad = dict(zip(demo.wards["WD25NM"], demo.wards["LAD25NM"], strict=True))
    for name in (TOWN_CENTRE, HOLED_WARD, BURGLARY_RISING):
        assert lad[name] == "Northvale (synthetic)"
    for name in (ASB_PARK, VEHICLE_FALLING, DETACHED_WARD):
        assert lad[name] == "Southmere (synthetic)"


def test_wards_are_valid_and_lie_inland_in_england(demo: DemoForce):
    assert demo.wards.is_valid.all()
    min_lon, min_lat, max_lon, max_lat = demo.wards.total_bounds
    assert -2.3 < min_lon < max_lon < -1.7
    assert 52.4 < min_lat < max_lat < 52.8


def test_wards_tile_the_area_without_gaps_or_overlaps(wards_bng):
    geometries = wards_bng.geometry.to_numpy()
    union = shapely.union_all(geometries)
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0  # no gap anywhere inside the outline
    assert union.area == pytest.approx(shapely.area(geometries).sum(), rel=1e-6)
    for a, b in itertools.combinations(geometries, 2):
        assert shapely.intersection(a, b).area < 1.0


def test_exactly_one_multipolygon_ward(demo: DemoForce):
    multi = demo.wards.loc[demo.wards.geom_type == "MultiPolygon", "WD25NM"]
    assert list(multi) == [DETACHED_WARD]
    assert len(ward_geometry(demo, DETACHED_WARD).geoms) == 2


def test_exactly_one_ward_with_a_hole_filled_by_the_town_centre(demo: DemoForce, wards_bng):
    holed = [
        name
        for name, geometry in zip(demo.wards["WD25NM"], demo.wards.geometry, strict=True)
        if any(len(part.interiors) for part in shapely.get_parts(geometry))
    ]
    assert holed == [HOLED_WARD]
    host = wards_bng.geometry[wards_bng["WD25NM"] == HOLED_WARD].iloc[0]
    town = wards_bng.geometry[wards_bng["WD25NM"] == TOWN_CENTRE].iloc[0]
    (hole,) = host.interiors
    assert shapely.symmetric_difference(shapely.Polygon(hole), town).area < 1.0


# --- Month frames --------------------------------------------------------------------------


def test_one_frame_a_month_in_the_police_uk_layout(demo: DemoForce):
    assert list(demo.months) == MONTHS
    for month, frame in demo.months.items():
        assert list(frame.columns) == list(STREET_COLUMNS)
        assert len(frame) == 2500
        assert all(isinstance(value, str) for value in frame.to_numpy().ravel())
        assert (frame["Month"] == month).all()
        assert (frame["Reported by"] == DEMO_FORCE).all()
        assert (frame["Falls within"] == DEMO_FORCE).all()
        assert (frame["Context"] == "").all()


def test_every_category_appears_every_month(demo: DemoForce):
    for frame in demo.months.values():
        assert set(frame["Crime type"]) == set(CATEGORIES)


def test_category_mix_is_close_to_cleveland(rows: pd.DataFrame):
    share = rows["Crime type"].value_counts(normalize=True)
    assert share["Violence and sexual offences"] == pytest.approx(0.32, abs=0.03)
    assert share[ASB] == pytest.approx(0.20, abs=0.03)
    assert share["Theft from the person"] < share["Bicycle theft"] + 0.005 < 0.02


def test_asb_has_no_crime_id_or_outcome_and_crimes_have_both(rows: pd.DataFrame):
    asb = rows[rows["Crime type"] == ASB]
    crimes = rows[rows["Crime type"] != ASB]
    assert (asb["Crime ID"] == "").all()
    assert (asb["Last outcome category"] == "").all()
    assert crimes["Crime ID"].str.match(HEX_ID).all()
    assert crimes["Crime ID"].is_unique
    assert set(crimes["Last outcome category"]) == OUTCOMES


def test_identical_asb_rows_occur(rows: pd.DataFrame):
    assert rows[rows["Crime type"] == ASB].duplicated().sum() > 100


def test_coordinates_are_six_decimal_strings_in_england_and_wales(rows: pd.DataFrame):
    located = rows[rows["Longitude"] != ""]
    assert located["Longitude"].str.match(SIX_DP).all()
    assert located["Latitude"].str.match(SIX_DP).all()
    assert located["Location"].str.startswith("On or near ").all()
    assert located["LSOA code"].str.match(r"^X01[0-9]{6}$").all()
    assert located["LSOA name"].str.match(r"^[A-Z][a-z]+ [0-9]{3}[A-Z]$").all()
    min_lon, min_lat, max_lon, max_lat = ENGLAND_WALES_BOUNDS
    lon = located["Longitude"].astype(float)
    lat = located["Latitude"].astype(float)
    assert lon.between(min_lon, max_lon).all() and lat.between(min_lat, max_lat).all()


def test_about_half_a_percent_of_crimes_have_no_location(rows: pd.DataFrame):
    missing = rows["Longitude"] == ""
    assert 0.003 <= missing.mean() <= 0.007
    assert (rows.loc[missing, LOCATION_FIELDS] == "").all().all()
    assert (rows.loc[~missing, LOCATION_FIELDS] != "").all().all()
    assert (rows.loc[missing, "Crime type"] != ASB).all()


def test_about_a_tenth_of_snap_points_lie_on_a_shared_ward_edge(demo: DemoForce, rows):
    xy = distinct_points(rows)
    points = shapely.points(xy)
    boundaries_near = sum(
        shapely.dwithin(geometry.boundary, points, 1e-6).astype(int)
        for geometry in demo.wards.geometry
    )
    on_shared_edge = boundaries_near >= 2
    assert 0.05 <= on_shared_edge.mean() <= 0.15


def test_a_few_snap_points_lie_outside_every_ward(demo: DemoForce, rows):
    points = shapely.points(distinct_points(rows))
    covered = np.zeros(len(points), dtype=bool)
    for geometry in demo.wards.geometry:
        covered |= shapely.intersects(geometry, points)
    assert 1 <= (~covered).sum() <= 10


# --- Planted patterns ----------------------------------------------------------------------


def test_burglary_rises_in_the_named_ward(in_wards: pd.DataFrame):
    counts = monthly_count(in_wards, ward=BURGLARY_RISING, category="Burglary")
    assert sum(counts[-3:]) > sum(counts[:3])


def test_vehicle_crime_falls_in_the_named_ward(in_wards: pd.DataFrame):
    counts = monthly_count(in_wards, ward=VEHICLE_FALLING, category="Vehicle crime")
    assert sum(counts[-3:]) < sum(counts[:3])


def test_town_centre_has_the_most_shoplifting_and_public_order(in_wards: pd.DataFrame):
    for category in ("Shoplifting", "Public order"):
        totals = in_wards.loc[in_wards["Crime type"] == category, "ward"].value_counts()
        assert totals.index[0] == TOWN_CENTRE


def test_park_asb_peaks_in_summer(in_wards: pd.DataFrame):
    counts = monthly_count(in_wards, ward=ASB_PARK, category=ASB)
    assert counts[6] > 2 * counts[0]  # July against January


# --- Options -------------------------------------------------------------------------------


def test_options_set_the_months_and_size():
    small = make_demo_force(seed=3, first_month="2024-11", months=3, incidents_per_month=100)
    assert list(small.months) == ["2024-11", "2024-12", "2025-01"]
    for frame in small.months.values():
        assert len(frame) == 100
        assert set(frame["Crime type"]) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"first_month": "2025-13"}, "first_month"),
        ({"first_month": "January 2025"}, "first_month"),
        ({"months": 0}, "months"),
        ({"incidents_per_month": 13}, "incidents_per_month"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_options_are_refused_by_name(options, named):
    with pytest.raises(ValueError, match=named):
        make_demo_force(**options)
