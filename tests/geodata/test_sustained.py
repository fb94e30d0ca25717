"""Sustained results: planted sustained, faded and too-small effects, months not held yet,
plans as interventions, and the fade's error rate on simulated no-change counts."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK
from geodata.period import Period
from geodata.sustained import (
    FADED,
    NOT_YET,
    SUSTAINED,
    Intervention,
    follow_ups,
    latest_result,
    plan_intervention,
)

TARGET = box(-1.0, 54.0, -0.99, 54.01)
"""A small square; incidents at its centre are the target's, at (-1.2, 54.2) the control's."""

BEFORE = Period("2023-07", "2023-12").months
DURING = Period("2024-01", "2024-06").months
AFTER = Period("2024-07", "2025-06").months
HELD = [*BEFORE, *DURING, *AFTER]
WORK = Intervention(TARGET, ("Burglary",), date(2024, 1, 1), date(2024, 6, 30))


def facts(target: dict[str, int], *, control: int = 400) -> pd.DataFrame:
    """One row per month for the target (its count by month) and the control (``control``
    every month), all burglary."""
    rows = []
    for month, n in target.items():
        rows.append((month, "Burglary", -0.995, 54.005, n))
        rows.append((month, "Burglary", -1.2, 54.2, control))
    return pd.DataFrame(rows, columns=["month", "category", "longitude", "latitude", "n"])


def monthly(before: int, during: int, after: int) -> dict[str, int]:
    return (
        dict.fromkeys(BEFORE, before) | dict.fromkeys(DURING, during) | dict.fromkeys(AFTER, after)
    )


def results(frame: pd.DataFrame, *, held: list[str] = HELD) -> list[str]:
    return [f.result for f in follow_ups(frame, WORK, months_held=held)]


def test_a_fall_that_lasts_is_sustained_at_both_follow_ups() -> None:
    found = follow_ups(facts(monthly(40, 10, 10)), WORK, months_held=HELD)

    assert [f.result for f in found] == [SUSTAINED, SUSTAINED]
    assert [f.window for f in found] == [
        Period("2024-07", "2024-12"),
        Period("2025-01", "2025-06"),
    ]
    assert found[0].counts == {
        "target_before": 240,
        "target_during": 60,
        "target_window": 60,
        "control_before": 2400,
        "control_during": 2400,
        "control_window": 2400,
    }
    assert found[0].since_before is not None and found[0].since_before.ratio == pytest.approx(0.25)
    assert latest_result(found) == found[1]


def test_a_fall_that_comes_back_has_faded() -> None:
    assert results(facts(monthly(40, 10, 40))) == [FADED, FADED]


def test_a_return_only_in_the_second_half_year_fades_at_twelve_months() -> None:
    target = monthly(40, 10, 10) | dict.fromkeys(Period("2025-01", "2025-06").months, 40)
    assert results(facts(target)) == [SUSTAINED, FADED]


def test_the_rest_of_the_force_rising_too_is_no_fade() -> None:
    """The target comes back up, but so does everything: relative to the force it held."""
    frame = facts(monthly(40, 10, 20))
    frame.loc[(frame["longitude"] == -1.2) & frame["month"].isin(AFTER), "n"] = 800
    assert results(frame) == [SUSTAINED, SUSTAINED]


def test_small_counts_are_not_enough_to_call_either() -> None:
    """2 a month before, 1 during, 2 after: a rise back, but one chance explains."""
    found = follow_ups(facts(monthly(2, 1, 2)), WORK, months_held=HELD)
    assert [f.result for f in found] == [NOT_YET, NOT_YET]
    assert "cannot tell a lasting fall from a fade" in found[0].reason
    assert latest_result(found) is None


def test_a_window_not_all_held_is_not_enough_data_yet() -> None:
    held = [m for m in HELD if m <= "2025-03"]
    found = follow_ups(facts(monthly(40, 10, 10)), WORK, months_held=held)

    assert [f.result for f in found] == [SUSTAINED, NOT_YET]
    assert found[1].reason == "the months January-June 2025 are not all held yet (3 of 6 missing)"
    assert found[1].label == "Not enough data yet"


def test_an_intervention_without_an_end_has_no_follow_up() -> None:
    found = follow_ups(
        facts(monthly(40, 10, 10)), dataclasses.replace(WORK, end=None), months_held=HELD
    )
    assert [f.result for f in found] == [NOT_YET, NOT_YET]
    assert "has not ended" in found[0].reason


def test_the_to_json_names_the_result_and_its_label() -> None:
    found = follow_ups(facts(monthly(40, 10, 40)), WORK, months_held=HELD)[0].to_json()
    assert found["result"] == "faded" and found["label"] == "Faded"
    assert found["window"] == {"from": "2024-07", "to": "2024-12", "months": 6}
    assert found["since_during"]["ratio"] == pytest.approx(4.0)


def test_a_plan_ends_when_closed_or_on_its_assessment_date() -> None:
    made = demo_plans(["W"], names={ASB_PARK: "W"}, start=date(2025, 7, 1))[0]
    wards = {"W": TARGET}
    closed = dataclasses.replace(made, status="closed")

    assert plan_intervention(made, ward_geometries=wards, closed_on=date(2026, 1, 5)).end is None
    assert plan_intervention(closed, ward_geometries=wards, closed_on=date(2026, 1, 5)).end == date(
        2026, 1, 5
    )
    assert plan_intervention(closed, ward_geometries=wards, closed_on=None).end == (
        made.assessment_date
    )
    intervention = plan_intervention(
        dataclasses.replace(closed, target_kind="ward"), ward_geometries=wards, closed_on=None
    )
    assert intervention.target.equals(TARGET)
    assert intervention.start == date(2025, 7, 1)


def test_a_fade_is_called_rarely_when_nothing_changes() -> None:
    """Constant Poisson rates (20 a month in the target, 500 in the control): a fade is a
    false alarm; one tail of a 95 % interval calls it in about 2.5 % of windows."""
    rng = np.random.default_rng(18)
    runs, faded = 300, 0
    for _ in range(runs):
        rows = []
        for month in HELD:
            rows.append((month, "Burglary", -0.995, 54.005, int(rng.poisson(20))))
            rows.append((month, "Burglary", -1.2, 54.2, int(rng.poisson(500))))
        frame = pd.DataFrame(rows, columns=["month", "category", "longitude", "latitude", "n"])
        faded += results(frame).count(FADED)
    assert faded / (2 * runs) < 0.05
