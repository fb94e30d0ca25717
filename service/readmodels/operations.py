"""Operations with their evaluations, and the seasonal expectations they are planned by.

An operation is evaluated as its equivalent plan (``geodata.operations.equivalent_plan``)
through the plans' own entry point (:func:`service.readmodels.plan_evaluations.
evaluations_of`), recomputed from the data held whenever asked, so an operation's page
and a plan's page never disagree. Operations are written on the web without an import, so
their evaluations are kept per data version under the equivalent plans themselves (an
edit makes a new key); one read of incidents serves every operation listed.

Seasonal expectations (``geodata.seasonal``) depend only on the incidents held, so they
are kept per data version (:mod:`service.readmodels.cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.crime import CATEGORIES
from geodata.operations import (
    FORCE_WIDE_NOT_EVALUATED,
    Operation,
    calendar_months,
    equivalent_plan,
)
from geodata.seasonal import SeasonalRise, Seasons, seasonal_rises
from service.readmodels.cache import data_cache, edit_version
from service.readmodels.plan_evaluations import category_dispersions, evaluations_of
from service.readmodels.ward_profiles import shared_figures
from service.store.operations import stored_operations
from service.store.wards import list_wards

CACHED = 64
"""Sets of evaluations kept for the current data version: a ward's, or the planning page's.
The key is the equivalent plans themselves, so an edited operation is evaluated afresh."""

PLANNING_LISTED = 20
"""Operations the planning page lists: those still running or ended most recently."""


def evaluated_operations(
    app: Flask, engine: sa.Engine, operations: Sequence[tuple[dict[str, Any], Operation]]
) -> list[dict[str, Any]]:
    """Each operation's summary with its ``evaluation`` (as a plan's evaluation reads).

    A force-wide operation is not evaluated, and its ``verdict`` says why.
    """
    plans = [(s["id"], equivalent_plan(op)) for s, op in operations if not op.force_wide]
    version = shared_figures(app, engine).version
    found = data_cache(app, "operation evaluations", size=CACHED).get(
        version, tuple(plans), lambda: evaluations_of(app, engine, plans)
    )
    listed = []
    for summary, operation in operations:
        if operation.force_wide:
            evaluation: dict[str, Any] | None = {
                "evaluated": False,
                "verdict": f"Not evaluated: {FORCE_WIDE_NOT_EVALUATED}.",
                "caveats": [],
            }
        else:
            evaluation = found.get(summary["id"])
        listed.append(
            {**summary, "evaluation": evaluation, "seasonal": in_season(app, engine, operation)}
        )
    return listed


def in_season(app: Flask, engine: sa.Engine, operation: Operation) -> list[str]:
    """The usual rises of the operation's wards and categories in the calendar months it
    ran: a change measured over them may be partly the season, which the comparison with
    the rest of the force removes only where the rest of the force shares it."""
    months = set(calendar_months(operation))
    categories = set(operation.categories)
    return [
        rise.sentence
        for code in operation.ward_codes
        for rise in seasons(app, engine).of_ward(code)
        if months & set(rise.months) and (not categories or rise.category in categories)
    ]


def operation_evaluation(
    app: Flask, engine: sa.Engine, operation: Operation, *, operation_id: int
) -> dict[str, Any] | None:
    """One operation's evaluation (None when no boundaries or records are stored)."""
    summary = {"id": operation_id}
    return evaluated_operations(app, engine, [(summary, operation)])[0]["evaluation"]


def ward_operations(app: Flask, engine: sa.Engine, *, code: str) -> list[dict[str, Any]]:
    """The operations that worked in ward ``code`` (or force-wide), latest start first,
    each with its evaluation; kept per edit version (an operation written on the web, or an
    import, makes the next request read them again)."""
    return data_cache(app, "ward operations", size=CACHED).get(
        edit_version(engine),
        code,
        lambda: evaluated_operations(app, engine, stored_operations(engine, ward=code)),
    )


def force_operations(app: Flask, engine: sa.Engine) -> list[dict[str, Any]]:
    """The :data:`PLANNING_LISTED` operations of latest start, each with its evaluation."""
    return evaluated_operations(app, engine, stored_operations(engine)[:PLANNING_LISTED])


def seasons(app: Flask, engine: sa.Engine) -> Seasons:
    """Every ward's usual rises (:func:`geodata.seasonal.seasonal_rises`) over the months
    held, kept for the data version."""
    shared = shared_figures(app, engine)
    return data_cache(app, "seasonal expectations", size=1).get(
        shared.version,
        None,
        lambda: seasonal_rises(
            shared.force.counts,
            shared.force.months,
            wards=shared.force.wards,
            categories=CATEGORIES,
            dispersions=category_dispersions(shared),
        ),
    )


@dataclass(frozen=True)
class ComingRises:
    """What the planning page shows of the seasons: next month's rises across the force."""

    month: int
    """The coming calendar month (1-12)."""
    month_name: str
    seasons: Seasons
    rises: list[SeasonalRise]
    """Next month's rises across the force, largest first."""
    names: dict[str, str]
    """Ward names by code."""


def coming_rises(app: Flask, engine: sa.Engine, *, today: date) -> ComingRises | None:
    """Next month's usual rises across the force; None when no wards are stored."""
    shared = shared_figures(app, engine)
    if shared.vintage is None:
        return None
    found = seasons(app, engine)
    month = today.month % 12 + 1
    names = {w["code"]: w["name"] for w in list_wards(engine, vintage=shared.vintage)}
    return ComingRises(
        month=month,
        month_name=date(2000, month, 1).strftime("%B"),
        seasons=found,
        rises=found.in_month(month),
        names=names,
    )


def ward_season_lines(app: Flask, engine: sa.Engine, *, code: str, month: int) -> list[str]:
    """One ward's usual rises that include calendar month ``month``, as sentences."""
    return [r.sentence for r in seasons(app, engine).of_ward(code) if month in r.months]
