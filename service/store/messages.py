"""Stored prevention messages, each with its full history: nothing changes without a record.

A message row holds the message as it stands; ``message_history`` holds its history, oldest
first: ``recorded`` (or ``imported from <file>``) and then one row per edited field with the
old and the new value. Messages are never deleted. Lists (area codes, themes, audiences) are
stored ``;``-joined, as the CSV writes them.

These functions are the only write path: the message pages, the JSON API and the importer
all go through them, behind sign-in and the pcso role.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from geodata.errors import MessageError
from geodata.messages import (
    FORCE_WIDE,
    LIST_SEPARATOR,
    Message,
    check_message,
    theme_vocabulary,
)
from service.store.concerns import concern_tags
from service.store.imports import now, record_if_unchanged, record_import
from service.store.schema import boundary_sets, message_history, wards
from service.store.schema import messages as message_rows
from service.store.threat import get_themes
from service.store.versions import next_version, save_version

RECORDED = "recorded"
"""The change of a message's first history row when entered on a form or the API."""

IMPORTED = "imported from "
"""How the first history row of an imported message begins."""

_LISTS = ("area_codes", "themes", "audiences")


@dataclasses.dataclass(frozen=True)
class References:
    """What a message is checked against: the latest vintage's wards (code → council code),
    its councils, and the themes a message may carry (slug → label)."""

    vintage: str
    wards: Mapping[str, str | None]
    councils: frozenset[str]
    themes: Mapping[str, str]


def message_references(engine: sa.Engine) -> References:
    """The wards and councils of the latest boundary vintage and the themes of the shipped
    concern tags and the active threat assessment.

    Raises
    ------
    MessageError
        When no ward boundaries are stored.
    """
    with engine.connect() as connection:
        return _references(engine, connection)


def _references(engine: sa.Engine, connection: sa.Connection) -> References:
    vintage = connection.scalar(sa.select(sa.func.max(boundary_sets.c.vintage)))
    if vintage is None:
        raise MessageError("no ward boundaries are stored: run import-wards first")
    found = connection.execute(
        sa.select(wards.c.code, wards.c.lad_code).where(wards.c.vintage == vintage)
    )
    ward_councils = {code: lad for code, lad in found}
    tags = {tag: item.label for tag, item in concern_tags().items()}
    return References(
        vintage=str(vintage),
        wards=ward_councils,
        councils=frozenset(lad for lad in ward_councils.values() if lad),
        themes=theme_vocabulary(tags, [theme.name for theme in get_themes(engine)]),
    )


def check(message: Message, references: References, *, today: date | None = None) -> None:
    """Raise :class:`MessageError` with every problem of ``message`` against ``references``."""
    check_message(
        message,
        wards=references.wards,
        councils=references.councils,
        themes=references.themes,
        today=date.today() if today is None else today,
    )


def _values(message: Message) -> dict[str, Any]:
    fields = dataclasses.asdict(message)
    for name in _LISTS:
        fields[name] = LIST_SEPARATOR.join(fields[name])
    fields["group_name"] = fields.pop("group")
    return fields


def message_of(row: Mapping[str, Any]) -> Message:
    """The :class:`Message` of a stored row (as :func:`list_messages` returns it)."""
    names = {f.name for f in dataclasses.fields(Message)}
    return Message(**{name: _tuple(row[name]) for name in names})


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def record_message(engine: sa.Engine, message: Message, *, by: str) -> int:
    """Check and store a new message under the latest boundary vintage; return its id.

    ``by`` is who entered it (the signed-in user) and the first history row says
    ``recorded``.

    Raises
    ------
    MessageError
        Carrying every problem (``problems``), or when no boundaries are stored.
    """
    _require_text(by, "by")
    references = message_references(engine)
    check(message, references)
    with engine.begin() as connection:
        return _insert(
            connection, message, vintage=references.vintage, by=by, change=RECORDED, import_id=None
        )


def _insert(
    connection: sa.Connection,
    message: Message,
    *,
    vintage: str,
    by: str,
    change: str,
    import_id: int | None,
) -> int:
    stamp = now()
    message_id = int(
        connection.execute(
            message_rows.insert().returning(message_rows.c.id),
            {
                **_values(message),
                "ward_vintage": vintage,
                "recorded_by": by,
                "created_at": stamp,
                "import_id": import_id,
            },
        ).scalar_one()
    )
    connection.execute(
        message_history.insert(),
        {"message_id": message_id, "at": stamp, "by": by, "change": change, "version": 1},
    )
    return message_id


