"""Plan evaluation: counts by hand-drawn areas, and every statistic against worked examples."""

from __future__ import annotations

import json
import math
from statistics import NormalDist
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import Point, box

from geodata.areas import ring
from geodata.crs import BNG, WGS84
from geodata.effects import (
    WDQ_DIFFUSION,
    WDQ_DIFFUSION_GREATER,
    WDQ_DISPLACEMENT_GREATER,
    WDQ_DISPLACEMENT_SMALLER,
    WDQ_NEITHER,
    WDQ_NO_SUCCESS,
    rate_ratio,
    sustained,
    wdd,
    wdq,
)
from geodata.errors import EvaluationError
from geodata.evaluation import (
    SMALL_COUNTS_CAVEAT,
    AreaCounts,
    caveats,
    count_in_areas,
    evaluate,
    monthly_in_area,
    plan_periods,
    verdict,
)
from geodata.period import Period

NAN = float("nan")
NORMAL = NormalDist()
Z95 = NORMAL.inv_cdf(0.975)
TO_BNG = Transformer.from_crs(WGS84, BNG, always_xy=True)

TARGET = box(-1.21, 54.60, -1.19, 54.61)
"""A target about 1.3 km by 1.1 km, south of Stockton (the profile tests' ward)."""
RING = box(-1.22, 54.595, -1.18, 54.615).difference(TARGET)
"""A hand-drawn buffer: the frame between the target and a box 0.01 degrees further out."""

IN_TARGET = (-1.20, 54.605)
ON_TARGET_EDGE = (-1.19, 54.605)
"""On the east edge, which the target shares with the ring: the target's."""
ON_TARGET_CORNER = (-1.21, 54.60)
IN_RING = (-1.215, 54.605)
ON_RING_OUTER_EDGE = (-1.22, 54.605)
OUTSIDE = (-1.25, 54.605)

BEFORE = Period("2025-01", "2025-03")
AFTER = Period("2025-04", "2025-06")


def fact(
    at: tuple[float, float],
    *,
    month: str = "2025-02",
    category: str = "Burglary",
    n: int = 1,
) -> dict[str, Any]:
    """One grouped row of incidents at a snap point."""
    return {"month": month, "category": category, "longitude": at[0], "latitude": at[1], "n": n}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    columns = ["month", "category", "longitude", "latitude", "n"]
    return pd.DataFrame(list(rows), columns=columns)


# --- Counting ------------------------------------------------------------------------------


def test_points_are_counted_by_area_and_period() -> None:
    facts = frame(
        fact(IN_TARGET, n=3),
        fact(ON_TARGET_EDGE),
        fact(ON_TARGET_CORNER, month="2025-04"),
        fact(IN_TARGET, month="2025-06", n=2),
        fact(IN_RING, n=4),
        fact(ON_RING_OUTER_EDGE, month="2025-05"),
        fact(OUTSIDE, n=10),
        fact(OUTSIDE, month="2025-04", n=7),
        fact((NAN, NAN), n=5),
        fact((NAN, NAN), month="2025-05", n=6),
        # Ignored: other categories, and months in neither period.
        fact(IN_TARGET, category="Robbery", n=100),
        fact(IN_TARGET, month="2024-12", n=100),
        fact(OUTSIDE, month="2025-07", n=100),
    )
    counts = count_in_areas(
        facts,
        target=TARGET,
        buffer=RING,
        categories=["Burglary"],
        before=BEFORE,
        after=AFTER,
    )
    assert counts == AreaCounts(
        target_before=3 + 1,
        target_after=1 + 2,
        buffer_before=4,
        buffer_after=1,
        control_before=10,
        control_after=7,
        no_location_before=5,
        no_location_after=6,
    )
    assert counts.to_json() == {
        "target": {"before": 4, "after": 3},
        "buffer": {"before": 4, "after": 1},
        "control": {"before": 10, "after": 7},
        "no_location": {"before": 5, "after": 6},
    }


