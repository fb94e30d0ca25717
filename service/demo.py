"""The SYNTHETIC demo's records that go through the store rather than through files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geodata.demo.plans import demo_plans
from geodata.demo.teams import demo_abstraction, demo_teams
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError
from service.importing_teams import import_team_files
from service.store.aggregates import months_held
from service.store.plans import create_plan, stored_plans
from service.store.teams import get_teams
from service.store.wards import latest_vintage, load_ward_frame


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
