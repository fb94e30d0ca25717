"""The ward profile's figures, each checked against a value worked out by hand."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from shapely.geometry import box

from geodata.crime import ASB, CATEGORIES
from geodata.harm import WEIGHTED_CATEGORIES, HarmWeights
from geodata.outcomes import OUTCOME_NOT_RECORDED
from geodata.period import Period, PeriodError, comparison_span, latest_period
from geodata.profile import (
    ALL_CRIME,
    PLACES_CAVEAT,
    ForceCounts,
    MonthCount,
    WardProfile,
    build_profile,
    category_counts,
    change_test,
    compare,
    completeness,
    crime_total,
    force_comparison,
    headline_figures,
    per_1000,
    sentence,
    to_json,
    top_locations,
    trends,
)

WARD_A, WARD_B, WARD_C = "E05000001", "E05000002", "E05000003"
SQUARE = box(-1.21, 54.60, -1.19, 54.61)
"""A small ward, about 1.3 km by 1.1 km, south of Stockton."""


def fact(
    *,
    month: str = "2025-01",
    category: str = "Burglary",
    outcome: str = "Under investigation",
    place_id: int = 1,
    location: str = "On or near High Street",
    longitude: float = -1.205,
    latitude: float = 54.605,
    n: int = 1,
) -> dict[str, Any]:
    """One grouped row of a ward's incidents, as ``ward_facts`` returns them."""
    return {
        "month": month,
        "category": category,
        "outcome": outcome,
        "place_id": place_id,
        "location": location,
        "longitude": longitude,
        "latitude": latitude,
        "n": n,
    }


def create_facts(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(fact()))


def count(
    *,
    status: str = "ward",
    ward_code: str = WARD_A,
    month: str = "2025-01",
    category: str = "Burglary",
    n: int = 1,
) -> dict[str, Any]:
    """One row of ``count_by_ward``: incidents per status, ward, month and category."""
    return {"status": status, "ward_code": ward_code, "month": month, "category": category, "n": n}


def create_force(rows: Sequence[dict[str, Any]]) -> ForceCounts:
    return ForceCounts.from_frame(pd.DataFrame(rows, columns=list(count())))


def months(first: str, last: str) -> list[str]:
    return Period(first, last).months


# --- Period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2025-13", "2025-12", "from: '2025-13' is not a month as YYYY-MM"),
        ("2025-1", "2025-12", "from: '2025-1' is not a month as YYYY-MM"),
        ("", "2025-12", "from: '' is not a month as YYYY-MM"),
        ("2025-01", "2025-00", "to: '2025-00' is not a month as YYYY-MM"),
        ("2025-01", "Dec 2025", "to: 'Dec 2025' is not a month as YYYY-MM"),
        ("2025-03", "2025-01", "from: 2025-03 is after to 2025-01"),
    ],
)
def test_period_errors_name_the_parameter(first: str, last: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse(first, last)

    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("first", "last"), [("2025-01\n", "2025-03"), ("2025-01", "2025-03\n"), (" 2025-01", "2025-03")]
)
def test_period_refuses_a_month_with_surrounding_whitespace(first: str, last: str) -> None:
    # "$" in the month pattern also matches before a trailing newline, so "2025-01\n" is
    # accepted; the API then reads ward_facts with BETWEEN '2025-01\n' AND ..., which drops
    # January while the profile still says the period has 3 months.
    with pytest.raises(PeriodError, match="is not a month as YYYY-MM"):
        Period.parse(first, last)


def test_period_names_may_be_chosen_by_the_caller() -> None:
    with pytest.raises(PeriodError, match=r"^end: '2025' is not a month"):
        Period.parse("2025-01", "2025", names=("start", "end"))


def test_period_months_cross_a_year_boundary() -> None:
    period = Period.parse("2024-11", "2025-02")

    assert period == Period("2024-11", "2025-02")
    assert period.months == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert period.to_json() == {"from": "2024-11", "to": "2025-02", "months": 4}
    assert Period.parse("2025-06", "2025-06").months == ["2025-06"]


