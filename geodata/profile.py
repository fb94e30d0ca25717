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
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from geodata.crime import ASB, CATEGORIES
from geodata.denominators import (
    DenominatorCheck,
    denominator_check,
    rate_interval,
    town_centre_like,
)
from geodata.force_hotspots import ForceHotspots, force_hotspots, place_name, ward_cells
from geodata.harm import HarmWeights, harm_by_category, plain_note
from geodata.outcomes import outcome_shares
from geodata.period import Period
from geodata.ward_trends import ALL_CRIME as ALL_CRIME
from geodata.ward_trends import Change as Change
from geodata.ward_trends import MonthCount as MonthCount
from geodata.ward_trends import Trend as Trend
from geodata.ward_trends import monthly_counts as monthly_counts
from geodata.ward_trends import trends

SIGNIFICANCE = 0.05
"""The level of the tests of :mod:`geodata.effects` (a plan's evaluation)."""
PLACES_CAVEAT = (
    "police.uk moves every record to the nearest of about 750,000 anonymous map points; "
    "these are those points, never addresses, and one point can stand for a whole street."
)
TOWN_CENTRE_NOTE = (
    "This ward looks like a town centre: shoplifting, theft from the person and public order "
    "per resident are at least three times the force's. Many people here are shoppers, "
    "workers and visitors, not residents, so rates per resident overstate the risk to any "
    "one person."
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
        """From rows of (status, ward_code, month, category, n), as the store keeps them.

        Rows are placed by hashed index look-ups and summed with one ``bincount``: a region
        of 800 wards over five years is half a million rows.
        """
        months = pd.Index(sorted(frame["month"].unique().tolist()))
        status = frame["status"].to_numpy(object)
        in_wards = frame[status == "ward"]
        wards = pd.Index(sorted(in_wards["ward_code"].unique().tolist()))
        category = pd.Index(CATEGORIES).get_indexer(in_wards["category"])
        if (category < 0).any():
            unknown = sorted(set(in_wards["category"][category < 0]))
            raise ValueError(f"category: {unknown!r} are not police.uk categories")
        shape = (len(wards), len(CATEGORIES), len(months))
        flat = np.ravel_multi_index(
            (
                wards.get_indexer(in_wards["ward_code"]),
                category,
                months.get_indexer(in_wards["month"]),
            ),
            shape,
        )
        counts = np.bincount(
            flat, weights=in_wards["n"].to_numpy(np.float64), minlength=int(np.prod(shape))
        )

        def by_month(name: str) -> npt.NDArray[np.int64]:
            rows = frame[status == name]
            out = np.bincount(
                months.get_indexer(rows["month"]),
                weights=rows["n"].to_numpy(np.float64),
                minlength=len(months),
            )
            return out.astype(np.int64)

        return cls(
            wards.tolist(),
            months.tolist(),
            counts.astype(np.int64).reshape(shape),
            by_month("outside"),
            by_month("no location"),
        )

    def within(self, period: Period) -> npt.NDArray[np.bool_]:
        return np.array([period.first <= m <= period.last for m in self.months], dtype=bool)

    @cached_property
    def totals(self) -> npt.NDArray[np.int64]:
        """The force's incidents in wards by category and month (``counts`` summed over
        wards): summed once, so a page testing every ward's trends does not re-sum the
        whole array for each ward."""
        return self.counts.sum(axis=0)

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
    """Incidents per 1,000 residents; every rate is None when the population is unknown.

    ``crime_interval`` and ``asb_interval`` are the rates' exact 95 % Poisson intervals
    (:func:`geodata.denominators.rate_interval`); ``town_centre`` says the ward looks like a
    town centre (:func:`geodata.denominators.town_centre_like`), where residents understate
    the people present, and ``note`` says what that means for the rates ("" otherwise).
    """

    population: int | None
    method: str | None
    crime: float | None
    asb: float | None
    by_category: Mapping[str, float | None]
    force: ForceComparison | None
    crime_interval: tuple[float, float] | None = None
    asb_interval: tuple[float, float] | None = None
    town_centre: bool = False
    note: str = ""
    denominator: DenominatorCheck | None = None
    """The residents by the area-weighted rule and whether the rates are fragile
    (:func:`geodata.denominators.denominator_check`); None without both populations."""


@dataclass(frozen=True, slots=True)
class Harm:
    """Crime Severity Score harm: the total, per 1,000 residents and by category.

    ``source`` and ``caveat`` are the weight table's notes as written (links and all);
    ``source_note`` and ``caveat_note`` the same in plain words for a page
    (:func:`geodata.harm.plain_note`); ``ranges`` each category's plausible weight
    (low, high) when the table gives it.
    """

    total: float
    per_1000: float | None
    by_category: Mapping[str, float]
    force: ForceComparison | None
    source: str
    caveat: str
    source_note: str = ""
    caveat_note: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Place:
    """A police.uk snap point and its incidents in the period (never an address)."""

    location: str
    count: int
    longitude: float | None
    latitude: float | None


class HotCell(TypedDict):
    """A square of the force's hot-spot grid (:func:`geodata.force_hotspots.force_hotspots`)
    that reaches into the ward, with its polygon as GeoJSON: a JSON shape handed unchanged to
    the maps and the API. ``label`` names it by the streets of its snap points ("" when it
    holds no incident); ``easting`` and ``northing`` are the British National Grid metres of
    its south-west corner, a reference for any OS map."""

    row: int
    col: int
    count: int
    z: float
    p: float
    q: float
    hot: bool
    cold: bool
    label: str
    easting: int
    northing: int
    geometry: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Hotspots:
    """The force's hot-spot squares that reach into the ward (one force grid, see
    :mod:`geodata.force_hotspots`): ``cells`` every such square, ``hot_cells`` how many are
    hot (each holding at least ``min_count`` incidents), ``note`` what was left out."""

    cell_size_m: float
    alpha: float
    method: str
    hot_cells: int
    cells: tuple[HotCell, ...]
    min_count: int = 0
    note: str = ""


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
    top_locations_note: str
    """What the busiest places leave out (records logged at a police station), or ""."""
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


def interval(count: int, population: int | None) -> tuple[float, float] | None:
    """The exact 95 % Poisson interval of ``count`` per 1,000 residents, or None without a
    population (:func:`geodata.denominators.rate_interval`)."""
    if not population:
        return None
    _, low, high = rate_interval(count, population)
    return low, high


def is_town_centre(
    ward_code: str, force: ForceCounts, population: Mapping[str, int], period: Period
) -> bool:
    """Whether the ward looks like a town centre in the period: its shoplifting, theft from
    the person and public order per resident against the force's
    (:func:`geodata.denominators.town_centre_like`, every ward with residents)."""
    if not population.get(ward_code):
        return False
    totals = force.by_category(period)
    counts = {
        w: dict(zip(CATEGORIES, row.tolist(), strict=True))
        for w, row in zip(force.wards, totals, strict=True)
    }
    table = town_centre_like(counts, population)
    return bool(ward_code in table.index and table.at[ward_code, "town_centre"])


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


def top_locations(
    facts: pd.DataFrame,
    period: Period,
    *,
    limit: int = 10,
    leave_out: pd.DataFrame | None = None,
) -> tuple[Place, ...]:
    """The snap points with most incidents in the period (ties by name).

    Method: the sum of ``n`` per snap point. These are police.uk's anonymised snap points,
    never addresses (see ``PLACES_CAVEAT``). ``leave_out`` lists snap points (``location``,
    ``longitude``, ``latitude``) not to list: the police-station points where records are
    logged (:func:`geodata.force_hotspots.station_points`), which would otherwise top the
    list of a town-centre ward with crimes that were reported there, not committed there.
    """
    within = facts[facts["month"].between(period.first, period.last)]
    if leave_out is not None and not leave_out.empty:
        key = pd.MultiIndex.from_frame(leave_out[["location", "longitude", "latitude"]])
        spot = pd.MultiIndex.from_frame(within[["location", "longitude", "latitude"]])
        within = within[~spot.isin(key)]
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


def ward_grid(
    geometry: Any, facts: pd.DataFrame, period: Period, *, cell_size_m: float
) -> ForceHotspots:
    """A force grid of the ward alone: for a profile built without the force's grid (a test,
    a ward on its own); the service passes the force's grid to :func:`build_profile`."""
    within = facts[facts["month"].between(period.first, period.last)]
    return force_hotspots(geometry, within, cell_size_m=cell_size_m)


def hotspots(grid: ForceHotspots, geometry: Any) -> Hotspots:
    """The squares of the force's grid that reach into the ward (:func:`ward_cells`), each
    with its street label, its corner in British National Grid metres and its polygon."""
    frame = ward_cells(grid, geometry)
    size = grid.cell_size_m
    rings = shapely.get_coordinates(shapely.get_exterior_ring(frame.geometry.values))
    columns = ("row", "col", "count", "z", "p", "q", "hot", "cold", "label")
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
            label=label,
            easting=round(col * size),
            northing=round(row * size),
            geometry={"type": "Polygon", "coordinates": [ring]},
        )
        for row, col, count, z, p, q, hot, cold, label, ring in zip(
            *(frame[name].tolist() for name in columns),
            rings.reshape(len(frame), -1, 2).tolist(),
            strict=True,
        )
    )
    return Hotspots(
        cell_size_m=size,
        alpha=grid.alpha,
        method=grid.method,
        hot_cells=sum(c["hot"] for c in cells),
        cells=cells,
        min_count=grid.min_count,
        note=grid.note,
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
    grid: ForceHotspots | None = None,
    dispersions: npt.ArrayLike | None = None,
    area_weighted: Mapping[str, float] | None = None,
) -> WardProfile:
    """Every section of the profile; ``ward`` holds the stored fields of the ward
    (code, name, lad_code, lad_name, vintage, area_km2).

    ``grid`` is the force's hot-spot grid of the period (the service builds it once per
    period); without it the ward is its own force (:func:`ward_grid`). ``dispersions``
    are the force's per-category dispersions (see :func:`trends`). ``area_weighted`` gives
    every ward's residents by area-weighted LSOA shares, checked against ``population``
    (the best-fit residents) for the period's crimes (:func:`denominator_check`).
    """
    if grid is None:
        grid = ward_grid(geometry, facts, period, cell_size_m=cell_size_m)
    code = ward["code"]
    counts = category_counts(facts, period)
    crimes = crime_total(counts)
    residents = population.get(code)
    harm = harm_by_category({c: n for c, n in counts.items() if c != ASB}, harm_weights)
    town_centre = is_town_centre(code, force, population, period)
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
            crime_interval=interval(crimes, residents),
            asb_interval=interval(counts[ASB], residents),
            town_centre=town_centre,
            note=TOWN_CENTRE_NOTE if town_centre else "",
            denominator=_denominator(code, force, population, area_weighted, period),
        ),
        harm=Harm(
            total=harm_total,
            per_1000=per_1000(harm_total, residents),
            by_category=harm,
            force=force_comparison(code, force, population, period, weights=harm_weights.weights),
            source=harm_weights.source,
            caveat=harm_weights.caveat,
            source_note=plain_note(harm_weights.source),
            caveat_note=plain_note(harm_weights.caveat),
            weights=dict(harm_weights.weights),
            ranges=dict(harm_weights.ranges),
        ),
        trends=trends(
            facts, period, months_held, force=force, ward_code=code, dispersions=dispersions
        ),
        outcomes=outcome_shares(outcomes.index.tolist(), counts=outcomes.tolist()),
        top_locations=top_locations(facts, period, leave_out=grid.excluded),
        top_locations_caveat=PLACES_CAVEAT,
        top_locations_note=_stations_note(grid.excluded),
        hotspots=hotspots(grid, geometry),
        completeness=completeness(
            force,
            period,
            months_held,
            vintage=ward["vintage"],
            population=population_method if residents else "no population for this ward",
        ),
    )


def _denominator(
    ward_code: str,
    force: ForceCounts,
    population: Mapping[str, int],
    area_weighted: Mapping[str, float] | None,
    period: Period,
) -> DenominatorCheck | None:
    """The ward's :func:`denominator_check` on the period's crimes (ASB excluded)."""
    if not area_weighted or not population.get(ward_code):
        return None
    crimes = dict(zip(force.wards, force.by_category(period) @ _CRIME, strict=True))
    return denominator_check(ward_code, population, area_weighted, crimes)


def _stations_note(excluded: pd.DataFrame) -> str:
    """The busiest places' note on the police-station points left out, or ""."""
    if excluded.empty:
        return ""
    names = sorted({place_name(name) for name in excluded["location"]})
    return (
        f"Left out: {', '.join(names)} ({int(excluded['n'].sum()):,} records force-wide), "
        "where police.uk places records logged at a police station, often crimes reported "
        "there rather than committed there."
    )
