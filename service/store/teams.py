"""Stored neighbourhood teams (their wards and staff in post) and their monthly abstraction.

A team file describes every team of the force, so storing one replaces the teams exactly;
an abstraction file replaces the months it holds, for every team, and keeps the others, as a
revised police.uk month replaces its partition. Each store runs in one transaction and adds
one ledger row per file; a file whose content is already what is stored changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from geodata.resourcing import Abstraction, Team
from service.store.imports import now, record_import
from service.store.schema import team_abstraction, team_wards, teams


def store_teams(
    engine: sa.Engine,
    found: Sequence[Team],
    *,
    vintage: str,
    source: str,
    sha256: str,
    abstraction: Sequence[Abstraction] | None = None,
    abstraction_source: str = "",
    abstraction_sha256: str = "",
) -> dict[str, Any]:
    """Replace every stored team by ``found`` (and store ``abstraction`` with them), at once.

    The teams are *unchanged* (only a ledger row added) when the stored ones have the same
    names, wards, staff and vintage in the same order. Abstraction, when given, is stored as
    :func:`store_abstraction` stores it, in the same transaction, so a refused abstraction
    file leaves the old teams too.
    """
    with engine.begin() as connection:
        result = _replace_teams(connection, found, vintage=vintage, source=source, sha256=sha256)
        if abstraction is not None:
            result["abstraction"] = _replace_abstraction(
                connection, abstraction, source=abstraction_source, sha256=abstraction_sha256
            )
    return result


def store_abstraction(
    engine: sa.Engine, found: Sequence[Abstraction], *, source: str, sha256: str
) -> dict[str, Any]:
    """Replace the stored hours of every month ``found`` holds, for every team.

    Months the file does not hold are kept. *Unchanged* (only a ledger row) when the stored
    rows of those months are already exactly ``found``.
    """
    with engine.begin() as connection:
        return _replace_abstraction(connection, found, source=source, sha256=sha256)


def get_teams(engine: sa.Engine) -> tuple[list[Team], str | None]:
    """The stored teams in file order, and the boundary vintage their ward codes are of."""
    with engine.connect() as connection:
        return _teams(connection)


def team_names(engine: sa.Engine) -> list[str]:
    return [team.name for team in get_teams(engine)[0]]


def list_abstraction(engine: sa.Engine, *, first: str, last: str) -> list[Abstraction]:
    """The stored hours of the months ``first`` to ``last`` (YYYY-MM, inclusive)."""
    query = (
        sa.select(team_abstraction.c.team, team_abstraction.c.month, team_abstraction.c.hours)
        .where(team_abstraction.c.month.between(first, last))
        .order_by(team_abstraction.c.team, team_abstraction.c.month)
    )
    with engine.connect() as connection:
        return [Abstraction(row.team, row.month, row.hours) for row in connection.execute(query)]


def _teams(connection: sa.Connection) -> tuple[list[Team], str | None]:
    rows = connection.execute(sa.select(teams).order_by(teams.c.id)).all()
    wards: dict[int, list[str]] = {}
    for row in connection.execute(
        sa.select(team_wards.c.team_id, team_wards.c.ward_code).order_by(
            team_wards.c.team_id, team_wards.c.ward_code
        )
    ):
        wards.setdefault(row.team_id, []).append(row.ward_code)
    found = [
        Team(name=row.name, ward_codes=tuple(wards.get(row.id, [])), pcs=row.pcs, pcsos=row.pcsos)
        for row in rows
    ]
    return found, (rows[0].vintage if rows else None)


def _replace_teams(
    connection: sa.Connection, found: Sequence[Team], *, vintage: str, source: str, sha256: str
) -> dict[str, Any]:
    stored, stored_vintage = _teams(connection)
    wanted = [
        Team(team.name, tuple(sorted(team.ward_codes)), team.pcs, team.pcsos) for team in found
    ]
    counts = {"rows_read": len(found), "rows_stored": 0}
    summary = {
        "teams": len(found),
        "wards": sum(len(team.ward_codes) for team in found),
        "pcs": sum(team.pcs for team in found),
        "pcsos": sum(team.pcsos for team in found),
        "vintage": vintage,
    }
    if stored == wanted and stored_vintage == vintage:
        import_id = record_import(
            connection,
            kind="teams",
            source=source,
            sha256=sha256,
            status="unchanged",
            message="the stored teams are the same; nothing changed",
            **counts,
        )
        return {"status": "unchanged", "import_id": import_id, **summary}
    connection.execute(team_wards.delete())
    connection.execute(teams.delete())
    stamp = now()
    for team in wanted:
        team_id = connection.execute(
            teams.insert().returning(teams.c.id),
            {
                "name": team.name,
                "pcs": team.pcs,
                "pcsos": team.pcsos,
                "vintage": vintage,
                "source": source,
                "imported_at": stamp,
            },
        ).scalar_one()
        connection.execute(
            team_wards.insert(), [{"team_id": team_id, "ward_code": c} for c in team.ward_codes]
        )
    import_id = record_import(
        connection,
        kind="teams",
        source=source,
        sha256=sha256,
        status="stored",
        message=f"{len(found)} teams replaced {len(stored)}",
        **(counts | {"rows_stored": len(found)}),
    )
    return {"status": "stored", "import_id": import_id, "replaced": len(stored), **summary}


def _replace_abstraction(
    connection: sa.Connection, found: Sequence[Abstraction], *, source: str, sha256: str
) -> dict[str, Any]:
    months = sorted({row.month for row in found})
    in_months = team_abstraction.c.month.in_(months)
    stored = {
        (row.team, row.month, row.hours)
        for row in connection.execute(
            sa.select(
                team_abstraction.c.team, team_abstraction.c.month, team_abstraction.c.hours
            ).where(in_months)
        )
    }
    wanted = {(row.team, row.month, row.hours) for row in found}
    counts = {"rows_read": len(found)}
    summary = {"rows": len(found), "months": months, "hours": sum(r.hours for r in found)}
    if stored == wanted:
        import_id = record_import(
            connection,
            kind="abstraction",
            source=source,
            sha256=sha256,
            status="unchanged",
            message="the stored hours of these months are the same; nothing changed",
            rows_stored=0,
            **counts,
        )
        return {"status": "unchanged", "import_id": import_id, **summary}
    connection.execute(team_abstraction.delete().where(in_months))
    connection.execute(
        team_abstraction.insert(),
        [{"team": r.team, "month": r.month, "hours": r.hours, "source": source} for r in found],
    )
    import_id = record_import(
        connection,
        kind="abstraction",
        source=source,
        sha256=sha256,
        status="stored",
        message=f"{len(found)} rows for {len(months)} months replaced {len(stored)}",
        rows_stored=len(found),
        **counts,
    )
    return {"status": "stored", "import_id": import_id, "replaced": len(stored), **summary}
