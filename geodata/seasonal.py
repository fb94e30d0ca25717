"""Seasonal expectations: the calendar months in which a ward's category usually runs high.

Operations are planned weeks ahead, so a planner wants to know what next month usually
brings. "Usually" must not be chance: in any ward, half the months of a year run above its
average, and with two years a quarter of all months run above it in both by luck alone.
So a month is called a usual rise only when two things hold.

Method
------
``counts`` are wards x categories x months (the months held, ``YYYY-MM``). Only **whole
calendar years** are read: a year counts when all twelve of its months are held, because a
part-year's average leans towards the season it holds. At least :data:`MIN_YEARS` whole
years are needed; with fewer, nothing is claimed.

For each ward ``w``, category ``c`` and calendar month ``m``, over the whole years ``Y``:

1. **Every year**: the month's count is above that year's monthly mean for the ward and
   category (``x_wcym > mean_t x_wcyt``) in every year of ``Y``, not just on average;
2. **More than chance**: the pooled excess is tested. ``O = sum_y x_wcym`` and
   ``E = sum_y mean_t x_wcyt``; under "no season" ``O`` is a quasi-Poisson count of mean
   ``E`` and dispersion ``phi_c`` (the force's over-dispersion of the category once its
   season is removed, :func:`geodata.trends.dispersion`, passed in; 1 when not given), so
   the one-sided p-value is ``P(X >= O/phi)`` for ``X ~ Poisson(E/phi)`` (the regularised
   lower incomplete gamma function, continuous in ``O/phi``). The p-values of every ward,
   category and month tested are then corrected together by Benjamini and Hochberg's
   false discovery rate procedure (1995); a month passes when its q-value is under
   :data:`FALSE_DISCOVERY_RATE`, so about one in twenty of the rises listed, at most, is
   expected to be chance.

A ward and category's passing months are joined into runs of consecutive calendar months
(December runs into January) for the wording: "usually rises in October-November (2024 and
2025)", the years being the whole years it rests on.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammainc

from geodata.hotspots import bh_adjust

MIN_YEARS = 2
"""Whole calendar years needed before any month is called a usual rise."""

FALSE_DISCOVERY_RATE = 0.05
"""Largest Benjamini-Hochberg q-value of a month listed as a usual rise."""


@dataclass(frozen=True, slots=True)
class SeasonalRise:
    """One ward and category's usual rise: a run of consecutive calendar months (1-12)."""

    ward_code: str
    category: str
    months: tuple[int, ...]
    years: tuple[int, ...]
    """The whole years the rule rests on, oldest first."""
    ratio: float
    """Counts in the run's months over what the years' monthly means expect, all years pooled."""
    q_value: float
    """The largest q-value of the run's months."""

    @property
    def months_words(self) -> str:
        """The run as words: "October-November", or "July"."""
        first, last = calendar.month_name[self.months[0]], calendar.month_name[self.months[-1]]
        return first if len(self.months) == 1 else f"{first}-{last}"

    @property
    def years_words(self) -> str:
        """The years as words: "2024 and 2025", "2023, 2024 and 2025"."""
        names = [str(y) for y in self.years]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def sentence(self) -> str:
        """ "Burglary usually rises in October-November (2024 and 2025)"."""
        return f"{self.category} usually rises in {self.months_words} ({self.years_words})"

    def to_json(self) -> dict[str, object]:
        return {
            "ward_code": self.ward_code,
            "category": self.category,
            "months": list(self.months),
            "years": list(self.years),
            "ratio": self.ratio,
            "q_value": self.q_value,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Seasons:
    """Every usual rise found, and the whole years they rest on (too few: none found)."""

    years: tuple[int, ...]
    rises: tuple[SeasonalRise, ...]
    tested: int
    """How many (ward, category, month) were tested together."""

    @property
    def enough_years(self) -> bool:
        return len(self.years) >= MIN_YEARS

    def in_month(self, month: int) -> list[SeasonalRise]:
        """The rises whose run includes calendar month ``month`` (1-12), largest ratio first."""
        found = [r for r in self.rises if month in r.months]
        return sorted(found, key=lambda r: (-r.ratio, r.ward_code, r.category))

    def of_ward(self, code: str) -> list[SeasonalRise]:
        """One ward's rises, by category then first month."""
        return [r for r in self.rises if r.ward_code == code]


def whole_years(months: Sequence[str]) -> tuple[int, ...]:
    """The calendar years of which all twelve months are in ``months``, oldest first."""
    held = set(months)
    years = sorted({int(m[:4]) for m in held})
    return tuple(y for y in years if all(f"{y:04d}-{n:02d}" in held for n in range(1, 13)))


def seasonal_rises(
    counts: npt.ArrayLike,
    months: Sequence[str],
    *,
    wards: Sequence[str],
    categories: Sequence[str],
    dispersions: Mapping[str, float] | None = None,
) -> Seasons:
    """The usual rises of every ward and category (method in the module docstring).

    ``counts`` is wards x categories x months, in the order of ``wards``, ``categories``
    and ``months``; ``dispersions`` the force's over-dispersion by category.
    """
    x = np.asarray(counts, dtype=np.float64)
    if x.ndim != 3 or x.shape != (len(wards), len(categories), len(months)):
        raise ValueError(
            f"counts must be wards x categories x months "
            f"({len(wards)} x {len(categories)} x {len(months)}), got shape {x.shape}"
        )
    years = whole_years(months)
    if len(years) < MIN_YEARS:
        return Seasons(years, (), 0)
    at = {m: i for i, m in enumerate(months)}
    # wards x categories x years x 12 calendar months
    by_year = np.stack(
        [x[:, :, [at[f"{y:04d}-{n:02d}"] for n in range(1, 13)]] for y in years], axis=2
    )
    means = by_year.mean(axis=3, keepdims=True)
    every_year = (by_year > means).all(axis=2)
    observed = by_year.sum(axis=2)
    expected = np.broadcast_to(means.sum(axis=2), observed.shape)
    phi = np.array([max(float((dispersions or {}).get(c, 1.0)), 1.0) for c in categories])
    phi = phi[None, :, None]
    p = np.ones(observed.shape)
    testable = (observed > 0) & (expected > 0)
    scaled_o = np.broadcast_to(observed / phi, observed.shape)
    scaled_e = np.broadcast_to(expected / phi, observed.shape)
    p[testable] = gammainc(scaled_o[testable], scaled_e[testable])
    q = bh_adjust(p.ravel()).reshape(p.shape)
    passing = every_year & (q < FALSE_DISCOVERY_RATE)
    rises = []
    for w, c in zip(*np.nonzero(passing.any(axis=2)), strict=True):
        for run in _runs([n + 1 for n in range(12) if passing[w, c, n]]):
            cols = [n - 1 for n in run]
            rises.append(
                SeasonalRise(
                    ward_code=wards[w],
                    category=categories[c],
                    months=tuple(run),
                    years=years,
                    ratio=float(observed[w, c, cols].sum() / expected[w, c, cols].sum()),
                    q_value=float(q[w, c, cols].max()),
                )
            )
    return Seasons(years, tuple(rises), int(p.size))


def _runs(months: Sequence[int]) -> list[list[int]]:
    """Consecutive calendar months joined, December running into January: [1, 2, 12] gives
    [[12, 1, 2]]."""
    runs: list[list[int]] = []
    for month in months:
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == 12:
        runs[0] = runs.pop() + runs[0]
    return runs
