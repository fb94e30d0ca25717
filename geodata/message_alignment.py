"""Prevention messages set against the combined ward priorities: gaps, noise and fatigue.

The inspection asked for prevention messaging whose volume is co-ordinated and which aligns
with force and local priorities. This module counts, for each ward and ranked theme, the
messages that reached the ward about the theme, and flags three things a co-ordinator acts on.

Method
------
*Reaching a ward.* A ward-level message reaches the wards it lists; a council-area message
every ward of that council; a force-wide message every ward (:func:`message_wards`).

*Covering a theme.* A message covers a ranked theme (:class:`geodata.priorities.Theme`) when
one of its theme tags is the theme's name or one of the concern tags the theme gathers
(:func:`covers`): a message tagged ``knife-crime`` speaks to "Serious violence" when the
threat assessment lists knife crime under it, and to the local theme ``knife-crime (local)``.

*The priorities* are the ward's ranked themes of :func:`geodata.priorities.rank_priorities`,
exactly as the ward page and the planning page rank them for the same period (the service
passes them in). A theme with no priority in a ward is one that does not rank there.

*Gap.* As of the period's last day (``end``), a theme is a gap in a ward when it is a high
force priority (threat band ``high``) or the ward's top-ranked theme, and no message covering
it has reached the ward in the last ``gap_weeks`` weeks: sent after ``end - gap_weeks`` and
on or before ``end``. Messages before the period count towards this window too.

*Noise.* Over the period (``start`` to ``end``), a message reaching a ward is *unprioritised*
there when none of its themes covers a theme ranked in the ward. A ward is noisy when it had
at least :data:`NOISE_MINIMUM` messages and more than :data:`NOISE_SHARE` of them were
unprioritised: themes with no priority took most of its messages.

*Fatigue.* Messages reaching a ward are counted per week (Monday to Sunday) of the period; a
week with more than ``weekly_ceiling`` messages is flagged. Every channel counts the same:
the check is of volume, not of reach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from geodata.messages import FORCE_WIDE, Message
from geodata.priorities import Priority, Theme

NOISE_SHARE = 0.5
"""More than this share of a ward's messages on unprioritised themes makes it noisy."""

NOISE_MINIMUM = 4
"""Fewer messages than this in the period are too few to call a ward noisy."""

HIGH_BAND = "high"
"""The threat band whose themes must be messaged everywhere they rank."""


@dataclass(frozen=True)
class AlignmentSettings:
    """The configurable parts: ``gap_weeks`` (``MESSAGE_GAP_WEEKS``) and ``weekly_ceiling``
    (``MESSAGE_WEEKLY_CEILING``); both whole numbers of at least 1."""

    gap_weeks: int = 8
    weekly_ceiling: int = 5

    def __post_init__(self) -> None:
        for name in ("gap_weeks", "weekly_ceiling"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: {value!r} is not a whole number of at least 1")


@dataclass(frozen=True)
class ThemeMessages:
    """One ranked theme of a ward with the messages that reached the ward about it."""

    theme: str
    rank: int
    score: float
    band: str | None
    messages: int
    last_sent: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "rank": self.rank,
            "score": round(self.score, 1),
            "band": self.band,
            "messages": self.messages,
            "last_sent": None if self.last_sent is None else self.last_sent.isoformat(),
        }


@dataclass(frozen=True)
class Gap:
    """A high force priority or a top priority with no message in the last weeks."""

    ward_code: str
    theme: str
    band: str | None
    reasons: tuple[str, ...]
    last_sent: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "ward": self.ward_code,
            "theme": self.theme,
            "band": self.band,
            "reasons": list(self.reasons),
            "last_sent": None if self.last_sent is None else self.last_sent.isoformat(),
        }


@dataclass(frozen=True)
class Noise:
    """A ward where themes with no priority took most of the period's messages."""

    ward_code: str
    messages: int
    unprioritised: int
    themes: Mapping[str, int]

    @property
    def share(self) -> float:
        return self.unprioritised / self.messages

    def to_json(self) -> dict[str, Any]:
        return {
            "ward": self.ward_code,
            "messages": self.messages,
            "unprioritised": self.unprioritised,
            "share": round(self.share, 3),
            "themes": dict(self.themes),
        }


@dataclass(frozen=True)
class Fatigue:
    """A week in which more messages reached a ward than the ceiling allows."""

    ward_code: str
    week: date
    messages: int

    def to_json(self) -> dict[str, Any]:
        return {"ward": self.ward_code, "week": self.week.isoformat(), "messages": self.messages}


