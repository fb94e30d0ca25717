"""Stored problem-solving plans, each with its full history: nothing changes without a record.

A plan row holds the plan as it stands now, as the JSON of ``geodata.plans.plan_to_dict``,
with its title and status in columns of their own for lists. ``plan_history`` holds every
change, oldest first: its creation (or import), each edited field (``edited: objective``)
and each change of status (``status: draft → active``), by whom and when, each with the whole
plan as it was before, so any earlier version can be read back. Plans are never deleted.

Ward codes are checked against the latest boundary vintage when a plan is stored, and the
vintage is kept with the plan (a ward code never travels without it); linked concerns must
be stored concerns.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from geodata.crime import CATEGORIES
from geodata.errors import PlanError
from geodata.io.plans import plan_from_dict, plan_to_dict
from geodata.plan_quality import quality
from geodata.plans import PLAN_FIELDS, PLAN_STATUSES, Plan, check_plan
from service.store.imports import now, record_if_unchanged, record_import
from service.store.schema import boundary_sets, concerns, plan_history, wards
from service.store.schema import plans as plan_rows
from service.store.versions import next_version, save_version

CREATED = "created"
"""The change of a plan's first history row (an imported plan: ``imported from <file>``)."""

EDITED = "edited: "
"""How the change of an edit begins; the field's old value is in ``previous``."""


def _latest(connection: sa.Connection) -> str:
    vintage = connection.scalar(sa.select(sa.func.max(boundary_sets.c.vintage)))
    if vintage is None:
        raise PlanError("no ward boundaries are stored: run import-wards first")
    return str(vintage)


def _ward_codes(connection: sa.Connection, vintage: str) -> set[str]:
    return set(connection.scalars(sa.select(wards.c.code).where(wards.c.vintage == vintage)))


def _concern_ids(connection: sa.Connection) -> set[int]:
    return set(connection.scalars(sa.select(concerns.c.id)))


def _check(connection: sa.Connection, plan: Plan, *, vintage: str) -> None:
    check_plan(plan, wards=_ward_codes(connection, vintage), concern_ids=_concern_ids(connection))


def _require_text(value: str, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{name}: is blank; it must say who", [(name, "is blank")])


def _as_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, sort_keys=True)


def create_plan(engine: sa.Engine, plan: Plan, *, by: str) -> int:
    """Check and store a new plan under the latest boundary vintage; return its id.

    The plan is checked by :func:`geodata.plans.plan_problems` against the wards of the
    latest vintage and the stored concerns. ``by`` (the signed-in user) is who created it,
    and the first history row says ``created (<status>)``.

    Raises
    ------
    PlanError
        Carrying every problem (``problems``), or when no boundaries are stored.
    """
    _require_text(by, "by")
    with engine.begin() as connection:
        vintage = _latest(connection)
        _check(connection, plan, vintage=vintage)
        return _insert(
            connection, plan, vintage=vintage, by=by, change=f"{CREATED} ({plan.status})"
        )


def _insert(
    connection: sa.Connection,
    plan: Plan,
    *,
    vintage: str,
    by: str,
    change: str,
    import_id: int | None = None,
) -> int:
    stamp = now()
    plan_id = int(
        connection.execute(
            plan_rows.insert().returning(plan_rows.c.id),
            {
                "title": plan.title,
                "status": plan.status,
                "ward_vintage": vintage,
                "data": _as_json(plan),
                "created_by": by,
                "created_at": stamp,
                "updated_at": stamp,
                "import_id": import_id,
            },
        ).scalar_one()
    )
    _write_history(connection, plan_id, by=by, change=change, previous=None, at=stamp, version=1)
    return plan_id


def _write_history(
    connection: sa.Connection,
    plan_id: int,
    *,
    by: str,
    change: str,
    previous: str | None,
    at: str,
    version: int,
) -> None:
    connection.execute(
        plan_history.insert(),
        {
            "plan_id": plan_id,
            "at": at,
            "by": by,
            "change": change,
            "previous": previous,
            "version": version,
        },
    )


def _next_version(connection: sa.Connection, row: Mapping[str, Any], expected: int | None) -> int:
    return next_version(
        connection,
        row,
        expected,
        kind="plan",
        history=plan_history,
        key="plan_id",
        at="at",
        change="change",
    )


def _save(connection: sa.Connection, row: Mapping[str, Any], version: int, **values: Any) -> None:
    save_version(connection, plan_rows, row, version, kind="plan", **values)


def _current(connection: sa.Connection, plan_id: int) -> dict[str, Any]:
    row = connection.execute(sa.select(plan_rows).where(plan_rows.c.id == plan_id)).first()
    if row is None:
        raise LookupError(f"no plan with id {plan_id}")
    return dict(row._mapping)


def _plan_of(data: str) -> Plan:
    plan, problems = plan_from_dict(json.loads(data))
    if plan is None:  # only a hand-edited database could hold such a row
        raise PlanError(f"a stored plan cannot be read: {problems}", problems)
    return plan


