"""Products: what an analyst downloads (ward figures, incidents, hot-spot squares, priorities,
concerns and plans) as frames with named columns, each carrying where it comes from.

Nothing here computes a figure of its own. The ward figures are those of a profile
(:func:`geodata.profile.headline_figures`, :func:`geodata.profile.force_comparison`,
:func:`geodata.harm.harm_by_category`) for every ward at once; the incidents are the
store's grouped facts; the squares are :func:`geodata.force_hotspots.force_hotspots`'s;
the priorities are :func:`geodata.priorities.rank_priorities`'s. This module lays them out
as tables a GIS or a spreadsheet reads (one row per ward, per snap point and month, per
square, per ward and theme), so every number traces to the function that made it.
Writers are in :mod:`geodata.io.downloads`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.crime import ASB, CATEGORIES
from geodata.crs import WGS84
from geodata.disclosure import Shown
from geodata.errors import GeodataError
from geodata.period import Period
from geodata.priorities import Priority
from geodata.profile import ForceCounts, force_comparison, headline_figures

SOURCE = (
    "police.uk street-level crime and ASB; ONS ward boundaries; ONS Census 2021 population; "
    "Ward Profiles' own concerns, plans and threat themes"
)
LICENCE = (
    "police.uk and ONS data, Open Government Licence v3.0; contains OS data "
    "© Crown copyright and database right."
)
PRODUCTS: tuple[str, ...] = (
    "wards",
    "incidents",
    "hotspots",
    "priorities",
    "concerns",
    "plans",
)
"""Every product, in the order an export writes its layers."""

SPATIAL = frozenset({"wards", "incidents", "hotspots", "concerns"})
"""Products with a geometry; the priorities and plans are tables."""

PERSONAL = frozenset({"concerns", "plans"})
"""Products holding what people said or did: every download of one is in the access log."""


class ProductError(GeodataError, ValueError):
    """A product or format that does not exist; the message names the allowed values."""


def check_product(name: str) -> str:
    if name not in PRODUCTS:
        raise ProductError(f"product: {name!r} is not one of {', '.join(PRODUCTS)}")
    return name


@dataclass(frozen=True)
class Provenance:
    """What every downloaded file says about itself: the period counted, the boundary
    vintage, where the data comes from and under which licence, and its marking."""

    period: Period | None
    boundary_vintage: str | None
    marking: str
    source: str = SOURCE
    licence: str = LICENCE

    def items(self) -> dict[str, str]:
        """As text, in the order a file lists them."""
        return {
            "period": ("" if self.period is None else f"{self.period.first} to {self.period.last}"),
            "boundary_vintage": self.boundary_vintage or "",
            "source": self.source,
            "licence": self.licence,
            "protective_marking": self.marking,
        }


def field_name(category: str) -> str:
    """A category as a column name a GIS keeps: ``Criminal damage and arson`` becomes
    ``criminal_damage_and_arson`` (lower case, words joined by underscores)."""
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


CATEGORY_FIELDS: dict[str, str] = {c: field_name(c) for c in CATEGORIES}


def ward_figures(
    wards: gpd.GeoDataFrame,
    force: ForceCounts,
    population: Mapping[str, int],
    period: Period,
    *,
    harm_weights: Mapping[str, float],
) -> gpd.GeoDataFrame:
    """One row per ward of ``wards``: counts by category, rates, ratios, ranks and harm.

    Method: counts are the period's sums of :class:`ForceCounts` (a ward with no incidents
    has zeros); ``crime_total`` leaves out ASB; ``crime_per_1000``, ``crime_ratio`` and
    ``crime_rank`` are :func:`geodata.profile.force_comparison` (ratio to the force rate,
    1 for the highest rate); ``harm_total`` is each crime category's count times its
    weight, and ``harm_per_1000``, ``harm_ratio``, ``harm_rank`` the same comparison with
    the weights, exactly as a ward's profile gives them. Rates, ratios and ranks are empty
    for a ward without population.
    """
    headline = headline_figures(force, population, period)
    totals = force.by_category(period)
    at = {code: i for i, code in enumerate(force.wards)}
    weights = np.array([harm_weights.get(c, 0.0) if c != ASB else 0.0 for c in CATEGORIES])
    rows: list[dict[str, Any]] = []
    for code in wards["code"]:
        counts = totals[at[code]] if code in at else np.zeros(len(CATEGORIES), dtype=np.int64)
        crime = force_comparison(code, force, population, period)
        harm = force_comparison(code, force, population, period, weights=harm_weights)
        residents = population.get(code) or None
        harm_total = float(counts @ weights)
        rows.append(
            {
                "population": residents,
                "crime_total": int(headline["crime_total"].get(code, 0)),
                "asb_total": int(headline["asb_total"].get(code, 0)),
                **{CATEGORY_FIELDS[c]: int(n) for c, n in zip(CATEGORIES, counts, strict=True)},
                "crime_per_1000": None if crime is None else crime.rate,
                "crime_ratio": None if crime is None else crime.ratio,
                "crime_rank": None if crime is None else crime.rank,
                "harm_total": round(harm_total, 3),
                "harm_per_1000": None if harm is None else harm.rate,
                "harm_ratio": None if harm is None else harm.ratio,
                "harm_rank": None if harm is None else harm.rank,
            }
        )
    figures = pd.DataFrame(rows)
    for name in ("population", "crime_rank", "harm_rank"):
        figures[name] = figures[name].astype("Int64")
    for name in ("crime_per_1000", "crime_ratio", "harm_per_1000", "harm_ratio"):
        figures[name] = figures[name].astype(float)
    base = wards[["code", "name", "lad_code", "lad_name", "vintage", "area_km2"]]
    frame = pd.concat([base.reset_index(drop=True), figures], axis=1)
    frame.insert(6, "period_from", period.first)
    frame.insert(7, "period_to", period.last)
    return gpd.GeoDataFrame(frame, geometry=wards.geometry.to_numpy(), crs=WGS84)


def incident_points(facts: pd.DataFrame) -> gpd.GeoDataFrame:
    """One point per (ward, snap point, month, category, outcome) with ``count`` incidents.

    ``facts`` are the store's grouped facts (``ward_code``, ``month``, ``category``,
    ``outcome``, ``location``, ``longitude``, ``latitude``, ``n``). police.uk snaps records
    to shared anonymous points, so one point often stands for several incidents; rows with
    no location have no point and are left out (the ward figures count them).
    """
    located = facts.dropna(subset=["longitude", "latitude"]).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "ward_code": located["ward_code"].astype(str),
            "month": located["month"].astype(str),
            "category": located["category"].astype(str),
            "outcome": located["outcome"].astype(str),
            "location": located["location"].astype(str),
            "count": located["n"].astype(np.int64),
        }
    )
    return gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(located["longitude"], located["latitude"]),
        crs=WGS84,
    )


HOTSPOT_COLUMNS = ("row", "col", "count", "z", "p", "q", "hot", "cold", "label")


def hotspot_squares(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The grid's squares (WGS84 polygons) with their count, Gi* z, p and FDR q, the hot
    and cold flags and the street label ("" where a grid names none)."""
    frame = cells.copy()
    if "label" not in frame.columns:
        frame["label"] = ""
    frame["hot"] = frame["hot"].astype(bool)
    frame["cold"] = frame["cold"].astype(bool)
    return gpd.GeoDataFrame(
        frame[list(HOTSPOT_COLUMNS)].reset_index(drop=True),
        geometry=frame.geometry.to_numpy(),
        crs=WGS84,
    )