def test_previous_period_has_the_same_length_and_ends_the_month_before() -> None:
    assert Period("2025-01", "2025-03").previous() == Period("2024-10", "2024-12")
    assert Period("2025-01", "2025-12").previous() == Period("2024-01", "2024-12")
    assert Period("2025-03", "2025-03").previous() == Period("2025-02", "2025-02")


def test_year_earlier_is_the_same_months_twelve_months_back() -> None:
    assert Period("2025-01", "2025-03").year_earlier() == Period("2024-01", "2024-03")
    assert Period("2024-11", "2025-02").year_earlier() == Period("2023-11", "2024-02")


def test_latest_period_ends_at_the_latest_month_held() -> None:
    held = ["2025-03", "2024-06", "2025-01"]

    assert latest_period(held) == Period("2024-04", "2025-03")
    assert latest_period(held, length=3) == Period("2025-01", "2025-03")
    assert latest_period([]) is None


def test_comparison_span_reaches_back_to_the_earlier_comparison() -> None:
    # Three months: a year earlier starts before the previous three months.
    assert comparison_span(Period("2025-01", "2025-03")) == Period("2024-01", "2025-03")
    # Two years: the previous two years start before the year-earlier period.
    assert comparison_span(Period("2023-01", "2024-12")) == Period("2021-01", "2024-12")


# --- Counts and rates -----------------------------------------------------------------------


def test_category_counts_list_every_category_and_only_the_period() -> None:
    facts = create_facts(
        [
            fact(month="2025-01", n=2),
            fact(month="2025-02", place_id=2),
            fact(month="2025-02", category=ASB, outcome="", n=3),
            fact(month="2024-12", category="Drugs", n=5),
            fact(month="2025-03", category="Robbery", n=7),
        ]
    )

    counts = category_counts(facts, Period("2025-01", "2025-02"))

    assert list(counts) == list(CATEGORIES)
    assert counts == {c: {"Burglary": 3, ASB: 3}.get(c, 0) for c in CATEGORIES}
    assert crime_total(counts) == 3


def test_category_counts_of_no_incidents_are_all_zero() -> None:
    counts = category_counts(create_facts([]), Period("2025-01", "2025-12"))

    assert counts == dict.fromkeys(CATEGORIES, 0)
    assert crime_total(counts) == 0


def test_per_1000_needs_a_population() -> None:
    assert per_1000(3, 1500) == 2.0
    assert per_1000(0, 1500) == 0.0
    assert per_1000(3, None) is None
    assert per_1000(3, 0) is None


def three_wards() -> ForceCounts:
    """A: 10 burglaries and 50 ASB; B: 10 burglaries and 20 robberies; C: 100 burglaries.

    Every ward also has 1,000 burglaries in 2024-12, before the period, and there are rows
    outside every ward and with no location, which no ward's rate counts.
    """
    return create_force(
        [
            count(ward_code=WARD_A, month="2025-01", n=4),
            count(ward_code=WARD_A, month="2025-03", n=6),
            count(ward_code=WARD_A, month="2025-02", category=ASB, n=50),
            count(ward_code=WARD_B, month="2025-02", n=10),
            count(ward_code=WARD_B, month="2025-03", category="Robbery", n=20),
            count(ward_code=WARD_C, month="2025-01", n=100),
            *(count(ward_code=w, month="2024-12", n=1000) for w in (WARD_A, WARD_B, WARD_C)),
            count(status="outside", ward_code="", month="2025-01", n=7),
            count(status="no location", ward_code="", month="2025-02", n=9),
        ]
    )


POPULATION = {WARD_A: 1000, WARD_B: 2000, WARD_C: 0}
"""Ward C has no population, so it has no rate and is left out of the force rate."""

Q1 = Period("2025-01", "2025-03")


