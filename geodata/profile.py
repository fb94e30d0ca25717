"""The ward profile: the figures a PCSO or analyst reads about one ward for a period.

Every figure is computed here from two inputs the store keeps grouped, and each function's
docstring states its method, so any number on a page can be recomputed by hand from
``incident_rows``:

- ``facts``: the ward's incidents as rows of (month, category, outcome, place_id, location,
  longitude, latitude, n), ``n`` identical incidents per row;
- a :class:`ForceCounts`: incidents per ward, category and month for every ward of the
  boundary vintage, plus the rows outside every ward and the rows with no location.

The result is a :class:`WardProfile`: frozen dataclasses that pages, reports and templates
read by attribute (mypy checks every read), kept in the service's cache and shared between
requests, so nothing may change them. :func:`to_json` is the one place they become the JSON
of ``/api/wards/<code>/profile``. The hot-spot cells and the mappings keyed by category or
outcome stay plain dicts: they are JSON shapes passed through unchanged, the cells to the
maps (:mod:`geodata.maps`, :mod:`geodata.static_maps`) as well as to the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import special

from geodata.crime import ASB, CATEGORIES
from geodata.harm import HarmWeights, harm_by_category
from geodata.hotspots import hotspot_grid
from geodata.outcomes import outcome_shares
from geodata.period import Period, comparison_span

ALL_CRIME = "All crime"
"""The trend line for every category except anti-social behaviour."""

SIGNIFICANCE = 0.05
PLACES_CAVEAT = (
    "police.uk moves every record to the nearest of about 750,000 anonymous map points; "
    "these are those points, never addresses, and one point can stand for a whole street."
)
_CRIME = np.array([c != ASB for c in CATEGORIES])
_ASB = CATEGORIES.index(ASB)


@dataclass(frozen=True)
class ForceCounts:
    """Incidents of one boundary vintage as an array: ward by category by month.

    ``outside`` and ``no_location`` count, per month, the rows whose snap point lies in no
    ward and the rows with no location. Built once per data version, then every period is
    a slice of it.
    """

    wards: list[str]
    months: list[str]
    counts: npt.NDArray[np.int64]
    outside: npt.NDArray[np.int64]
    no_location: npt.NDArray[np.int64]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> ForceCounts:
        """From rows of (status, ward_code, month, category, n), as the store keeps them."""
        months = sorted(frame["month"].unique().tolist())
        in_wards = frame[frame["status"] == "ward"]
        wards = sorted(in_wards["ward_code"].unique().tolist())
        month_at = {m: i for i, m in enumerate(months)}
        ward_at = {w: i for i, w in enumerate(wards)}
        category_at = {c: i for i, c in enumerate(CATEGORIES)}
        counts = np.zeros((len(wards), len(CATEGORIES), len(months)), dtype=np.int64)
        np.add.at(
            counts,
            (
                in_wards["ward_code"].map(ward_at).to_numpy(int),
                in_wards["category"].map(category_at).to_numpy(int),
                in_wards["month"].map(month_at).to_numpy(int),
            ),
            in_wards["n"].to_numpy(np.int64),
        )

        def by_month(status: str) -> npt.NDArray[np.int64]:
            rows = frame[frame["status"] == status]
            out = np.zeros(len(months), dtype=np.int64)
            np.add.at(out, rows["month"].map(month_at).to_numpy(int), rows["n"].to_numpy(np.int64))
            return out

        return cls(wards, months, counts, by_month("outside"), by_month("no location"))

    def within(self, period: Period) -> npt.NDArray[np.bool_]:
        return np.array([period.first <= m <= period.last for m in self.months], dtype=bool)

    def by_category(self, period: Period) -> npt.NDArray[np.int64]:
        """Ward by category totals over the period."""
        return self.counts[:, :, self.within(period)].sum(axis=2)


@dataclass(frozen=True, slots=True)
class ProfileWard:
    """The ward a profile describes: its stored fields and its residents (None: unknown)."""

    code: str
    name: str
    lad_code: str | None
    lad_name: str | None
    vintage: str
    area_km2: float
    population: int | None
    population_method: str | None


@dataclass(frozen=True, slots=True)
class ForceComparison:
    """A ward's rate against the force-wide rate; see :func:`force_comparison`."""

    rate: float
    force_rate: float
    ratio: float | None
    rank: int
    of: int


