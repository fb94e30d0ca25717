"""Which approaches work: the random-effects pool checked by hand, plans counted once per
approach, and approaches with too few plans listed apart rather than ranked."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pytest

from geodata.approaches import (
    MIN_PLANS,
    RESPONSE,
    TOOLKIT,
    PlanResult,
    approaches_of,
    pooled,
    rank_approaches,
    response_key,
)
from geodata.period import Period
from geodata.plans import Plan, Response
from geodata.sustained import FADED, SUSTAINED, FollowUp


def plan(*responses: tuple[str, str | None]) -> Plan:
    return Plan(
        ward_codes=("W",),
        title="A plan",
        problem="A problem",
        start_date=date(2025, 1, 1),
        status="closed",
        responses=tuple(Response(action=a, owner="Team", toolkit_rating=r) for a, r in responses),
    )


def follow(result: str) -> FollowUp:
    return FollowUp(12, result, Period("2026-01", "2026-06"), {}, None, None, "")


def test_equal_plans_pool_to_their_shared_ratio_with_a_narrower_interval() -> None:
    se = 0.2
    ratio, low, high = pooled([math.log(0.5)] * 4, [se] * 4)
    assert ratio == pytest.approx(0.5)
    assert low == pytest.approx(0.5 * math.exp(-1.959964 * se / 2), rel=1e-5)
    assert high == pytest.approx(0.5 * math.exp(1.959964 * se / 2), rel=1e-5)


def test_plans_that_disagree_widen_the_pool() -> None:
    """Two precise plans, one halving crime and one doubling it: the fixed-effect interval
    would be as narrow as two plans make it; the between-plan variance widens it."""
    logs, ses = [math.log(0.5), math.log(2.0)], [0.05, 0.05]
    ratio, low, high = pooled(logs, ses)
    assert low == pytest.approx(1 / high)  # symmetric on the log scale round 1
    q = sum((y / se) ** 2 for y, se in zip(logs, ses, strict=True))  # the fixed mean is 0
    tau2 = (q - 1) / (2 / 0.05**2 - (2 / 0.05**4) / (2 / 0.05**2))
    se = math.sqrt(1 / (2 / (0.05**2 + tau2)))
    assert ratio == pytest.approx(1.0)
    assert high == pytest.approx(math.exp(1.959964 * se), rel=1e-5)
    assert high > 2.0  # wider than either plan's own interval reaches


def test_a_plan_counts_once_per_approach() -> None:
    found = approaches_of(
        plan(("More patrols", "promising"), ("more  PATROLS.", "promising"), ("Lights", None))
    )
    assert found == {
        (TOOLKIT, "promising"): "Promising",
        (RESPONSE, "more patrols"): "More patrols",
        (RESPONSE, "lights"): "Lights",
    }
    assert response_key("  Close the  alley. ") == "close the alley"


def test_ranked_approaches_come_first_and_too_few_plans_are_listed_apart() -> None:
    def result(plan_id: int, made: Plan, ratio: float, *lasting: str) -> PlanResult:
        return PlanResult(plan_id, made, ratio, 0.2, tuple(follow(r) for r in lasting))

    gating = plan(("Alley gates", "effective"))
    patrols = plan(("Patrols", "promising"))
    results = [
        result(1, gating, 0.5, SUSTAINED),
        result(2, gating, 0.6, SUSTAINED),
        result(3, gating, 0.55, FADED),
        result(4, patrols, 0.9),
        result(5, patrols, 1.0),
        result(6, patrols, 0.95),
        result(7, plan(("Leaflets", None)), 0.1),  # one plan: not ranked, however good
        PlanResult(8, gating, None, None),  # not evaluated: left out
    ]
    found = rank_approaches(results)

    assert [(a.name, a.ranked, len(a.plan_ids)) for a in found] == [
        ("Alley gates", True, 3),
        ("Effective", True, 3),
        ("Patrols", True, 3),
        ("Promising", True, 3),
        ("Leaflets", False, 1),
    ]
    assert MIN_PLANS == 3
    assert (found[0].sustained, found[0].faded) == (2, 1)
    assert found[0].to_json()["plans"] == 3 and found[-1].to_json()["ranked"] is False
    fewer = rank_approaches([r for r in results if r.plan_id != 3])
    assert not any(a.ranked for a in fewer if a.name == "Alley gates")


def test_a_plan_without_a_positive_standard_error_is_left_out() -> None:
    made = plan(("Patrols", None))
    bad = dataclasses.replace(PlanResult(1, made, 0.5, 0.2), log_se=0.0)
    assert rank_approaches([bad]) == []
