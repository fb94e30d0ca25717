"""Stored community concerns, each with its full history: nothing changes without a record.

A concern row holds the concern as it stands now; ``concern_updates`` holds its history,
oldest first. Raising a concern writes the first update (its status, note ``raised``); a
change of status writes an update saying what was done and by whom; an edit of any other
field writes one update per changed field recording the old and the new value. The
``status`` of a concern row is always the status of its latest update, written in the same
transaction. Concerns are never deleted.

These functions are the only write path: the concern pages, the JSON API and the importer
all go through them, behind sign-in and the pcso role.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa

from geodata.concerns import (
    CHANNELS,
    CONCERN_COLUMNS,
    DEFAULT_TAGS_PATH,
    STATUSES,
    Concern,
    ConcernTag,
    check_concern,
    normalise_community,
)
from geodata.errors import ConcernError
from geodata.io.concerns import export_rows, read_concern_tags
from service.store.imports import now, record_if_unchanged, record_import
from service.store.schema import boundary_sets, concern_updates, wards
from service.store.schema import concerns as concern_rows
from service.store.versions import next_version, save_version

RAISED = "raised"
"""The note of a concern's first update."""

EDITED = "edited: "
"""How the note of an edit begins; edits record old values and change no status."""

EDITABLE: tuple[str, ...] = (
    "ward_code",
    "tag",
    "description",
    "raised_on",
    "channel",
    "community",
    "location_text",
    "longitude",
    "latitude",
    "recorded_by",
)
"""Fields :func:`edit_concern` may change; the status changes only through an update."""

EXPORT_COLUMNS: tuple[str, ...] = (*CONCERN_COLUMNS, "id", "ward_vintage", "updated_on")
"""The import columns (``status`` is the current one), then the stored id, the ward's
boundary vintage and the day of the latest update; the importer ignores the last three."""


@cache
def concern_tags() -> Mapping[str, ConcernTag]:
    """The shipped theme tags (``geodata/data/concern_tags.csv``), read once."""
    return read_concern_tags(DEFAULT_TAGS_PATH)


def ward_codes(engine: sa.Engine, *, vintage: str) -> set[str]:
    """The ward codes of one boundary vintage."""
    with engine.connect() as connection:
        return _ward_codes(connection, vintage)


def _ward_codes(connection: sa.Connection, vintage: str) -> set[str]:
    return set(connection.scalars(sa.select(wards.c.code).where(wards.c.vintage == vintage)))


def _latest(connection: sa.Connection) -> str:
    vintage = connection.scalar(sa.select(sa.func.max(boundary_sets.c.vintage)))
    if vintage is None:
        raise ConcernError("no ward boundaries are stored: run import-wards first")
    return str(vintage)


def record_concern(engine: sa.Engine, concern: Concern, *, recorded_by: str) -> int:
    """Store a new concern and its first update; return its id.

    The concern is checked (:func:`geodata.concerns.check_concern`) against the wards of the
    latest boundary vintage and the shipped tags, and its community text normalised.
    ``concern.recorded_by`` is who took the concern down; ``recorded_by`` is who is entering
    it now (the signed-in user, once there is one) and is the ``by`` of the first update,
    which carries the concern's status, the note ``raised`` and the day it was raised.

    Raises
    ------
    ConcernError
        Naming every problem with the concern, or when no boundaries are stored.
    """
    _require_text(recorded_by, "recorded_by")
    with engine.begin() as connection:
        vintage = _latest(connection)
        concern = dataclasses.replace(concern, community=normalise_community(concern.community))
        check_concern(
            concern, wards=_ward_codes(connection, vintage), tags=concern_tags(), today=date.today()
        )
        return _insert(connection, concern, vintage=vintage, by=recorded_by, import_id=None)


def _insert(
    connection: sa.Connection,
    concern: Concern,
    *,
    vintage: str,
    by: str,
    import_id: int | None,
) -> int:
    stamp = now()
    fields = dataclasses.asdict(concern)
    concern_id = int(
        connection.execute(
            concern_rows.insert().returning(concern_rows.c.id),
            {**fields, "ward_vintage": vintage, "created_at": stamp, "import_id": import_id},
        ).scalar_one()
    )
    connection.execute(
        concern_updates.insert(),
        {
            "concern_id": concern_id,
            "status": concern.status,
            "note": RAISED,
            "by": by,
            "on": concern.raised_on,
            "recorded_at": stamp,
            "version": 1,
        },
    )
    return concern_id