def update_plan(
    engine: sa.Engine, plan_id: int, plan: Plan, *, by: str, version: int | None = None
) -> list[str]:
    """Replace a plan with ``plan``, recording each changed field; return the fields changed.

    ``version`` is the plan's version the editor started from (None: any); each change
    raises the version by one.

    The new plan is checked like a new one (against the plan's boundary vintage, or the
    latest when its ward codes change, which then becomes its vintage). Each field whose
    value really changes gets a history row, ``edited: <field>`` (``status: <old> → <new>``
    for the status), each holding the whole plan as it was before. Nothing changed:
    nothing written.

    Raises
    ------
    LookupError
        When there is no such plan.
    PlanError
        Carrying every problem with the new plan.
    StaleEditError
        When the plan is no longer at ``version``, with the changes made since.
    """
    _require_text(by, "by")
    with engine.begin() as connection:
        row = _current(connection, plan_id)
        following = _next_version(connection, row, version)
        before = _plan_of(row["data"])
        vintage = (
            _latest(connection) if plan.ward_codes != before.ward_codes else row["ward_vintage"]
        )
        _check(connection, plan, vintage=vintage)
        changed = [name for name in PLAN_FIELDS if getattr(plan, name) != getattr(before, name)]
        if not changed:
            return []
        stamp = now()
        for name in changed:
            change = (
                f"status: {before.status} → {plan.status}"
                if name == "status"
                else f"{EDITED}{name}"
            )
            if name == "ward_codes" and vintage != row["ward_vintage"]:
                change += f" (boundary vintage {row['ward_vintage']} → {vintage})"
            _write_history(
                connection,
                plan_id,
                by=by,
                change=change,
                previous=row["data"],
                at=stamp,
                version=following,
            )
        _save(
            connection,
            row,
            following,
            title=plan.title,
            status=plan.status,
            ward_vintage=vintage,
            data=_as_json(plan),
            updated_at=stamp,
        )
        return changed


def set_status(
    engine: sa.Engine, plan_id: int, status: str, *, by: str, note: str | None = None
) -> None:
    """Move a plan to ``status``, with a history row ``status: <old> → <new>`` and the note.

    Any status may follow any other (a closed plan can be reopened; the history shows it).

    Raises
    ------
    LookupError
        When there is no such plan.
    PlanError
        For an unknown status, or the status the plan already has.
    """
    if status not in PLAN_STATUSES:
        raise PlanError(
            f"status: unknown status {status!r}; one of {', '.join(PLAN_STATUSES)}",
            [("status", f"unknown status {status!r}")],
        )
    _require_text(by, "by")
    with engine.begin() as connection:
        row = _current(connection, plan_id)
        before = _plan_of(row["data"])
        if before.status == status:
            raise PlanError(
                f"status: the plan is already {status}", [("status", f"is already {status}")]
            )
        stamp = now()
        change = f"status: {before.status} → {status}"
        if note and note.strip():
            change += f" ({note.strip()})"
        following = _next_version(connection, row, None)
        _write_history(
            connection,
            plan_id,
            by=by,
            change=change,
            previous=row["data"],
            at=stamp,
            version=following,
        )
        after = dataclasses.replace(before, status=status)
        _save(connection, row, following, status=status, data=_as_json(after), updated_at=stamp)


def get_plan(engine: sa.Engine, plan_id: int) -> dict[str, Any] | None:
    """One plan as it stands, with its ``quality`` checklist and ``history``; or None.

    ``plan`` is the plan's JSON (:func:`geodata.plans.plan_to_dict`); ``history`` lists
    every change, oldest first, each with ``previous``, the plan before it (None for the
    first).
    """
    with engine.connect() as connection:
        row = connection.execute(sa.select(plan_rows).where(plan_rows.c.id == plan_id)).first()
        if row is None:
            return None
        history = connection.execute(
            sa.select(plan_history)
            .where(plan_history.c.plan_id == plan_id)
            .order_by(plan_history.c.id)
        )
        plan = _plan_of(row.data)
        return {
            **_summary(row._mapping, plan, full=True),
            "history": [
                {
                    "id": entry.id,
                    "at": entry.at,
                    "by": entry.by,
                    "change": entry.change,
                    "previous": None if entry.previous is None else json.loads(entry.previous),
                }
                for entry in history
            ],
        }


