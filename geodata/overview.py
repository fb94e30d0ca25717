"""Force-wide overviews: every ward in one table, and the planning summaries across wards.

The home page lists each ward with its headline figures and the planning page reads the
combined priorities of every ward at once. Nothing here computes a figure of its own: the
counts and rates come from :func:`geodata.profile.headline_figures` and
:func:`geodata.priorities.harm_rates`, the scores, gaps and seldom-heard coverage from
:mod:`geodata.priorities`. This module merges, filters, sorts, groups and shades them, and
its docstrings say which figure comes from where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geodata.concerns import CHANNELS
from geodata.errors import GeodataError
from geodata.maps import SEQUENTIAL

SORTS: Mapping[str, str] = {
    "name": "name",
    "crime": "crime_total",
    "rate": "crime_per_1000",
    "harm": "harm_per_1000",
}
"""The ward table's sort keys (``?sort=``) and the column each one sorts."""

ORDERS = ("asc", "desc")

METRICS: Mapping[str, tuple[str, str]] = {
    "crime": ("crime_per_1000", "crimes per 1,000 residents"),
    "harm": ("harm_per_1000", "harm per 1,000 residents"),
}
"""The force map's metrics (``?metric=``): the column shaded and its label."""

TABLE_COLUMNS = (
    "code",
    "name",
    "lad_name",
    "crime_total",
    "asb_total",
    "population",
    "crime_per_1000",
    "harm_per_1000",
)

SCORE_BANDS = (20.0, 40.0, 60.0, 80.0)
"""Upper edges of the first four of five equal bands of the 0-100 priority score."""

_LIGHT_TEXT = frozenset(SEQUENTIAL[3:])
"""Shades dark enough that their number is written in white."""


class OverviewError(GeodataError, ValueError):
    """A sort, order or metric that is not one of those allowed; the message names it."""


