"""The SYNTHETIC demo's records that go through the store rather than through files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.demo.messages import DemoMessages, demo_messages
from geodata.demo.operations import demo_operations
from geodata.demo.plans import demo_plans
from geodata.demo.teams import demo_abstraction, demo_teams
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError
from geodata.operations import OperationError
from service.importing_teams import import_team_files
from service.readmodels.message_alignment import alignment_settings, period_days
from service.readmodels.ward_priorities import ranked_themes
from service.readmodels.ward_profiles import default_period
from service.store.aggregates import months_held
from service.store.messages import list_messages, record_message
from service.store.operations import create_operation, list_operations
from service.store.plans import create_plan, stored_plans
from service.store.teams import get_teams
from service.store.wards import latest_vintage, list_wards, load_ward_frame


def create_demo_plans(
    engine: sa.Engine, *, start: date, by: str = "Demo analyst (synthetic)"
) -> list[int]:
    """Store the SYNTHETIC demo plans (:func:`geodata.demo.plans.demo_plans`) unless plans exist.

    The demo's named wards are found by name in the latest boundary vintage, with their
    geometry, so the Ashby Vale plan gets its circle round the park. Returns the new ids.
    """
    if stored_plans(engine):
        return []
    vintage = latest_vintage(engine)
    if vintage is None:
        raise PlanError("no ward boundaries are stored: run import-wards first")
    frame = load_ward_frame(engine, vintage=vintage)
    named = frame[frame["name"].isin([ASB_PARK, BURGLARY_RISING, TOWN_CENTRE])]
    made = demo_plans(
        frame["code"].tolist(),
        names=dict(zip(named["name"], named["code"], strict=True)),
        start=start,
        ward_geometries=dict(zip(named["code"], named.geometry, strict=True)),
    )
    return [create_plan(engine, plan, by=by) for plan in made]


def create_demo_messages(app: Flask, engine: sa.Engine, *, seed: int) -> DemoMessages:
    """Store the SYNTHETIC demo prevention messages unless messages exist; return what was
    made, with its planted gaps, noise and fatigue (:func:`geodata.demo.messages.demo_messages`).

    The messages are written against the demo's ranked priorities for its default period
    (the latest 12 months held), as the ward and planning pages rank them today.
    """
    if list_messages(engine):
        return DemoMessages()
    period = default_period(app, engine)
    vintage = latest_vintage(engine)
    if period is None or vintage is None:
        return DemoMessages()
    today = date.today()
    themes, ranked = ranked_themes(app, engine, period=period, today=today)
    start, end = period_days(period, today=today)
    names = {ward["name"]: ward["code"] for ward in list_wards(engine, vintage=vintage)}
    made = demo_messages(
        ranked=ranked,
        themes=themes,
        names=names,
        start=start,
        end=end,
        seed=seed,
        settings=alignment_settings(app),
    )
    for message in made.messages:
        record_message(engine, message, by="Demo analyst (synthetic)")
    return made


def create_demo_operations(
    engine: sa.Engine, *, year: int, by: str = "Demo analyst (synthetic)"
) -> list[int]:
    """Store the SYNTHETIC demo operations (:func:`geodata.demo.operations.demo_operations`)
    of ``year`` unless operations exist; the named wards are found by name in the latest
    boundary vintage. Returns the new ids."""
    if list_operations(engine):
        return []
    vintage = latest_vintage(engine)
    if vintage is None:
        raise OperationError("no ward boundaries are stored: run import-wards first")
    frame = load_ward_frame(engine, vintage=vintage)
    names = dict(zip(frame["name"], frame["code"], strict=True))
    made = demo_operations(names=names, year=year)
    return [create_operation(engine, operation, by=by) for operation in made]


def create_demo_teams(engine: sa.Engine, *, folder: Path, seed: int) -> dict[str, Any] | None:
    """Write the SYNTHETIC demo teams and abstraction (:mod:`geodata.demo.teams`) as CSV files
    in ``folder`` and import them through ``import-teams``'s run, unless teams are stored.

    Returns the import's summary, or None when teams were stored already.
    """
    if get_teams(engine)[0]:
        return None
    vintage = latest_vintage(engine)
    if vintage is None:
        raise ValueError("no ward boundaries are stored: run import-wards first")
    wards = load_ward_frame(engine, vintage=vintage)
    teams = demo_teams(wards, seed=seed)
    hours = demo_abstraction(teams, wards, months=months_held(engine), seed=seed)
    teams_path = folder / "SYNTHETIC_demo_teams.csv"
    hours_path = folder / "SYNTHETIC_demo_abstraction.csv"
    teams.to_csv(teams_path, index=False)
    hours.to_csv(hours_path, index=False)
    return import_team_files(engine, teams_path, abstraction=hours_path)