PRIORITY_COMPONENTS = ("force", "excess", "concerns", "trend")
"""The four parts of a combined priority score (:class:`geodata.priorities.PriorityWeights`)."""


def priority_rows(ranked: Mapping[str, Sequence[Priority]]) -> pd.DataFrame:
    """One row per ward and ranked theme: score, band, the four components and the points
    each adds, the ward's ratio to the force, whether it is rising, its open concerns and
    the reason in words (:func:`geodata.priorities.rank_priorities`)."""
    rows = [
        {
            "ward_code": code,
            "theme": p.theme,
            "rank": rank,
            "score": round(p.score, 1),
            "band": p.band or "",
            **{
                f"{name}_component": float(p.components.get(name, 0.0))
                for name in PRIORITY_COMPONENTS
            },
            **{
                f"{name}_points": float(p.contributions.get(name, 0.0))
                for name in PRIORITY_COMPONENTS
            },
            "ratio": p.ratio,
            "rising": bool(p.rising),
            "open_concerns": int(p.open_concerns),
            "reason": p.reason,
        }
        for code in sorted(ranked)
        for rank, p in enumerate(ranked[code], start=1)
    ]
    columns = ["ward_code", "theme", "rank", "score", "band"]
    columns += [f"{n}_component" for n in PRIORITY_COMPONENTS]
    columns += [f"{n}_points" for n in PRIORITY_COMPONENTS]
    columns += ["ratio", "rising", "open_concerns", "reason"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["ratio"] = frame["ratio"].astype(float)
    return frame


CONCERN_FIELDS = (
    "id",
    "ward_code",
    "tag",
    "status",
    "raised_on",
    "updated_on",
    "channel",
    "community",
    "location_text",
    "description",
    "recorded_by",
)


def concern_points(concerns: Iterable[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Concerns as they stand, a point where one was given (none otherwise)."""
    rows = list(concerns)
    frame = pd.DataFrame(
        [{name: _text_or_value(row.get(name)) for name in CONCERN_FIELDS} for row in rows],
        columns=list(CONCERN_FIELDS),
    )
    frame["id"] = frame["id"].astype("Int64")
    longitude = pd.Series([row.get("longitude") for row in rows], dtype=float)
    latitude = pd.Series([row.get("latitude") for row in rows], dtype=float)
    geometry = gpd.points_from_xy(longitude, latitude)
    geometry[longitude.isna().to_numpy() | latitude.isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def _text_or_value(value: Any) -> Any:
    """Days as YYYY-MM-DD text (a GeoPackage and a CSV hold them alike)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def table_rows(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """A header row and data rows (as the plan export gives them) as a frame of text."""
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame([list(r) for r in rows[1:]], columns=[str(c) for c in rows[0]])


def plan_table(items: Sequence[Mapping[str, Any]], *, columns: Sequence[str]) -> pd.DataFrame:
    """Plans as one row each (the mappings of :func:`geodata.io.plans.plan_to_dict` with the
    export's extra keys): lists of names joined with ``; ``, responses and target area as
    compact JSON, so a table holds them (the export-plans CSV's layout, without its
    spreadsheet guard, which :func:`geodata.io.downloads.csv_bytes` adds)."""
    return pd.DataFrame(
        [{name: _flat(item.get(name)) for name in columns} for item in items],
        columns=list(columns),
    )


def _flat(value: Any) -> Any:
    if isinstance(value, dict) or (
        isinstance(value, list) and value and isinstance(value[0], dict)
    ):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return _text_or_value(value)


COUNT_FIELDS = ("crime_total", "asb_total", *CATEGORY_FIELDS.values())
CRIME_DERIVED = (
    "crime_per_1000",
    "crime_ratio",
    "crime_rank",
    "harm_total",
    "harm_per_1000",
    "harm_ratio",
    "harm_rank",
)
"""The ward figures that rest on the crime total (rates, ratios, ranks and harm)."""


def public_ward_figures(figures: gpd.GeoDataFrame, shown: Shown) -> gpd.GeoDataFrame:
    """The ward figures as the public report shows them (:mod:`geodata.disclosure`): every
    count that ``shown`` hides written ``<5`` (the counts become text), and the rates,
    ratios, ranks and harm of a ward whose crime total is hidden left empty."""
    frame = figures.copy()
    hidden_total = frame["crime_total"].map(shown.hidden).astype(bool)
    for name in CRIME_DERIVED:
        frame[name] = frame[name].astype(object).where(~hidden_total, None)
    for name in COUNT_FIELDS:
        frame[name] = [f"<{shown.below}" if shown.hidden(n) else str(int(n)) for n in frame[name]]
    return frame


def public_hot_squares(squares: gpd.GeoDataFrame, shown: Shown) -> gpd.GeoDataFrame:
    """The hot squares only, with their street label and count (``<5`` when ``shown``
    hides it): the public map's hot spots, in place of snap points and the scores."""
    hot = squares[squares["hot"]].reset_index(drop=True)
    counts = [f"<{shown.below}" if shown.hidden(n) else str(int(n)) for n in hot["count"]]
    return gpd.GeoDataFrame(
        {"row": hot["row"], "col": hot["col"], "count": counts, "label": hot["label"]},
        geometry=hot.geometry.to_numpy(),
        crs=hot.crs,
    )
