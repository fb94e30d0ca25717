"""Resourcing: shares that show 100 %, whole-officer allocations that total the staff in post."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.crime import ASB, CATEGORIES
from geodata.harm import HarmWeights
from geodata.period import Period
from geodata.profile import ForceCounts
from geodata.resourcing import (
    Abstraction,
    Team,
    WardFigures,
    largest_remainder,
    method_notes,
    percent_shares,
    resourcing_table,
    to_json,
    ward_figures,
)

PERIOD = Period("2025-01", "2025-03")


def ward(
    code: str,
    *,
    residents: int | None = 1000,
    crimes: int = 10,
    harm: float = 10.0,
    concerns: int = 0,
) -> WardFigures:
    return WardFigures(code, f"Ward {code}", residents, crimes, harm, concerns)


# Three teams over five wards; W5 is in no team. Harm 60 : 30 : 10.
WARDS = {
    "W1": ward("W1", residents=2000, crimes=40, harm=50.0, concerns=2),
    "W2": ward("W2", residents=1000, crimes=5, harm=10.0, concerns=1),
    "W3": ward("W3", residents=3000, crimes=20, harm=30.0, concerns=0),
    "W4": ward("W4", residents=4000, crimes=5, harm=10.0, concerns=0),
    "W5": ward("W5", residents=500, crimes=99, harm=999.0, concerns=7),
}
TEAMS = [
    Team("North", ("W1", "W2"), pcs=3, pcsos=2),
    Team("Middle", ("W3",), pcs=2, pcsos=3),
    Team("South", ("W4",), pcs=4, pcsos=6),
]


def table(**options: object) -> object:
    settings: dict[str, object] = {"blend": 0.5, "hours_per_month": 100.0} | options
    return resourcing_table(TEAMS, WARDS, period=PERIOD, **settings)  # type: ignore[arg-type]


def test_largest_remainder_gives_each_its_floor_and_the_rest_to_the_largest_remainders() -> None:
    # quotas 4.2857, 2.1428, 0.5714 of 7: floors 4, 2, 0; one left goes to the 0.5714
    assert largest_remainder([60, 30, 8], 7) == [4, 2, 1]
    assert largest_remainder([1, 1, 1], 10) == [4, 3, 3]  # a tie goes to the first listed
    assert largest_remainder([0, 5], 3) == [0, 3]
    assert largest_remainder([0, 0], 3) is None
    with pytest.raises(ValueError, match="weights"):
        largest_remainder([-1, 2], 3)


@given(
    st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=40),
    st.integers(min_value=0, max_value=5000),
)
def test_an_allocation_always_totals_the_staff_and_rounds_each_quota(
    weights: list[float], total: int
) -> None:
    parts = largest_remainder(weights, total)
    if math.fsum(weights) == 0:
        assert parts is None
        return
    assert parts is not None and sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        quota = total * weight / math.fsum(weights)
        assert math.floor(quota) - 1e-6 <= part <= math.ceil(quota) + 1e-6


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=60))
def test_shares_shown_to_one_decimal_always_add_up_to_100(values: list[int]) -> None:
    shares = percent_shares(values)
    if sum(values) == 0:
        assert shares is None
        return
    assert shares is not None
    assert f"{sum(shares):.1f}" == "100.0"
    assert sum(round(share * 10) for share in shares) == 1000


def test_thirds_show_100_where_rounding_each_would_show_99_9() -> None:
    assert sum(round(100 / 3, 1) for _ in range(3)) == pytest.approx(99.9)
    assert percent_shares([1, 1, 1]) == [33.4, 33.3, 33.3]


def test_each_team_sums_its_wards_and_each_share_column_sums_to_100() -> None:
    result = table()

    north, middle, south = result.teams
    assert (north.residents, north.crimes, north.harm, north.open_concerns) == (3000, 45, 60.0, 3)
    assert (middle.residents, south.residents) == (3000, 4000)
    assert [t.harm_share for t in result.teams] == [60.0, 30.0, 10.0]
    assert [t.residents_share for t in result.teams] == [30.0, 30.0, 40.0]
    assert [t.staff_share for t in result.teams] == [25.0, 25.0, 50.0]
    assert [t.concerns_share for t in result.teams] == [100.0, 0.0, 0.0]
    for column in (
        "residents_share",
        "crimes_share",
        "harm_share",
        "concerns_share",
        "staff_share",
    ):
        assert f"{sum(getattr(t, column) for t in result.teams):.1f}" == "100.0", column


def test_a_ward_in_no_team_is_listed_apart_and_left_out_of_every_share() -> None:
    result = table()

    assert [w.code for w in result.unassigned] == ["W5"]
    assert result.residents == 10_000 and result.crimes == 70 and result.harm == 100.0
    assert result.open_concerns == 3


def test_harm_allocation_shares_the_same_staff_out_by_harm_in_whole_officers() -> None:
    result = table()

    assert result.staff == 20 and (result.pcs, result.pcsos) == (9, 11)
    assert [t.by_harm for t in result.teams] == [12, 6, 2]  # 60 : 30 : 10 of 20
    # blend 0.5: need = (0.6+0.3)/2, (0.3+0.3)/2, (0.1+0.4)/2 = 0.45, 0.30, 0.25 of 20
    assert [t.by_blend for t in result.teams] == [9, 6, 5]
    assert sum(t.by_blend for t in table(blend=0.37).teams) == 20


def test_blend_one_is_harm_alone_and_blend_zero_residents_alone() -> None:
    assert [t.by_blend for t in table(blend=1.0).teams] == [12, 6, 2]
    assert [t.by_blend for t in table(blend=0.0).teams] == [6, 6, 8]
    with pytest.raises(ValueError, match="blend"):
        table(blend=1.5)


def test_without_residents_only_an_all_harm_blend_can_be_worked_out() -> None:
    no_people = {code: ward(code, residents=None, harm=w.harm) for code, w in WARDS.items()}
    result = resourcing_table(TEAMS, no_people, period=PERIOD, blend=0.5, hours_per_month=100)

    assert [t.by_blend for t in result.teams] == [None, None, None]
    assert [t.residents_share for t in result.teams] == [None, None, None]
    assert result.missing_residents == ("W1", "W2", "W3", "W4")
    assert [t.by_harm for t in result.teams] == [12, 6, 2]


def test_abstraction_counts_the_months_recorded_in_the_period_on_both_sides() -> None:
    hours = [
        Abstraction("North", "2025-01", 100.0),
        Abstraction("North", "2025-02", 150.0),
        Abstraction("North", "2024-12", 999.0),  # before the period
        Abstraction("South", "2025-03", 500.0),
    ]
    result = table(abstraction=hours)
    north, middle, south = result.teams

    assert (north.abstraction_hours, north.months_recorded, north.hours_available) == (
        250.0,
        2,
        5 * 100.0 * 2,
    )
    assert north.abstraction_percent == 25.0
    assert (middle.abstraction_hours, middle.abstraction_percent) == (None, None)
    assert south.abstraction_percent == 50.0  # 500 of 10 staff x 100 hours x 1 month
    assert result.abstraction_hours == 750.0 and result.hours_available == 2000.0


def test_ward_figures_are_the_profiles_crimes_and_harm() -> None:
    counts = np.zeros((2, len(CATEGORIES), 1), dtype=np.int64)
    counts[0, CATEGORIES.index(ASB), 0] = 50
    counts[0, CATEGORIES.index("Burglary"), 0] = 2
    counts[1, CATEGORIES.index("Shoplifting"), 0] = 3
    force = ForceCounts(["A", "B"], ["2025-01"], counts, np.zeros(1, int), np.zeros(1, int))
    weights = HarmWeights(
        weights={c: (10.0 if c == "Burglary" else 1.0) for c in CATEGORIES if c != ASB},
        source="test",
        caveat="test",
    )

    figures = ward_figures(
        force,
        Period("2025-01", "2025-01"),
        names={"A": "Ward A", "B": "Ward B", "C": "Ward C"},
        residents={"A": 100},
        open_concerns={"B": 4},
        weights=weights,
    )

    assert figures["A"] == WardFigures("A", "Ward A", 100, 2, 20.0, 0)  # ASB not a crime
    assert figures["B"] == WardFigures("B", "Ward B", None, 3, 3.0, 4)
    assert figures["C"] == WardFigures("C", "Ward C", None, 0, 0.0, 0)  # no records at all


def test_the_json_carries_the_period_and_the_method_in_words() -> None:
    result = table()
    body = to_json(result)

    assert body["period"] == {"from": "2025-01", "to": "2025-03"}
    assert list(body["teams"][0]["ward_codes"]) == ["W1", "W2"]
    assert "50 % of its share of harm" in method_notes(result)["allocation"]
    assert "100 hours per officer per month" in body["method"]["abstraction"]


def test_a_team_ward_the_boundaries_no_longer_hold_is_named_not_counted() -> None:
    teams = [Team("North", ("W1", "OLD9"), pcs=1, pcsos=1), Team("South", ("W4",), 1, 1)]
    result = resourcing_table(teams, WARDS, period=PERIOD, blend=0.5, hours_per_month=100)

    assert result.unknown_codes == ("OLD9",)
    assert result.teams[0].residents == 2000
    assert [w.code for w in result.unassigned] == ["W2", "W3", "W5"]
