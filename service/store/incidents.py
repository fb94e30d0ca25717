"""Stored police.uk incidents: the read side (the import is ``service.store.crime_import``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from geodata.crime import ASB


def summarise_wards(engine: sa.Engine, *, vintage: str) -> list[dict[str, Any]]:
    """Each ward of ``vintage`` with its stored crime and ASB counts over all months held.

    Method: every stored incident row is counted once, in the ward its snap point was
    assigned to for this vintage (see ``geodata.join.assign_wards``); crimes are the rows
    whose category is not anti-social behaviour, as police.uk counts them. Reproduce with
    ``SELECT ward_code, "Crime type" FROM incident_rows``.
    """
    query = sa.text(
        """
        WITH counted AS (
            SELECT pw.ward_code,
                   sum(CASE WHEN c.label <> :asb THEN 1 ELSE 0 END) AS crimes,
                   sum(CASE WHEN c.label = :asb THEN 1 ELSE 0 END) AS asb
            FROM incidents i
            JOIN categories c ON c.id = i.category_id
            JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = :vintage
            WHERE pw.ward_code IS NOT NULL
            GROUP BY pw.ward_code
        )
        SELECT w.code, w.name, w.lad_name, w.area_km2,
               coalesce(counted.crimes, 0) AS crimes, coalesce(counted.asb, 0) AS asb
        FROM wards w LEFT JOIN counted ON counted.ward_code = w.code
        WHERE w.vintage = :vintage
        ORDER BY w.name
        """
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"vintage": vintage, "asb": ASB})
        return [dict(row._mapping) for row in rows]


def count_incidents_by_ward(engine: sa.Engine, *, vintage: str) -> dict[str | None, int]:
    """Incidents (crime and ASB) per ward code of ``vintage``.

    Rows whose snap point lies outside every ward, or that have no location, count under
    None: every stored row is in exactly one key, so the values sum to the rows stored.
    """
    query = sa.text(
        "SELECT pw.ward_code, count(*) FROM incidents i "
        "LEFT JOIN place_wards pw ON pw.place_id = i.place_id AND pw.vintage = :vintage "
        "GROUP BY pw.ward_code"
    )
    with engine.connect() as connection:
        return {code: int(n) for code, n in connection.execute(query, {"vintage": vintage})}


def summarise_forces(engine: sa.Engine) -> list[dict[str, Any]]:
    """Each force held: first and last month, months held and incident rows stored."""
    query = sa.text(
        "SELECT f.name AS force, min(p.month) AS first_month, max(p.month) AS last_month, "
        "count(*) AS months, sum(p.incident_count) AS incidents "
        "FROM partitions p JOIN forces f ON f.id = p.force_id GROUP BY f.name ORDER BY f.name"
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
