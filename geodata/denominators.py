"""How far to trust a rate's denominator: two ward populations, town centres, Poisson intervals.

A rate per 1,000 residents is only as good as its residents. Census residents come by LSOA,
and LSOAs do not nest in wards, so a ward's population depends on how LSOAs are shared out:
the best-fit rule (:func:`geodata.population.best_fit_lookup`) gives each LSOA whole to the
ward holding its point, which can move a whole LSOA, and its thousand or more residents, to
a neighbour. Splitting each LSOA by the share of its area in each ward is the other simple
rule; where the two disagree, the ward's rate is fragile and a page should say so. And where
people come to shop and drink, residents understate the people present, so a high rate per
resident in a town centre is partly a small denominator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import special

from geodata.crs import BNG, WGS84
from geodata.errors import PopulationError

MAX_DIFFERENCE = 0.10
"""Flag a ward whose two populations differ by more than this share of the best-fit one."""

MAX_RANK_MOVE = 5
"""Flag a ward whose rate rank moves by more than this many places between the two."""

TOWN_CENTRE_CATEGORIES: tuple[str, ...] = ("Shoplifting", "Theft from the person", "Public order")
"""Crimes that follow shoppers and the night-time economy rather than residents.

Shoplifting happens where shops are; theft from the person (pickpocketing, snatches) where
crowds are; public order offences cluster round pubs and clubs at night. Violence and
robbery are left out: most violence is domestic, so it follows residents.
"""

TOWN_CENTRE_RATIO = 3.0
"""A ward is town-centre-like when its rate of those crimes per resident is at least this many
times the force's (and :data:`TOWN_CENTRE_MIN` or more of them were recorded).