def test_force_counts_hold_ward_by_category_by_month() -> None:
    force = three_wards()

    assert force.wards == [WARD_A, WARD_B, WARD_C]
    assert force.months == ["2024-12", "2025-01", "2025-02", "2025-03"]
    assert force.counts.shape == (3, 14, 4)
    assert force.outside.tolist() == [0, 7, 0, 0]
    assert force.no_location.tolist() == [0, 0, 9, 0]
    burglary, robbery, asb = (CATEGORIES.index(c) for c in ("Burglary", "Robbery", ASB))
    totals = force.by_category(Q1)
    assert totals[0, burglary] == 10 and totals[0, asb] == 50
    assert totals[1, burglary] == 10 and totals[1, robbery] == 20
    assert totals[2, burglary] == 100
    assert totals.sum() == 190


def test_force_comparison_rates_ratio_and_rank() -> None:
    force = three_wards()

    a = to_json(force_comparison(WARD_A, force, POPULATION, Q1))
    b = to_json(force_comparison(WARD_B, force, POPULATION, Q1))

    # A: 10 crimes (ASB left out) per 1,000 residents; B: 30 per 2,000 = 15 per 1,000.
    # Force: (10 + 30) / (1,000 + 2,000) residents = 13.33 per 1,000; C is not counted.
    force_rate = 1000 * 40 / 3000
    assert a == pytest.approx(
        {"rate": 10.0, "force_rate": force_rate, "ratio": 0.75, "rank": 2, "of": 2}
    )
    assert b == pytest.approx(
        {"rate": 15.0, "force_rate": force_rate, "ratio": 1.125, "rank": 1, "of": 2}
    )
    assert force_comparison(WARD_C, force, POPULATION, Q1) is None
    assert force_comparison("E05000099", force, POPULATION, Q1) is None


def test_force_comparison_weighted_by_harm() -> None:
    weights = {"Burglary": 2.0, "Robbery": 0.5}

    a = to_json(force_comparison(WARD_A, three_wards(), POPULATION, Q1, weights=weights))
    b = to_json(force_comparison(WARD_B, three_wards(), POPULATION, Q1, weights=weights))

    # A: 10 x 2 = 20 per 1,000; B: (10 x 2 + 20 x 0.5) = 30 per 2,000 = 15; force 50 / 3.
    force_rate = 1000 * 50 / 3000
    assert a == pytest.approx(
        {"rate": 20.0, "force_rate": force_rate, "ratio": 1.2, "rank": 1, "of": 2}
    )
    assert b == pytest.approx(
        {"rate": 15.0, "force_rate": force_rate, "ratio": 0.9, "rank": 2, "of": 2}
    )


def test_ward_with_population_and_no_crime_ranks_last_and_ties_share_the_better_rank() -> None:
    force = three_wards()
    population = {WARD_A: 1000, WARD_B: 3000, "E05000004": 500}

    a = to_json(force_comparison(WARD_A, force, population, Q1))
    b = to_json(force_comparison(WARD_B, force, population, Q1))
    empty = to_json(force_comparison("E05000004", force, population, Q1))

    # A: 10 per 1,000 residents; B: 30 per 3,000, also 10; the fourth ward none.
    assert a is not None and b is not None and empty is not None
    assert (a["rate"], a["rank"], a["of"]) == (10.0, 1, 3)
    assert (b["rate"], b["rank"], b["of"]) == (10.0, 1, 3)
    assert (empty["rate"], empty["rank"], empty["ratio"]) == (0.0, 3, 0.0)


def test_force_comparison_without_any_crime_has_no_ratio() -> None:
    comparison = to_json(
        force_comparison(WARD_A, three_wards(), POPULATION, Period("2025-06", "2025-06"))
    )

    assert comparison == {"rate": 0.0, "force_rate": 0.0, "ratio": None, "rank": 1, "of": 2}


