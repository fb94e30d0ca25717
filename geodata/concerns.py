"""Community concerns: what a community raised about a place, checked once at the edge.

A concern is something residents, businesses or a group told the police about a place: a
ward, a theme (:data:`DEFAULT_TAGS_PATH` lists the tags), a free-text description, the day
it was raised, the channel it came through (:data:`CHANNELS`), the community it came from
when known, and where, as a street or place description, a point, or both. Its status
(:data:`STATUSES`) changes through dated updates saying what was done and by whom.

This module holds the vocabulary, the record and the checks; the CSV reader and writer
and the tag table reader are ``geodata/io/concerns.py`` and the synthetic demo set
``geodata/demo/concerns.py``. It stores nothing: ``service.store.concerns`` keeps every
concern with its full history.

Why channels and communities are recorded: a ward whose concerns all arrive through one
channel (the ward councillor, say), or from no one at all, is a ward whose residents are
seldom heard directly. Naming the channel and the community lets that be seen.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from geodata.crs import ENGLAND_WALES_BOUNDS
from geodata.errors import ConcernError

# --- Vocabulary ----------------------------------------------------------------------------

CHANNELS: Mapping[str, str] = MappingProxyType(
    {
        "ward-councillor": "Ward councillor",
        "community-meeting": "Community meeting",
        "survey": "Survey",
        "online-form": "Online form",
        "street-briefing": "Street briefing or door-knocking",
        "partner-agency": "Partner agency",
        "social-media": "Social media",
        "community-group": "Community group",
        "other": "Other",
    }
)
"""How a concern reached the police: stable slug → label. Slugs are stored; labels shown."""

STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "open": "Open",
        "in-progress": "In progress",
        "resolved": "Resolved",
        "closed": "Closed",
    }
)
"""Where a concern stands: slug → label. ``resolved``: the problem has been dealt with;
``closed``: no further action (resolved and reported back, or not a police matter)."""

OPEN_STATUSES: tuple[str, ...] = ("open", "in-progress")
"""Statuses of a concern still being worked on."""

COMMUNITY_EXAMPLES: tuple[str, ...] = (
    "young people",
    "older residents",
    "Mill Lane Residents' Association",
    "ethnic minority community",
    "businesses",
    "students",
)
"""What the free-text community field holds: a group of people or a named organisation."""

CONCERN_COLUMNS: tuple[str, ...] = (
    "ward_code",
    "tag",
    "description",
    "raised_on",
    "channel",
    "community",
    "location",
    "longitude",
    "latitude",
    "status",
    "recorded_by",
)
"""The columns of a concerns CSV (any order; other columns are ignored).