@dataclass(frozen=True, slots=True)
class Rates:
    """Incidents per 1,000 residents; every rate is None when the population is unknown."""

    population: int | None
    method: str | None
    crime: float | None
    asb: float | None
    by_category: Mapping[str, float | None]
    force: ForceComparison | None


@dataclass(frozen=True, slots=True)
class Harm:
    """Crime Severity Score harm: the total, per 1,000 residents and by category."""

    total: float
    per_1000: float | None
    by_category: Mapping[str, float]
    force: ForceComparison | None
    source: str
    caveat: str


@dataclass(frozen=True, slots=True)
class Change:
    """One comparison of a period's count with another period's (see :func:`compare`).

    When ``available`` is false some month of the other period is not held: the other
    fields are then empty, and the JSON gives only the period and ``available``.
    """

    period: Period
    available: bool
    count: int | None = None
    change_pct: float | None = None
    p_value: float | None = None
    significant: bool = False

    def to_json(self) -> dict[str, Any]:
        if not self.available:
            return {"period": self.period.to_json(), "available": False}
        return {
            "period": self.period.to_json(),
            "available": True,
            "count": self.count,
            "change_pct": self.change_pct,
            "p_value": self.p_value,
            "significant": self.significant,
        }


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str
    n: int


@dataclass(frozen=True, slots=True)
class Trend:
    """One line (all crime, or a category): its months, its count and its two changes."""

    category: str
    monthly: tuple[MonthCount, ...]
    count: int
    previous: Change
    year_earlier: Change
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A police.uk snap point and its incidents in the period (never an address)."""

    location: str
    count: int
    longitude: float | None
    latitude: float | None


class HotCell(TypedDict):
    """A grid cell of :func:`geodata.hotspots.hotspot_grid` with its polygon as GeoJSON:
    a JSON shape handed unchanged to the maps and the API."""

    row: int
    col: int
    count: int
    z: float
    p: float
    q: float
    hot: bool
    cold: bool
    geometry: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Hotspots:
    cell_size_m: float
    alpha: float
    method: str
    hot_cells: int
    cells: tuple[HotCell, ...]


@dataclass(frozen=True, slots=True)
class Completeness:
    """What the figures rest on; see :func:`completeness`."""

    months_missing: tuple[str, ...]
    rows: int
    no_location: int
    no_location_share: float | None
    outside_wards: int
    boundary_vintage: str
    population: str | None
    """The population's method, or a sentence saying the ward has none."""


@dataclass(frozen=True, slots=True)
class WardProfile:
    """Every section of one ward's profile for one period (:func:`build_profile`)."""

    ward: ProfileWard
    period: Period
    counts: Mapping[str, int]
    crime_total: int
    asb_total: int
    rates_per_1000: Rates
    harm: Harm
    trends: tuple[Trend, ...]
    outcomes: Mapping[str, float]
    top_locations: tuple[Place, ...]
    top_locations_caveat: str
    hotspots: Hotspots
    completeness: Completeness

    def trend(self, category: str) -> Trend:
        """The trend line of ``category`` (a police.uk category or :data:`ALL_CRIME`)."""
        return next(t for t in self.trends if t.category == category)


def to_json(value: Any) -> Any:
    """A profile (or any part of one) as the plain JSON values of the API.

    Field names become keys, tuples lists; a value with its own ``to_json`` (a
    :class:`Period`, a :class:`Change`) writes itself.
    """
    if hasattr(value, "to_json"):
        return value.to_json()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def category_counts(facts: pd.DataFrame, period: Period) -> dict[str, int]:
    """Incidents per police.uk category in the period, every category listed (zeros too).

    Method: the sum of ``n`` over the ward's rows whose month lies in the period.
    """
    within = facts[facts["month"].between(period.first, period.last)]
    counts = within.groupby("category")["n"].sum()
    return {category: int(counts.get(category, 0)) for category in CATEGORIES}


def crime_total(counts: Mapping[str, int]) -> int:
    """Crimes as police.uk counts them: every category except anti-social behaviour."""
    return sum(n for category, n in counts.items() if category != ASB)


def per_1000(count: float, population: int | None) -> float | None:
    """``count`` per 1,000 residents, or None when the population is unknown or zero."""
    return None if not population else 1000 * count / population