def test_headline_figures_per_ward() -> None:
    table = headline_figures(three_wards(), {WARD_A: 1000, WARD_B: 2000}, Q1)

    expected = pd.DataFrame(
        {
            "crime_total": np.array([10, 30, 100], dtype=np.int64),
            "asb_total": np.array([50, 0, 0], dtype=np.int64),
            "population": pd.array([1000, 2000, None], dtype="Int64"),
            "crime_per_1000": [10.0, 15.0, math.nan],
        },
        index=pd.Index([WARD_A, WARD_B, WARD_C], name="ward_code"),
    )
    pd.testing.assert_frame_equal(table, expected)


def test_headline_rate_is_absent_for_a_ward_of_no_residents() -> None:
    # per_1000 gives None for a population of 0; the map's figures gave inf instead, which
    # jsonify writes as Infinity, not valid JSON, in /api/wards.geojson.
    table = headline_figures(three_wards(), POPULATION, Q1)

    assert math.isnan(table["crime_per_1000"][WARD_C])


# --- Change over time ----------------------------------------------------------------------


@pytest.mark.parametrize(("current", "previous"), [(31, 10), (31, 21), (0, 5), (7, 0), (3, 3)])
def test_change_test_is_the_exact_binomial_test(current: int, previous: int) -> None:
    expected = binomtest(current, current + previous, 0.5).pvalue

    assert change_test(current, previous) == pytest.approx(expected, rel=1e-12)
    assert change_test(previous, current) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=300)
@given(st.integers(0, 3000), st.integers(0, 3000))
def test_change_test_agrees_with_scipy_binomtest_on_any_counts(current: int, previous: int) -> None:
    total = current + previous
    expected = 1.0 if total == 0 else binomtest(current, total, 0.5).pvalue

    assert change_test(current, previous) == pytest.approx(expected, rel=1e-9, abs=1e-100)


def test_no_events_is_no_evidence_of_change() -> None:
    assert change_test(0, 0) == 1.0


def test_compare_flags_a_significant_change_at_five_percent() -> None:
    period = Period("2025-01", "2025-03")
    rise = binomtest(31, 41, 0.5).pvalue
    noise = binomtest(31, 52, 0.5).pvalue
    assert rise < 0.05 < noise

    assert to_json(compare(31, 10, available=True, period=period)) == {
        "period": {"from": "2025-01", "to": "2025-03", "months": 3},
        "available": True,
        "count": 10,
        "change_pct": 210.0,
        "p_value": pytest.approx(rise, rel=1e-12),
        "significant": True,
    }
    assert to_json(compare(31, 21, available=True, period=period)) == {
        "period": {"from": "2025-01", "to": "2025-03", "months": 3},
        "available": True,
        "count": 21,
        "change_pct": pytest.approx(100 * 10 / 21),
        "p_value": pytest.approx(noise, rel=1e-12),
        "significant": False,
    }
    assert compare(5, 0, available=True, period=period).change_pct is None
    assert to_json(compare(31, 10, available=False, period=period)) == {
        "period": {"from": "2025-01", "to": "2025-03", "months": 3},
        "available": False,
    }


def test_sentences_for_a_rise_and_a_fall() -> None:
    period = Period("2024-10", "2024-12")
    rise = compare(31, 10, available=True, period=period)
    fall = compare(10, 31, available=True, period=period)
    from_nothing = compare(12, 0, available=True, period=period)

    assert sentence("Burglary", 31, rise, kind="previous", length=3) == (
        "Burglary up 210 % on the previous 3 months, 31 vs 10, significant at 5 %"
    )
    assert sentence("Burglary", 10, fall, kind="year_earlier", length=3) == (
        "Burglary down 68 % on the same 3 months a year earlier, 10 vs 31, significant at 5 %"
    )
    assert sentence("Drugs", 12, from_nothing, kind="previous", length=1) == (
        "Drugs up on the previous month, 12 vs 0, significant at 5 %"
    )


