"""Stored force threat assessments: every imported version is kept, the latest one is active."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from geodata.threat import LIST_SEPARATOR, ThreatAssessment, ThreatTheme, band_counts
from service.store.imports import now, record_import
from service.store.schema import threat_assessments, threat_themes


def store_assessment(engine: sa.Engine, assessment: ThreatAssessment, *, sha256: str) -> int:
    """Store ``assessment`` as a new version, in one transaction, and return its id.

    Every import is kept as a version, numbered 1, 2, ... in import order, and the active
    assessment is always the one imported last, so a force's priorities can be traced back
    to the file that set them. Offering the active version's file again (same SHA-256,
    same title, force and date) is *unchanged*: only the ledger row is added and the
    active id is returned. The file of an older version offered again becomes a new
    version: that is how an earlier assessment is made active again.
    """
    themes = assessment.themes
    with engine.begin() as connection:
        active = connection.execute(
            sa.select(threat_assessments).order_by(threat_assessments.c.id.desc()).limit(1)
        ).first()
        if active is not None and (
            active.sha256,
            active.title,
            active.force,
            active.assessed_on,
        ) == (sha256, assessment.title, assessment.force, assessment.assessed_on.isoformat()):
            record_import(
                connection,
                kind="threat",
                source=assessment.source,
                sha256=sha256,
                rows_read=len(themes),
                status="unchanged",
                message=f"same as the active version {_version(connection, active.id)}",
            )
            return int(active.id)
        assessment_id = int(
            connection.execute(
                threat_assessments.insert().returning(threat_assessments.c.id),
                {
                    "title": assessment.title,
                    "force": assessment.force,
                    "assessed_on": assessment.assessed_on.isoformat(),
                    "source": assessment.source,
                    "sha256": sha256,
                    "is_example": assessment.is_example,
                    "imported_at": now(),
                },
            ).scalar_one()
        )
        connection.execute(
            threat_themes.insert(), [_theme_row(assessment_id, theme) for theme in themes]
        )
        bands = ", ".join(f"{n} {band}" for band, n in band_counts(themes).items() if n)
        record_import(
            connection,
            kind="threat",
            source=assessment.source,
            sha256=sha256,
            rows_read=len(themes),
            rows_stored=len(themes),
            status="stored",
            message=f"version {_version(connection, assessment_id)}: "
            f"{len(themes)} themes ({bands})",
        )
        return assessment_id


def list_assessments(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every stored version, newest first, with its theme count and whether it is active."""
    themes = (
        sa.select(sa.func.count())
        .where(threat_themes.c.assessment_id == threat_assessments.c.id)
        .scalar_subquery()
    )
    query = sa.select(threat_assessments, themes.label("themes")).order_by(
        threat_assessments.c.id.desc()
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        {**_assessment(row._mapping, version), "themes": row.themes, "active": version == len(rows)}
        for version, row in zip(range(len(rows), 0, -1), rows, strict=True)
    ]


def active_assessment(engine: sa.Engine) -> dict[str, Any] | None:
    """The active (most recently imported) assessment with its themes, or None when none is.

    Values are JSON-ready: dates as YYYY-MM-DD text, categories and tags as lists, and
    ``bands`` counts the themes in each priority band.
    """
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(threat_assessments).order_by(threat_assessments.c.id.desc()).limit(1)
        ).first()
        if row is None:
            return None
        version = _version(connection, row.id)
    themes = get_themes(engine, row.id)
    return {
        **_assessment(row._mapping, version),
        "bands": band_counts(themes),
        "themes": [
            {
                **{field: getattr(theme, field) for field in _TEXT_FIELDS},
                "risk_score": theme.risk_score,
                "categories": list(theme.categories),
                "concern_tags": list(theme.concern_tags),
                "review_date": theme.review_date.isoformat(),
            }
            for theme in themes
        ],
    }


def get_themes(engine: sa.Engine, assessment_id: int | None = None) -> list[ThreatTheme]:
    """The themes of one stored assessment (default: the active one), in file order.

    An empty list when no assessment is stored or ``assessment_id`` is not one.
    """
    with engine.connect() as connection:
        if assessment_id is None:
            assessment_id = connection.scalar(sa.select(sa.func.max(threat_assessments.c.id)))
        rows = connection.execute(
            sa.select(threat_themes)
            .where(threat_themes.c.assessment_id == assessment_id)
            .order_by(threat_themes.c.id)
        ).all()
    return [
        ThreatTheme(
            **{field: getattr(row, field) for field in _TEXT_FIELDS},
            risk_score=row.risk_score,
            categories=_split(row.categories),
            concern_tags=_split(row.concern_tags),
            review_date=date.fromisoformat(row.review_date),
        )
        for row in rows
    ]


_TEXT_FIELDS = ("name", "description", "confidence", "priority_band", "owner")


def _theme_row(assessment_id: int, theme: ThreatTheme) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        **{field: getattr(theme, field) for field in _TEXT_FIELDS},
        "risk_score": theme.risk_score,
        "categories": LIST_SEPARATOR.join(theme.categories),
        "concern_tags": LIST_SEPARATOR.join(theme.concern_tags),
        "review_date": theme.review_date.isoformat(),
    }


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(LIST_SEPARATOR)) if joined else ()


def _version(connection: sa.Connection, assessment_id: int) -> int:
    """Versions are numbered in import order; none is ever deleted, so the number holds."""
    return int(
        connection.execute(
            sa.select(sa.func.count()).where(threat_assessments.c.id <= assessment_id)
        ).scalar_one()
    )


def _assessment(row: Any, version: int) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": version,
        "title": row["title"],
        "force": row["force"],
        "assessed_on": row["assessed_on"],
        "source": row["source"],
        "sha256": row["sha256"],
        "example": bool(row["is_example"]),
        "imported_at": row["imported_at"],
    }