@dataclass(frozen=True)
class WardAlignment:
    """A ward's messages over the period against its ranked themes, and what is flagged."""

    ward_code: str
    messages: int
    themes: list[ThemeMessages]
    gaps: list[Gap] = field(default_factory=list)
    noise: Noise | None = None
    fatigue: list[Fatigue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ward": self.ward_code,
            "messages": self.messages,
            "themes": [t.to_json() for t in self.themes],
            "gaps": [g.to_json() for g in self.gaps],
            "noise": None if self.noise is None else self.noise.to_json(),
            "fatigue": [f.to_json() for f in self.fatigue],
        }


def message_wards(message: Message, *, ward_councils: Mapping[str, str | None]) -> frozenset[str]:
    """The wards a message reached, of those in ``ward_councils`` (ward code → council code).

    Force-wide: every ward; a council area: every ward of that council; wards: those listed
    that are in ``ward_councils`` (a code of an older boundary vintage reaches no ward).
    """
    if message.area == FORCE_WIDE:
        return frozenset(ward_councils)
    if message.area == "council":
        return frozenset(code for code, lad in ward_councils.items() if lad in message.area_codes)
    return frozenset(code for code in message.area_codes if code in ward_councils)


def covers(themes: Collection[str], theme: Theme) -> bool:
    """Whether a message with these theme tags speaks to ``theme`` (its name or its tags)."""
    return theme.name in themes or any(tag in themes for tag in theme.concern_tags)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def align_messages(
    messages: Sequence[Message],
    *,
    ranked: Mapping[str, Sequence[Priority]],
    themes: Sequence[Theme],
    ward_councils: Mapping[str, str | None],
    start: date,
    end: date,
    settings: AlignmentSettings = AlignmentSettings(),
) -> dict[str, WardAlignment]:
    """Every ward of ``ranked``: its themes' messages, gaps, noise and fatigue (module method).

    ``messages`` may hold any days: those after ``end`` are ignored, those before ``start``
    count only towards the gap window. ``ranked`` is each ward's ranked priorities for the
    period and ``themes`` the themes they were ranked from.
    """
    if start > end:
        raise ValueError(f"start: {start.isoformat()} is after end {end.isoformat()}")
    by_name = {theme.name: theme for theme in themes}
    since = end - timedelta(weeks=settings.gap_weeks)
    reaching: dict[str, list[Message]] = {code: [] for code in ranked}
    for message in sorted(messages, key=lambda m: m.sent_on):
        if message.sent_on > end:
            continue
        for code in message_wards(message, ward_councils=ward_councils):
            if code in reaching:
                reaching[code].append(message)
    result = {}
    for code, priorities in ranked.items():
        received = reaching[code]
        in_period = [m for m in received if m.sent_on >= start]
        pairs = [(rank, p, by_name[p.theme]) for rank, p in enumerate(priorities, 1)]
        ward_themes = [theme for _, _, theme in pairs]
        rows = []
        gaps = []
        for rank, priority, theme in pairs:
            about = [m for m in received if covers(m.themes, theme)]
            last = about[-1].sent_on if about else None
            rows.append(
                ThemeMessages(
                    theme=theme.name,
                    rank=rank,
                    score=priority.score,
                    band=priority.band,
                    messages=sum(m.sent_on >= start for m in about),
                    last_sent=last,
                )
            )
            reasons = (("high force priority",) if priority.band == HIGH_BAND else ()) + (
                ("top priority",) if rank == 1 else ()
            )
            if reasons and (last is None or last <= since):
                gaps.append(Gap(code, theme.name, priority.band, reasons, last))
        result[code] = WardAlignment(
            ward_code=code,
            messages=len(in_period),
            themes=rows,
            gaps=gaps,
            noise=_noise(code, in_period, ward_themes),
            fatigue=_fatigue(code, in_period, settings.weekly_ceiling),
        )
    return result


def _noise(code: str, messages: Sequence[Message], themes: Sequence[Theme]) -> Noise | None:
    off = [m for m in messages if not any(covers(m.themes, theme) for theme in themes)]
    if len(messages) < NOISE_MINIMUM or len(off) <= NOISE_SHARE * len(messages):
        return None
    counted = Counter(tag for m in off for tag in m.themes)
    return Noise(code, len(messages), len(off), dict(sorted(counted.items())))


def _fatigue(code: str, messages: Sequence[Message], ceiling: int) -> list[Fatigue]:
    weeks = Counter(week_start(m.sent_on) for m in messages)
    return [Fatigue(code, week, n) for week, n in sorted(weeks.items()) if n > ceiling]