def test_without_a_buffer_the_ring_is_control() -> None:
    facts = frame(fact(IN_TARGET), fact(IN_RING, n=4), fact(OUTSIDE, n=10))
    counts = count_in_areas(
        facts, target=TARGET, buffer=None, categories=["Burglary"], before=BEFORE, after=AFTER
    )
    assert (counts.target_before, counts.buffer_before, counts.control_before) == (1, None, 14)
    assert counts.to_json()["buffer"] is None


def test_several_categories_are_summed() -> None:
    facts = frame(fact(IN_TARGET, n=2), fact(IN_TARGET, category="Robbery", n=3))
    counts = count_in_areas(
        facts,
        target=TARGET,
        buffer=RING,
        categories=["Burglary", "Robbery"],
        before=BEFORE,
        after=AFTER,
    )
    assert counts.target_before == 5


def test_no_facts_count_zero() -> None:
    counts = count_in_areas(
        frame(), target=TARGET, buffer=RING, categories=["Burglary"], before=BEFORE, after=AFTER
    )
    assert counts == AreaCounts(0, 0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"categories": ["Burglery"]}, "categories: \\['Burglery'\\] not police.uk"),
        ({"categories": []}, "categories: expected a non-empty list"),
        ({"categories": "Burglary"}, "categories: expected a non-empty list"),
        ({"target": box(450_000, 520_000, 451_000, 521_000)}, "target: bounds .* not WGS84"),
        ({"buffer": Point(-1.2, 54.6)}, "buffer: expected a non-empty Polygon"),
        ({"before": AFTER, "after": BEFORE}, "before: 2025-04 to 2025-06 does not end before"),
    ],
)
def test_count_in_areas_rejects_bad_arguments(arguments: dict[str, Any], message: str) -> None:
    options: dict[str, Any] = {
        "target": TARGET,
        "buffer": RING,
        "categories": ["Burglary"],
        "before": BEFORE,
        "after": AFTER,
        **arguments,
    }
    with pytest.raises(EvaluationError, match=message):
        count_in_areas(frame(fact(IN_TARGET)), **options)


def test_monthly_in_area_counts_each_month_edge_included() -> None:
    facts = frame(
        fact(IN_TARGET, month="2025-04", n=2),
        fact(ON_TARGET_EDGE, month="2025-04"),
        fact(IN_TARGET, month="2025-06", n=5),
        fact(IN_RING, month="2025-05", n=9),
        fact(IN_TARGET, month="2025-05", category="Robbery", n=9),
    )
    assert monthly_in_area(
        facts, area=TARGET, categories=["Burglary"], months=["2025-04", "2025-05", "2025-06"]
    ) == [3, 0, 5]


# --- Periods -------------------------------------------------------------------------------


def test_periods_for_a_plan_starting_with_a_month() -> None:
    periods = plan_periods("2025-03")
    assert (periods.before, periods.after, periods.left_out) == (
        Period("2024-09", "2025-02"),
        Period("2025-03", "2025-08"),
        None,
    )
    first = plan_periods("2025-03-01")
    assert (first.before, first.after, first.left_out) == (periods.before, periods.after, None)


def test_a_month_the_plan_started_part_way_through_is_left_out() -> None:
    periods = plan_periods("2025-03-15", months=3)
    assert (periods.before, periods.after, periods.left_out) == (
        Period("2024-12", "2025-02"),
        Period("2025-04", "2025-06"),
        "2025-03",
    )
    assert periods.to_json() == {
        "start": "2025-03-15",
        "before": {"from": "2024-12", "to": "2025-02", "months": 3},
        "after": {"from": "2025-04", "to": "2025-06", "months": 3},
        "left_out": "2025-03",
    }


def test_periods_are_cut_back_to_the_months_held_on_both_sides() -> None:
    periods = plan_periods("2025-01", months=6, latest="2025-03")
    assert (periods.before, periods.after) == (
        Period("2024-10", "2024-12"),
        Period("2025-01", "2025-03"),
    )


