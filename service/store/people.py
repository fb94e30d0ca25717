"""Names of people the store holds: users, who recorded or updated concerns, who wrote or
changed plans, and who nominated or awarded them. A public document (a case study) removes
each of these names from any text it prints (:func:`geodata.case_study.redact`)."""

from __future__ import annotations

import sqlalchemy as sa

from service.store.schema import (
    concern_updates,
    concerns,
    plan_awards,
    plan_history,
    plans,
    users,
)


def people_named(engine: sa.Engine) -> set[str]:
    """Every distinct name of a person held, in one statement."""
    query = sa.union(
        sa.select(users.c.display_name.label("name")),
        sa.select(users.c.username),
        sa.select(concerns.c.recorded_by),
        sa.select(concern_updates.c.by),
        sa.select(plans.c.created_by),
        sa.select(plan_history.c.by),
        sa.select(plan_awards.c.by),
    )
    with engine.connect() as connection:
        return {name for name in connection.scalars(query) if name and name.strip()}
