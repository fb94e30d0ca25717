"""What works: the significance rule, the shortlist and the months an evaluation reads."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING
from geodata.plans import Plan
from geodata.what_works import FactsWindow, facts_window, shortlist, worked


def plan(**changes: object) -> Plan:
    """The demo's park plan (quality 9/9, ASB and criminal damage), closed, from July 2025."""
    made = demo_plans(["W"], names={ASB_PARK: "W"}, start=date(2025, 7, 1))[0]
    return dataclasses.replace(made, **({"status": "closed"} | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        ({"ratio": 0.7, "low": 0.55, "high": 0.89}, True),
        ({"ratio": 0.9, "low": 0.7, "high": 1.1}, False),  # the interval reaches no change
        ({"ratio": 0.9, "low": 0.8, "high": 1.0}, False),  # an upper end of exactly 1
        ({"ratio": 1.2, "low": 1.1, "high": 1.3}, False),  # a significant rise
        ({"ratio": None, "high": None}, False),
    ],
)
def test_worked_needs_the_whole_interval_under_one(ratio: dict, expected: bool) -> None:
    assert worked({"rate_ratio": ratio}) is expected


def test_worked_without_an_evaluation() -> None:
    assert worked(None) is False
    assert worked({}) is False


def test_the_shortlist_keeps_closed_good_plans_that_match() -> None:
    weak = demo_plans(["W"], names={BURGLARY_RISING: "W"}, start=date(2025, 7, 1))[0]
    plans = [
        (1, plan()),
        (2, plan(status="active")),
        (3, dataclasses.replace(weak, status="closed")),  # quality 1/9
        (
            4,
            plan(
                title="Station car park", problem="Cars broken into", categories=("Vehicle crime",)
            ),
        ),
    ]

    assert [i for i, _ in shortlist(plans)] == [1, 4]
    assert [i for i, _ in shortlist(plans, query="  PLAY AREA ")] == [1]  # the problem
    assert [i for i, _ in shortlist(plans, query="station")] == [4]  # the title
    assert [i for i, _ in shortlist(plans, query="vehicle")] == [4]  # a category
    assert [i for i, _ in shortlist(plans, theme="Criminal damage and arson")] == [1]
    assert shortlist(plans, query="no-such-words") == []


def test_the_facts_window_runs_from_six_months_before_the_start_to_the_latest_held() -> None:
    held = ["2025-01", "2025-12"]
    assert facts_window(plan(), months_held=held) == FactsWindow(
        "2025-01", "2025-12", ("Anti-social behaviour", "Criminal damage and arson")
    )
    late = plan(start_date=date(2026, 3, 15), categories=("Burglary",))
    assert facts_window(late, months_held=held) == FactsWindow("2025-09", "2026-03", ("Burglary",))
    assert facts_window(late, months_held=[]).last == "2026-03"