def update_concern(
    engine: sa.Engine, concern_id: int, *, status: str, note: str, by: str, on: date
) -> None:
    """Record a dated update: the status from now on, what was done and by whom.

    The status must be one of :data:`geodata.concerns.STATUSES` (any status may follow any
    other: a closed concern can be reopened, and the history shows it). ``note`` and ``by``
    must not be blank; ``on``, the day the work was done, may be earlier than the day it is
    recorded but not before the concern was raised or last changed status, nor after today,
    so the statuses read in order. The history keeps recording order (update ids), and the
    concern's status becomes ``status``.

    Raises
    ------
    LookupError
        When there is no such concern.
    ConcernError
        Naming the bad argument and what is allowed.
    """
    if status not in STATUSES:
        raise ConcernError(f"status: unknown status {status!r}; one of {', '.join(STATUSES)}")
    _require_text(note, "note")
    _require_text(by, "by")
    if on > date.today():
        raise ConcernError(f"on: {on.isoformat()} is after today ({date.today().isoformat()})")
    with engine.begin() as connection:
        row = _current(connection, concern_id)
        latest = connection.scalar(
            sa.select(sa.func.max(concern_updates.c.on)).where(
                concern_updates.c.concern_id == concern_id, _NOT_AN_EDIT
            )
        )
        if latest is not None and on < latest:
            raise ConcernError(
                f"on: {on.isoformat()} is before the concern's latest change of status "
                f"({latest.isoformat()})"
            )
        following = _next_version(connection, row, None)
        _write_update(
            connection, concern_id, status=status, note=note, by=by, on=on, version=following
        )
        _save(connection, row, following, status=status)


