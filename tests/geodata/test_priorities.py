"""Combined priorities on a hand-built two-ward force with answers worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geodata.period import Period
from geodata.priorities import (
    OpenConcern,
    PriorityWeights,
    Theme,
    concern_component,
    excess_component,
    gaps,
    rank_priorities,
    ratio_lower_bound,
    reason,
    rising_categories,
    seldom_heard,
    theme_ratio,
    themes_for,
)
from geodata.profile import ForceCounts
from geodata.trends import dispersion

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
    assert excess_component(4.0) == pytest.approx(0.75)
    assert excess_component(8.0) == pytest.approx(0.875)
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

    # A's 40 burglaries: the ratio 1.6 lowered to 1.6 x L / 40, L the exact 2.5 % Poisson limit.
    low = 1.6 * stats.chi2.ppf(0.025, 80) / 2 / 40
    burglary = 100 * (0.35 * 1.0 + 0.30 * (1 - 1 / low) + 0.25 * 0.75 + 0.10 * 1.0)
    assert [(p.theme, p.score) for p in ranked] == [
        ("Burglary", pytest.approx(burglary)),
        ("Violence", pytest.approx(100 * 0.35 * 0.6)),
    ]
    assert ranked[0].reason == (
        "Force priority: high. Burglary here is 1.6x the force rate and rising by more than "
        "usual variation explains. 2 open concerns raised by older residents and ward "
        "councillor."
    )
    assert ranked[1].reason == "Force priority: medium. Violence here is 0.5x the force rate."
    assert ranked[0].to_json()["components"] == {
        "force": 1.0,
        "excess": round(1 - 1 / low, 3),
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


def test_the_lower_bound_is_the_exact_poisson_limit() -> None:
    assert ratio_lower_bound(2.0, 10) == pytest.approx(2.0 * stats.chi2.ppf(0.025, 20) / 2 / 10)
    assert ratio_lower_bound(2.0, 0) == 0.0
    assert ratio_lower_bound(None, 5) is None
    # Few incidents support little excess; many support nearly all of it.
    assert excess_component(3.0, count=4) < 0.1 < excess_component(3.0, count=400)


def test_the_busiest_wards_no_longer_tie() -> None:
    force = force_counts(
        [
            ("A", "Burglary", 400),
            ("B", "Burglary", 250),
            ("C", "Burglary", 10),
            ("D", "Burglary", 5),
        ]
    )
    population = {"A": 1000, "B": 1000, "C": 1000, "D": 1000}

    scores = [
        rank_priorities(
            ward_code=ward,
            themes=[BURGLARY],
            force=force,
            population=population,
            period=PERIOD,
            harm=HARM,
            rising_categories=set(),
            open_concerns=[],
            today=TODAY,
        )[0]
        for ward in "AB"
    ]

    # A is 400 / 166.25 = 2.4x and B 1.5x the force rate: the old cap would not tie these,
    # but at 4x and 6x it did (both 1.0); the component keeps them apart.
    assert scores[0].score > scores[1].score > 35.0
    assert excess_component(4.0) < excess_component(6.0) < 1.0
    assert scores[0].display_score == round(scores[0].score)
    assert isinstance(scores[0].to_json()["display_score"], int)


def test_each_priority_names_the_component_that_drives_it() -> None:
    ranked = rank_priorities(
        ward_code="B",
        themes=[VIOLENCE, BURGLARY],
        force=FORCE,
        population=POPULATION,
        period=PERIOD,
        harm=HARM,
        rising_categories=set(),
        open_concerns=[concern("violence", 180)] * 2,
        today=TODAY,
    )

    by_theme = {p.theme: p for p in ranked}
    # Violence: force 35 x 0.6 = 21 points, concerns 25 x min(1, 2 x 2 / 4) = 25 points.
    assert by_theme["Violence"].driver == "concerns"
    assert by_theme["Violence"].contributions["concerns"] == pytest.approx(25.0)
    assert by_theme["Burglary"].driver == "force"
    assert by_theme["Burglary"].to_json()["points"]["force"] == 35.0


def monthly_force(ward_a: list[int], rest: list[int]) -> ForceCounts:
    """Burglary in A and in 20 other wards (each ``rest``) over January to June 2025."""
    months = [f"2025-0{m}" for m in range(1, 7)]
    rows = [("ward", "A", m, "Burglary", n) for m, n in zip(months, ward_a, strict=True)]
    rows += [
        ("ward", f"W{w:02d}", m, "Burglary", n)
        for w in range(20)
        for m, n in zip(months, rest, strict=True)
    ]
    return ForceCounts.from_frame(
        pd.DataFrame(rows, columns=["status", "ward_code", "month", "category", "n"])
    )


def test_rising_uses_the_force_relative_test_not_a_plain_count() -> None:
    held = [f"2025-0{m}" for m in range(1, 7)]
    period = Period("2025-06", "2025-06")
    followed = monthly_force([20, 20, 20, 20, 20, 30], [20, 20, 20, 20, 20, 30])
    alone = monthly_force([20, 20, 20, 20, 20, 45], [20, 20, 20, 20, 20, 20])

    # 20 -> 30 is a significant count rise on its own, but the whole force rose alike.
    assert rising_categories("A", followed, period, held) == set()
    assert rising_categories("A", alone, period, held) == {"Burglary"}
    assert rising_categories("Z", alone, period, held) == set()


def test_rising_reads_dispersions_given_instead_of_measuring_them() -> None:
    held = [f"2025-0{m}" for m in range(1, 7)]
    period = Period("2025-06", "2025-06")
    alone = monthly_force([20, 20, 20, 20, 20, 45], [20, 20, 20, 20, 20, 20])
    measured = dispersion(alone.counts)

    assert rising_categories("A", alone, period, held, dispersions=measured) == {"Burglary"}
    # Given a far larger over-dispersion, the same rise is within usual variation.
    wide = np.full_like(measured, 50.0)
    assert rising_categories("A", alone, period, held, dispersions=wide) == set()