def _summary(row: sa.RowMapping, plan: Plan, *, full: bool) -> dict[str, Any]:
    checklist = quality(plan)
    fields = {
        "id": row["id"],
        "title": row["title"],
        "status": row["status"],
        "ward_vintage": row["ward_vintage"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "import_id": row["import_id"],
    }
    if full:
        return {
            **fields,
            "version": row["version"],
            "plan": plan_to_dict(plan),
            "quality": checklist.as_dict(),
        }
    return {
        **fields,
        "ward_codes": list(plan.ward_codes),
        "categories": list(plan.categories),
        "start_date": plan.start_date.isoformat(),
        "target_kind": plan.target_kind,
        "quality": {
            "score": checklist.score,
            "out_of": checklist.out_of,
            "missing": checklist.missing,
        },
    }


def _stored(
    connection: sa.Connection,
    *,
    ward: str | None = None,
    status: str | None = None,
    category: str | None = None,
) -> list[tuple[sa.RowMapping, Plan]]:
    query = sa.select(plan_rows).order_by(plan_rows.c.id.desc())
    if status is not None:
        query = query.where(plan_rows.c.status == status)
    found = []
    for row in connection.execute(query):
        plan = _plan_of(row.data)
        if ward is not None and ward not in plan.ward_codes:
            continue
        if category is not None and category not in plan.categories:
            continue
        found.append((row._mapping, plan))
    return found


def list_plans(
    engine: sa.Engine,
    *,
    ward: str | None = None,
    status: str | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Plans as they stand, newest first, each with its ward codes, categories, start date,
    target kind and quality score (with what is missing); optionally only those covering
    ``ward``, with ``status`` or aimed at ``category``.
    """
    with engine.connect() as connection:
        return [
            _summary(row, plan, full=False)
            for row, plan in _stored(connection, ward=ward, status=status, category=category)
        ]


def plan_records(
    engine: sa.Engine, *, ward: str | None = None, status: str | None = None
) -> list[tuple[sa.RowMapping, Plan]]:
    """Each stored plan's row (id, vintage, who made it and when) and the plan, newest first;
    optionally only those covering ``ward`` or with ``status``."""
    with engine.connect() as connection:
        return _stored(connection, ward=ward, status=status)


def stored_plans(engine: sa.Engine, *, status: str | None = None) -> list[tuple[int, Plan]]:
    """(id, plan) of every stored plan, newest first: the plans themselves, for evaluation."""
    with engine.connect() as connection:
        return [(row["id"], plan) for row, plan in _stored(connection, status=status)]


def closed_plans(engine: sa.Engine) -> list[tuple[int, Plan, date | None]]:
    """(id, plan, closed on) of every closed plan, newest first, in one statement.

    ``closed on`` is the day (UTC) the plan's status last became ``closed``, from its
    history (a plan closed, reopened and closed again gives the last closing); None for a
    plan stored as closed (an import)."""
    closing = (
        sa.select(sa.func.max(plan_history.c.at))
        .where(
            plan_history.c.plan_id == plan_rows.c.id,
            plan_history.c.change.like("status: % → closed%"),
        )
        .scalar_subquery()
    )
    query = (
        sa.select(plan_rows.c.id, plan_rows.c.data, closing.label("closed_at"))
        .where(plan_rows.c.status == "closed")
        .order_by(plan_rows.c.id.desc())
    )
    with engine.connect() as connection:
        return [
            (
                r.id,
                _plan_of(r.data),
                None if r.closed_at is None else date.fromisoformat(r.closed_at[:10]),
            )
            for r in connection.execute(query)
        ]


def check_filters(*, status: str | None = None, category: str | None = None) -> None:
    """Refuse an unknown status or category filter, naming the parameter and the choices."""
    for name, value, allowed in (
        ("status", status, tuple(PLAN_STATUSES)),
        ("category", category, CATEGORIES),
    ):
        if value is not None and value not in allowed:
            raise PlanError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def plan_references(engine: sa.Engine) -> tuple[set[str], set[int]]:
    """The ward codes of the latest boundary vintage and the stored concern ids."""
    with engine.connect() as connection:
        return _ward_codes(connection, _latest(connection)), _concern_ids(connection)


def import_plans(
    engine: sa.Engine,
    plans: Sequence[Plan],
    *,
    source: str,
    sha256: str,
    rows_read: int,
    rows_rejected: int,
    by: str = "import-plans",
) -> dict[str, Any]:
    """Store the checked plans of one file in one transaction, with its ledger row.

    Idempotent by content: when a file with the same SHA-256 was stored before, nothing is
    added and the ledger records ``unchanged``. Otherwise every plan is checked again and
    stored under the latest boundary vintage, linked to the ledger row, created by ``by``
    with the first history row ``imported from <source>``. ``rows_read`` and
    ``rows_rejected`` are the file's counts.

    Returns ``status`` (stored or unchanged), ``import_id``, ``added`` and, when
    unchanged, ``same_as`` (the earlier ledger row).
    """
    counts = {
        "rows_read": rows_read,
        "rows_stored": rows_read - rows_rejected,
        "rows_rejected": rows_rejected,
    }
    with engine.begin() as connection:
        vintage = _latest(connection)
        unchanged = record_if_unchanged(
            connection, kind="plans", source=source, sha256=sha256, counts=counts
        )
        if unchanged is not None:
            return unchanged
        for plan in plans:
            _check(connection, plan, vintage=vintage)
        import_id = record_import(
            connection,
            kind="plans",
            source=source,
            sha256=sha256,
            status="stored",
            message=f"{len(plans)} plans added (boundary vintage {vintage})",
            **counts,
        )
        for plan in plans:
            _insert(
                connection,
                plan,
                vintage=vintage,
                by=by,
                change=f"imported from {source}",
                import_id=import_id,
            )
        return {"status": "stored", "import_id": import_id, "added": len(plans)}
