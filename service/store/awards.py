"""Good practice: plans nominated for and given a good-practice award, with their full history.

A plan is **nominated** (by anyone who writes plans) when its team or a manager thinks other
teams should learn from it; an analyst or an admin marks a nominated plan **awarded**, or
**withdraws** a nomination or an award. Each step is a ``plan_awards`` row with who, when and
a note saying why; rows are never changed or deleted, and the latest is where the plan
stands. Who may take a step is :data:`ACTION_ROLES`, which the pages and the store both
check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from service.store.imports import now
from service.store.schema import plan_awards
from service.store.schema import plans as plan_rows
from service.store.users import ROLES

NOMINATED, AWARDED, WITHDRAWN = "nominated", "awarded", "withdrawn"

ACTIONS: Mapping[str, str] = {
    NOMINATED: "Nominated for good practice",
    AWARDED: "Good-practice award",
    WITHDRAWN: "Nomination or award withdrawn",
}
"""A step of a plan's good-practice record: slug → label."""

ACTION_ROLES: Mapping[str, str] = {NOMINATED: "pcso", AWARDED: "analyst", WITHDRAWN: "analyst"}
"""The least role that may take each step."""

ALLOWED_AFTER: Mapping[str | None, tuple[str, ...]] = {
    None: (NOMINATED,),
    WITHDRAWN: (NOMINATED,),
    NOMINATED: (AWARDED, WITHDRAWN),
    AWARDED: (WITHDRAWN,),
}
"""The steps that may follow where a plan stands (None: never nominated)."""

MAX_NOTE = 2_000
"""Longest note, in characters."""


class AwardError(ValueError):
    """A step refused: the message says why, in words for the page."""


def allowed_actions(state: str | None, *, role: str) -> list[str]:
    """The steps a user of ``role`` may take on a plan standing at ``state``."""
    rank = ROLES.index(role)
    return [a for a in ALLOWED_AFTER[state] if rank >= ROLES.index(ACTION_ROLES[a])]


def award_history(engine: sa.Engine, plan_id: int) -> list[dict[str, Any]]:
    """Every step of the plan's good-practice record, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(plan_awards)
            .where(plan_awards.c.plan_id == plan_id)
            .order_by(plan_awards.c.id)
        )
        return [
            {"action": r.action, "label": ACTIONS[r.action], "note": r.note, "by": r.by, "at": r.at}
            for r in rows
        ]


def award_states(engine: sa.Engine) -> dict[int, str]:
    """Where each plan with a good-practice record stands (its latest step), by plan id."""
    latest = (
        sa.select(sa.func.max(plan_awards.c.id)).group_by(plan_awards.c.plan_id).scalar_subquery()
    )
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(plan_awards.c.plan_id, plan_awards.c.action).where(
                plan_awards.c.id.in_(latest)
            )
        )
        return {r.plan_id: r.action for r in rows}


def record_award_step(
    engine: sa.Engine, plan_id: int, action: str, *, by: str, role: str, note: str
) -> None:
    """Add a step to a plan's good-practice record, in one transaction.

    Raises
    ------
    LookupError
        When there is no such plan.
    AwardError
        For an unknown step, a role below :data:`ACTION_ROLES`, a step that cannot follow
        where the plan stands (:data:`ALLOWED_AFTER`) or a missing or overlong note.
    """
    if action not in ACTIONS:
        raise AwardError(f"action: {action!r} is not one of {', '.join(ACTIONS)}")
    if role not in ROLES or ROLES.index(role) < ROLES.index(ACTION_ROLES[action]):
        raise AwardError(f"only a {ACTION_ROLES[action]} or above may record '{action}'")
    note = (note or "").strip()
    if not note:
        raise AwardError("note: say why, in a sentence or two")
    if len(note) > MAX_NOTE:
        raise AwardError(f"note: at most {MAX_NOTE:,} characters, not {len(note):,}")
    if not by.strip():
        raise AwardError("by: say who is recording the step")
    with engine.begin() as connection:
        plan = sa.select(plan_rows.c.id).where(plan_rows.c.id == plan_id).with_for_update()
        if connection.scalar(plan) is None:  # locked: two steps at once are taken in turn
            raise LookupError(f"no plan with id {plan_id}")
        state = connection.scalar(
            sa.select(plan_awards.c.action)
            .where(plan_awards.c.plan_id == plan_id)
            .order_by(plan_awards.c.id.desc())
            .limit(1)
        )
        if action not in ALLOWED_AFTER[state]:
            where = "never been nominated" if state is None else f"been {state}"
            raise AwardError(f"the plan has {where}, so it cannot be {action} now")
        connection.execute(
            sa.insert(plan_awards).values(
                plan_id=plan_id, action=action, note=note, by=by, at=now()
            )
        )
