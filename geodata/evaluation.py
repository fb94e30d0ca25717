"""Evaluating a problem-solving plan: did the target crimes fall, and did they move next door?

A plan names a target area, the police.uk categories it aims at and the month it started.
The same number of whole months before and after the start are compared in three areas:

- the **target** area the plan worked in;
- the **buffer**, a ring around the target (optional), where crime could be displaced to or
  where the benefit could spread ("diffusion of benefit");
- the **control**: every other located incident in the facts the caller passes, usually the
  rest of the force, which carries the background trend.

The areas are drawn by ``geodata/areas.py``. Counting (:func:`count_in_areas`,
:func:`monthly_in_area`) is kept apart from the statistics in ``geodata/effects.py``, which
take plain counts so each can be checked by hand: ``rate_ratio`` (did the target fall more
than the control?), ``wdq`` (Bowers & Johnson's weighted displacement quotient) and ``wdd``
(Wheeler & Ratcliffe's weighted displacement difference test). :func:`evaluate` brings them
together with ``sustained``, the caveats and a plain :func:`verdict`.

Every test here assumes crimes are Poisson counts. Real crime counts are often
over-dispersed (repeats, one offender, one busy night), so intervals and p-values are, if
anything, too narrow; an evaluation is evidence to weigh, not proof.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from geodata.areas import area_m2, check_area
from geodata.crime import CATEGORIES
from geodata.effects import (
    RATE_RATIO_METHOD,
    WDD,
    WDD_METHOD,
    WDQ,
    WDQ_DIFFUSION,
    WDQ_DIFFUSION_GREATER,
    WDQ_DISPLACEMENT_GREATER,
    WDQ_DISPLACEMENT_SMALLER,
    WDQ_METHOD,
    WDQ_NEITHER,
    RateRatio,
    rate_ratio,
    sustained,
    wdd,
    wdq,
)
from geodata.errors import AreaError, EvaluationError
from geodata.period import Period
from geodata.profile import SIGNIFICANCE

DEFAULT_MONTHS = 6
"""Months compared on each side of the plan's start, unless the caller says otherwise."""

SMALL_NUMBERS = 20
"""An area with fewer incidents than this over both periods together gets a caution."""

SMALL_AREA_M2 = 250.0 * 250.0
"""A target smaller than this (a 250 m square, "a few streets") gets a caution.

police.uk moves every record to the nearest of about 750,000 anonymous map points, in towns
roughly one per street or open space. An area only a few streets across holds a handful of
points, so crimes that happened inside it can be published just outside it and vice versa.
"""

SMALL_COUNTS_CAVEAT = "small numbers, treat with caution"
_START = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$")
_M2_PER_KM2 = 1_000_000.0


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanPeriods:
    """The months compared: ``before`` and ``after`` are of equal length and do not touch
    a month the plan started part-way through, which is named in ``left_out``."""

    start: str
    before: Period
    after: Period
    left_out: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "left_out": self.left_out,
        }


