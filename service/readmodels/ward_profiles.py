"""Ward profiles: the store's grouped records handed to ``geodata.profile``.

The figures every profile shares (each ward's counts, populations, the months held) are
read once per version of the data and kept in the app, and so are the profiles built
from them; a version is the latest import ledger id, since every import of any kind adds a
ledger row, so nothing kept can outlive the data it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import Flask

from geodata.harm import DEFAULT_WEIGHTS_PATH, HarmWeights
from geodata.io.harm import read_harm_weights
from geodata.profile import (
    ForceCounts,
    Period,
    build_profile,
    comparison_span,
    latest_period,
)
from service.store.aggregates import count_by_ward, months_held, ward_facts
from service.store.imports import data_version
from service.store.population import list_ward_population
from service.store.wards import get_ward, latest_vintage

WEIGHTS = "wardprofiles.harm_weights"
SHARED = "wardprofiles.shared_figures"
CACHED = 512
"""Profiles kept per data version: a briefing room opens the same few wards again and again."""


@dataclass(frozen=True)
class SharedFigures:
    """What every ward's profile reads, for one data version and the latest vintage."""

    version: int
    vintage: str | None
    force: ForceCounts
    population: dict[str, dict[str, Any]]
    months_held: list[str]
    profiles: dict[tuple[str, Period], dict[str, Any] | None] = field(default_factory=dict)
    """Profiles already built for this data version, the oldest dropped past ``CACHED``."""


def harm_weights(app: Flask) -> HarmWeights:
    """The configured weight table, read once per app (a bad table fails at first use)."""
    if WEIGHTS not in app.extensions:
        path = app.config["HARM_WEIGHTS"] or DEFAULT_WEIGHTS_PATH
        app.extensions[WEIGHTS] = read_harm_weights(path)
    weights: HarmWeights = app.extensions[WEIGHTS]
    return weights


def shared_figures(app: Flask, engine: sa.Engine) -> SharedFigures:
    version = data_version(engine)
    cached: SharedFigures | None = app.extensions.get(SHARED)
    if cached is None or cached.version != version:
        vintage = latest_vintage(engine)
        held = months_held(engine)
        force = ForceCounts.from_frame(
            count_by_ward(engine, vintage=vintage, first=held[0], last=held[-1])
            if vintage and held
            else pd.DataFrame(columns=["status", "ward_code", "month", "category", "n"])
        )
        population = list_ward_population(engine, vintage=vintage) if vintage else {}
        cached = SharedFigures(version, vintage, force, population, held)
        app.extensions[SHARED] = cached
    return cached


def default_period(app: Flask, engine: sa.Engine) -> Period | None:
    """The latest twelve months held, or None when no records are stored."""
    return latest_period(shared_figures(app, engine).months_held)


def ward_profile(
    app: Flask, engine: sa.Engine, *, code: str, period: Period
) -> dict[str, Any] | None:
    """The profile of ward ``code`` in the latest vintage, or None when there is no such ward."""
    shared = shared_figures(app, engine)
    key = (code, period)
    if key not in shared.profiles:
        if len(shared.profiles) >= CACHED:
            del shared.profiles[next(iter(shared.profiles))]
        shared.profiles[key] = _build(app, engine, shared, code=code, period=period)
    return shared.profiles[key]


def _build(
    app: Flask, engine: sa.Engine, shared: SharedFigures, *, code: str, period: Period
) -> dict[str, Any] | None:
    found = get_ward(engine, vintage=shared.vintage, code=code) if shared.vintage else None
    if shared.vintage is None or found is None:
        return None
    fields, geometry = found
    span = comparison_span(period)
    return build_profile(
        ward=fields,
        geometry=geometry,
        period=period,
        facts=ward_facts(
            engine, vintage=shared.vintage, ward_code=code, first=span.first, last=span.last
        ),
        force=shared.force,
        population={c: p["residents"] for c, p in shared.population.items()},
        population_method=shared.population.get(code, {}).get("method"),
        harm_weights=harm_weights(app),
        months_held=shared.months_held,
        cell_size_m=float(app.config["HOTSPOT_CELL_M"]),
    )
