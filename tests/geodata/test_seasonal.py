"""Seasonal expectations: a month is usual only when it rose in every whole year and the
pooled excess survives the false discovery rate control."""

from __future__ import annotations

import numpy as np
import pytest

from geodata.seasonal import SeasonalRise, seasonal_rises, whole_years

CATEGORIES = ["Burglary", "Vehicle crime"]
WARDS = [f"E0500000{n}" for n in range(1, 7)]


def months_of(*years: int) -> list[str]:
    return [f"{y}-{m:02d}" for y in years for m in range(1, 13)]


def flat(months: list[str], level: int = 20) -> np.ndarray:
    """Every ward and category at ``level`` a month, but for a wobble of 1 that is chance."""
    x = np.full((len(WARDS), len(CATEGORIES), len(months)), level, dtype=np.int64)
    x[:, :, ::2] += 1  # even months one above, odd one below: never "usual"
    x[:, :, 1::2] -= 1
    return x


def test_a_month_that_rises_in_both_years_is_listed_and_one_rising_once_is_not() -> None:
    months = months_of(2024, 2025)
    counts = flat(months)
    at = {m: i for i, m in enumerate(months)}
    for month in ("2024-10", "2025-10", "2024-11", "2025-11"):  # October-November, both years
        counts[0, 0, at[month]] = 60
    counts[1, 1, at["2024-03"]] = 200  # March 2024 only: pooled excess, but one year
    counts[1, 1, at["2025-03"]] = 15

    found = seasonal_rises(counts, months, wards=WARDS, categories=CATEGORIES)

    assert found.years == (2024, 2025) and found.enough_years
    assert found.tested == len(WARDS) * len(CATEGORIES) * 12
    assert [(r.ward_code, r.category, r.months, r.years) for r in found.rises] == [
        ("E05000001", "Burglary", (10, 11), (2024, 2025))
    ]
    rise = found.rises[0]
    assert rise.sentence == "Burglary usually rises in October-November (2024 and 2025)"
    assert rise.ratio == pytest.approx(240 / (2 * 2 * (20 * 10 + 120) / 12))
    assert found.in_month(11) == [rise] and found.in_month(3) == []
    assert found.of_ward("E05000002") == []


def test_a_small_rise_in_both_years_is_not_called_usual() -> None:
    months = months_of(2024, 2025)
    counts = flat(months)
    at = {m: i for i, m in enumerate(months)}
    counts[2, 0, at["2024-07"]] = counts[2, 0, at["2025-07"]] = 24  # above the mean, by chance

    assert seasonal_rises(counts, months, wards=WARDS, categories=CATEGORIES).rises == ()


def test_over_dispersion_needs_a_larger_rise() -> None:
    months = months_of(2024, 2025)
    counts = flat(months)
    at = {m: i for i, m in enumerate(months)}
    counts[0, 0, at["2024-07"]] = counts[0, 0, at["2025-07"]] = 38

    poisson = seasonal_rises(counts, months, wards=WARDS, categories=CATEGORIES)
    dispersed = seasonal_rises(
        counts, months, wards=WARDS, categories=CATEGORIES, dispersions={"Burglary": 4.0}
    )

    assert [r.months for r in poisson.rises] == [(7,)]
    assert dispersed.rises == ()


def test_one_whole_year_claims_nothing_and_part_years_do_not_count() -> None:
    one = months_of(2025)
    counts = flat(one)
    counts[0, 0, 9] = 500
    assert seasonal_rises(counts, one, wards=WARDS, categories=CATEGORIES).rises == ()

    part = [f"2024-{m:02d}" for m in range(3, 13)] + months_of(2025)
    assert whole_years(part) == (2025,)
    found = seasonal_rises(flat(part), part, wards=WARDS, categories=CATEGORIES)
    assert not found.enough_years and found.tested == 0


def test_december_runs_into_january() -> None:
    months = months_of(2023, 2024, 2025)
    counts = flat(months)
    for i, month in enumerate(months):
        if month.endswith(("-12", "-01")):
            counts[3, 1, i] = 70

    (rise,) = seasonal_rises(counts, months, wards=WARDS, categories=CATEGORIES).rises

    assert rise.months == (12, 1)
    assert rise.sentence == "Vehicle crime usually rises in December-January (2023, 2024 and 2025)"


def test_counts_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="wards x categories x months"):
        seasonal_rises(np.zeros((2, 2)), months_of(2025), wards=WARDS, categories=CATEGORIES)


def test_a_rise_reads_as_json() -> None:
    rise = SeasonalRise("E05000001", "Burglary", (7,), (2024, 2025), 1.5, 0.01)
    assert rise.to_json()["sentence"] == "Burglary usually rises in July (2024 and 2025)"
