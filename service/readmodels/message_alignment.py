"""Prevention messages against the combined priorities: the stored messages, the ranked
priorities and the settings handed to ``geodata.message_alignment``.

One alignment serves the ward page, the planning page and ``/api/messages/alignment``, so
they never disagree. The ranking is the one the ward and planning pages show for the same
period (``ranked_themes``). The alignment is kept per edit version (the latest import ledger
id and the changes committed to concerns, plans and messages on the web:
:func:`service.readmodels.cache.edit_version`), period and day.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask

from geodata.message_alignment import (
    NOISE_MINIMUM,
    NOISE_SHARE,
    AlignmentSettings,
    Gap,
    WardAlignment,
    align_messages,
)
from geodata.period import Period
from service.readmodels.cache import data_cache, edit_version
from service.readmodels.ward_priorities import ranked_themes
from service.readmodels.ward_profiles import shared_figures
from service.store.messages import (
    list_messages,
    message_of,
    message_references,
)
from service.store.wards import list_wards

CACHED = 8
"""Alignments kept for the current data version: a few periods, each for one day."""


def alignment_settings(app: Flask) -> AlignmentSettings:
    """``MESSAGE_GAP_WEEKS`` and ``MESSAGE_WEEKLY_CEILING`` as the domain takes them."""
    return AlignmentSettings(
        gap_weeks=int(app.config["MESSAGE_GAP_WEEKS"]),
        weekly_ceiling=int(app.config["MESSAGE_WEEKLY_CEILING"]),
    )


def period_days(period: Period, *, today: date) -> tuple[date, date]:
    """The first day of the period's first month and the last day of its last month, or
    ``today`` when that is earlier (a gap is judged as of a day that has happened)."""
    first = date.fromisoformat(f"{period.first}-01")
    year, month = (int(part) for part in period.last.split("-"))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return first, min(last, today)


def message_alignment(
    app: Flask, engine: sa.Engine, *, period: Period, today: date
) -> dict[str, Any] | None:
    """The alignment of every ward for ``period``, or None when no wards are stored.

    ``wards`` maps each ward code to its :class:`WardAlignment`; ``names`` its name;
    ``gaps``, ``noise`` and ``fatigue`` list every ward's findings, by ward name; ``stored``
    counts every message stored (none: nothing to align, and pages say so).
    """
    shared = shared_figures(app, engine)
    if shared.vintage is None:
        return None
    vintage = shared.vintage
    return data_cache(app, "message alignments", size=CACHED).get(
        edit_version(engine),
        (period, today),
        lambda: _build(app, engine, vintage=vintage, period=period, today=today),
    )


def _build(
    app: Flask, engine: sa.Engine, *, vintage: str, period: Period, today: date
) -> dict[str, Any]:
    settings = alignment_settings(app)
    start, end = period_days(period, today=today)
    rows = list_messages(engine, until=end)
    themes, ranked = ranked_themes(app, engine, period=period, today=today)
    wards = align_messages(
        [message_of(row) for row in rows],
        ranked=ranked,
        themes=themes,
        ward_councils=message_references(engine).wards,
        start=start,
        end=end,
        settings=settings,
    )
    names = {ward["code"]: ward["name"] for ward in list_wards(engine, vintage=vintage)}
    by_name = sorted(wards.values(), key=lambda w: names.get(w.ward_code, w.ward_code))
    return {
        "period": period,
        "start": start,
        "end": end,
        "settings": settings,
        "noise_share": NOISE_SHARE,
        "noise_minimum": NOISE_MINIMUM,
        "stored": len(list_messages(engine)),
        "in_period": sum(row["sent_on"] >= start for row in rows),
        "names": names,
        "wards": wards,
        "gaps": [gap for ward in by_name for gap in ward.gaps],
        "noise": [ward.noise for ward in by_name if ward.noise is not None],
        "fatigue": [week for ward in by_name for week in ward.fatigue],
    }


def gaps_by_theme(gaps: list[Gap], names: dict[str, str]) -> list[tuple[str, list[Gap]]]:
    """Gaps grouped by theme (themes by name), each theme's wards by name."""
    grouped: dict[str, list[Gap]] = {}
    for gap in gaps:
        grouped.setdefault(gap.theme, []).append(gap)
    return [
        (theme, sorted(found, key=lambda g: names.get(g.ward_code, g.ward_code)))
        for theme, found in sorted(grouped.items())
    ]


def alignment_json(alignment: dict[str, Any]) -> dict[str, Any]:
    """What ``/api/messages/alignment`` answers: the method's settings, every ward's themes
    and findings, and the force-wide lists."""
    settings: AlignmentSettings = alignment["settings"]
    names = alignment["names"]
    wards: dict[str, WardAlignment] = alignment["wards"]
    return {
        "period": alignment["period"].to_json(),
        "start": alignment["start"].isoformat(),
        "as_of": alignment["end"].isoformat(),
        "gap_weeks": settings.gap_weeks,
        "weekly_ceiling": settings.weekly_ceiling,
        "noise_share": alignment["noise_share"],
        "noise_minimum": alignment["noise_minimum"],
        "messages_stored": alignment["stored"],
        "messages_in_period": alignment["in_period"],
        "wards": [
            {**wards[code].to_json(), "name": names.get(code, code)} for code in sorted(wards)
        ],
        "gaps": [gap.to_json() for gap in alignment["gaps"]],
        "noise": [noise.to_json() for noise in alignment["noise"]],
        "fatigue": [week.to_json() for week in alignment["fatigue"]],
    }
