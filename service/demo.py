"""The SYNTHETIC demo's records that go through the store rather than through files."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from geodata.demo.operations import demo_operations
from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError
from geodata.operations import OperationError
from service.store.operations import create_operation, list_operations
from service.store.plans import create_plan, stored_plans
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