``ward_code``: a ward of the boundaries in use. ``tag``: one of the theme tags. ``description``:
what was raised, at most :data:`MAX_DESCRIPTION` characters. ``raised_on``: the day it was
raised, ``YYYY-MM-DD``, not in the future. ``channel``: one of :data:`CHANNELS`. ``community``:
the community or group it came from, blank when unknown. ``location``: a street or place
description, blank when none. ``longitude``, ``latitude``: a WGS84 point in England and Wales,
both or neither. ``status``: one of :data:`STATUSES`, blank for ``open``. ``recorded_by``: who
took the concern down. Tags, channels and statuses may be written as slugs or labels in any
letter case (``In progress``, ``in_progress``).
"""

MAX_DESCRIPTION = 2_000
"""Longest description, in characters: a paragraph, not a case file."""

MAX_SHORT_TEXT = 200
"""Longest community, location or recorded-by text, in characters."""

DEFAULT_TAGS_PATH: Path = Path(__file__).parent / "data" / "concern_tags.csv"
"""The shipped theme tags (``tag,label,categories``); see ``geodata/data/README.md``."""


@dataclass(frozen=True)
class ConcernTag:
    """A theme tag and the police.uk categories (possibly none) that record the same thing."""

    tag: str
    label: str
    categories: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Concern:
    """One concern as raised: ``status`` is the status it is recorded with.

    ``longitude`` and ``latitude`` are WGS84 and come together or not at all;
    ``location_text`` is the street or place as described ("the alley behind Mill Lane").
    """

    ward_code: str
    tag: str
    description: str
    raised_on: date
    channel: str
    recorded_by: str
    community: str | None = None
    location_text: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    status: str = "open"


@dataclass(frozen=True)
class ConcernUpdate:
    """A dated change of status: what was done (``note``) and by whom."""

    status: str
    note: str
    by: str
    on: date


# --- Checks --------------------------------------------------------------------------------


def vocabulary_slug(text: str, vocabulary: Mapping[str, str]) -> str | None:
    """The slug that ``text`` names, as a slug or a label, in any letter case, or None.

    Spaces, hyphens and underscores count as the same, so ``In progress``, ``in_progress``
    and ``in-progress`` all name ``in-progress``.
    """
    wanted = _fold(text)
    for slug, label in vocabulary.items():
        if wanted in (_fold(slug), _fold(label)):
            return slug
    return None


def normalise_community(text: str | None) -> str | None:
    """Community text with its ends stripped and inner runs of whitespace made one space.

    Blank is None (not known). Case is kept: "Hollin Green Residents' Association" is a name.
    """
    if text is None:
        return None
    return " ".join(text.split()) or None


def concern_problems(
    concern: Concern,
    *,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date,
) -> list[tuple[str, str]]:
    """Every reason ``concern`` cannot be stored, as (CSV column, problem); empty when fine.

    The same checks as :func:`read_concerns_csv`, for a concern built in code (a form, the
    store): the ward is one of ``wards``, the tag one of ``tags``, the channel and status
    slugs, the description not blank and at most :data:`MAX_DESCRIPTION` characters, the
    day not after ``today``, the point both-or-neither and inside England and Wales.
    """
    problems = [
        ("ward_code", ward_problem(concern.ward_code, wards)),
        ("tag", choice_problem(concern.tag, tags, what="tag")),
        ("description", description_problem(concern.description)),
        ("raised_on", future_problem(concern.raised_on, today)),
        ("channel", choice_problem(concern.channel, CHANNELS, what="channel")),
        ("community", length_problem(concern.community)),
        ("location", length_problem(concern.location_text)),
        ("status", choice_problem(concern.status, STATUSES, what="status")),
        ("recorded_by", recorded_by_problem(concern.recorded_by)),
        *point_problems(concern.longitude, concern.latitude),
    ]
    return [(column, problem) for column, problem in problems if problem]


def check_concern(
    concern: Concern, *, wards: Collection[str], tags: Mapping[str, Any], today: date
) -> None:
    """Raise :class:`ConcernError` listing every problem :func:`concern_problems` finds."""
    problems = concern_problems(concern, wards=wards, tags=tags, today=today)
    if problems:
        raise ConcernError("; ".join(f"{column}: {problem}" for column, problem in problems))


def _fold(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def ward_problem(code: str, wards: Collection[str]) -> str | None:
    if not code.strip():
        return "is blank; give the ward code (e.g. E05013038)"
    if code not in wards:
        return f"unknown ward code {code!r}: not a ward of the boundaries in use"
    return None


def choice_problem(value: str, allowed: Mapping[str, Any], *, what: str) -> str | None:
    if value in allowed:
        return None
    if not value.strip():
        return f"is blank; one of {', '.join(allowed)}"
    return f"unknown {what} {value!r}; one of {', '.join(allowed)}"


def description_problem(text: str) -> str | None:
    if not text.strip():
        return "is blank; say what was raised"
    if len(text) > MAX_DESCRIPTION:
        return f"is {len(text):,} characters long; at most {MAX_DESCRIPTION:,}"
    return None


def future_problem(day: date, today: date) -> str | None:
    return f"{day.isoformat()} is after today ({today.isoformat()})" if day > today else None


def length_problem(text: str | None) -> str | None:
    if text is not None and len(text) > MAX_SHORT_TEXT:
        return f"is {len(text):,} characters long; at most {MAX_SHORT_TEXT}"
    return None


def recorded_by_problem(text: str) -> str | None:
    return "is blank; name who recorded the concern" if not text.strip() else length_problem(text)


def point_problems(longitude: float | None, latitude: float | None) -> list[tuple[str, str | None]]:
    if longitude is None and latitude is None:
        return []
    if longitude is None or latitude is None:
        given, blank = ("latitude", "longitude") if longitude is None else ("longitude", "latitude")
        return [(blank, f"is blank but {given} is given; give both or neither")]
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    if not (min_x <= longitude <= max_x and min_y <= latitude <= max_y):
        return [("longitude", f"({longitude}, {latitude}) lies outside England and Wales")]
    return []