def edit_concern(
    engine: sa.Engine,
    concern_id: int,
    *,
    by: str,
    on: date | None = None,
    version: int | None = None,
    **changes: Any,
) -> list[str]:
    """Change fields of a concern, recording each old value; return the fields changed.

    ``version`` is the concern's version the editor started from (None: any); each change
    raises the version by one.

    ``changes`` may hold any of :data:`EDITABLE`. The concern as changed is checked like a
    new one (against the latest boundary vintage; a new ward code takes that vintage). Each
    field whose value really changes gets an update row, in the concern's current status,
    dated ``on`` (default today), with the note ``edited: <field>: <old> → <new>`` (text
    values quoted, so the note reads back unambiguously). Nothing changes: nothing written.

    Raises
    ------
    LookupError
        When there is no such concern.
    ConcernError
        For a field that cannot be edited (the status is changed by :func:`update_concern`),
        or naming every problem with the concern as changed.
    StaleEditError
        When the concern is no longer at ``version``, with the changes made since.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        hint = "; change the status with update_concern" if "status" in unknown else ""
        raise ConcernError(
            f"cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}{hint}"
        )
    _require_text(by, "by")
    _check_types(changes)
    day = date.today() if on is None else on
    if "community" in changes:
        changes["community"] = normalise_community(changes["community"])
    with engine.begin() as connection:
        row = _current(connection, concern_id)
        following = _next_version(connection, row, version)
        before = _concern_of(row)
        after = dataclasses.replace(before, **changes)
        vintage = (
            _latest(connection) if after.ward_code != before.ward_code else row["ward_vintage"]
        )
        check_concern(
            after,
            wards=_ward_codes(connection, vintage),
            tags=concern_tags(),
            today=date.today(),
        )
        changed = [name for name in EDITABLE if getattr(after, name) != getattr(before, name)]
        if not changed:
            return []
        if "raised_on" in changed:
            first = connection.scalar(
                sa.select(sa.func.min(concern_updates.c.on)).where(
                    concern_updates.c.concern_id == concern_id,
                    concern_updates.c.note != RAISED,
                    _NOT_AN_EDIT,
                )
            )
            if first is not None and after.raised_on > first:
                raise ConcernError(
                    f"raised_on: {after.raised_on.isoformat()} is after the concern's first "
                    f"change of status ({first.isoformat()})"
                )
        values = {name: getattr(after, name) for name in changed}
        if vintage != row["ward_vintage"]:
            values["ward_vintage"] = vintage
        _save(connection, row, following, **values)
        for name in changed:
            old, new = _shown(getattr(before, name)), _shown(getattr(after, name))
            note = f"{EDITED}{name}: {old} → {new}"
            if name == "ward_code" and vintage != row["ward_vintage"]:
                note += f" (boundary vintage {row['ward_vintage']} → {vintage})"
            _write_update(
                connection,
                concern_id,
                status=row["status"],
                note=note,
                by=by,
                on=day,
                version=following,
            )
        return changed


_TEXT_FIELDS = ("ward_code", "tag", "description", "channel", "recorded_by")
_OPTIONAL_TEXT_FIELDS = ("community", "location_text")


def _check_types(changes: Mapping[str, Any]) -> None:
    """Refuse a value of the wrong kind before it is compared or stored."""
    for name, value in changes.items():
        if name in _TEXT_FIELDS:
            ok = isinstance(value, str)
            kind = "text"
        elif name in _OPTIONAL_TEXT_FIELDS:
            ok = value is None or isinstance(value, str)
            kind = "text or None"
        elif name == "raised_on":
            ok = isinstance(value, date)
            kind = "a date"
        else:
            ok = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
            kind = "a number or None"
        if not ok:
            raise ConcernError(f"{name}: {value!r} is not {kind}")


def _shown(value: Any) -> str:
    """A value as an edit note shows it: text quoted, a day as YYYY-MM-DD, nothing as none."""
    if value is None:
        return "none"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def _write_update(
    connection: sa.Connection,
    concern_id: int,
    *,
    status: str,
    note: str,
    by: str,
    on: date,
    version: int,
) -> None:
    connection.execute(
        concern_updates.insert(),
        {
            "concern_id": concern_id,
            "status": status,
            "note": note,
            "by": by,
            "on": on,
            "recorded_at": now(),
            "version": version,
        },
    )


_SHOWN = [column for column in concern_rows.c if column.name != "version"]
"""A concern as pages and the API show it; its version is read by :func:`concern_version`."""


def concern_version(engine: sa.Engine, concern_id: int) -> int | None:
    """The concern's version, which an edit form carries to refuse a stale edit."""
    with engine.connect() as connection:
        found = connection.scalar(
            sa.select(concern_rows.c.version).where(concern_rows.c.id == concern_id)
        )
    return None if found is None else int(found)


def _next_version(connection: sa.Connection, row: Mapping[str, Any], expected: int | None) -> int:
    return next_version(
        connection,
        row,
        expected,
        kind="concern",
        history=concern_updates,
        key="concern_id",
        at="recorded_at",
        change="note",
    )


def _save(connection: sa.Connection, row: Mapping[str, Any], version: int, **values: Any) -> None:
    save_version(connection, concern_rows, row, version, kind="concern", **values)