A rate rather than a share of the ward's crimes: in a real town centre violence is common
too, so the share of shoplifting looks ordinary (Middlesbrough's Central ward: 11 % against
12 % force-wide in 2025), while per resident it is four times the force's. On Cleveland 2025
the rule picks Victoria (Hartlepool), Central (Middlesbrough), Mandale & Victoria (Teesside
Park) and Stockton Town Centre; the next ward is at 2.4 times.
"""

TOWN_CENTRE_MIN = 50
"""Fewer town-centre crimes than this and a high rate is too thin to call a ward a centre."""

CONFIDENCE = 0.95


def area_shares(
    lsoas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    *,
    lsoa_code: str = "code",
    ward_code: str = "code",
) -> pd.DataFrame:
    """The share of each LSOA's area that lies in each ward it touches.

    Method: LSOA and ward polygons are projected to British National Grid and intersected;
    ``share`` is the piece's area over the LSOA's whole area. The part of an LSOA outside
    every ward (the sea, a neighbouring force) has no row, so an LSOA's shares can add up to
    less than 1.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, ``ward_code`` and ``share`` (above 0), sorted by LSOA then ward.
    """
    for name, frame in (("lsoas", lsoas), ("wards", wards)):
        if frame.crs is None or not frame.crs.equals(WGS84):
            raise PopulationError(f"{name} must be in {WGS84}, got {frame.crs}")
    left = gpd.GeoDataFrame(
        {"lsoa_code": lsoas[lsoa_code].to_numpy()}, geometry=lsoas.geometry.values, crs=WGS84
    ).to_crs(BNG)
    left["lsoa_area"] = left.geometry.area
    right = gpd.GeoDataFrame(
        {"ward_code": wards[ward_code].to_numpy()}, geometry=wards.geometry.values, crs=WGS84
    ).to_crs(BNG)
    pieces = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
    pieces["share"] = pieces.geometry.area / pieces["lsoa_area"]
    shares = pd.DataFrame(pieces[["lsoa_code", "ward_code", "share"]])
    summed = shares[shares["share"] > 0].groupby(["lsoa_code", "ward_code"])["share"].sum()
    return summed.reset_index().sort_values(["lsoa_code", "ward_code"], ignore_index=True)


def weighted_residents(shares: pd.DataFrame, population: pd.DataFrame) -> pd.Series:
    """Each ward's residents from LSOA area ``shares`` (see :func:`area_shares`).

    Method: a ward's residents are the sum over the LSOAs it touches of the LSOA's
    residents (``population``: ``lsoa_code``, ``residents``) times the LSOA's share of area
    in the ward. This assumes residents are spread evenly over the LSOA, which they are not
    (fields, parks, industrial estates), which is why it is a check on the best-fit figure,
    not a replacement for it.

    Returns
    -------
    pandas.Series
        Residents (a float) by ward code, sorted, for every ward of ``shares``.
    """
    merged = shares.merge(population[["lsoa_code", "residents"]], on="lsoa_code", how="inner")
    totals = (merged["share"] * merged["residents"]).groupby(merged["ward_code"]).sum()
    return totals.sort_index().rename("residents")


def area_weighted_population(
    lsoas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    population: pd.DataFrame,
    *,
    lsoa_code: str = "code",
    ward_code: str = "code",
) -> pd.Series:
    """Each ward's residents when every LSOA is split between wards by area.

    Method: :func:`area_shares` then :func:`weighted_residents`. The part of an LSOA
    outside every ward keeps its share unassigned, so the ward totals can add up to a
    little less than the residents.

    Returns
    -------
    pandas.Series
        Residents (a float) by ward code, every ward of ``wards`` (0 for a ward no LSOA
        reaches), sorted by code.
    """
    shares = area_shares(lsoas, wards, lsoa_code=lsoa_code, ward_code=ward_code)
    totals = weighted_residents(shares, population)
    return totals.reindex(sorted(wards[ward_code]), fill_value=0.0).rename("residents")


def largest_area_lookup(
    lsoas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    *,
    lsoa_code: str = "code",
    ward_code: str = "code",
) -> pd.Series:
    """Each LSOA's ward by the largest share of its area (a third rule, whole LSOAs).

    Method: as :func:`area_weighted_population`, but each LSOA goes whole to the ward holding
    most of its area (on a tie the smaller ward code). LSOAs that reach no ward are absent.
    """
    left = gpd.GeoDataFrame(
        {"lsoa_code": lsoas[lsoa_code].to_numpy()}, geometry=lsoas.geometry.values, crs=WGS84
    ).to_crs(BNG)
    right = gpd.GeoDataFrame(
        {"ward_code": wards[ward_code].to_numpy()}, geometry=wards.geometry.values, crs=WGS84
    ).to_crs(BNG)
    pieces = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.geometry.area
    best = pieces.sort_values(["lsoa_code", "area", "ward_code"], ascending=[True, False, True])
    return best.drop_duplicates("lsoa_code").set_index("lsoa_code")["ward_code"]


def compare_denominators(
    best_fit: Mapping[str, float],
    area_weighted: Mapping[str, float],
    crimes: Mapping[str, float],
    *,
    max_difference: float = MAX_DIFFERENCE,
    max_rank_move: int = MAX_RANK_MOVE,
) -> pd.DataFrame:
    """Set each ward's two populations and rate ranks side by side, and flag fragile ones.

    Method: for every ward with both populations above 0, ``difference`` is
    ``(area_weighted - best_fit) / best_fit``; each ward's rate (``crimes`` per 1,000) is
    ranked among those wards under each population (1 the highest; ties share the better
    rank), and ``rank_move`` is the absolute change. ``fragile`` is true when
    ``|difference| > max_difference`` or ``rank_move > max_rank_move``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ward code (sorted): ``best_fit``, ``area_weighted``, ``difference``,
        ``rate_best_fit``, ``rate_area_weighted``, ``rank_best_fit``,
        ``rank_area_weighted``, ``rank_move``, ``fragile``.
    """
    codes = sorted(c for c in best_fit if best_fit[c] > 0 and area_weighted.get(c, 0) > 0)
    frame = pd.DataFrame(
        {
            "best_fit": [float(best_fit[c]) for c in codes],
            "area_weighted": [float(area_weighted[c]) for c in codes],
        },
        index=pd.Index(codes, name="ward_code"),
    )
    count = np.array([float(crimes.get(c, 0)) for c in codes])
    frame["difference"] = (frame["area_weighted"] - frame["best_fit"]) / frame["best_fit"]
    for name in ("best_fit", "area_weighted"):
        frame[f"rate_{name}"] = 1000 * count / frame[name]
        frame[f"rank_{name}"] = frame[f"rate_{name}"].rank(ascending=False, method="min")
    frame["rank_move"] = (frame["rank_best_fit"] - frame["rank_area_weighted"]).abs().astype(int)
    frame["fragile"] = (frame["difference"].abs() > max_difference) | (
        frame["rank_move"] > max_rank_move
    )
    return frame.astype({"rank_best_fit": int, "rank_area_weighted": int})


@dataclass(frozen=True, slots=True)
class DenominatorCheck:
    """A ward's residents by the area-weighted rule beside the best-fit ones it is shown with
    (see :func:`denominator_check`)."""

    best_fit: int
    area_weighted: float
    difference: float
    """``(area_weighted - best_fit) / best_fit``."""
    rank_best_fit: int
    rank_area_weighted: int
    fragile: bool
    note: str
    """One plain sentence for a page when ``fragile``, else ""."""


def denominator_check(
    ward_code: str,
    best_fit: Mapping[str, float],
    area_weighted: Mapping[str, float],
    crimes: Mapping[str, float],
) -> DenominatorCheck | None:
    """The ward's row of :func:`compare_denominators` (every ward of ``best_fit`` compared),
    with a sentence saying what a fragile figure means; None when the ward lacks either
    population.
    """
    frame = compare_denominators(best_fit, area_weighted, crimes)
    if ward_code not in frame.index:
        return None
    row = frame.loc[ward_code].to_dict()
    check = DenominatorCheck(
        best_fit=int(row["best_fit"]),
        area_weighted=float(row["area_weighted"]),
        difference=float(row["difference"]),
        rank_best_fit=int(row["rank_best_fit"]),
        rank_area_weighted=int(row["rank_area_weighted"]),
        fragile=bool(row["fragile"]),
        note="",
    )
    if not check.fragile:
        return check
    more = "more" if check.difference > 0 else "fewer"
    moved = (
        f", and moves its crime rate from {_ordinal(check.rank_best_fit)} to "
        f"{_ordinal(check.rank_area_weighted)} highest of {len(frame)} wards"
        if check.rank_best_fit != check.rank_area_weighted
        else ""
    )
    note = (
        f"Counting residents another way (sharing each small census area between wards by "
        f"its land) gives {round(check.area_weighted):,} residents here, "
        f"{100 * abs(check.difference):.0f} % {more} than {check.best_fit:,}{moved}. "
        "Read the rates per resident with care."
    )
    return replace(check, note=note)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def town_centre_like(
    counts: Mapping[str, Mapping[str, int]],
    population: Mapping[str, float],
    *,
    categories: Sequence[str] = TOWN_CENTRE_CATEGORIES,
    ratio: float = TOWN_CENTRE_RATIO,
    minimum: int = TOWN_CENTRE_MIN,
) -> pd.DataFrame:
    """Which wards look like town centres, where residents understate the people present.

    Method: ``counts`` gives each ward's crimes by category. A ward's town-centre count is
    its crimes in ``categories``; its ratio is that count per resident over the force's
    (all wards with a population). A ward is town-centre-like when the ratio is at least
    ``ratio`` and the count at least ``minimum``. Wards without a population are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ward code (sorted): ``count``, ``ratio`` and ``town_centre``.
    """
    wanted = set(categories)
    codes = sorted(w for w in counts if population.get(w, 0) > 0)
    count = np.array([sum(n for c, n in counts[w].items() if c in wanted) for w in codes])
    residents = np.array([float(population[w]) for w in codes])
    force_rate = count.sum() / residents.sum() if residents.sum() else 0.0
    rates = count / residents if len(codes) else np.zeros(0)
    ratios = rates / force_rate if force_rate else np.zeros(len(codes))
    return pd.DataFrame(
        {"count": count, "ratio": ratios, "town_centre": (ratios >= ratio) & (count >= minimum)},
        index=pd.Index(codes, name="ward_code"),
    )


def poisson_interval(count: int, *, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for the mean of a Poisson count.

    Method: lower ``= Gamma^-1(count; a/2)`` (0 when the count is 0), upper
    ``= Gamma^-1(count + 1; 1 - a/2)`` with ``a = 1 - confidence``: the textbook
    ``chi2(a/2, 2k) / 2`` and ``chi2(1 - a/2, 2k + 2) / 2``.
    """
    if count < 0:
        raise PopulationError(f"count must be 0 or more, got {count!r}")
    if not 0 < confidence < 1:
        raise PopulationError(f"confidence must be between 0 and 1, got {confidence!r}")
    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(special.gammaincinv(count, alpha / 2))
    high = float(special.gammaincinv(count + 1, 1 - alpha / 2))
    return low, high


def rate_interval(
    count: int, population: float, *, per: float = 1000.0, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """A rate per ``per`` residents with its exact Poisson interval: (rate, low, high).

    Method: the count's :func:`poisson_interval` divided by the population and times
    ``per``; the population is taken as exact (the denominator's own uncertainty is what
    :func:`compare_denominators` shows).
    """
    if not population > 0:
        raise PopulationError(f"population must be above 0, got {population!r}")
    low, high = poisson_interval(count, confidence=confidence)
    scale = per / population
    return count * scale, low * scale, high * scale
