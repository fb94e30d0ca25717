"""The trend test: hand-worked changes, simulated no-change forces and Cleveland 2025."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from scipy import stats

from geodata.crime import ASB, CATEGORIES
from geodata.trends import (
    ALPHA,
    MIN_INCIDENTS,
    Change,
    TrendError,
    adjust_page,
    change_test,
    count_flags,
    describe,
    dispersion,
    dispersion_without_each,
    ward_changes,
)
from tests.geodata import cleveland

MONTHS = 12
NOW = np.arange(MONTHS) == 11
BEFORE = np.arange(MONTHS) == 10


def poisson_change_test(current: int, previous: int) -> float:
    """The test the profile used before: the exact conditional binomial test at p = 1/2."""
    total = current + previous
    return 1.0 if total == 0 else float(stats.binomtest(current, total, 0.5).pvalue)


def simulate(
    rng: np.random.Generator,
    *,
    wards: int = 83,
    categories: int = 8,
    phi: float = 1.57,
    december: float = 1.24,
) -> npt.NDArray[np.int64]:
    """A force with no change in any ward's share: wards x categories x 12 months.

    Each ward and category has its own level (1.5 to 40 a month), every category a
    seasonal swing of +/-25 % and a force-wide rise of ``december`` in the last month; the
    counts are negative binomial with variance ``phi`` times the mean, the over-dispersion
    measured on Cleveland's monthly ward counts (issue 14).
    """
    level = rng.uniform(1.5, 40, size=(wards, categories))
    phase = rng.uniform(0, 2 * math.pi, size=(categories, 1))
    season = 1 + 0.25 * np.sin(np.arange(MONTHS)[None, :] * 2 * math.pi / 12 + phase)
    season[:, -1] *= december
    mean = level[:, :, None] * season[None]
    shape = mean / (phi - 1)
    return rng.negative_binomial(shape, shape / (shape + mean)).astype(np.int64)


def false_positive_rate(*, seed: int, replicates: int, adjust_for_dispersion: bool) -> float:
    rng = np.random.default_rng(seed)
    tested = flagged = 0
    for _ in range(replicates):
        counts = simulate(rng)
        labels = [f"c{i}" for i in range(counts.shape[1])]
        phi = dispersion(counts) if adjust_for_dispersion else np.ones(counts.shape[1])
        for ward in range(counts.shape[0]):
            for change in ward_changes(counts, ward, NOW, BEFORE, labels=labels, dispersions=phi):
                if change.testable:
                    tested += 1
                    flagged += change.p is not None and change.p < ALPHA
    return flagged / tested


# --- the test on simulated forces with no change --------------------------------------


def test_holds_five_percent_on_simulated_no_change_data_with_dispersion_157() -> None:
    rate = false_positive_rate(seed=14, replicates=6, adjust_for_dispersion=True)

    assert rate == pytest.approx(0.05, abs=0.02)


def test_a_poisson_variance_on_the_same_data_calls_too_much() -> None:
    rate = false_positive_rate(seed=14, replicates=6, adjust_for_dispersion=False)

    assert rate > 0.075


def test_the_dispersion_measured_on_a_simulated_force_is_the_one_planted() -> None:
    counts = simulate(np.random.default_rng(3), categories=4)

    assert dispersion(counts) == pytest.approx([1.57] * 4, abs=0.15)


def test_a_planted_rise_is_found_and_a_force_wide_rise_is_not() -> None:
    counts = simulate(np.random.default_rng(7), categories=3, phi=1.3, december=1.3)
    counts[5, 1, 10], counts[5, 1, 11] = 30, 75
    labels = ["Burglary", "Drugs", "Robbery"]

    page = adjust_page(ward_changes(counts, 5, NOW, BEFORE, labels=labels))

    assert [c.verdict for c in page] == ["usual", "rise", "usual"]
    rest_now = counts[:, 1, 11].sum() - 75
    rest_before = counts[:, 1, 10].sum() - 30
    assert page[1].expected == pytest.approx(105 * rest_now / (rest_now + rest_before))


# --- hand-worked figures -------------------------------------------------------------------


def test_change_test_by_hand() -> None:
    # n = 46, pi = 600 / 1000 = 0.6, expected 27.6; variance 1.5 * 0.24 * 46 * (1 + 46/1000).
    change = change_test(31, 15, 600, 400, dispersion=1.5, label="Burglary")

    variance = 1.5 * 0.6 * 0.4 * 46 * 1.046
    assert change.expected == pytest.approx(27.6)
    assert change.z == pytest.approx((31 - 27.6) / math.sqrt(variance))
    assert change.p == pytest.approx(2 * stats.norm.sf(abs(change.z)))
    assert change.testable and change.q is None and change.verdict == "usual"


def test_a_ward_that_follows_the_force_shows_no_change() -> None:
    change = change_test(30, 15, 2000, 1000)

    assert change.z == 0.0 and change.p == 1.0


def test_below_the_minimum_there_is_no_test() -> None:
    assert MIN_INCIDENTS == 20
    small = change_test(3, 15, 500, 500)
    enough = change_test(4, 16, 500, 500)

    assert (small.testable, small.z, small.p) == (False, None, None)
    assert enough.testable
    assert not change_test(30, 15, 0, 400).testable


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((-1, 2, 3, 4), "now must be a count >= 0"),
        ((1, 2, 3, -4), "force_before must be a count >= 0"),
    ],
)
def test_negative_counts_are_refused(arguments: tuple[int, int, int, int], message: str) -> None:
    with pytest.raises(TrendError, match=message):
        change_test(*arguments)


def test_a_dispersion_that_is_not_positive_is_refused() -> None:
    with pytest.raises(TrendError, match="dispersion must be a finite number > 0"):
        change_test(1, 2, 3, 4, dispersion=0.0)


def test_dispersion_by_hand() -> None:
    # One category, two wards, three months. Force 10, 20, 30 (shares 1/6, 1/3, 1/2).
    # Ward A 4, 6, 20 (total 30, expected 5, 10, 15): chi2 0.2 + 1.6 + 5/3.
    # Ward B 6, 14, 10 (total 30, expected 5, 10, 15): chi2 0.2 + 1.6 + 5/3.
    # Degrees of freedom 2 wards x (3 - 1) months = 4.
    counts = np.array([[[4, 6, 20]], [[6, 14, 10]]])

    assert dispersion(counts) == pytest.approx([2 * (0.2 + 1.6 + 5 / 3) / 4])


def test_dispersion_is_never_below_poisson_and_needs_two_months() -> None:
    assert dispersion(np.array([[[5, 5, 5]], [[5, 5, 5]]])).tolist() == [1.0]
    assert dispersion(np.array([[[5, 0, 0]], [[3, 0, 0]]])).tolist() == [1.0]
    with pytest.raises(TrendError, match="wards x categories x months"):
        dispersion(np.zeros((2, 3)))


def test_adjust_page_is_benjamini_hochberg_over_the_testable_changes_only() -> None:
    changes = [
        change_test(40, 10, 500, 500, label="a"),
        change_test(3, 1, 500, 500, label="too few"),
        change_test(28, 20, 500, 500, label="b"),
        change_test(35, 15, 500, 500, label="c"),
    ]

    page = adjust_page(changes)

    tested = [changes[i].p for i in (0, 2, 3)]
    assert [page[i].q for i in (0, 2, 3)] == pytest.approx(
        stats.false_discovery_control(tested, method="bh")
    )
    assert page[1].q is None
    assert [c.verdict for c in page] == ["rise", "too few", "usual", "rise"]


def test_all_crime_line_sums_its_categories() -> None:
    counts = np.zeros((2, 3, 2), dtype=np.int64)
    counts[0] = [[10, 20], [5, 5], [1, 2]]
    counts[1] = [[100, 100], [50, 50], [10, 10]]
    crime = np.array([False, True, True])

    changes = ward_changes(
        counts,
        0,
        np.array([False, True]),
        np.array([True, False]),
        labels=["ASB", "x", "y"],
        dispersions=[2.0, 1.0, 3.0],
        lines=[("All crime", crime)],
    )

    assert [c.label for c in changes] == ["All crime", "ASB", "x", "y"]
    assert (changes[0].now, changes[0].before) == (7, 6)
    assert (changes[0].force_now, changes[0].force_before) == (60, 60)
    assert changes[0].dispersion == pytest.approx((1.0 * 10 + 3.0 * 3) / 13)


# --- the sentences -----------------------------------------------------------------------


def test_a_rise_says_so_with_the_force_expectation_and_the_number_of_tests() -> None:
    rise = Change("Burglary", 31, 15, 1000, 1000, 23.0, 1.5, True, 3.1, 0.002, q=0.01)

    assert describe(rise, tests=30) == (
        "Burglary rose from 15 to 31, more than usual variation explains (about 23 if it had "
        "followed the force, among the 30 changes checked here)."
    )


def test_an_ordinary_change_is_called_normal() -> None:
    usual = adjust_page([change_test(19, 15, 1000, 1000, label="Burglary")])[0]

    assert (
        describe(usual)
        == "Burglary went from 15 to 19; changes this small are normal month to month."
    )


def test_too_few_incidents_make_no_claim() -> None:
    small = adjust_page([change_test(3, 15, 500, 500, label="Public order")])[0]

    text = describe(small)

    assert text == (
        "Public order: 15 before, 3 now; too few incidents to tell a real change from chance."
    )
    for claim in ("rose", "fell", "normal", "significant", "no change", "down", "up"):
        assert claim not in text


# --- Cleveland 2025 ------------------------------------------------------------------------


@pytest.mark.realdata
def test_december_against_november_across_the_83_cleveland_briefings(real_data: Path) -> None:
    force = cleveland.force_counts(real_data)
    now = np.array([m == "2025-12" for m in force.months])
    before = np.array([m == "2025-11" for m in force.months])
    crime = np.array([c != ASB for c in CATEGORIES])

    flags = count_flags(force.counts, now, before, labels=CATEGORIES, lines=[("All crime", crime)])

    old = 0
    for row in force.counts:
        current, previous = row[:, now].sum(axis=1), row[:, before].sum(axis=1)
        pairs = [
            (current[crime].sum(), previous[crime].sum()),
            *zip(current, previous, strict=True),
        ]
        old += sum(poisson_change_test(int(a), int(b)) < 0.05 for a, b in pairs)
    assert len(force.wards) == 83
    assert old == 67
    assert flags == {
        "tests": 281,
        "unadjusted": 21,
        "per_page": 7,
        "force_wide": 0,
        "wards": 6,
        "too_few": 964,
    }
    assert float(np.median(dispersion(force.counts))) == pytest.approx(1.22, abs=0.01)


def test_a_category_only_the_ward_has_is_tested_against_its_own_past() -> None:
    # No incident in the rest of the force in either period: pi = 1/2, no estimation term.
    change = change_test(30, 6, 0, 0, dispersion=1.5)

    assert change.testable and change.expected == 18.0
    assert change.z == pytest.approx((30 - 18) / math.sqrt(1.5 * 0.25 * 36))
    # Incidents in one period only: the force went from none to some, no share to test.
    assert not change_test(30, 6, 5, 0).testable


def test_a_wards_dispersion_is_measured_without_its_own_counts() -> None:
    # Ward 0 jumps from 2 to 120 in a month; wards 1 and 2 are steady. Pooled, the jump is
    # the dispersion; measured on the rest of the force it is Poisson.
    counts = np.array([[[2, 120]], [[30, 30]], [[20, 20]]])

    by_ward = dispersion_without_each(counts)

    assert dispersion(counts)[0] > 10
    assert by_ward[0].tolist() == [1.0]
    # Equal up to rounding: every ward's dispersion is computed at once in closed form.
    assert by_ward[1] == pytest.approx(dispersion(counts[[0, 2]]), rel=1e-12, abs=0)
    assert dispersion_without_each(counts[:1]).tolist() == [[1.0]]


@pytest.mark.parametrize("seed", range(6))
def test_every_wards_dispersion_equals_the_ward_by_ward_definition(seed: int) -> None:
    # Sparse counts (many zero months, categories some wards never have, a ward with no
    # incident at all, a category held in a single month): the closed form over every ward
    # agrees with dispersion() of the counts with each ward's row deleted.
    rng = np.random.default_rng(seed)
    counts = rng.negative_binomial(2, 0.4, size=(40, 6, 24)) * (rng.random((40, 6, 24)) < 0.5)
    counts[3] = 0
    counts[:, 4, 1:] = 0
    counts[:, 5, :] = 0
    counts[7, 5, 2] = 9

    expected = np.vstack([dispersion(np.delete(counts, w, axis=0)) for w in range(40)])

    assert dispersion_without_each(counts) == pytest.approx(expected, rel=1e-12, abs=0)