def test_periods_across_a_year_end() -> None:
    periods = plan_periods("2024-11-20", months=2)
    assert (periods.before, periods.after) == (
        Period("2024-09", "2024-10"),
        Period("2024-12", "2025-01"),
    )


@pytest.mark.parametrize(
    ("start", "options", "message"),
    [
        ("2025-13", {}, "start: '2025-13' is not a month"),
        ("March 2025", {}, "start: 'March 2025' is not a month"),
        ("2025-02-30", {}, "start: '2025-02-30' is not a real date"),
        ("2025-03", {"months": 0}, "months: 0 is not"),
        (
            "2025-03-10",
            {"latest": "2025-03"},
            "no whole month after the plan's start \\(2025-04\\)",
        ),
    ],
)
def test_plan_periods_rejects(start: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        plan_periods(start, **options)


# --- Rate ratio ----------------------------------------------------------------------------


def test_rate_ratio_worked_by_hand() -> None:
    """Target 50 before, 31 after; control 1,000 before, 950 after."""
    result = rate_ratio(50, 31, 1000, 950)
    ratio = (31 / 50) / (950 / 1000)  # 0.62 / 0.95
    se = math.sqrt(1 / 50 + 1 / 31 + 1 / 1000 + 1 / 950)
    assert ratio == pytest.approx(0.652632, abs=1e-6)
    assert se == pytest.approx(0.233047, abs=1e-6)
    assert result.ratio == pytest.approx(ratio, rel=1e-12)
    assert result.log_se == pytest.approx(se, rel=1e-12)
    assert result.low == pytest.approx(math.exp(math.log(ratio) - Z95 * se), rel=1e-9)
    assert result.high == pytest.approx(math.exp(math.log(ratio) + Z95 * se), rel=1e-9)
    assert (round(result.low, 3), round(result.high, 3)) == (0.413, 1.030)
    z = math.log(ratio) / se
    assert result.p_value == pytest.approx(2 * NORMAL.cdf(-abs(z)), rel=1e-9)
    assert round(result.p_value, 3) == 0.067
    assert not result.corrected
    assert result.to_json()["significant"] is False


def test_rate_ratio_significant_fall() -> None:
    result = rate_ratio(100, 50, 1000, 1000)
    se = math.sqrt(1 / 100 + 1 / 50 + 2 / 1000)
    assert result.ratio == pytest.approx(0.5)
    assert result.p_value == pytest.approx(2 * NORMAL.cdf(math.log(0.5) / se), rel=1e-9)
    assert result.p_value < 0.001
    assert result.to_json()["significant"] is True


def test_rate_ratio_adds_a_half_to_every_count_when_one_is_zero() -> None:
    result = rate_ratio(0, 5, 100, 100)
    ratio = (5.5 / 0.5) / (100.5 / 100.5)
    se = math.sqrt(1 / 0.5 + 1 / 5.5 + 1 / 100.5 + 1 / 100.5)
    assert result.corrected
    assert result.ratio == pytest.approx(ratio) == pytest.approx(11)
    assert result.log_se == pytest.approx(se, rel=1e-12)
    assert result.low == pytest.approx(math.exp(math.log(11) - Z95 * se), rel=1e-9)
    assert result.p_value == pytest.approx(2 * NORMAL.cdf(-math.log(11) / se), rel=1e-9)


def test_rate_ratio_of_all_zero_is_one() -> None:
    result = rate_ratio(0, 0, 0, 0)
    assert (result.ratio, result.p_value, result.corrected) == (1.0, 1.0, True)


@pytest.mark.parametrize("bad", [-1, NAN, float("inf"), True, "3"])
def test_rate_ratio_rejects_bad_counts(bad: Any) -> None:
    with pytest.raises(EvaluationError, match="control_after: "):
        rate_ratio(1, 1, 1, bad)


COUNTS = st.integers(min_value=0, max_value=10**6)


@given(COUNTS, COUNTS, COUNTS, COUNTS)
def test_swapping_before_and_after_inverts_the_rate_ratio(a: int, b: int, c: int, d: int) -> None:
    forward = rate_ratio(a, b, c, d)
    backward = rate_ratio(b, a, d, c)
    assert backward.ratio == pytest.approx(1 / forward.ratio, rel=1e-9)
    assert math.log(backward.ratio) == pytest.approx(-math.log(forward.ratio), abs=1e-9)
    assert backward.low == pytest.approx(1 / forward.high, rel=1e-9)
    assert backward.high == pytest.approx(1 / forward.low, rel=1e-9)
    assert backward.p_value == pytest.approx(forward.p_value, rel=1e-9, abs=1e-300)
    assert backward.corrected == forward.corrected


# --- WDQ -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("buffer_after", "value", "reading"),
    [
        # Control steady at 100; target 50 -> 30 (success measure -0.2); buffer 60 -> x,
        # so WDQ = (x - 60) / (30 - 50).
        (30, 1.5, WDQ_DIFFUSION_GREATER),
        (40, 1.0, WDQ_DIFFUSION),
        (55, 0.25, WDQ_DIFFUSION),
        (60, 0.0, WDQ_NEITHER),
        (70, -0.5, WDQ_DISPLACEMENT_SMALLER),
        (80, -1.0, WDQ_DISPLACEMENT_SMALLER),
        (90, -1.5, WDQ_DISPLACEMENT_GREATER),
    ],
)
def test_wdq_reading_bands(buffer_after: int, value: float, reading: str) -> None:
    result = wdq(50, 30, 60, buffer_after, 100, 100)
    assert result.success_measure == pytest.approx(30 / 100 - 50 / 100)
    assert result.buffer_measure == pytest.approx(buffer_after / 100 - 60 / 100)
    assert result.value == value
    assert result.reading == reading