def edit_message(
    engine: sa.Engine, message_id: int, message: Message, *, by: str, version: int | None = None
) -> list[str]:
    """Replace a message with ``message``, recording each changed field; return them.

    ``version`` is the message's version the editor started from (None: any). The message
    is checked like a new one against the latest boundary vintage, which becomes its
    vintage. Each field whose value really changes gets a history row,
    ``<field>: <old> → <new>``. Nothing changed: nothing written.

    Raises
    ------
    LookupError
        When there is no such message.
    MessageError
        Carrying every problem with the new message.
    StaleEditError
        When the message is no longer at ``version``, with the changes made since.
    """
    _require_text(by, "by")
    references = message_references(engine)
    check(message, references)
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(message_rows).where(message_rows.c.id == message_id)
        ).first()
        if row is None:
            raise LookupError(f"no prevention message with id {message_id}")
        current = dict(row._mapping)
        following = next_version(
            connection,
            current,
            version,
            kind="prevention message",
            history=message_history,
            key="message_id",
            at="at",
            change="change",
        )
        before, after = _values(message_of(_listed(current))), _values(message)
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            return []
        values = {name: after[name] for name in changed} | {"ward_vintage": references.vintage}
        save_version(
            connection, message_rows, current, following, kind="prevention message", **values
        )
        stamp = now()
        for name in changed:
            connection.execute(
                message_history.insert(),
                {
                    "message_id": message_id,
                    "at": stamp,
                    "by": by,
                    "change": f"{name}: {_shown(before[name])} → {_shown(after[name])}",
                    "version": following,
                },
            )
        return changed


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def _require_text(value: str, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise MessageError(f"{name}: is blank; it must say who", [(name, "is blank")])


def _listed(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row with its lists split and ``group_name`` as ``group``."""
    fields = dict(row)
    for name in _LISTS:
        fields[name] = [item for item in (fields[name] or "").split(LIST_SEPARATOR) if item]
    fields["group"] = fields.pop("group_name")
    return fields


def message_version(engine: sa.Engine, message_id: int) -> int | None:
    with engine.connect() as connection:
        found = connection.scalar(
            sa.select(message_rows.c.version).where(message_rows.c.id == message_id)
        )
    return None if found is None else int(found)


def get_message(engine: sa.Engine, message_id: int) -> dict[str, Any] | None:
    """One message as it stands, with ``history``: every change, oldest first; or None."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(message_rows).where(message_rows.c.id == message_id)
        ).first()
        if row is None:
            return None
        history = connection.execute(
            sa.select(
                message_history.c.id,
                message_history.c.at,
                message_history.c.by,
                message_history.c.change,
            )
            .where(message_history.c.message_id == message_id)
            .order_by(message_history.c.id)
        )
        return {**_listed(dict(row._mapping)), "history": [dict(h._mapping) for h in history]}


def list_messages(
    engine: sa.Engine,
    *,
    ward_code: str | None = None,
    theme: str | None = None,
    channel: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Messages as they stand, newest sent first, optionally filtered.

    ``ward_code`` keeps the messages that reached the ward: those listing it, those to its
    council (in the latest boundary vintage) and the force-wide ones. ``theme`` keeps those
    carrying that theme tag; ``since`` and ``until`` bound the day sent, inclusive.
    """
    query = sa.select(message_rows).order_by(
        message_rows.c.sent_on.desc(), message_rows.c.id.desc()
    )
    if channel is not None:
        query = query.where(message_rows.c.channel == channel)
    if since is not None:
        query = query.where(message_rows.c.sent_on >= since)
    if until is not None:
        query = query.where(message_rows.c.sent_on <= until)
    with engine.connect() as connection:
        rows = [_listed(dict(row._mapping)) for row in connection.execute(query)]
        council = None
        if ward_code is not None:
            council = connection.scalar(
                sa.select(wards.c.lad_code)
                .where(wards.c.code == ward_code)
                .order_by(wards.c.vintage.desc())
                .limit(1)
            )
    if ward_code is not None:
        rows = [row for row in rows if _reaches(row, ward_code, council)]
    if theme is not None:
        rows = [row for row in rows if theme in row["themes"]]
    return rows


def _reaches(row: Mapping[str, Any], ward_code: str, council: str | None) -> bool:
    if row["area"] == FORCE_WIDE:
        return True
    if row["area"] == "council":
        return council is not None and council in row["area_codes"]
    return ward_code in row["area_codes"]


def messages_fingerprint(engine: sa.Engine) -> tuple[int, int, int]:
    """(count, latest id, sum of versions): changes whenever a message is added or edited,
    so a read model kept for a data version can tell its messages are stale."""
    with engine.connect() as connection:
        count, latest, versions = connection.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.max(message_rows.c.id), 0),
                sa.func.coalesce(sa.func.sum(message_rows.c.version), 0),
            )
        ).one()
    return int(count), int(latest), int(versions)


def import_messages(
    engine: sa.Engine,
    messages: Sequence[Message],
    *,
    source: str,
    sha256: str,
    vintage: str,
) -> dict[str, Any]:
    """Store the checked messages of one file in one transaction, with its ledger row.

    Idempotent by content: when a file with the same SHA-256 was stored before, nothing is
    added and the ledger records ``unchanged``. Otherwise every message is stored under
    ``vintage``, linked to the ledger row, its first history row saying which file it came
    from and its ``recorded_by`` the file. The caller has checked every row and refuses a
    file with any rejected row (``service.importing.import_message_file``).

    Returns ``status`` (stored or unchanged), ``import_id``, ``added`` and, when unchanged,
    ``same_as`` (the earlier ledger row).
    """
    counts = {"rows_read": len(messages), "rows_stored": len(messages), "rows_rejected": 0}
    with engine.begin() as connection:
        unchanged = record_if_unchanged(
            connection, kind="messages", source=source, sha256=sha256, counts=counts
        )
        if unchanged is not None:
            return unchanged
        import_id = record_import(
            connection,
            kind="messages",
            source=source,
            sha256=sha256,
            status="stored",
            message=f"{len(messages)} prevention messages added (boundary vintage {vintage})",
            **counts,
        )
        for message in messages:
            _insert(
                connection,
                message,
                vintage=vintage,
                by=f"import of {source}",
                change=f"{IMPORTED}{source}",
                import_id=import_id,
            )
        return {"status": "stored", "import_id": import_id, "added": len(messages)}
