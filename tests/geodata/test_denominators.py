"""Denominator checks on hand-drawn wards and LSOAs, and on Cleveland's 2025 wards."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import box

from geodata.crs import WGS84
from geodata.denominators import (
    area_weighted_population,
    compare_denominators,
    denominator_check,
    largest_area_lookup,
    poisson_interval,
    rate_interval,
    town_centre_like,
)
from geodata.errors import PopulationError
from geodata.io.census import read_lsoa_population
from geodata.population import best_fit_lookup, prepare_lsoas, ward_population
from tests.factories import EAST, WEST
from tests.geodata import cleveland

WARDS = gpd.GeoDataFrame({"code": ["W", "E"]}, geometry=[WEST, EAST], crs=WGS84)
# L1 spans lon -1.215 to -1.195: three quarters in West (lon < -1.20), a quarter in East.
# L2 lies in East only; L3 half in East, half beyond every ward (lon > -1.18).
LSOAS = gpd.GeoDataFrame(
    {"code": ["L1", "L2", "L3"]},
    geometry=[
        box(-1.215, 54.605, -1.195, 54.615),
        box(-1.19, 54.605, -1.185, 54.615),
        box(-1.185, 54.605, -1.175, 54.615),
    ],
    crs=WGS84,
)
RESIDENTS = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "residents": [400, 100, 200]})


def test_area_weighted_population_splits_each_lsoa_by_area() -> None:
    totals = area_weighted_population(LSOAS, WARDS, RESIDENTS)

    assert totals.index.tolist() == ["E", "W"]
    # West: 3/4 of L1; East: 1/4 of L1, all of L2, half of L3 (the rest is outside).
    assert totals["W"] == pytest.approx(300, rel=1e-3)
    assert totals["E"] == pytest.approx(100 + 100 + 100, rel=1e-3)


def test_largest_area_gives_each_lsoa_whole_to_one_ward() -> None:
    lookup = largest_area_lookup(LSOAS, WARDS)

    assert lookup.to_dict() == {"L1": "W", "L2": "E", "L3": "E"}


def test_area_weighting_refuses_another_crs() -> None:
    with pytest.raises(PopulationError, match="lsoas must be in"):
        area_weighted_population(LSOAS.to_crs(27700), WARDS, RESIDENTS)


def test_compare_denominators_flags_a_big_difference_and_a_rank_move() -> None:
    best_fit = {f"w{i}": 1000.0 for i in range(8)}
    area = {**best_fit, "w0": 1050.0, "w7": 2000.0}
    crimes = {f"w{i}": 100 - i for i in range(8)}  # w0 highest rate, w7 lowest

    frame = compare_denominators(best_fit, area, crimes, max_rank_move=5)

    assert frame.loc["w0", "difference"] == pytest.approx(0.05)
    assert frame.loc["w7", "difference"] == pytest.approx(1.0)
    assert frame["rank_best_fit"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert frame["fragile"].to_dict() == {f"w{i}": i == 7 for i in range(8)}
    moved = compare_denominators(best_fit, {**best_fit, "w0": 10_000.0}, crimes)
    # w0 drops from first to last: 7 places, and its population differs by 900 %.
    assert moved.loc["w0", "rank_move"] == 7
    assert moved["fragile"].sum() == 1


def test_a_rank_move_alone_flags_a_ward() -> None:
    best_fit = {f"w{i}": 1000.0 for i in range(8)}
    crimes = {f"w{i}": 100 - i for i in range(8)}
    area = {**best_fit, "w0": 1080.0}  # 8 % more: under the 10 % line
    # w0: 100 per 1,000 by best fit (first), 100 / 1.08 = 92.6 by area (last, under w7's 93).

    frame = compare_denominators(best_fit, area, crimes, max_rank_move=5)

    assert frame.loc["w0", "rank_best_fit"] == 1
    assert frame.loc["w0", "rank_area_weighted"] == 8
    assert frame.loc["w0", "difference"] == pytest.approx(0.08)
    assert bool(frame.loc["w0", "fragile"])


def test_town_centre_like_is_a_high_rate_of_shop_and_night_crimes_per_resident() -> None:
    counts = {
        "centre": {"Shoplifting": 60, "Violence and sexual offences": 300},
        "suburb": {"Shoplifting": 10, "Public order": 10, "Burglary": 50},
        "tiny": {"Theft from the person": 12},
    }
    population = {"centre": 1000, "suburb": 9000, "tiny": 100}

    frame = town_centre_like(counts, population)

    # Force: 92 such crimes over 10,100 residents; centre 60 / 1,000 is 6.6 times that.
    assert frame.loc["centre", "ratio"] == pytest.approx((60 / 1000) / (92 / 10_100))
    assert frame["town_centre"].to_dict() == {"centre": True, "suburb": False, "tiny": False}
    assert frame.loc["tiny", "ratio"] > 3  # a high rate on 12 crimes is too thin


def test_poisson_interval_is_the_exact_garwood_interval() -> None:
    for count in (0, 1, 7, 250):
        low, high = poisson_interval(count)
        assert low == pytest.approx(stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0)
        assert high == pytest.approx(stats.chi2.ppf(0.975, 2 * count + 2) / 2)
    with pytest.raises(PopulationError, match="count must be 0 or more"):
        poisson_interval(-1)


def test_rate_interval_scales_the_count_interval() -> None:
    rate, low, high = rate_interval(30, 5000)
    count_low, count_high = poisson_interval(30)

    assert (rate, low, high) == pytest.approx((6.0, count_low / 5, count_high / 5))
    with pytest.raises(PopulationError, match="population must be above 0"):
        rate_interval(3, 0)


@pytest.mark.realdata
def test_cleveland_2025_populations_by_three_rules(real_data: Path) -> None:
    wards = cleveland.wards(real_data)
    lsoas, _ = prepare_lsoas(gpd.read_file(real_data / "boundaries" / "cleveland_lsoa21.geojson"))
    residents, errors = read_lsoa_population(
        real_data / "population" / "census2021_usual_residents_by_age6_lsoa21_cleveland.csv"
    )
    belmont = wards.loc[wards["name"] == "Belmont", "code"].item()

    best_fit = ward_population(residents, best_fit_lookup(lsoas, wards)).set_index("ward_code")
    largest = largest_area_lookup(lsoas, wards)
    by_largest = ward_population(
        residents, pd.DataFrame({"lsoa_code": largest.index, "ward_code": largest.to_numpy()})
    ).set_index("ward_code")
    area = area_weighted_population(lsoas, wards, residents)

    assert errors == []
    assert best_fit.loc[belmont, "residents"] == 2764
    assert by_largest.loc[belmont, "residents"] == 5170
    assert area[belmont] == pytest.approx(4581, abs=1)

    incidents = cleveland.incidents(real_data)
    crimes = incidents[incidents["category"] != "Anti-social behaviour"]
    frame = compare_denominators(
        best_fit["residents"].to_dict(),
        area.to_dict(),
        crimes.groupby("ward_code").size().to_dict(),
    )
    names = dict(zip(wards["code"], wards["name"], strict=True))
    assert len(frame) == 83
    assert int(frame["fragile"].sum()) == 40
    assert bool(frame.loc[belmont, "fragile"])

    counts = {
        code: rows.groupby("category").size().to_dict()
        for code, rows in crimes.groupby("ward_code")
    }
    centres = town_centre_like(counts, best_fit["residents"].to_dict())
    assert sorted(names[c] for c in centres.index[centres["town_centre"]]) == [
        "Central",
        "Mandale & Victoria",
        "Stockton Town Centre",
        "Victoria",
    ]


def test_denominator_check_words_a_fragile_ward_and_stays_quiet_otherwise() -> None:
    best_fit = {"a": 2764.0, "b": 5000.0, "c": 4000.0}
    crimes = {"a": 100, "b": 150, "c": 110}

    fragile = denominator_check("a", best_fit, {**best_fit, "a": 4581.0}, crimes)
    steady = denominator_check("b", best_fit, {**best_fit, "a": 4581.0}, crimes)

    assert fragile is not None and fragile.fragile
    assert (fragile.rank_best_fit, fragile.rank_area_weighted) == (1, 3)
    assert fragile.note == (
        "Counting residents another way (sharing each small census area between wards by its "
        "land) gives 4,581 residents here, 66 % more than 2,764, and moves its crime rate from "
        "1st to 3rd highest of 3 wards. Read the rates per resident with care."
    )
    assert steady is not None and not steady.fragile and steady.note == ""
    assert denominator_check("a", best_fit, {"b": 5000.0}, crimes) is None