def test_wdq_weights_by_the_control_in_each_period() -> None:
    """Control halves (200 -> 100): success 16/100 - 40/200 = -0.04, buffer 24/100 - 60/200
    = -0.06, WDQ 1.5 although both areas fell by the same 60 %."""
    result = wdq(40, 16, 60, 24, 200, 100)
    assert result.success_measure == pytest.approx(-0.04)
    assert result.buffer_measure == pytest.approx(-0.06)
    assert result.value == pytest.approx(1.5)
    assert result.reading == WDQ_DIFFUSION_GREATER


@pytest.mark.parametrize("target_after", [50, 70])
def test_wdq_without_success_is_not_interpreted(target_after: int) -> None:
    result = wdq(50, target_after, 60, 90, 100, 100)
    assert result.value is None
    assert result.success_measure == pytest.approx(target_after / 100 - 0.5)
    assert result.buffer_measure == pytest.approx(0.3)
    assert result.reading == WDQ_NO_SUCCESS


def test_wdq_with_an_empty_control_is_undefined() -> None:
    result = wdq(50, 30, 60, 50, 0, 100)
    assert (result.value, result.success_measure, result.buffer_measure) == (None, None, None)
    assert result.reading == "undefined: the control had no incidents before the plan started"
    both = wdq(50, 30, 60, 50, 0, 0)
    assert (
        both.reading == "undefined: the control had no incidents before or after the plan started"
    )


# --- WDD -----------------------------------------------------------------------------------


def test_wdd_reproduces_wheeler_and_ratcliffe_2018() -> None:
    """The paper's example, as kept in the authors' ptools test "Est & Variance Paper":
    treated 207 -> 110, control 308 -> 318, displacement 178 -> 157, its control 150 -> 140;
    WDD -118, variance 1568, z -2.98, 95 % interval -196 to -40."""
    result = wdd(207, 110, 308, 318, 178, 157, 150, 140)
    assert result.local == (110 - 207) - (318 - 308) == -107
    assert result.displacement == (157 - 178) - (140 - 150) == -11
    assert result.estimate == -118
    assert result.variance == 207 + 110 + 308 + 318 + 178 + 157 + 150 + 140 == 1568
    assert round(result.z, 2) == -2.98
    assert (round(result.low), round(result.high)) == (-196, -40)
    assert result.p_value == pytest.approx(2 * NORMAL.cdf(-118 / math.sqrt(1568)), rel=1e-9)
    assert round(result.p_value, 4) == 0.0029
    assert result.to_json()["significant"] is True