def _require_text(value: str, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConcernError(f"{name}: is blank; it must say who or what")


def _current(connection: sa.Connection, concern_id: int) -> dict[str, Any]:
    row = connection.execute(sa.select(concern_rows).where(concern_rows.c.id == concern_id)).first()
    if row is None:
        raise LookupError(f"no concern with id {concern_id}")
    return dict(row._mapping)


def _concern_of(row: Mapping[str, Any]) -> Concern:
    return Concern(**{f.name: row[f.name] for f in dataclasses.fields(Concern)})


_NOT_AN_EDIT = sa.not_(concern_updates.c.note.startswith(EDITED, autoescape=True))

_UPDATED_ON = (
    sa.select(sa.func.max(concern_updates.c.on))
    .where(concern_updates.c.concern_id == concern_rows.c.id)
    .scalar_subquery()
    .label("updated_on")
)


def get_concern(
    engine: sa.Engine, concern_id: int, *, today: date | None = None
) -> dict[str, Any] | None:
    """One concern as it stands, with ``history``: every update, oldest first; or None."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(*_SHOWN, _UPDATED_ON).where(concern_rows.c.id == concern_id)
        ).first()
        if row is None:
            return None
        history = connection.execute(
            sa.select(
                concern_updates.c.id,
                concern_updates.c.status,
                concern_updates.c.note,
                concern_updates.c.by,
                concern_updates.c.on,
                concern_updates.c.recorded_at,
            )
            .where(concern_updates.c.concern_id == concern_id)
            .order_by(concern_updates.c.id)
        )
        return {
            **_with_age(row._mapping, today),
            "history": [dict(update._mapping) for update in history],
        }


def list_concerns(
    engine: sa.Engine,
    *,
    ward_code: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    channel: str | None = None,
    since: date | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Concerns as they stand, newest raised first, optionally filtered.

    A ward code matches concerns recorded under that code in any boundary vintage (ONS
    keeps a code while a ward's boundary stays the same; ``ward_vintage`` says which).
    ``since`` keeps concerns raised on or after that day. Each row adds ``updated_on``, the
    day of its latest update, and ``age_days``, the days from raising to ``today``
    (default: the computer's date).
    """
    query = sa.select(*_SHOWN, _UPDATED_ON).order_by(
        concern_rows.c.raised_on.desc(), concern_rows.c.id.desc()
    )
    for column, value in (
        (concern_rows.c.ward_code, ward_code),
        (concern_rows.c.status, status),
        (concern_rows.c.tag, tag),
        (concern_rows.c.channel, channel),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(concern_rows.c.raised_on >= since)
    with engine.connect() as connection:
        return [_with_age(row._mapping, today) for row in connection.execute(query)]


def _with_age(row: sa.RowMapping, today: date | None) -> dict[str, Any]:
    day = date.today() if today is None else today
    return {**row, "age_days": (day - row["raised_on"]).days}


def import_concerns(
    engine: sa.Engine,
    concerns: Sequence[Concern],
    *,
    source: str,
    sha256: str,
    rows_read: int,
    rows_rejected: int,
) -> dict[str, Any]:
    """Store the checked concerns of one file in one transaction, with its ledger row.

    Idempotent by content: when a file with the same SHA-256 was stored before, nothing is
    added and the ledger records ``unchanged``. Otherwise every concern is stored under the
    latest boundary vintage, linked to the ledger row, with its first update by the
    concern's ``recorded_by``. The caller has checked the rows (``read_concerns_csv``);
    ``rows_read`` and ``rows_rejected`` are the file's counts, so the ledger's
    ``rows_stored = rows_read - rows_rejected`` either way.

    Returns ``status`` (stored or unchanged), ``import_id``, ``added`` (new concerns),
    ``rows_stored`` and, when unchanged, ``same_as`` (the earlier ledger row).
    """
    stored = rows_read - rows_rejected
    with engine.begin() as connection:
        vintage = _latest(connection)
        counts = {"rows_read": rows_read, "rows_stored": stored, "rows_rejected": rows_rejected}
        unchanged = record_if_unchanged(
            connection, kind="concerns", source=source, sha256=sha256, counts=counts
        )
        if unchanged is not None:
            return unchanged
        import_id = record_import(
            connection,
            kind="concerns",
            source=source,
            sha256=sha256,
            status="stored",
            message=f"{len(concerns)} concerns added (boundary vintage {vintage})",
            **counts,
        )
        for concern in concerns:
            _insert(
                connection, concern, vintage=vintage, by=concern.recorded_by, import_id=import_id
            )
        return {"status": "stored", "import_id": import_id, "added": len(concerns)}


def export_concerns(
    engine: sa.Engine,
    *,
    ward_code: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    channel: str | None = None,
    since: date | None = None,
) -> list[list[str]]:
    """The header :data:`EXPORT_COLUMNS` and one spreadsheet-safe row per concern.

    Rows come newest first, as :func:`list_concerns` gives them, with the current status;
    every text cell goes through :func:`geodata.concerns.spreadsheet_safe`.
    """
    rows = list_concerns(
        engine, ward_code=ward_code, status=status, tag=tag, channel=channel, since=since
    )
    return export_rows(rows, columns=EXPORT_COLUMNS)


def check_filters(
    *, status: str | None = None, tag: str | None = None, channel: str | None = None
) -> None:
    """Refuse an unknown status, tag or channel filter, naming the parameter and the choices."""
    for name, value, allowed in (
        ("status", status, STATUSES),
        ("tag", tag, concern_tags()),
        ("channel", channel, CHANNELS),
    ):
        if value is not None and value not in allowed:
            raise ConcernError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