def check_choice(name: str, value: str, allowed: Sequence[str] | Mapping[str, Any]) -> str:
    """``value`` when it is one of ``allowed``, else an error naming ``name`` and the choices."""
    if value not in allowed:
        raise OverviewError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class WardQuery:
    """What the home page was asked for: a search, the map's metric and the table's order.

    Built from the query string by :meth:`parse`, which is where the choices are checked.
    """

    q: str = ""
    metric: str = "crime"
    sort: str = "name"
    order: str = "asc"

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> WardQuery:
        """From ``?q&metric&sort&order``; a value not allowed raises :class:`OverviewError`."""
        query = cls(
            **{name: args[name] for name in ("q", "metric", "sort", "order") if name in args}
        )
        check_choice("metric", query.metric, METRICS)
        check_choice("sort", query.sort, SORTS)
        check_choice("order", query.order, ORDERS)
        return query

    def rows(self, rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """The rows of :func:`ward_rows` searched (:func:`search_wards`) and sorted
        (:func:`sort_wards`)."""
        return sort_wards(search_wards(rows, self.q), by=self.sort, order=self.order)

    def next_order(self, sort: str) -> str:
        """The order a column header link asks for: the other way round for the column
        sorted now, else A to Z for names and highest first for figures."""
        if sort == self.sort:
            return "desc" if self.order == "asc" else "asc"
        return "asc" if sort == "name" else "desc"

    def link(self, **changes: str) -> dict[str, str]:
        """The query string of this query with ``changes``, leaving out a blank search."""
        params = {**self.__dict__, **changes}
        return {name: value for name, value in params.items() if value or name != "q"}


def ward_table(
    wards: pd.DataFrame, headline: pd.DataFrame, harm_per_1000: Mapping[str, float]
) -> pd.DataFrame:
    """One row per ward: its name, local authority and headline figures for one period.

    Method: ``wards`` (code, name, lad_name) is the list of the boundary vintage, so a ward
    with no incidents is listed with zeros. ``crime_total`` (crimes, ASB excluded),
    ``asb_total``, ``population`` and ``crime_per_1000`` are the columns of
    :func:`geodata.profile.headline_figures` for the ward; ``harm_per_1000`` is the ward's
    harm-weighted crimes per 1,000 residents of :func:`geodata.priorities.harm_rates`. Both
    rates are absent (NaN) for a ward without population, never zero. Ordered by code.
    """
    table = wards[["code", "name", "lad_name"]].astype(object).sort_values("code", kind="stable")
    figures = headline.reindex(table["code"])
    table = table.assign(
        crime_total=figures["crime_total"].fillna(0).astype(int).to_numpy(),
        asb_total=figures["asb_total"].fillna(0).astype(int).to_numpy(),
        population=figures["population"].astype("Int64").array,
        crime_per_1000=figures["crime_per_1000"].astype(float).to_numpy(),
        harm_per_1000=table["code"].map(harm_per_1000).astype(float).to_numpy(),
    )
    return table.reset_index(drop=True)[list(TABLE_COLUMNS)]


def ward_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as records for a page, None where a figure is absent (a rate without
    population); built once per data version, then searched and sorted per request."""
    return [
        {str(key): None if pd.isna(value) else value for key, value in row.items()}
        for row in table.to_dict("records")
    ]


def search_wards(rows: Sequence[Mapping[str, Any]], query: str) -> list[Mapping[str, Any]]:
    """The rows a query finds, as people type a ward: by its name, its council or its code.

    Method
    ------
    The query and each ward's name and local authority are put in :func:`search_words`:
    case, accents and apostrophes are ignored and other punctuation separates words, so
    "st germains" finds "St Germain's" and "saltburn by the sea" "Saltburn-by-the-Sea". A ward is
    found when every word of the query is part of a word of its name or local authority
    ("middlesbrough central" finds Central in Middlesbrough), or when the query, without its
    spaces, is part of its code. A blank query keeps every row.
    """
    words = search_words(query)
    code = "".join(words)
    return [
        row
        for row in rows
        if (code and code in row["code"].casefold())
        or all(
            any(
                word in known
                for known in search_words(f"{row['name']} {row.get('lad_name') or ''}")
            )
            for word in words
        )
    ]


def search_words(text: str) -> list[str]:
    """``text`` as the words a search compares: "St. Germain's" is ``["st", "germains"]``.

    Accents are dropped (Unicode NFKD, combining marks removed), apostrophes removed and any
    other character that is not a letter or a digit separates words; all in case-folded form.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = re.sub("['`\u2018\u2019]", "", plain.casefold())  # straight and curly apostrophes
    return re.findall(r"[^\W_]+", plain)


def exact_code(rows: Sequence[Mapping[str, Any]], query: str) -> str | None:
    """The ward code ``query`` spells exactly (ignoring case and outer spaces), or None."""
    needle = query.strip().casefold()
    codes = [row["code"] for row in rows if row["code"].casefold() == needle]
    return codes[0] if len(codes) == 1 else None


def sort_wards(
    rows: Sequence[Mapping[str, Any]], *, by: str, order: str
) -> list[Mapping[str, Any]]:
    """The rows sorted on one of ``SORTS`` (``by``), ``asc`` or ``desc`` (``order``).

    Names sort without regard to case. Wards without a value (a rate without population)
    go last in either order; ties are broken by name, then code, so the order is stable.
    """
    check_choice("sort", by, SORTS)
    check_choice("order", order, ORDERS)
    column, descending = SORTS[by], order == "desc"

    def by_name(row: Mapping[str, Any]) -> tuple[str, str]:
        return row["name"].casefold(), row["code"]

    if by == "name":
        return sorted(rows, key=by_name, reverse=descending)
    sign = -1 if descending else 1
    present = [row for row in rows if row[column] is not None]
    absent = [row for row in rows if row[column] is None]
    return [
        *sorted(present, key=lambda row: (sign * row[column], *by_name(row))),
        *sorted(absent, key=by_name),
    ]


def map_frame(wards: Any, table: pd.DataFrame, *, decimals: int = 5) -> Any:
    """The boundaries (a GeoDataFrame with code, name, geometry) with the table's two rates,
    as :func:`geodata.maps.force_map` reads them; a ward not in the table has no rate.

    Coordinates are rounded to ``decimals`` places of a degree (5: about a metre), which
    halves the page a whole force's map is written into; a vertex two wards share rounds
    the same way in both, so no gap opens between them.
    """
    figures = table.set_index("code")
    return wards[["code", "name", "geometry"]].assign(
        geometry=shapely.transform(wards.geometry.to_numpy(), lambda xy: np.round(xy, decimals)),
        **{
            column: wards["code"].map(figures[column])
            for column in ("crime_per_1000", "harm_per_1000")
        },
    )


@dataclass(frozen=True)
class Shade:
    """A matrix cell's background and the text colour that stays readable on it."""

    background: str
    text: str


def score_shade(score: float) -> Shade | None:
    """The shade of a combined priority score (0-100), or None for 0 (the theme does not rank).

    Method: five equal bands of 20 points (``SCORE_BANDS``) on the ColorBrewer YlOrBr scale
    of :data:`geodata.maps.SEQUENTIAL`, which stays ordered for every common colour-vision
    deficiency; the number is always written in the cell too, so colour is never the only cue.
    """
    if score <= 0:
        return None
    return _shade(SEQUENTIAL[sum(score > edge for edge in SCORE_BANDS)])


def _shade(background: str) -> Shade:
    return Shade(background, "#FFFFFF" if background in _LIGHT_TEXT else "#1B1B1B")


def score_legend() -> list[tuple[str, Shade]]:
    """The bands of :func:`score_shade` as (label, shade), lowest first."""
    lows = ("0", *(f"{edge:.0f}" for edge in SCORE_BANDS))
    highs = (*(f"{edge:.0f}" for edge in SCORE_BANDS), "100")
    return [
        (f"over {low} to {high}", _shade(colour))
        for low, high, colour in zip(lows, highs, SEQUENTIAL, strict=True)
    ]


def matrix_rows(matrix: Mapping[str, Any], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The priority matrix as rows for a table: ward code and name, then one cell per theme.

    ``matrix`` is what ``priority_matrix`` returns (themes, and wards with their scores);
    each cell carries the score exactly as there and its :func:`score_shade`. Rows are
    ordered by ward name (ignoring case), then code; a ward with no name shows its code.
    """
    rows = [
        {
            "code": row["ward"],
            "name": names.get(row["ward"], row["ward"]),
            "cells": [
                {
                    "theme": theme,
                    "score": row["scores"][theme],
                    "shade": score_shade(row["scores"][theme]),
                }
                for theme in matrix["themes"]
            ],
        }
        for row in matrix["wards"]
    ]
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["code"]))


def gaps_by_kind(
    gaps: Mapping[str, Sequence[Mapping[str, Any]]], names: Mapping[str, str]
) -> list[tuple[str, list[tuple[str, list[dict[str, Any]]]]]]:
    """Every ward's gaps (:func:`geodata.priorities.gaps`) grouped by kind, then by theme.

    ``gaps`` maps each ward code to its gaps. Returns (kind, [(theme, wards)]): kinds in
    alphabetical order; within a kind the theme found in most wards first (then by name);
    within a theme the ward with the highest ratio to the force rate first (a gap without a
    ratio last), then by name. Each ward row is the gap with ``code`` and ``name`` added.
    """
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for code, found in gaps.items():
        for gap in found:
            row = {**gap, "code": code, "name": names.get(code, code)}
            grouped.setdefault(gap["kind"], {}).setdefault(gap["theme"], []).append(row)
    result = []
    for kind in sorted(grouped):
        themes = []
        for theme, rows in grouped[kind].items():
            rows.sort(
                key=lambda r: (
                    r["ratio_to_force"] is None,
                    -(r["ratio_to_force"] or 0.0),
                    r["name"].casefold(),
                    r["code"],
                )
            )
            themes.append((theme, rows))
        themes.sort(key=lambda item: (-len(item[1]), item[0].casefold()))
        result.append((kind, themes))
    return result


def seldom_heard_wards(
    coverage: Mapping[str, Mapping[str, Any]], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The wards flagged for seldom-heard coverage, by name, with their flags.

    ``coverage`` maps each ward code to its :func:`geodata.priorities.seldom_heard` result
    (concerns of the last 12 months, channels, communities, flags); only wards with at least
    one flag are kept, each with ``code``, ``name`` and ``channel_labels`` (the channels as
    :data:`geodata.concerns.CHANNELS` names them) added.
    """
    rows = [
        {
            **found,
            "code": code,
            "name": names.get(code, code),
            "channel_labels": [CHANNELS.get(c, c) for c in found["channels"]],
        }
        for code, found in coverage.items()
        if found["flags"]
    ]
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["code"]))