def test_wdd_reproduces_wheelers_area_weights_example() -> None:
    """Same counts, areas weighted (control 0.9, treated 1.2, displacement control 1.6,
    displacement 1.5; ptools test "Area Weights"): scale is the reciprocal of the weight."""
    result = wdd(207, 110, 308, 318, 178, 157, 150, 140, scale=(1 / 1.2, 1 / 0.9, 1 / 1.5, 1 / 1.6))
    assert result.estimate == pytest.approx(-99.69444444, abs=1e-8)
    assert math.sqrt(result.variance) == pytest.approx(35.4280755, abs=1e-7)
    assert result.z == pytest.approx(-2.813995483, abs=1e-9)
    assert result.low == pytest.approx(-169.1321965, abs=1e-7)
    assert result.high == pytest.approx(-30.25669241, abs=1e-8)


@pytest.mark.parametrize(
    ("control", "treated", "estimate", "variance"),
    [
        # Wheeler's blog, "The WDD test with different pre/post time periods" (2021).
        ((100, 50), (80, 20), -10, 250),
        # crimede-coder.com, "Some extensions to the WDD statistic" (2025): standard error 19.
        ((100, 90), (100, 80), -10, 370),
    ],
)
def test_wdd_without_displacement_matches_wheelers_blog(
    control: tuple[int, int], treated: tuple[int, int], estimate: int, variance: int
) -> None:
    result = wdd(*treated, *control)
    assert (result.estimate, result.variance, result.displacement) == (estimate, variance, 0)
    assert result.z == pytest.approx(estimate / math.sqrt(variance))


def test_wdd_with_one_control_for_both_areas() -> None:
    """Target 40 -> 25, buffer 30 -> 35, one control 100 -> 110 used for both."""
    independent = wdd(40, 25, 100, 110, 30, 35, 100, 110)
    shared = wdd(40, 25, 100, 110, 30, 35, 100, 110, shared_control=True)
    assert independent.estimate == shared.estimate == (25 - 40) - 10 + (35 - 30) - 10 == -30
    assert independent.variance == 65 + 210 + 65 + 210
    # The control enters twice, so its variance counts (1 + 1)^2 = 4 times, not twice.
    assert shared.variance == 65 + 65 + 4 * 210
    assert shared.p_value > independent.p_value


def test_wdd_shared_control_must_be_the_control() -> None:
    with pytest.raises(EvaluationError, match="shared_control: "):
        wdd(40, 25, 100, 110, 30, 35, 100, 111, shared_control=True)


def test_wdd_with_no_events_shows_no_change() -> None:
    result = wdd(0, 0, 0, 0)
    assert (result.estimate, result.variance, result.z, result.p_value) == (0, 0, 0, 1)


@given(COUNTS, COUNTS, COUNTS, COUNTS)
def test_wdd_of_identical_before_and_after_is_zero(t: int, c: int, d: int, cd: int) -> None:
    result = wdd(t, t, c, c, d, d, cd, cd)
    assert (result.estimate, result.z, result.p_value) == (0, 0, 1)
    assert result.variance == 2 * (t + c + d + cd)


@given(COUNTS, COUNTS, COUNTS, COUNTS)
def test_swapping_before_and_after_negates_the_wdd(t1: int, t2: int, c1: int, c2: int) -> None:
    forward = wdd(t1, t2, c1, c2)
    backward = wdd(t2, t1, c2, c1)
    assert backward.estimate == -forward.estimate
    assert backward.variance == forward.variance
    assert backward.p_value == pytest.approx(forward.p_value)


