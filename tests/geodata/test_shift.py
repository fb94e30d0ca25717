"""The shift card: data age, streets that rose, overdue concerns, due actions, seasons."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geodata.plans import Plan, Response
from geodata.shift import data_age, due_actions, overdue_first, street_changes, usual_rises


def test_data_age_says_why_when_police_uk_explains_it() -> None:
    fresh = data_age("2025-12", today=date(2026, 2, 20))
    old = data_age("2025-12", today=date(2026, 12, 6))

    assert (fresh.months_ago, fresh.late) == (2, False)
    assert "December 2025, 2 months ago" in fresh.sentence
    assert "publishes about two months behind, so this is the latest" in fresh.sentence
    assert (old.months_ago, old.late) == (12, True)
    assert "12 months ago" in old.sentence and "ask an analyst to import them" in old.sentence
    assert data_age("2026-01", today=date(2026, 2, 1)).sentence.count("1 month ago") == 1


def facts(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "location", "n"])


def test_a_street_is_compared_with_the_same_month_a_year_earlier_when_held() -> None:
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    force = dict.fromkeys(months, 1000)
    rows = [(m, "On or near Quiet Lane", 5) for m in months]
    rows += [("2024-12", "On or near High Street", 5), ("2025-12", "On or near High Street", 60)]

    found = street_changes(facts(rows), force, latest="2025-12")

    assert found is not None and found.comparison == "December 2024"
    assert [r.street for r in found.rises] == ["High Street"]
    rise = found.rises[0]
    assert rise.significant and rise.sentence == (
        "High Street: 60 in December 2025 against 5 in December 2024; "
        "more than usual variation explains."
    )


def test_without_the_year_before_the_three_months_before_are_used() -> None:
    months = ["2025-09", "2025-10", "2025-11", "2025-12"]
    rows = [(m, "On or near Mill Road", 4) for m in months[:3]] + [("2025-12", "Mill Road", 6)]

    found = street_changes(facts(rows), dict.fromkeys(months, 500), latest="2025-12")

    assert found is not None and found.comparison == "September-November 2025"
    assert found.rises[0].sentence == (
        "Mill Road: 6 in December 2025 against 4.0 a month over September-November 2025; "
        "too few incidents to tell a real rise from chance."
    )
    assert street_changes(facts(rows), {"2025-12": 5}, latest="2025-12") is None


def test_overdue_concerns_come_first_longest_quiet_first() -> None:
    today = date(2026, 3, 1)
    concerns = [
        {"id": 1, "raised_on": "2026-02-20", "updated_on": "2026-02-20"},
        {"id": 2, "raised_on": "2025-12-01", "updated_on": "2026-02-25"},
        {"id": 3, "raised_on": "2026-01-01", "updated_on": "2026-01-20"},
        {"id": 4, "raised_on": "2025-11-01", "updated_on": "2025-12-01"},
    ]

    ordered = overdue_first(concerns, today=today)

    assert [c["id"] for c in ordered] == [4, 3, 1, 2]
    assert [c["overdue"] for c in ordered] == [True, True, False, False]
    assert ordered[1]["quiet_days"] == 40


def test_actions_due_in_the_next_fourteen_days() -> None:
    plan = Plan(
        ward_codes=("E05000001",),
        title="Park",
        problem="ASB",
        start_date=date(2026, 1, 1),
        responses=(
            Response(action="Patrol", owner="PCSO", due=date(2026, 3, 10)),
            Response(action="Lights", owner="Council", due=date(2026, 3, 20)),
            Response(action="Late", owner="PC", due=date(2026, 2, 1)),
        ),
    )

    due = due_actions([(7, plan)], ward="E05000001", today=date(2026, 3, 1))

    assert [(a.plan_id, a.action) for a in due] == [(7, "Patrol")]
    assert due_actions([(7, plan)], ward="E05000002", today=date(2026, 3, 1)) == []


def test_what_usually_rises_needs_two_years() -> None:
    months = ["2024-12", "2025-01", "2025-12", "2026-01"]
    counts = np.array([[5, 9, 4, 8], [5, 3, 5, 7]])

    two = usual_rises(counts, months, ["Burglary", "Drugs"], coming=1)
    one = usual_rises(counts[:, :2], months[:2], ["Burglary", "Drugs"], coming=1)

    assert (two.month, two.years) == ("January", 2)
    assert [(r.category, r.rises) for r in two.rises] == [("Burglary", [4, 4])]
    assert (one.years, one.rises) == (1, [])