def force_comparison(
    ward_code: str,
    force: ForceCounts,
    population: Mapping[str, int],
    period: Period,
    *,
    weights: Mapping[str, float] | None = None,
) -> ForceComparison | None:
    """The ward's rate against the force-wide rate, and its rank among wards.

    Method: for each ward with a population, the period's crimes (ASB excluded), each
    multiplied by its category weight when ``weights`` is given (harm), are divided by its
    residents and multiplied by 1,000. The force-wide rate is the total over those wards
    divided by their total residents; the ratio is the ward rate over the force rate; the
    rank is 1 for the highest rate (ties share the better rank). None when the ward has no
    population.
    """
    if not population.get(ward_code):
        return None
    if weights is None:
        factor = _CRIME.astype(float)
    else:
        factor = np.array([weights.get(c, 0.0) for c in CATEGORIES])
    totals = dict(zip(force.wards, force.by_category(period) @ factor, strict=True))
    codes = [code for code, residents in population.items() if residents]
    total = np.array([totals.get(code, 0.0) for code in codes])
    residents = np.array([population[code] for code in codes], dtype=float)
    rates = 1000 * total / residents
    rate = rates[codes.index(ward_code)]
    force_rate = 1000 * total.sum() / residents.sum()
    return ForceComparison(
        rate=float(rate),
        force_rate=float(force_rate),
        ratio=float(rate / force_rate) if force_rate else None,
        rank=int((rates > rate).sum()) + 1,
        of=len(codes),
    )


def change_test(current: int, previous: int) -> float:
    """Two-sided p-value that two Poisson counts over equal time share one rate.

    Method: the exact conditional test. Given ``current + previous`` events, under equal
    rates ``current`` is Binomial(total, 1/2), which is symmetric, so the exact two-sided
    p-value is twice the lower tail at the smaller count, capped at 1 (the value of
    ``scipy.stats.binomtest``, which the tests compare it with; that module costs a second
    to import). With no events at all there is no evidence of change (p = 1).
    """
    total = current + previous
    if total == 0:
        return 1.0
    return min(1.0, 2.0 * float(special.bdtr(min(current, previous), total, 0.5)))


def compare(current: int, previous: int, *, available: bool, period: Period) -> Change:
    """One comparison: counts, percentage change, p-value and the 5 % significance flag."""
    if not available:
        return Change(period, available=False)
    p_value = change_test(current, previous)
    return Change(
        period,
        available=True,
        count=previous,
        change_pct=None if previous == 0 else 100 * (current - previous) / previous,
        p_value=p_value,
        significant=p_value < SIGNIFICANCE,
    )


def monthly_counts(facts: pd.DataFrame, months: Sequence[str]) -> npt.NDArray[np.int64]:
    """Category by month sums of ``n`` over ``months``; rows of other months are ignored."""
    table = np.zeros((len(CATEGORIES), len(months)), dtype=np.int64)
    month_at = {m: i for i, m in enumerate(months)}
    category_at = {c: i for i, c in enumerate(CATEGORIES)}
    month = facts["month"].map(month_at)
    keep = month.notna().to_numpy()
    np.add.at(
        table,
        (
            facts["category"].map(category_at).to_numpy()[keep].astype(int),
            month.to_numpy()[keep].astype(int),
        ),
        facts["n"].to_numpy(np.int64)[keep],
    )
    return table


def trends(facts: pd.DataFrame, period: Period, months_held: Sequence[str]) -> tuple[Trend, ...]:
    """Monthly series and changes, for all crime (ASB excluded) and per category.

    Method: for each category, the monthly sums of ``n``; the period's total is compared
    with the previous period of equal length and with the same months a year earlier, each
    by :func:`change_test`. A comparison is unavailable (not zero) when any of its months
    is not held. A change is notable when significant at 5 %, and gets a plain sentence.
    """
    span = comparison_span(period)
    months = span.months
    table = monthly_counts(facts, months)
    lines = np.vstack([table[_CRIME].sum(axis=0), table])
    names = (ALL_CRIME, *CATEGORIES)
    held = set(months_held)
    others = {"previous": period.previous(), "year_earlier": period.year_earlier()}
    masks = {
        name: np.array([m in set(p.months) for m in months])
        for name, p in (("period", period), *others.items())
    }
    result = []
    for name, line in zip(names, lines, strict=True):
        current = int(line[masks["period"]].sum())
        comparisons = {
            kind: compare(
                current,
                int(line[masks[kind]].sum()),
                available=set(other.months) <= held,
                period=other,
            )
            for kind, other in others.items()
        }
        result.append(
            Trend(
                category=name,
                monthly=tuple(
                    MonthCount(m, int(n))
                    for m, n in zip(months, line, strict=True)
                    if period.first <= m
                ),
                count=current,
                previous=comparisons["previous"],
                year_earlier=comparisons["year_earlier"],
                sentences=tuple(
                    sentence(name, current, c, kind=kind, length=period.length)
                    for kind, c in comparisons.items()
                    if c.available and c.significant
                ),
            )
        )
    return tuple(result)