# --- Sustained -----------------------------------------------------------------------------


def test_sustained_compares_later_months_with_the_before_mean() -> None:
    assert sustained([5, 4, 6, 3, 4], before_mean=6.0, assess_months=3) is True
    assert sustained([5, 4, 6, 6, 7], before_mean=6.0, assess_months=3) is False
    assert sustained([5, 4, 6, 6, 6], before_mean=6.0, assess_months=3) is False  # equal: no
    assert sustained([5, 4, 6], before_mean=6.0, assess_months=3) is None
    with pytest.raises(EvaluationError, match="assess_months: "):
        sustained([1], before_mean=1.0, assess_months=-1)


# --- Verdict and caveats -------------------------------------------------------------------


def test_caveats_name_small_numbers_missing_months_small_areas_and_regression() -> None:
    counts = AreaCounts(12, 6, 30, 40, 5000, 4800)
    notes = caveats(counts, months_missing=["2025-02"], target_area_m2=20_000)
    assert notes == [
        f"Only 18 incidents in the target area over both periods: {SMALL_COUNTS_CAVEAT}.",
        "No data held for 2025-02: those months count as zero, so the comparison is biased.",
        "The target area is only about 2.0 hectares. police.uk moves every crime to a nearby "
        "anonymous map point, so locations are approximate and counts for an area smaller "
        "than a few streets are unreliable.",
        "Plans often start after a spike; part of any fall may be a return to normal "
        "(regression to the mean), which the comparison with the rest of the force does not "
        "remove.",
    ]
    assert caveats(
        AreaCounts(30, 40, None, None, 5, 9), months_missing=[], target_area_m2=None
    ) == [f"Only 14 incidents in the rest of the force over both periods: {SMALL_COUNTS_CAVEAT}."]


def test_verdict_when_the_target_rose_and_no_buffer_was_drawn() -> None:
    counts = AreaCounts(0, 8, None, None, 400, 400)
    rate = rate_ratio(0, 8, 400, 400)
    text = verdict(
        categories=["Robbery", "Vehicle crime", "Drugs"],
        counts=counts,
        rate=rate,
        quotient=None,
        difference=None,
        held=None,
        assess_months=6,
        later_months=0,
    )
    assert text == (
        "Robbery, Vehicle crime and Drugs went from 0 to 8 in the target area against no change "
        f"in the rest of the force (rate ratio {rate.ratio:.2f}, 95 % CI {rate.low:.2f}\u2013"
        f"{rate.high:.2f}, 0.5 added to every count as one was zero, not significant). "
        "No buffer was drawn, so displacement was not assessed."
    )


def test_verdict_without_success_does_not_read_the_wdq() -> None:
    counts = AreaCounts(20, 25, 30, 10, 1000, 1000)
    text = verdict(
        categories=["Burglary"],
        counts=counts,
        rate=rate_ratio(20, 25, 1000, 1000),
        quotient=wdq(20, 25, 30, 10, 1000, 1000),
        difference=None,
        held=False,
        assess_months=6,
        later_months=1,
    )
    assert "Burglary rose 25 % in the target area against no change" in text
    assert f"Displacement was not assessed: {WDQ_NO_SUCCESS}." in text
    assert text.endswith(
        "In the month after the first 6, the target area did not stay below its monthly "
        "level before the plan."
    )


# --- Evaluate ------------------------------------------------------------------------------

BUFFER_POINT = (-1.19 + 0.003, 54.605)
"""About 190 m east of the target: inside a 500 m ring."""
FAR_POINT = (-1.40, 54.70)
"""Elsewhere in the force."""


def monthly_rows(at: tuple[float, float], by_month: dict[str, int]) -> list[dict[str, Any]]:
    return [fact(at, month=month, n=n) for month, n in by_month.items()]


