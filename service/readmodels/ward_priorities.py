"""Combined priorities: the stored threat themes, concerns and counts handed to
``geodata.priorities``."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.concerns import OPEN_STATUSES
from geodata.period import Period
from geodata.priorities import (
    WEIGHTS_NOTE,
    OpenConcern,
    Priority,
    PriorityWeights,
    Theme,
    gaps,
    harm_rates,
    rank_priorities,
    rising_categories,
    seldom_heard,
    themes_for,
)
from service.readmodels.cache import data_cache
from service.readmodels.kept import decode_rising, encode_rising, kept_figure
from service.readmodels.ward_profiles import (
    SharedFigures,
    default_period,
    force_grid,
    harm_weights,
    shared_figures,
)
from service.store.concerns import concern_tags, list_concerns
from service.store.plans import list_plans
from service.store.threat import active_assessment, get_themes

PERIODS_CACHED = 8
"""Periods whose every ward's harm rate is kept per data version."""
RISING_CACHED = 4096
"""Wards' rising categories kept per data version (a planning page ranks every ward)."""


def priority_weights(app: Flask) -> PriorityWeights:
    """The configured weights (``PRIORITY_WEIGHTS``), over the documented defaults."""
    return PriorityWeights(**(app.config["PRIORITY_WEIGHTS"] or {}))


def _open(rows: list[dict[str, Any]]) -> list[OpenConcern]:
    return [
        OpenConcern(r["tag"], r["raised_on"], r["channel"], r["community"])
        for r in rows
        if r["status"] in OPEN_STATUSES
    ]