def sentence(category: str, current: int, comparison: Change, *, kind: str, length: int) -> str:
    """A plain sentence for a notable change, e.g. "Burglary up 45 % on the previous
    3 months, 31 vs 21, significant at 5 %"."""
    previous = comparison.count
    assert previous is not None, "a sentence needs an available comparison"
    direction = "up" if current > previous else "down"
    months = "month" if length == 1 else f"{length} months"
    against = (
        f"the previous {months}" if kind == "previous" else f"the same {months} a year earlier"
    )
    change = comparison.change_pct
    amount = f" {abs(change):.0f} %" if change is not None else ""
    return (
        f"{category} {direction}{amount} on {against}, {current} vs {previous}, "
        f"significant at {SIGNIFICANCE * 100:.0f} %"
    )


def top_locations(facts: pd.DataFrame, period: Period, *, limit: int = 10) -> tuple[Place, ...]:
    """The snap points with most incidents in the period (ties by name).

    Method: the sum of ``n`` per snap point. These are police.uk's anonymised snap points,
    never addresses (see ``PLACES_CAVEAT``).
    """
    within = facts[facts["month"].between(period.first, period.last)]
    place, first, index = np.unique(
        within["place_id"].to_numpy(np.int64), return_index=True, return_inverse=True
    )
    totals = np.bincount(index, weights=within["n"].to_numpy(float), minlength=len(place))
    names = within["location"].to_numpy(object)[first]
    order = sorted(range(len(place)), key=lambda i: (-totals[i], names[i]))[:limit]
    longitude = within["longitude"].to_numpy(float)[first]
    latitude = within["latitude"].to_numpy(float)[first]
    return tuple(
        Place(
            location=names[i],
            count=int(totals[i]),
            longitude=None if np.isnan(longitude[i]) else float(longitude[i]),
            latitude=None if np.isnan(latitude[i]) else float(latitude[i]),
        )
        for i in order
    )


def headline_figures(
    force: ForceCounts, population: Mapping[str, int], period: Period
) -> pd.DataFrame:
    """Per ward: crimes (ASB excluded), ASB, residents and crimes per 1,000 in the period.

    Method: sums over the period of :class:`ForceCounts`, every ward with incidents or
    residents listed; the rate is absent (NaN) for a ward without population (or with 0).
    """
    totals = force.by_category(period)
    table = pd.DataFrame(
        {
            "crime_total": totals[:, _CRIME].sum(axis=1),
            "asb_total": totals[:, _ASB],
        },
        index=pd.Index(force.wards, name="ward_code"),
    )
    table = table.reindex(sorted(set(force.wards) | set(population)), fill_value=0)
    residents = pd.Series({c: p for c, p in population.items() if p}, dtype="Int64")
    table["population"] = residents.reindex(table.index)
    table["crime_per_1000"] = 1000 * table["crime_total"] / table["population"].astype(float)
    return table.rename_axis("ward_code")


def completeness(
    force: ForceCounts,
    period: Period,
    months_held: Sequence[str],
    *,
    vintage: str,
    population: str | None,
) -> Completeness:
    """What the figures rest on: months missing, rows without location or outside wards.

    Method: months of the period with no stored records; over all the period's stored rows
    (every ward and force of the database), the rows with no location and their share, and
    the rows whose snap point lies outside every ward of ``vintage``. ``population`` is
    said as given (the population's method, or that there is none).
    """
    within = force.within(period)
    no_location = int(force.no_location[within].sum())
    outside = int(force.outside[within].sum())
    rows = int(force.counts[:, :, within].sum()) + no_location + outside
    held = set(months_held)
    return Completeness(
        months_missing=tuple(m for m in period.months if m not in held),
        rows=rows,
        no_location=no_location,
        no_location_share=no_location / rows if rows else None,
        outside_wards=outside,
        boundary_vintage=vintage,
        population=population,
    )