def plan_facts() -> pd.DataFrame:
    """Burglary by month, three months either side of a plan that started in January 2025,
    and two later months."""
    return frame(
        *monthly_rows(
            IN_TARGET,
            {"2024-10": 20, "2024-11": 15, "2024-12": 15}
            | {"2025-01": 10, "2025-02": 10, "2025-03": 10}
            | {"2025-04": 9, "2025-05": 11},
        ),
        *monthly_rows(
            BUFFER_POINT,
            {"2024-10": 20, "2024-11": 20, "2024-12": 20}
            | {"2025-01": 20, "2025-02": 20, "2025-03": 15},
        ),
        *monthly_rows(
            FAR_POINT,
            {"2024-10": 340, "2024-11": 330, "2024-12": 330}
            | {"2025-01": 320, "2025-02": 310, "2025-03": 320}
            | {"2025-04": 300, "2025-05": 300},
        ),
        fact(IN_TARGET, month="2025-02", category="Drugs", n=50),
        fact(IN_TARGET, month="2024-09", n=50),
    )


MONTHS_HELD = [f"2024-{m:02d}" for m in range(9, 13)] + [f"2025-{m:02d}" for m in range(1, 6)]


def test_evaluate_brings_the_figures_together() -> None:
    result = evaluate(
        plan_facts(),
        target=TARGET,
        buffer=ring(TARGET, metres=500),
        categories=["Burglary"],
        start="2025-01",
        months=3,
        months_held=MONTHS_HELD,
    )
    json.dumps(result, allow_nan=False)
    assert result["periods"] == {
        "start": "2025-01",
        "before": {"from": "2024-10", "to": "2024-12", "months": 3},
        "after": {"from": "2025-01", "to": "2025-03", "months": 3},
        "left_out": None,
    }
    assert result["counts"] == {
        "target": {"before": 50, "after": 30},
        "buffer": {"before": 60, "after": 55},
        "control": {"before": 1000, "after": 950},
        "no_location": {"before": 0, "after": 0},
    }
    assert result["months_missing"] == []

    rate = result["rate_ratio"]
    assert rate["ratio"] == pytest.approx((30 / 50) / (950 / 1000))
    assert rate["log_se"] == pytest.approx(math.sqrt(1 / 50 + 1 / 30 + 1 / 1000 + 1 / 950))
    assert rate["significant"] is False

    quotient = result["wdq"]
    success, displaced = 30 / 950 - 50 / 1000, 55 / 950 - 60 / 1000
    assert quotient["success_measure"] == pytest.approx(success)
    assert quotient["buffer_measure"] == pytest.approx(displaced)
    assert quotient["value"] == pytest.approx(displaced / success)
    assert quotient["value"] == pytest.approx(0.114286, abs=1e-6)
    assert quotient["reading"] == WDQ_DIFFUSION

    # The rest of the force is scaled to each area's before count: 50/1000 and 60/1000.
    difference = result["wdd"]
    assert difference["control_scale"] == {"target": 0.05, "buffer": 0.06}
    assert difference["local"] == pytest.approx((30 - 50) - 0.05 * (950 - 1000)) == -17.5
    assert difference["displacement"] == pytest.approx((55 - 60) - 0.06 * (950 - 1000)) == -2
    assert difference["estimate"] == pytest.approx(-19.5)
    variance = (50 + 30) + (60 + 55) + (0.05 + 0.06) ** 2 * (1000 + 950)
    assert difference["variance"] == pytest.approx(variance) == pytest.approx(218.595)
    z = -19.5 / math.sqrt(variance)
    assert difference["z"] == pytest.approx(z)
    assert difference["p_value"] == pytest.approx(2 * NORMAL.cdf(z))
    assert difference["significant"] is False

    assert result["sustained"] == {
        "held": True,
        "before_mean": 50 / 3,
        "later_months": ["2025-04", "2025-05"],
        "later_monthly": [9, 11],
    }
    assert result["areas_km2"]["target"] == pytest.approx(1.43, abs=0.01)
    assert result["caveats"] == [
        "Plans often start after a spike; part of any fall may be a return to normal "
        "(regression to the mean), which the comparison with the rest of the force does not "
        "remove."
    ]
    margin = Z95 * math.sqrt(variance)
    assert result["verdict"] == (
        "Burglary fell 40 % in the target area against a fall of 5 % in the rest of the force "
        f"(rate ratio 0.63, 95 % CI {rate['low']:.2f}\u2013{rate['high']:.2f}, not significant). "
        "No evidence of displacement into the buffer (WDQ 0.11: some diffusion of benefit). "
        "In target and buffer together, about 20 fewer incidents than the trend in the rest "
        f"of the force predicts (WDD \u221219.5, 95 % CI \u2212{19.5 + margin:.1f} "
        f"to {-19.5 + margin:.1f}, p = {2 * NORMAL.cdf(z):.3f}, not "
        "significant). In the 2 months after the first 3, the target area stayed below its "
        "monthly level before the plan. " + result["caveats"][0]
    )


