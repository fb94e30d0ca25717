"""Outcome labels: the vocabulary, its aliases, and the share of crimes in each outcome."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geodata.outcomes import (
    OUTCOME_ALIASES,
    OUTCOME_NOT_RECORDED,
    OUTCOMES,
    canonical_outcome,
    outcome_shares,
)

UNDER = "Under investigation"
NO_SUSPECT = "Investigation complete; no suspect identified"
UNABLE = "Unable to prosecute suspect"

# --- the vocabulary ---------------------------------------------------------------------


def test_vocabulary_holds_the_labels_seen_in_street_files() -> None:
    expected = {
        "Investigation complete; no suspect identified",
        "Unable to prosecute suspect",
        "Under investigation",
        "Status update unavailable",
        "Court result unavailable",
        "Awaiting court outcome",
        "Local resolution",
        "Offender given a caution",
        "Action to be taken by another organisation",
        "Further investigation is not in the public interest",
        "Further action is not in the public interest",
        "Formal action is not in the public interest",
        "Offender given a drugs possession warning",
        "Offender given penalty notice",
        "Suspect charged as part of another case",
        "Offender sent to prison",
        "Offender given suspended prison sentence",
        "Offender fined",
        "Offender given community sentence",
        "Offender given conditional discharge",
        "Offender given absolute discharge",
        "Offender ordered to pay compensation",
        "Offender otherwise dealt with",
        "Defendant found not guilty",
        "Defendant sent to Crown Court",
        "Court case unable to proceed",
        "Offender deprived of property",
    }
    assert expected <= set(OUTCOMES)
    assert set(OUTCOMES) - expected == {"Suspect charged"}
    assert len(OUTCOMES) == len(set(OUTCOMES)) == 28


def test_every_alias_leads_to_a_current_label_and_none_shadows_one() -> None:
    assert set(OUTCOME_ALIASES.values()) <= set(OUTCOMES)
    assert not set(OUTCOME_ALIASES) & set(OUTCOMES)


def test_every_current_label_has_an_api_slug() -> None:
    slugs = {alias for alias in OUTCOME_ALIASES if alias == alias.lower() and " " not in alias}
    assert len(slugs) == 28
    assert {OUTCOME_ALIASES[slug] for slug in slugs} == set(OUTCOMES)


# --- canonical_outcome ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (UNDER, UNDER),
        ("under-investigation", UNDER),
        ("no-further-action", NO_SUSPECT),
        ("penalty-notice-issued", "Offender given penalty notice"),
        ("Offender given a penalty notice", "Offender given penalty notice"),
        ("awaiting-court-result", "Awaiting court outcome"),
        ("sentenced-in-another-case", "Suspect charged as part of another case"),
        (f"  {UNABLE} ", UNABLE),
    ],
)
def test_canonical_outcome(label: str, expected: str) -> None:
    assert canonical_outcome(label) == expected


def test_unknown_label_is_kept() -> None:
    assert canonical_outcome("Offender given a community resolution") == (
        "Offender given a community resolution"
    )


@pytest.mark.parametrize("label", ["", "   ", "\t"])
def test_blank_label_is_empty(label: str) -> None:
    assert canonical_outcome(label) == ""


def test_matching_is_exact_about_case() -> None:
    assert canonical_outcome("under investigation") == "under investigation"


# --- outcome_shares ---------------------------------------------------------------------


def test_shares_by_outcome_largest_first() -> None:
    labels = [UNDER, NO_SUSPECT, UNDER, UNABLE, NO_SUSPECT, UNDER, "", UNDER]
    assert outcome_shares(labels) == {
        UNDER: 0.5,
        NO_SUSPECT: 0.25,
        OUTCOME_NOT_RECORDED: 0.125,
        UNABLE: 0.125,
    }
    assert list(outcome_shares(labels)) == [UNDER, NO_SUSPECT, OUTCOME_NOT_RECORDED, UNABLE]


def test_equal_shares_are_in_alphabetical_order() -> None:
    labels = [UNABLE, NO_SUSPECT, "Awaiting court outcome", UNDER]
    assert list(outcome_shares(labels)) == [
        "Awaiting court outcome",
        NO_SUSPECT,
        UNABLE,
        UNDER,
    ]
    assert set(outcome_shares(labels).values()) == {0.25}


def test_aliases_are_counted_with_their_current_label() -> None:
    labels = ["no-further-action", NO_SUSPECT, "under-investigation", UNDER]
    assert outcome_shares(labels) == {NO_SUSPECT: 0.5, UNDER: 0.5}


def test_series_with_missing_values_counts_them_as_not_recorded() -> None:
    labels = pd.Series([UNDER, None, float("nan"), "  ", UNDER], dtype=object)
    assert outcome_shares(labels) == {OUTCOME_NOT_RECORDED: 0.6, UNDER: 0.4}


def test_series_read_by_pandas_from_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "crimes.csv"
    path.write_text(f"Last outcome category\n{UNDER}\n\n{UNABLE}\n{UNDER}\n", encoding="utf-8")
    column = pd.read_csv(path, skip_blank_lines=False)["Last outcome category"]
    assert outcome_shares(column) == {UNDER: 0.5, OUTCOME_NOT_RECORDED: 0.25, UNABLE: 0.25}


def test_unknown_labels_keep_their_own_share() -> None:
    labels = [UNDER, "A new outcome", UNDER, UNDER]
    assert outcome_shares(labels) == {UNDER: 0.75, "A new outcome": 0.25}


def test_shares_sum_to_one() -> None:
    labels = [UNDER] * 3 + [NO_SUSPECT] * 5 + [""] * 2 + ["fined"] * 7
    assert sum(outcome_shares(labels).values()) == pytest.approx(1.0, abs=1e-12)
    assert outcome_shares(labels)["Offender fined"] == 7 / 17


def test_no_crimes_no_shares() -> None:
    assert outcome_shares([]) == {}
    assert outcome_shares(pd.Series([], dtype=object)) == {}


def test_a_label_that_is_not_text_is_refused() -> None:
    with pytest.raises(TypeError, match="not a text outcome label"):
        outcome_shares([UNDER, 3])  # type: ignore[list-item]