def planted_rise() -> pd.DataFrame:
    """April to June 2025 against January to March and against April to June 2024.

    Burglary 31 (10, 10, 11) against 10 before and 21 a year earlier; robbery 2 against 15;
    drugs 2 against 2; ASB 5 now and 40 before (ASB is not crime). A burglary in 2023 lies
    outside every compared period.
    """
    rows = [
        fact(month="2025-04", n=10),
        fact(month="2025-05", n=10),
        fact(month="2025-06", n=11, place_id=2),
        fact(month="2025-02", n=10),
        fact(month="2024-04", n=20),
        fact(month="2024-06", n=1),
        fact(month="2025-05", category="Robbery", n=2),
        fact(month="2025-01", category="Robbery", n=15),
        fact(month="2025-04", category="Drugs", n=2),
        fact(month="2025-03", category="Drugs", n=2),
        fact(month="2025-06", category=ASB, outcome="", n=5),
        fact(month="2025-01", category=ASB, outcome="", n=40),
        fact(month="2023-05", n=99),
    ]
    return create_facts(rows)


Q2 = Period("2025-04", "2025-06")
HELD = months("2024-01", "2025-06")


def by_name(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {line["category"]: line for line in lines}


def test_trends_all_crime_leaves_out_asb_and_monthly_covers_the_period_only() -> None:
    lines = to_json(trends(planted_rise(), Q2, HELD))

    assert [line["category"] for line in lines] == [ALL_CRIME, *CATEGORIES]
    everything = by_name(lines)[ALL_CRIME]
    assert everything["monthly"] == [
        {"month": "2025-04", "n": 12},
        {"month": "2025-05", "n": 12},
        {"month": "2025-06", "n": 11},
    ]
    assert everything["count"] == 35
    assert everything["previous"]["count"] == 10 + 15 + 2
    assert everything["year_earlier"]["count"] == 21
    assert by_name(lines)[ASB]["count"] == 5
    assert by_name(lines)[ASB]["previous"]["count"] == 40
    assert all(len(line["monthly"]) == 3 for line in lines)


def test_trends_test_each_change_and_describe_the_significant_ones() -> None:
    lines = by_name(to_json(trends(planted_rise(), Q2, HELD)))

    burglary = lines["Burglary"]
    assert burglary["count"] == 31
    assert burglary["previous"] == {
        "period": {"from": "2025-01", "to": "2025-03", "months": 3},
        "available": True,
        "count": 10,
        "change_pct": 210.0,
        "p_value": pytest.approx(binomtest(31, 41, 0.5).pvalue, rel=1e-12),
        "significant": True,
    }
    assert burglary["year_earlier"]["count"] == 21
    assert burglary["year_earlier"]["p_value"] == pytest.approx(
        binomtest(31, 52, 0.5).pvalue, rel=1e-12
    )
    assert burglary["year_earlier"]["significant"] is False
    assert burglary["sentences"] == [
        "Burglary up 210 % on the previous 3 months, 31 vs 10, significant at 5 %"
    ]
    assert binomtest(2, 17, 0.5).pvalue < 0.05
    assert lines["Robbery"]["sentences"] == [
        "Robbery down 87 % on the previous 3 months, 2 vs 15, significant at 5 %"
    ]
    assert lines["Drugs"]["previous"]["p_value"] == 1.0
    assert lines["Drugs"]["sentences"] == []
    assert lines["Shoplifting"]["previous"]["change_pct"] is None
    assert lines["Shoplifting"]["sentences"] == []


def test_comparison_is_unavailable_when_a_month_is_not_held() -> None:
    held = [m for m in HELD if m not in ("2024-05", "2025-02")]

    burglary = by_name(to_json(trends(planted_rise(), Q2, held)))["Burglary"]

    assert burglary["previous"] == {
        "period": {"from": "2025-01", "to": "2025-03", "months": 3},
        "available": False,
    }
    assert burglary["year_earlier"] == {
        "period": {"from": "2024-04", "to": "2024-06", "months": 3},
        "available": False,
    }
    assert burglary["sentences"] == []
    assert burglary["count"] == 31


# --- Places and completeness ---------------------------------------------------------------


def test_top_locations_by_count_then_name_and_by_snap_point() -> None:
    facts = create_facts(
        [
            fact(place_id=1, n=3, longitude=-1.201, latitude=54.601),
            fact(
                place_id=1, category="Robbery", month="2025-02", longitude=-1.201, latitude=54.601
            ),
            # The same street name at a second snap point stays a place of its own.
            fact(place_id=2, n=2, longitude=-1.202, latitude=54.602),
            fact(place_id=3, n=4, location="On or near Acorn Road", longitude=-1.203),
            fact(place_id=4, location="On or near Zebra Lane", longitude=-1.204),
            fact(place_id=5, month="2024-12", n=100, location="On or near Old Road"),
        ]
    )
    period = Period("2025-01", "2025-03")

    top = to_json(top_locations(facts, period))

    assert top == [
        {
            "location": "On or near Acorn Road",
            "count": 4,
            "longitude": -1.203,
            "latitude": 54.605,
        },
        {
            "location": "On or near High Street",
            "count": 4,
            "longitude": -1.201,
            "latitude": 54.601,
        },
        {
            "location": "On or near High Street",
            "count": 2,
            "longitude": -1.202,
            "latitude": 54.602,
        },
        {
            "location": "On or near Zebra Lane",
            "count": 1,
            "longitude": -1.204,
            "latitude": 54.605,
        },
    ]
    assert to_json(top_locations(facts, period, limit=2)) == top[:2]
    assert to_json(top_locations(facts, Period("2025-06", "2025-06"))) == []


def test_completeness_counts_missing_months_and_rows_without_a_ward() -> None:
    force = create_force(
        [
            count(month="2025-01", n=10),
            count(ward_code=WARD_B, month="2025-03", category=ASB, n=5),
            count(status="outside", ward_code="", month="2025-01", n=2),
            count(status="no location", ward_code="", month="2025-03", n=3),
            count(status="no location", ward_code="", month="2024-12", n=100),
        ]
    )

    figures = to_json(
        completeness(force, Q1, ["2024-12", "2025-01", "2025-03"], vintage="2025", population=None)
    )

    assert figures == {
        "months_missing": ["2025-02"],
        "rows": 20,
        "no_location": 3,
        "no_location_share": 0.15,
        "outside_wards": 2,
        "boundary_vintage": "2025",
        "population": None,
    }
    assert to_json(
        completeness(force, Period("2025-06", "2025-06"), [], vintage="2025", population=None)
    ) == {
        "months_missing": ["2025-06"],
        "rows": 0,
        "no_location": 0,
        "no_location_share": None,
        "outside_wards": 0,
        "boundary_vintage": "2025",
        "population": None,
    }


# --- The whole profile ---------------------------------------------------------------------

WEIGHTS = HarmWeights(
    weights={c: {"Burglary": 10.0, "Robbery": 20.0}.get(c, 1.0) for c in WEIGHTED_CATEGORIES},
    source="test",
    caveat="test",
)
WARD = {
    "code": WARD_A,
    "name": "Square Ward",
    "lad_code": "E06000099",
    "lad_name": "Testborough",
    "vintage": "2025",
    "area_km2": 1.43,
}


def square_ward_facts() -> pd.DataFrame:
    """January to March 2025: 3 burglaries, 1 robbery, 4 ASB; 5 burglaries in December."""
    return create_facts(
        [
            fact(month="2025-01", n=2, outcome="Under investigation"),
            fact(month="2025-02", place_id=2, location="On or near Mill Lane", outcome=""),
            fact(
                month="2025-03",
                category="Robbery",
                outcome="Suspect charged",
                location="On or near High Street",
            ),
            fact(
                month="2025-03",
                category=ASB,
                outcome="",
                place_id=3,
                location="On or near Park Road",
                longitude=-1.195,
                n=4,
            ),
            fact(month="2024-12", n=5),
        ]
    )


def square_ward_force() -> ForceCounts:
    return create_force(
        [
            count(month="2025-01", n=2),
            count(month="2025-02", n=1),
            count(month="2025-03", category="Robbery"),
            count(month="2025-03", category=ASB, n=4),
            count(month="2024-12", n=5),
            count(ward_code=WARD_B, month="2025-02", category="Robbery", n=3),
            count(status="outside", ward_code="", month="2025-02", n=2),
        ]
    )


def square_ward_profile(population: dict[str, int]) -> dict[str, Any]:
    """The profile as the API serves it (:func:`to_json`)."""
    json_ready: dict[str, Any] = to_json(square_ward(population))
    return json_ready


def square_ward(population: dict[str, int]) -> WardProfile:
    return build_profile(
        ward=WARD,
        geometry=SQUARE,
        period=Q1,
        facts=square_ward_facts(),
        force=square_ward_force(),
        population=population,
        population_method="Census 2021, best fit",
        harm_weights=WEIGHTS,
        months_held=months("2024-01", "2025-03"),
    )


def test_build_profile_is_typed_frozen_and_its_json_holds_the_same_values() -> None:
    profile = square_ward({WARD_A: 2000, WARD_B: 1000})
    served = to_json(profile)

    assert profile.ward.code == served["ward"]["code"] == WARD_A
    assert profile.period == Q1 and served["period"]["months"] == Q1.length == 3
    assert profile.rates_per_1000.force is not None
    assert profile.rates_per_1000.force.rank == served["rates_per_1000"]["force"]["rank"] == 2
    burglary = profile.trend("Burglary")
    assert burglary.previous.count == 5 and burglary.monthly[0] == MonthCount("2025-01", 2)
    assert [t["category"] for t in served["trends"]] == [t.category for t in profile.trends]
    assert served["top_locations"][0] == {
        "location": profile.top_locations[0].location,
        "count": 4,
        "longitude": profile.top_locations[0].longitude,
        "latitude": profile.top_locations[0].latitude,
    }
    # Kept in a cache and shared between requests: nothing may change it.
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.crime_total = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.rates_per_1000.crime = 0.0  # type: ignore[misc]


def test_an_unavailable_change_is_served_as_its_period_alone() -> None:
    change = compare(3, 1, available=False, period=Q1)

    assert (change.available, change.count, change.significant) == (False, None, False)
    assert to_json(change) == {"period": Q1.to_json(), "available": False}


def test_build_profile_has_every_section_of_the_contract() -> None:
    profile = square_ward_profile({WARD_A: 2000, WARD_B: 1000})

    assert set(profile) >= {
        "ward", "period", "counts", "crime_total", "asb_total", "rates_per_1000", "harm",
        "trends", "outcomes", "top_locations", "hotspots", "completeness",
    }  # fmt: skip
    assert profile["ward"] == {
        **WARD,
        "population": 2000,
        "population_method": "Census 2021, best fit",
    }
    assert profile["period"] == {"from": "2025-01", "to": "2025-03", "months": 3}
    assert profile["counts"] == {
        c: {"Burglary": 3, "Robbery": 1, ASB: 4}.get(c, 0) for c in CATEGORIES
    }
    assert (profile["crime_total"], profile["asb_total"]) == (4, 4)
    # The profile is plain JSON: no numpy numbers, no NaN.
    assert json.loads(json.dumps(profile, allow_nan=False)) == profile


def test_build_profile_rates_against_the_force() -> None:
    rates = square_ward_profile({WARD_A: 2000, WARD_B: 1000})["rates_per_1000"]

    assert rates["population"] == 2000
    assert rates["method"] == "Census 2021, best fit"
    assert (rates["crime"], rates["asb"]) == (2.0, 2.0)
    assert rates["by_category"]["Burglary"] == 1.5
    assert rates["by_category"]["Robbery"] == 0.5
    assert rates["by_category"]["Drugs"] == 0.0
    # The ward: 4 crimes per 2,000 = 2 per 1,000; ward B: 3 robberies per 1,000; force 7 / 3.
    assert rates["force"] == pytest.approx(
        {"rate": 2.0, "force_rate": 7000 / 3000, "ratio": 6 / 7, "rank": 2, "of": 2}
    )


def test_build_profile_harm_is_count_times_weight() -> None:
    harm = square_ward_profile({WARD_A: 2000, WARD_B: 1000})["harm"]

    # 3 burglaries x 10 + 1 robbery x 20; ASB carries no harm.
    assert harm["total"] == 3 * 10.0 + 1 * 20.0
    assert harm["per_1000"] == 25.0
    assert harm["by_category"] == {
        c: {"Burglary": 30.0, "Robbery": 20.0}.get(c, 0.0) for c in WEIGHTED_CATEGORIES
    }
    assert (harm["source"], harm["caveat"]) == ("test", "test")
    # Ward B: 3 robberies x 20 = 60 per 1,000 residents; force (50 + 60) / 3,000 residents.
    assert harm["force"] == pytest.approx(
        {"rate": 25.0, "force_rate": 110_000 / 3000, "ratio": 25 / (110 / 3), "rank": 2, "of": 2}
    )


def test_build_profile_outcomes_places_trends_and_completeness() -> None:
    profile = square_ward_profile({WARD_A: 2000, WARD_B: 1000})

    # Four crimes: two under investigation, one charged, one blank; the 4 ASB are left out.
    assert profile["outcomes"] == {
        "Under investigation": 0.5,
        OUTCOME_NOT_RECORDED: 0.25,
        "Suspect charged": 0.25,
    }
    # Place 1 holds two burglaries and the robbery; the ASB at place 3 counts as well.
    assert [(p["location"], p["count"]) for p in profile["top_locations"]] == [
        ("On or near Park Road", 4),
        ("On or near High Street", 3),
        ("On or near Mill Lane", 1),
    ]
    assert profile["top_locations_caveat"] == PLACES_CAVEAT
    lines = by_name(profile["trends"])
    assert lines[ALL_CRIME]["monthly"] == [
        {"month": "2025-01", "n": 2},
        {"month": "2025-02", "n": 1},
        {"month": "2025-03", "n": 1},
    ]
    assert lines["Burglary"]["previous"]["count"] == 5
    assert lines["Burglary"]["year_earlier"]["count"] == 0
    assert profile["completeness"] == {
        "months_missing": [],
        "rows": 3 + 1 + 4 + 3 + 2,
        "no_location": 0,
        "no_location_share": 0.0,
        "outside_wards": 2,
        "boundary_vintage": "2025",
        "population": "Census 2021, best fit",
    }


def test_build_profile_hotspots_are_polygon_cells() -> None:
    hotspots = square_ward_profile({WARD_A: 2000})["hotspots"]

    assert hotspots["cell_size_m"] == 250.0
    assert isinstance(hotspots["hot_cells"], int)
    assert hotspots["cells"]
    assert sum(cell["count"] for cell in hotspots["cells"]) == 3 + 1 + 4
    for cell in hotspots["cells"]:
        assert cell["geometry"]["type"] == "Polygon"
        (ring,) = cell["geometry"]["coordinates"]
        assert len(ring) == 5 and ring[0] == ring[-1]


def test_build_profile_without_population_has_no_rates() -> None:
    profile = square_ward_profile({WARD_B: 1000})

    rates = profile["rates_per_1000"]
    assert profile["ward"]["population"] is None
    assert (rates["crime"], rates["asb"], rates["force"]) == (None, None, None)
    assert set(rates["by_category"].values()) == {None}
    assert (profile["harm"]["per_1000"], profile["harm"]["force"]) == (None, None)
    assert profile["harm"]["total"] == 50.0
    assert profile["completeness"]["population"] == "no population for this ward"