def plan_periods(
    start: str, *, months: int = DEFAULT_MONTHS, latest: str | None = None
) -> PlanPeriods:
    """The ``months`` whole months before and after a plan's start.

    Method
    ------
    police.uk publishes whole months, so a month is either wholly before the plan or wholly
    after it. ``start`` is ``YYYY-MM`` (the plan began with that month) or ``YYYY-MM-DD``;
    a start after the 1st makes that month a mixture, and it is left out of both periods.
    ``after`` is the first ``months`` whole months from the start; ``before`` the same
    number of months ending the month before the start month. When ``latest`` (the last
    month of data held) falls inside ``after``, ``after`` is cut back to it and ``before``
    shortened to match, so both sides always have the same number of months.
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise EvaluationError(f"months: {months!r} is not a whole number of months of 1 or more")
    match = _START.fullmatch(start or "")
    if not match:
        raise EvaluationError(f"start: {start!r} is not a month as YYYY-MM or a date as YYYY-MM-DD")
    year, month, day = match.groups()
    start_month = f"{year}-{month}"
    left_out = None
    if day is not None:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise EvaluationError(f"start: {start!r} is not a real date") from None
        if day != "01":
            left_out = start_month
    first_after = _add_months(start_month, 0 if left_out is None else 1)
    if latest is not None and latest < first_after:
        raise EvaluationError(
            f"start: no whole month after the plan's start ({first_after}) is held yet; "
            f"the latest month held is {latest}"
        )
    last_after = _add_months(first_after, months - 1)
    if latest is not None:
        last_after = min(last_after, latest)
    after = Period(first_after, last_after)
    length = len(after.months)
    before = Period(_add_months(start_month, -length), _add_months(start_month, -1))
    return PlanPeriods(start, before, after, left_out)


def _add_months(month: str, months: int) -> str:
    return Period(month, month).shifted(months).first


# --- Areas and counting --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaCounts:
    """Incidents of the plan's categories per area and period.

    ``buffer_*`` are None when no buffer was drawn; ``no_location_*`` count the rows with no
    published location, which belong to no area (not to the control).
    """

    target_before: int
    target_after: int
    buffer_before: int | None
    buffer_after: int | None
    control_before: int
    control_after: int
    no_location_before: int = 0
    no_location_after: int = 0

    def to_json(self) -> dict[str, Any]:
        def pair(before: int | None, after: int | None) -> dict[str, int] | None:
            return None if before is None or after is None else {"before": before, "after": after}

        return {
            "target": pair(self.target_before, self.target_after),
            "buffer": pair(self.buffer_before, self.buffer_after),
            "control": pair(self.control_before, self.control_after),
            "no_location": pair(self.no_location_before, self.no_location_after),
        }


_TARGET, _BUFFER, _CONTROL, _NO_LOCATION = 0, 1, 2, 3


def _check_area(name: str, geometry: Any) -> None:
    """:func:`geodata.areas.check_area`, its refusal raised as an EvaluationError."""
    try:
        check_area(name, geometry)
    except AreaError as error:
        raise EvaluationError(str(error)) from error


def evaluated_categories(categories: Sequence[str]) -> tuple[str, ...]:
    """The categories a plan is evaluated on: those it names, or every police.uk category
    (all crime and ASB) when it names none, since categories are optional on a plan."""
    return tuple(categories) or CATEGORIES


def _check_categories(categories: Sequence[str]) -> None:
    if isinstance(categories, str) or not categories:
        raise EvaluationError(
            f"categories: expected a non-empty list of categories, got {categories!r}"
        )
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise EvaluationError(
            f"categories: {unknown} not police.uk categories; allowed: {', '.join(CATEGORIES)}"
        )


def _area_codes(
    facts: pd.DataFrame, target: shapely.Geometry, buffer: shapely.Geometry | None
) -> npt.NDArray[np.intp]:
    """Per row: target, buffer, control, or no location, by ``covers`` (edge included)."""
    x = facts["longitude"].to_numpy(np.float64)
    y = facts["latitude"].to_numpy(np.float64)
    located = ~(np.isnan(x) | np.isnan(y))
    codes = np.full(len(facts), _NO_LOCATION, dtype=np.intp)
    codes[located] = _CONTROL
    # For a point, a polygon covers it exactly when they intersect: inside or on the edge.
    in_target = located.copy()
    in_target[located] = shapely.intersects_xy(target, x[located], y[located])
    codes[in_target] = _TARGET
    if buffer is not None:
        rest = located & ~in_target
        in_buffer = rest.copy()
        in_buffer[rest] = shapely.intersects_xy(buffer, x[rest], y[rest])
        codes[in_buffer] = _BUFFER
    return codes


def count_in_areas(
    facts: pd.DataFrame,
    *,
    target: shapely.Geometry,
    buffer: shapely.Geometry | None,
    categories: Sequence[str],
    before: Period,
    after: Period,
) -> AreaCounts:
    """Incidents of ``categories`` per area (target, buffer, control) and period.

    Method
    ------
    ``facts`` are grouped rows of (month, category, longitude, latitude, n), ``n`` incidents
    per row. Rows of other categories or of months in neither period are ignored. A row's
    snap point belongs to the target when the target *covers* it (inside or on the
    boundary); otherwise to the buffer when the buffer covers it; otherwise, if it has a
    location, to the control, which is therefore "every other located incident in
    ``facts``". Target first: a point on the edge the target shares with its ring is the
    target's. Rows without a location are counted apart. Each count is the sum of ``n``.
    """
    _check_categories(categories)
    _check_area("target", target)
    if buffer is not None:
        _check_area("buffer", buffer)
    if not before.last < after.first:
        raise EvaluationError(
            f"before: {before.first} to {before.last} does not end before after starts "
            f"({after.first})"
        )
    rows = facts[facts["category"].isin(list(categories))]
    month = rows["month"]
    period = np.where(
        month.between(before.first, before.last).to_numpy(),
        0,
        np.where(month.between(after.first, after.last).to_numpy(), 1, -1),
    )
    keep = period >= 0
    rows = rows[keep]
    codes = _area_codes(rows, target, buffer)
    totals = np.bincount(
        codes * 2 + period[keep], weights=rows["n"].to_numpy(np.float64), minlength=8
    ).astype(np.int64)
    count = [int(v) for v in totals]
    return AreaCounts(
        target_before=count[0],
        target_after=count[1],
        buffer_before=None if buffer is None else count[2],
        buffer_after=None if buffer is None else count[3],
        control_before=count[4],
        control_after=count[5],
        no_location_before=count[6],
        no_location_after=count[7],
    )


def monthly_in_area(
    facts: pd.DataFrame,
    *,
    area: shapely.Geometry,
    categories: Sequence[str],
    months: Sequence[str],
) -> list[int]:
    """Incidents of ``categories`` covered by ``area`` (edge included) in each of ``months``."""
    _check_categories(categories)
    _check_area("area", area)
    rows = facts[facts["category"].isin(list(categories)) & facts["month"].isin(list(months))]
    inside = rows[_area_codes(rows, area, None) == _TARGET]
    by_month = inside.groupby("month")["n"].sum()
    return [int(by_month.get(m, 0)) for m in months]


# --- Verdict -------------------------------------------------------------------------------


def _categories_label(categories: Sequence[str]) -> str:
    names = list(categories)
    if set(names) == set(CATEGORIES):
        return "All crime and anti-social behaviour"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _change(before: int, after: int) -> str:
    """How a count moved, e.g. "fell 38 %", "rose 12 %" or "went from 0 to 4"."""
    if before == 0:
        return "did not change (0 before and after)" if after == 0 else f"went from 0 to {after}"
    pct = 100 * (after - before) / before
    if round(pct) == 0:
        return "did not change" if after == before else f"barely changed ({before} to {after})"
    return f"{'fell' if pct < 0 else 'rose'} {abs(pct):.0f} %"


def _control_change(before: int, after: int) -> str:
    if before == 0:
        return f"0 to {after}"
    pct = 100 * (after - before) / before
    if round(pct) == 0:
        return "no change"
    return f"{'a fall' if pct < 0 else 'a rise'} of {abs(pct):.0f} %"


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _number(value: float) -> str:
    return f"{value:.1f}".replace("-", "\N{MINUS SIGN}")


def caveats(
    counts: AreaCounts,
    *,
    months_missing: Sequence[str],
    target_area_m2: float | None,
    control_label: str = "the rest of the force",
) -> list[str]:
    """The reasons to read an evaluation with care, each a plain sentence.

    Small numbers (an area with fewer than ``SMALL_NUMBERS`` incidents over both periods),
    months with no data, a target smaller than ``SMALL_AREA_M2`` (police.uk snap points),
    and, when the target fell, regression to the mean.
    """
    notes = []
    areas = [("the target area", counts.target_before, counts.target_after)]
    if counts.buffer_before is not None and counts.buffer_after is not None:
        areas.append(("the buffer", counts.buffer_before, counts.buffer_after))
    areas.append((control_label, counts.control_before, counts.control_after))
    for name, before, after in areas:
        if before + after < SMALL_NUMBERS:
            notes.append(
                f"Only {before + after} incidents in {name} over both periods: "
                f"{SMALL_COUNTS_CAVEAT}."
            )
    if months_missing:
        notes.append(
            f"No data held for {', '.join(months_missing)}: those months count as zero, so "
            "the comparison is biased."
        )
    if target_area_m2 is not None and target_area_m2 < SMALL_AREA_M2:
        notes.append(
            f"The target area is only about {target_area_m2 / 10_000:.1f} hectares. police.uk "
            "moves every crime to a nearby anonymous map point, so locations are approximate "
            "and counts for an area smaller than a few streets are unreliable."
        )
    if counts.target_after < counts.target_before:
        notes.append(
            "Plans often start after a spike; part of any fall may be a return to normal "
            f"(regression to the mean), which the comparison with {control_label} does not "
            "remove."
        )
    return notes


def verdict(
    *,
    categories: Sequence[str],
    counts: AreaCounts,
    rate: RateRatio,
    quotient: WDQ | None,
    difference: WDD | None,
    held: bool | None,
    assess_months: int,
    later_months: int,
    notes: Sequence[str] = (),
    control_label: str = "the rest of the force",
) -> str:
    """The evaluation in plain words, ending with its caveats (``notes``, see :func:`caveats`).

    For example: "Burglary fell 38 % in the target area against a fall of 5 % in the rest
    of the force (rate ratio 0.65, 95 % CI 0.48-0.88, significant). No evidence of
    displacement into the buffer (WDQ 0.21: some diffusion of benefit)."
    """
    significant = "significant" if rate.p_value < SIGNIFICANCE else "not significant"
    correction = ", 0.5 added to every count as one was zero" if rate.corrected else ""
    sentences = [
        f"{_categories_label(categories)} {_change(counts.target_before, counts.target_after)} "
        f"in the target area against "
        f"{_control_change(counts.control_before, counts.control_after)} in {control_label} "
        f"(rate ratio {rate.ratio:.2f}, 95 % CI {rate.low:.2f}\N{EN DASH}{rate.high:.2f}"
        f"{correction}, {significant})."
    ]
    if quotient is None:
        sentences.append("No buffer was drawn, so displacement was not assessed.")
    elif quotient.value is None:
        sentences.append(f"Displacement was not assessed: {quotient.reading}.")
    else:
        lead = {
            WDQ_DIFFUSION_GREATER: "No evidence of displacement; the buffer improved even more",
            WDQ_DIFFUSION: "No evidence of displacement into the buffer",
            WDQ_NEITHER: "No evidence of displacement into the buffer",
            WDQ_DISPLACEMENT_SMALLER: "Some crime may have moved into the buffer",
            WDQ_DISPLACEMENT_GREATER: "More crime may have moved into the buffer than the "
            "target lost",
        }[quotient.reading]
        sentences.append(f"{lead} (WDQ {quotient.value:.2f}: {quotient.reading}).")
    if difference is not None:
        where = "target and buffer together" if quotient is not None else "the target area"
        if round(difference.estimate) == 0:
            amount = "about as many incidents as"
        else:
            direction = "fewer" if difference.estimate < 0 else "more"
            amount = f"about {abs(difference.estimate):.0f} {direction} incidents than"
        significance = "significant" if difference.p_value < SIGNIFICANCE else "not significant"
        sentences.append(
            f"In {where}, {amount} the trend in {control_label} predicts "
            f"(WDD {_number(difference.estimate)}, 95 % CI {_number(difference.low)} to "
            f"{_number(difference.high)}, {_p(difference.p_value)}, {significance})."
        )
    if held is not None:
        months = "month" if later_months == 1 else f"{later_months} months"
        state = "stayed below" if held else "did not stay below"
        sentences.append(
            f"In the {months} after the first {assess_months}, the target area {state} "
            "its monthly level before the plan."
        )
    return " ".join([*sentences, *notes])


# --- Putting it together -------------------------------------------------------------------


def evaluate(
    facts: pd.DataFrame,
    *,
    target: shapely.Geometry,
    buffer: shapely.Geometry | None,
    categories: Sequence[str],
    start: str,
    months_held: Sequence[str],
    months: int = DEFAULT_MONTHS,
    control_label: str = "the rest of the force",
) -> dict[str, Any]:
    """A plan's evaluation as plain JSON-ready values.

    Method
    ------
    Periods from :func:`plan_periods` (cut back to the latest month held); counts from
    :func:`count_in_areas`, the control being every other located incident in ``facts``;
    :func:`rate_ratio` of target against control; :func:`wdq` of target, buffer and
    control when a buffer is given.

    :func:`wdd` needs controls of about the size of the areas they control for, since it
    subtracts counts, while here the control is the rest of the force. So the control is
    scaled to each area's before count (``scale`` = target before / control before for the
    target, buffer before / control before for the buffer; Wheeler's area-weight extension
    with weights from the before counts): each area is expected to change by its own before
    count times the control's proportional change. The one control serves both target and
    buffer (``shared_control``). The scales are treated as fixed; their own uncertainty is
    of order 1/control-before and is ignored. With no control incidents before the plan the
    WDD is not computed.

    :func:`sustained` compares the target's monthly mean in the held months after the
    ``after`` period with its monthly mean before the plan.

    A plan naming no categories is evaluated on all of them (:func:`evaluated_categories`).
    """
    categories = evaluated_categories(categories)
    periods = plan_periods(start, months=months, latest=max(months_held) if months_held else None)
    before, after = periods.before, periods.after
    counts = count_in_areas(
        facts, target=target, buffer=buffer, categories=categories, before=before, after=after
    )
    held_months = set(months_held)
    months_missing = [m for m in [*before.months, *after.months] if m not in held_months]
    rate = rate_ratio(
        counts.target_before, counts.target_after, counts.control_before, counts.control_after
    )
    quotient = None
    if counts.buffer_before is not None and counts.buffer_after is not None:
        quotient = wdq(
            counts.target_before,
            counts.target_after,
            counts.buffer_before,
            counts.buffer_after,
            counts.control_before,
            counts.control_after,
        )
    difference = None
    wdd_json: dict[str, Any]
    if counts.control_before == 0:
        wdd_json = {
            "available": False,
            "reason": f"no incidents in {control_label} before the plan to scale the trend by",
        }
    else:
        s_target = counts.target_before / counts.control_before
        s_buffer = (counts.buffer_before or 0) / counts.control_before
        c = (counts.control_before, counts.control_after)
        difference = wdd(
            counts.target_before,
            counts.target_after,
            *c,
            counts.buffer_before or 0,
            counts.buffer_after or 0,
            *(c if quotient is not None else (0, 0)),
            scale=(1.0, s_target, 1.0, s_buffer if quotient is not None else 0.0),
            shared_control=quotient is not None,
        )
        wdd_json = {
            "available": True,
            **difference.to_json(),
            "control_scale": {
                "target": s_target,
                "buffer": s_buffer if quotient is not None else None,
            },
            "method": WDD_METHOD,
        }
    later = sorted(m for m in held_months if m > after.last)
    monthly = monthly_in_area(
        facts, area=target, categories=categories, months=[*after.months, *later]
    )
    before_mean = counts.target_before / len(before.months)
    held = sustained(monthly, before_mean=before_mean, assess_months=len(after.months))
    target_m2 = area_m2(target)
    notes = caveats(
        counts,
        months_missing=months_missing,
        target_area_m2=target_m2,
        control_label=control_label,
    )
    return {
        "categories": list(categories),
        "periods": periods.to_json(),
        "counts": counts.to_json(),
        "months_missing": months_missing,
        "areas_km2": {
            "target": target_m2 / _M2_PER_KM2,
            "buffer": None if buffer is None else area_m2(buffer) / _M2_PER_KM2,
        },
        "rate_ratio": {**rate.to_json(), "method": RATE_RATIO_METHOD},
        "wdq": None if quotient is None else {**quotient.to_json(), "method": WDQ_METHOD},
        "wdd": wdd_json,
        "sustained": {
            "held": held,
            "before_mean": before_mean,
            "later_months": later,
            "later_monthly": monthly[len(after.months) :],
        },
        "caveats": notes,
        "verdict": verdict(
            categories=categories,
            counts=counts,
            rate=rate,
            quotient=quotient,
            difference=difference,
            held=held,
            assess_months=len(after.months),
            later_months=len(later),
            notes=notes,
            control_label=control_label,
        ),
    }