def hotspots(geometry: Any, facts: pd.DataFrame, period: Period, *, cell_size_m: float) -> Hotspots:
    """Hot-spot cells of every incident (crime and ASB) in the period; see ``hotspot_grid``."""
    within = facts[facts["month"].between(period.first, period.last)].dropna(
        subset=["longitude", "latitude"]
    )
    repeat = within["n"].to_numpy(int)
    grid = hotspot_grid(
        geometry,
        np.repeat(within["longitude"].to_numpy(float), repeat),
        np.repeat(within["latitude"].to_numpy(float), repeat),
        cell_size_m=cell_size_m,
    )
    frame = grid.cells
    rings = shapely.get_coordinates(shapely.get_exterior_ring(frame.geometry.values))
    columns = ("row", "col", "count", "z", "p", "q", "hot", "cold")
    cells = tuple(
        HotCell(
            row=row,
            col=col,
            count=count,
            z=z,
            p=p,
            q=q,
            hot=hot,
            cold=cold,
            geometry={"type": "Polygon", "coordinates": [ring]},
        )
        for row, col, count, z, p, q, hot, cold, ring in zip(
            *(frame[name].tolist() for name in columns),
            rings.reshape(len(frame), -1, 2).tolist(),
            strict=True,
        )
    )
    return Hotspots(
        cell_size_m=grid.cell_size_m,
        alpha=grid.alpha,
        method=grid.method,
        hot_cells=int(grid.cells["hot"].sum()),
        cells=cells,
    )


def build_profile(
    *,
    ward: Mapping[str, Any],
    geometry: Any,
    period: Period,
    facts: pd.DataFrame,
    force: ForceCounts,
    population: Mapping[str, int],
    population_method: str | None,
    harm_weights: HarmWeights,
    months_held: Sequence[str],
    cell_size_m: float = 250.0,
) -> WardProfile:
    """Every section of the profile; ``ward`` holds the stored fields of the ward
    (code, name, lad_code, lad_name, vintage, area_km2)."""
    code = ward["code"]
    counts = category_counts(facts, period)
    crimes = crime_total(counts)
    residents = population.get(code)
    harm = harm_by_category({c: n for c, n in counts.items() if c != ASB}, harm_weights)
    harm_total = sum(harm.values())
    within = facts[facts["month"].between(period.first, period.last)]
    outcomes = within[within["category"] != ASB].groupby("outcome")["n"].sum()
    return WardProfile(
        ward=ProfileWard(
            code=code,
            name=ward["name"],
            lad_code=ward["lad_code"],
            lad_name=ward["lad_name"],
            vintage=ward["vintage"],
            area_km2=ward["area_km2"],
            population=residents,
            population_method=population_method,
        ),
        period=period,
        counts=counts,
        crime_total=crimes,
        asb_total=counts[ASB],
        rates_per_1000=Rates(
            population=residents,
            method=population_method,
            crime=per_1000(crimes, residents),
            asb=per_1000(counts[ASB], residents),
            by_category={c: per_1000(n, residents) for c, n in counts.items()},
            force=force_comparison(code, force, population, period),
        ),
        harm=Harm(
            total=harm_total,
            per_1000=per_1000(harm_total, residents),
            by_category=harm,
            force=force_comparison(code, force, population, period, weights=harm_weights.weights),
            source=harm_weights.source,
            caveat=harm_weights.caveat,
        ),
        trends=trends(facts, period, months_held),
        outcomes=outcome_shares(outcomes.index.tolist(), counts=outcomes.tolist()),
        top_locations=top_locations(facts, period),
        top_locations_caveat=PLACES_CAVEAT,
        hotspots=hotspots(geometry, facts, period, cell_size_m=cell_size_m),
        completeness=completeness(
            force,
            period,
            months_held,
            vintage=ward["vintage"],
            population=population_method if residents else "no population for this ward",
        ),
    )