def test_evaluate_leaves_out_a_part_month_and_cuts_back_to_the_months_held() -> None:
    """Started 10 March: March is left out; only April is held after it, so one month each
    side (February against April)."""
    facts = frame(
        *monthly_rows(IN_TARGET, {"2025-01": 9, "2025-02": 3, "2025-03": 2, "2025-04": 1}),
        *monthly_rows(FAR_POINT, {"2025-02": 10, "2025-03": 7, "2025-04": 12}),
    )
    result = evaluate(
        facts,
        target=TARGET,
        buffer=None,
        categories=["Burglary"],
        start="2025-03-10",
        months=2,
        months_held=["2025-01", "2025-02", "2025-03", "2025-04"],
    )
    json.dumps(result, allow_nan=False)
    assert result["periods"] == {
        "start": "2025-03-10",
        "before": {"from": "2025-02", "to": "2025-02", "months": 1},
        "after": {"from": "2025-04", "to": "2025-04", "months": 1},
        "left_out": "2025-03",
    }
    assert result["counts"]["target"] == {"before": 3, "after": 1}
    assert result["counts"]["control"] == {"before": 10, "after": 12}
    assert result["wdq"] is None
    assert result["wdd"]["control_scale"] == {"target": 0.3, "buffer": None}
    assert result["wdd"]["estimate"] == pytest.approx((1 - 3) - 0.3 * (12 - 10))
    assert result["wdd"]["variance"] == pytest.approx(3 + 1 + 0.3**2 * (10 + 12))
    assert result["sustained"]["held"] is None
    # 22 incidents in the control is not small; 4 in the target is.
    assert result["caveats"] == [
        f"Only 4 incidents in the target area over both periods: {SMALL_COUNTS_CAVEAT}.",
        "Plans often start after a spike; part of any fall may be a return to normal "
        "(regression to the mean), which the comparison with the rest of the force does not "
        "remove.",
    ]


def test_evaluate_reports_missing_months_and_skips_an_unscalable_wdd() -> None:
    facts = frame(
        *monthly_rows(IN_TARGET, {"2024-12": 4, "2025-01": 2}),
        *monthly_rows(FAR_POINT, {"2025-01": 7}),
    )
    result = evaluate(
        facts,
        target=TARGET,
        buffer=None,
        categories=["Burglary"],
        start="2025-01",
        months=2,
        months_held=["2024-12", "2025-01", "2025-02"],
    )
    json.dumps(result, allow_nan=False)
    assert result["periods"]["before"] == {"from": "2024-11", "to": "2024-12", "months": 2}
    assert result["months_missing"] == ["2024-11"]
    assert result["counts"]["control"] == {"before": 0, "after": 7}
    assert result["wdd"] == {
        "available": False,
        "reason": "no incidents in the rest of the force before the plan to scale the trend by",
    }
    assert result["wdq"] is None
    assert result["sustained"]["held"] is None
    assert result["rate_ratio"]["corrected"] is True
    assert "No data held for 2024-11" in result["verdict"]
    assert "No buffer was drawn" in result["verdict"]
