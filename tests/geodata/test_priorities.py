"""Combined priorities on a hand-built two-ward force with answers worked by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from geodata.priorities import (
    OpenConcern,
    PriorityWeights,
    Theme,
    concern_component,
    excess_component,
    gaps,
    rank_priorities,
    reason,
    seldom_heard,
    theme_ratio,
    themes_for,
)
from geodata.profile import ForceCounts, Period

TODAY = date(2025, 4, 15)
PERIOD = Period("2025-01", "2025-03")
HARM = {"Burglary": 400.0, "Violence and sexual offences": 100.0}
POPULATION = {"A": 1000, "B": 1000}
BURGLARY = Theme("Burglary", "high", 40.0, ("Burglary",), ("burglary",))
VIOLENCE = Theme("Violence", "medium", 30.0, ("Violence and sexual offences",), ("violence",))


def force_counts(rows: list[tuple[str, str, int]]) -> ForceCounts:
    """(ward, category, n) in January; every ward's rows in one month keep sums obvious."""
    return ForceCounts.from_frame(
        pd.DataFrame(
            [("ward", ward, "2025-01", category, n) for ward, category, n in rows],
            columns=["status", "ward_code", "month", "category", "n"],
        )
    )


FORCE = force_counts(
    [
        ("A", "Burglary", 40),
        ("A", "Violence and sexual offences", 10),
        ("B", "Burglary", 10),
        ("B", "Violence and sexual offences", 30),
    ]
)


def concern(
    tag: str, days_ago: int, channel: str = "community-meeting", community: str | None = None
) -> OpenConcern:
    return OpenConcern(tag, TODAY - timedelta(days=days_ago), channel, community)


def test_theme_ratio_is_the_harm_weighted_rate_over_the_force_rate() -> None:
    # A: 40 x 400 / 1000 = 16 per resident-thousand; force: 50 x 400 / 2000 = 10.
    assert theme_ratio("A", ("Burglary",), FORCE, POPULATION, PERIOD, HARM) == pytest.approx(1.6)
    # A: 10 x 100 / 1000 = 1; force: 40 x 100 / 2000 = 2.
    assert theme_ratio(
        "A", ("Violence and sexual offences",), FORCE, POPULATION, PERIOD, HARM
    ) == pytest.approx(0.5)


def test_theme_ratio_is_absent_without_population_or_categories() -> None:
    assert theme_ratio("C", ("Burglary",), FORCE, POPULATION, PERIOD, HARM) is None
    assert theme_ratio("A", (), FORCE, POPULATION, PERIOD, HARM) is None


def test_components() -> None:
    assert excess_component(None) == 0.0
    assert excess_component(0.8) == 0.0
    assert excess_component(2.0) == pytest.approx(0.5)
    assert excess_component(8.0) == 1.0
    assert concern_component([], today=TODAY) == 0.0
    assert concern_component([concern("x", 90), concern("x", 90)], today=TODAY) == pytest.approx(
        0.75
    )
    assert concern_component([concern("x", 400)] * 3, today=TODAY) == 1.0


def test_ranking_with_every_component_worked_by_hand() -> None:
    open_concerns = [
        concern("burglary", 90, "ward-councillor"),
        concern("burglary", 90, "survey", "older residents"),
    ]

    ranked = rank_priorities(
        ward_code="A",
        themes=[VIOLENCE, BURGLARY],
        force=FORCE,
        population=POPULATION,
        period=PERIOD,
        harm=HARM,
        rising_categories={"Burglary"},
        open_concerns=open_concerns,
        today=TODAY,
    )

    burglary = 100 * (0.35 * 1.0 + 0.30 * math.log2(1.6) / 2 + 0.25 * 0.75 + 0.10 * 1.0)
    assert [(p.theme, p.score) for p in ranked] == [
        ("Burglary", pytest.approx(burglary)),
        ("Violence", pytest.approx(100 * 0.35 * 0.6)),
    ]
    assert ranked[0].reason == (
        "Force priority: high. Burglary here is 1.6x the force rate and rising (significant). "
        "2 open concerns raised by older residents and ward councillor."
    )
    assert ranked[1].reason == "Force priority: medium. Violence here is 0.5x the force rate."
    assert ranked[0].to_json()["components"] == {
        "force": 1.0,
        "excess": round(math.log2(1.6) / 2, 3),
        "concerns": 0.75,
        "trend": 1.0,
    }


def test_weights_are_configuration() -> None:
    only_concerns = PriorityWeights(force=0, excess=0, concerns=1, trend=0)

    ranked = rank_priorities(
        ward_code="B",
        themes=[VIOLENCE, BURGLARY],
        force=FORCE,
        population=POPULATION,
        period=PERIOD,
        harm=HARM,
        rising_categories=set(),
        open_concerns=[concern("violence", 0)],
        today=TODAY,
        weights=only_concerns,
    )

    assert [(p.theme, p.score) for p in ranked] == [("Violence", pytest.approx(25.0))]


def test_local_themes_come_from_concern_tags_no_force_theme_covers() -> None:
    themes = themes_for([], {"speeding": ()}, ["speeding"])

    assert themes == [Theme("speeding (local)", None, None, (), ("speeding",))]
    assert reason(themes[0], None, False, [concern("speeding", 1)], {"survey": 1}) == (
        "Local priority (not a force theme). 1 open concern raised by survey."
    )


def test_gaps_in_both_directions() -> None:
    found = gaps(
        ward_code="A",
        themes=[BURGLARY, VIOLENCE],
        force=FORCE,
        population=POPULATION,
        period=PERIOD,
        harm=HARM,
        open_concerns=[concern("violence", 10), concern("speeding", 10)],
        tag_categories={"violence": ("Violence and sexual offences",), "speeding": ()},
        weights=PriorityWeights(no_support_ratio=0.6),
    )

    assert [(g["kind"], g["theme"], g["ratio_to_force"]) for g in found] == [
        ("force priority not raised locally", "Burglary", 1.6),
        ("concern without supporting incidents", "violence", 0.5),
    ]


def test_a_plan_closes_the_force_priority_gap() -> None:
    found = gaps(
        ward_code="A",
        themes=[BURGLARY],
        force=FORCE,
        population=POPULATION,
        period=PERIOD,
        harm=HARM,
        open_concerns=[],
        tag_categories={},
        themes_with_plans={"Burglary"},
    )

    assert found == []


def test_seldom_heard_flags() -> None:
    councillors = [concern("asb", 5, "ward-councillor"), concern("drugs", 50, "ward-councillor")]
    mixed = [*councillors, concern("asb", 9, "survey", "young people")]

    assert seldom_heard(councillors, harm_rate=1.0, force_median_harm_rate=2.0)["flags"] == [
        "concerns came only from ward councillors"
    ]
    assert seldom_heard(mixed, harm_rate=1.0, force_median_harm_rate=2.0) == {
        "concerns": 3,
        "channels": ["survey", "ward-councillor"],
        "communities": ["young people"],
        "flags": [],
    }
    assert seldom_heard([], harm_rate=3.0, force_median_harm_rate=2.0)["flags"] == [
        "no concerns raised while harm is above the force median"
    ]
    assert seldom_heard([], harm_rate=1.0, force_median_harm_rate=2.0)["flags"] == []
