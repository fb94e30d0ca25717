"""Disclosure rules at their boundaries, worked by hand: counts 4, 5 and 6 against the
threshold 5, the threshold changed, zeros, and the marking of each kind of report."""

from __future__ import annotations

import pytest

from geodata.disclosure import NONE, SENSITIVE_MARKING, WITHHELD, Shown, report_marking

PUBLIC = Shown(5)
INTERNAL = Shown(None)


@pytest.mark.parametrize(
    ("n", "shown", "hidden"),
    [
        (4, "<5", True),
        (5, "5", False),  # at the threshold: shown as it is
        (6, "6", False),
        (0, "<5", True),  # zero is a count below the threshold like any other
        (4.6, "<5", True),  # a derived count (share x total) before rounding
        (1234, "1,234", False),
    ],
)
def test_public_counts_around_the_threshold_of_five(n: float, shown: str, hidden: bool) -> None:
    assert PUBLIC.hidden(n) is hidden
    assert PUBLIC.count(n) == shown


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (4, "4"), (5, "5"), (1234, "1,234")])
def test_internal_counts_are_all_shown(n: int, shown: str) -> None:
    assert INTERNAL.hidden(n) is False
    assert INTERNAL.count(n) == shown


@pytest.mark.parametrize(
    ("below", "n", "shown"),
    [(10, 9, "<10"), (10, 10, "10"), (10, 5, "<10"), (1, 0, "<1"), (1, 1, "1"), (0, 0, "0")],
)
def test_the_threshold_setting_moves_the_boundary(below: int, n: int, shown: str) -> None:
    assert Shown(below).count(n) == shown


def test_derived_figures_are_withheld_with_their_count() -> None:
    assert PUBLIC.value(0.8, 4) == WITHHELD
    assert PUBLIC.value(1.0, 5) == "1.0"
    assert PUBLIC.value(12.345, 6, digits=2) == "12.35"
    assert PUBLIC.value(0.0, 0) == WITHHELD
    assert PUBLIC.value(None, 6) == NONE  # no such figure (no residents), nothing to hide
    assert INTERNAL.value(0.0, 0) == "0.0"


def test_no_count_is_a_dash_not_a_suppression() -> None:
    assert PUBLIC.hidden(None) is False
    assert PUBLIC.count(None) == NONE


def test_a_comparison_is_withheld_when_any_of_its_counts_is() -> None:
    assert PUBLIC.any_hidden([12, 4]) is True
    assert PUBLIC.any_hidden([5, 5]) is False
    assert PUBLIC.any_hidden([0, 9]) is True
    assert PUBLIC.any_hidden([]) is False
    assert INTERNAL.any_hidden([0, 1]) is False


def test_the_audience_chooses_the_rule() -> None:
    assert Shown.for_audience("public", suppress_below=5) == Shown(5)
    assert Shown.for_audience("public", suppress_below=10).count(9) == "<10"
    assert Shown.for_audience("internal", suppress_below=5) == Shown(None)
    with pytest.raises(ValueError, match="audience: 'everyone' is not one of internal, public"):
        Shown.for_audience("everyone", suppress_below=5)


@pytest.mark.parametrize(
    ("audience", "open_concerns", "marking"),
    [
        ("internal", True, SENSITIVE_MARKING),
        ("internal", False, "OFFICIAL"),
        ("public", True, "OFFICIAL"),  # a public report never lists concern text
        ("public", False, "OFFICIAL"),
    ],
)
def test_marking(audience: str, open_concerns: bool, marking: str) -> None:
    assert report_marking(audience=audience, open_concerns=open_concerns, default="OFFICIAL") == (
        marking
    )
