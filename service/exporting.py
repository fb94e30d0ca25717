"""Exports: stored concerns and plans written out as spreadsheet-safe CSV or JSON text.

The store reads the records; the formats (columns, spreadsheet-safe cells) come from the
domain's writers (``geodata.io.concerns.export_rows``, ``geodata.io.plans.plans_to_csv``), so an
export reads back with the matching import command.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from geodata.concerns import CONCERN_COLUMNS
from geodata.errors import PlanError
from geodata.io.concerns import export_rows
from geodata.io.plans import EXPORT_EXTRAS, plan_to_dict, plans_to_csv, plans_to_json
from geodata.plan_quality import quality
from geodata.plans import PLAN_COLUMNS
from service.store.concerns import list_concerns
from service.store.plans import plan_records

CONCERN_EXPORT_COLUMNS: tuple[str, ...] = (*CONCERN_COLUMNS, "id", "ward_vintage", "updated_on")
"""The import columns (``status`` is the current one), then the stored id, the ward's
boundary vintage and the day of the latest update; the importer ignores the last three."""

PLAN_EXPORT_COLUMNS: tuple[str, ...] = (*PLAN_COLUMNS, *EXPORT_EXTRAS)
"""The import columns, then the stored id, ward vintage, who created it and when, when it
was last changed and its quality score; the importer ignores the last six."""


def export_concerns(
    engine: sa.Engine,
    *,
    ward_code: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    channel: str | None = None,
    since: date | None = None,
) -> list[list[str]]:
    """The header :data:`CONCERN_EXPORT_COLUMNS` and one spreadsheet-safe row per concern.

    Rows come newest first, as :func:`list_concerns` gives them, with the current status;
    every text cell goes through :func:`geodata.io.concerns.spreadsheet_safe`.
    """
    rows = list_concerns(
        engine, ward_code=ward_code, status=status, tag=tag, channel=channel, since=since
    )
    return export_rows(rows, columns=CONCERN_EXPORT_COLUMNS)


def export_plans(
    engine: sa.Engine,
    *,
    ward: str | None = None,
    status: str | None = None,
    format: str = "csv",
) -> tuple[str, int]:
    """The stored plans as a file's text, newest first, and how many there are.

    ``csv``: the columns of :data:`PLAN_EXPORT_COLUMNS`, every text cell spreadsheet-safe
    (:func:`geodata.io.plans.plan_rows`); ``json``: ``{"plans": [...]}`` with the same extra
    keys. Either reads back with import-plans.
    """
    if format not in ("csv", "json"):
        raise PlanError(f"format: {format!r} is not one of csv, json")
    items = export_items(engine, ward=ward, status=status)
    if format == "json":
        return plans_to_json(items), len(items)
    return plans_to_csv(items, columns=PLAN_EXPORT_COLUMNS), len(items)


def export_items(
    engine: sa.Engine, *, ward: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """The stored plans newest first as :func:`geodata.io.plans.plan_to_dict` mappings with
    the keys of the export's extra columns (id, vintage, who and when, quality score)."""
    return [
        {
            **plan_to_dict(plan),
            "id": row["id"],
            "ward_vintage": row["ward_vintage"],
            "created_by": row["created_by"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "quality_score": quality(plan).score,
        }
        for row, plan in plan_records(engine, ward=ward, status=status)
    ]