def ward_priorities(
    app: Flask,
    engine: sa.Engine,
    *,
    code: str,
    period: Period,
    today: date,
    concerns: list[dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """Ranked themes with reasons, gaps and seldom-heard coverage for one ward; ``concerns``
    are the ward's as :func:`list_concerns` gives them for ``today``, read when not given."""
    shared = shared_figures(app, engine)
    if shared.vintage is None or code not in _ward_codes(shared):
        return None
    if concerns is None:
        concerns = list_concerns(engine, ward_code=code, today=today)
    context = _context(app, engine, shared, period, concerns)
    year_ago = today - timedelta(days=365)
    rates = context["harm_rates"]
    return {
        "ward": code,
        "period": period.to_json(),
        "threat_assessment": context["assessment"],
        "priorities": [
            p.to_json() for p in _rank(context, shared, code, period, _open(concerns), today)
        ],
        "gaps": gaps(
            ward_code=code,
            themes=context["themes"],
            force=shared.force,
            population=context["population"],
            period=period,
            harm=context["harm"],
            open_concerns=_open(concerns),
            tag_categories=context["tag_categories"],
            themes_with_plans=_planned_themes(engine, code, context["themes"]),
            weights=context["weights"],
        ),
        "seldom_heard": seldom_heard(
            [
                OpenConcern(r["tag"], r["raised_on"], r["channel"], r["community"])
                for r in concerns
                if r["raised_on"] >= year_ago
            ],
            harm_rate=rates.get(code),
            force_median_harm_rate=statistics.median(rates.values()) if rates else None,
        ),
        "weights": context["weights"].__dict__,
        "weights_note": WEIGHTS_NOTE,
    }


def priority_matrix(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> dict[str, Any]:
    """Every ward by every theme: the combined score (0 where a theme does not rank)."""
    ranked_from, ranked, assessment = _ranked_wards(app, engine, period=period, today=today)
    themes = [theme.name for theme in ranked_from]
    rows = []
    for code, priorities in ranked.items():
        scores = {p.theme: round(p.score, 1) for p in priorities}
        rows.append({"ward": code, "scores": {t: scores.get(t, 0.0) for t in themes}})
    return {
        "period": period.to_json(),
        "themes": themes,
        "wards": rows,
        "threat_assessment": assessment,
    }


def ranked_priorities(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> dict[str, list[Priority]]:
    """Every ward's ranked themes with their components, by ward code."""
    return _ranked_wards(app, engine, period=period, today=today)[1]


def ranked_themes(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> tuple[list[Theme], dict[str, list[Priority]]]:
    """The themes ranked and every ward's ranked priorities, as the ward and planning pages
    rank them (the alignment of prevention messages reads both)."""
    themes, ranked, _ = _ranked_wards(app, engine, period=period, today=today)
    return themes, ranked


def _ranked_wards(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> tuple[list[Theme], dict[str, list[Priority]], dict[str, Any] | None]:
    shared = shared_figures(app, engine)
    concerns = list_concerns(engine, today=today)
    context = _context(app, engine, shared, period, concerns)
    context["rising"] = rising_by_ward(app, engine, shared, period=period).__getitem__
    by_ward: dict[str, list[OpenConcern]] = {}
    for row in concerns:
        if row["status"] in OPEN_STATUSES:
            by_ward.setdefault(row["ward_code"], []).extend(_open([row]))
    ranked = {
        code: _rank(context, shared, code, period, by_ward.get(code, []), today)
        for code in sorted(_ward_codes(shared))
    }
    return context["themes"], ranked, context["assessment"]


def _planned_themes(engine: sa.Engine, code: str, themes: list[Any]) -> set[str]:
    """Themes an active plan in the ward works on: the plan targets one of their categories."""
    planned = {c for p in list_plans(engine, ward=code, status="active") for c in p["categories"]}
    return {t.name for t in themes if planned & set(t.categories)}


def _ward_codes(shared: SharedFigures) -> set[str]:
    return set(shared.force.wards) | set(shared.population)


def _context(
    app: Flask,
    engine: sa.Engine,
    shared: SharedFigures,
    period: Period,
    concerns: list[dict[str, Any]],
) -> dict[str, Any]:
    tags = concern_tags()
    tag_categories = {tag: t.categories for tag, t in tags.items()}
    population = shared.residents
    harm = dict(harm_weights(app).weights)
    assessment, stored_themes = threat(app, engine, shared)
    return {
        "themes": themes_for(
            stored_themes,
            tag_categories,
            {r["tag"] for r in concerns if r["status"] in OPEN_STATUSES},
        ),
        "tag_categories": tag_categories,
        "population": population,
        "harm": harm,
        "harm_rates": data_cache(app, "harm rates", size=PERIODS_CACHED).get(
            shared.version, period, lambda: harm_rates(shared.force, population, period, harm)
        ),
        "weights": priority_weights(app),
        "rising": lambda code: rising(app, shared, code=code, period=period),
        "assessment": None
        if assessment is None
        else {k: assessment[k] for k in ("title", "force", "assessed_on", "version", "example")},
    }


def threat(
    app: Flask, engine: sa.Engine, shared: SharedFigures
) -> tuple[dict[str, Any] | None, list[Any]]:
    """The active threat assessment and its themes (none without one), kept per data
    version: an assessment changes only by an import, which adds a ledger row."""

    def read() -> tuple[dict[str, Any] | None, list[Any]]:
        assessment = active_assessment(engine)
        return assessment, get_themes(engine) if assessment else []

    return data_cache(app, "threat assessment", size=1).get(shared.version, None, read)


def rising(app: Flask, shared: SharedFigures, *, code: str, period: Period) -> frozenset[str]:
    """The ward's rising categories in ``period`` (:func:`geodata.priorities.rising_categories`),
    kept per data version: they test the ward against the whole force's counts, the same for
    every request until the next import."""
    return data_cache(app, "rising categories", size=RISING_CACHED).get(
        shared.version,
        (code, period),
        lambda: frozenset(
            rising_categories(
                code,
                shared.force,
                period,
                shared.months_held,
                dispersions=shared.dispersions[""],
            )
        ),
    )


def rising_by_ward(
    app: Flask, engine: sa.Engine, shared: SharedFigures, *, period: Period
) -> dict[str, frozenset[str]]:
    """Every ward's rising categories in ``period`` (:func:`rising`), as ranking every ward
    reads them: testing 800 wards' trends takes half a second, so they are kept per data
    version in the app and in the database (:mod:`service.readmodels.kept`)."""

    def build() -> dict[str, frozenset[str]]:
        codes = sorted(_ward_codes(shared))
        return {code: rising(app, shared, code=code, period=period) for code in codes}

    def kept() -> dict[str, frozenset[str]]:
        return kept_figure(
            engine,
            version=shared.version,
            name="rising categories",
            key=f"{shared.vintage} {period.first} {period.last}",
            build=build,
            encode=encode_rising,
            decode=decode_rising,
        )

    return data_cache(app, "rising by ward", size=PERIODS_CACHED).get(shared.version, period, kept)


def keep_force_figures(app: Flask, engine: sa.Engine) -> None:
    """Build the force-wide figures of the data as it now stands and keep them in the
    database (:mod:`service.readmodels.kept`): the counts every profile shares, and the
    hot-spot grid and every ward's rising categories of the latest twelve months. The
    import commands call this once they have stored rows, so the first page after an
    import, in any process, reads them."""
    period = default_period(app, engine)
    if period is not None:
        force_grid(app, engine, period=period)
        rising_by_ward(app, engine, shared_figures(app, engine), period=period)


def _rank(
    context: dict[str, Any],
    shared: SharedFigures,
    code: str,
    period: Period,
    open_concerns: list[OpenConcern],
    today: date,
) -> list[Priority]:
    return rank_priorities(
        ward_code=code,
        themes=context["themes"],
        force=shared.force,
        population=context["population"],
        period=period,
        harm=context["harm"],
        rising_categories=context["rising"](code),
        open_concerns=open_concerns,
        today=today,
        weights=context["weights"],
    )
