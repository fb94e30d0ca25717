"""Prevention messages: what the force told the public, where, about what, and to whom.

A prevention message is one piece of crime-prevention or reassurance messaging: a
Neighbourhood Alert, a social media post, a press release, a leaflet drop, a street
briefing. It has the day it went out, its channel (:data:`CHANNELS`), the area it went to
(some wards, a council area, or the whole force: :data:`AREAS`), its theme tags (the concern
tags and the threat themes), its audience (:data:`AUDIENCES`, with a named group when there
is one), its reach when known (recipients or views), who sent it (a role or a team), a short
summary and a link or reference.

This module holds the vocabulary, the record and the checks; the CSV reader and writer are
``geodata/io/messages.py``, the alignment of messages with priorities is
``geodata/message_alignment.py`` and the synthetic demo set ``geodata/demo/messages.py``. It
stores nothing: ``service.store.messages`` keeps every message with its history.

Why this is recorded: the 2021 inspection found prevention messages were published without a
co-ordinated approach to their volume or to whether they matched force and local priorities.
A log with themes and areas lets both be counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from geodata.concerns import choice_problem, future_problem, length_problem, vocabulary_slug
from geodata.errors import MessageError

# --- Vocabulary ----------------------------------------------------------------------------

CHANNELS: Mapping[str, str] = MappingProxyType(
    {
        "community-messaging": "Community messaging system (such as Neighbourhood Alert)",
        "social-media": "Social media",
        "press": "Press",
        "leaflet-poster": "Leaflet or poster",
        "street-briefing": "Street briefing or door-knocking",
        "community-meeting": "Community meeting",
        "school-partner-event": "School or partner event",
        "other": "Other",
    }
)
"""How a message went out: stable slug → label. Slugs are stored; labels shown."""

AUDIENCES: Mapping[str, str] = MappingProxyType(
    {
        "residents": "Residents",
        "businesses": "Businesses",
        "young-people": "Young people",
        "older-residents": "Older residents",
        "students": "Students",
        "named-group": "A named group",
    }
)
"""Whom a message was for: slug → label. ``named-group`` needs the group's name."""

FORCE_WIDE = "force-wide"
"""The ``area`` of a message that went to the whole force."""

AREAS: Mapping[str, str] = MappingProxyType(
    {"wards": "Wards", "council": "A council area", FORCE_WIDE: "Force-wide"}
)
"""The kinds of area a message goes to. A council-area message reaches every ward of the
council (its ONS local authority code); a force-wide one reaches every ward."""

MESSAGE_COLUMNS: tuple[str, ...] = (
    "sent_on",
    "channel",
    "area",
    "themes",
    "audiences",
    "group",
    "reach",
    "sent_by",
    "summary",
    "reference",
)
"""The columns of a prevention-messages CSV (any order; other columns are ignored).

``sent_on``: the day it went out, ``YYYY-MM-DD``, not in the future. ``channel``: one of
:data:`CHANNELS`. ``area``: ``force-wide``, a council area's code (``E06000002``), or the
codes of the wards it went to separated by ``;``. ``themes``: one or more theme tags
separated by ``;``, each a concern tag or a threat theme's name. ``audiences``: one or more
of :data:`AUDIENCES` separated by ``;``. ``group``: the named group, needed with
``named-group`` and blank otherwise. ``reach``: recipients or views, a whole number, blank
when not known. ``sent_by``: the role or team that sent it. ``summary``: what the message
said, at most :data:`MAX_SUMMARY` characters. ``reference``: a link (``https://...``) or a
reference, blank when none. Channels, audiences and themes may be written as slugs or labels
in any letter case.
"""

LIST_SEPARATOR = ";"
"""Separates the wards, themes and audiences of one cell."""

MAX_SUMMARY = 1_000
"""Longest summary, in characters: what the message said, not the message itself."""

MAX_REFERENCE = 500
"""Longest link or reference, in characters."""

MAX_REACH = 100_000_000
"""Largest reach believed: more than the population of the UK is a typing mistake."""

MAX_LISTED = 200
"""Most wards, themes or audiences one message may list."""


@dataclass(frozen=True, kw_only=True)
class Message:
    """One prevention message as sent.

    ``area`` is a key of :data:`AREAS`; ``area_codes`` holds the ward codes (``wards``), the
    one council code (``council``) or nothing (``force-wide``). ``themes`` are concern tag
    slugs or threat theme names; ``audiences`` slugs of :data:`AUDIENCES`.
    """

    sent_on: date
    channel: str
    area: str
    area_codes: tuple[str, ...]
    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    sent_by: str
    summary: str
    group: str | None = None
    reach: int | None = None
    reference: str | None = None


# --- Checks --------------------------------------------------------------------------------


def theme_vocabulary(
    concern_tags: Mapping[str, str], threat_themes: Sequence[str]
) -> dict[str, str]:
    """Every theme a message may carry, slug → label: the concern tags, then the threat themes.

    A threat theme is its own slug (its name). A concern tag comes first, so "Burglary"
    written in a file is the tag ``burglary``, which the threat theme Burglary covers anyway.
    """
    vocabulary = dict(concern_tags)
    for name in threat_themes:
        vocabulary.setdefault(name, name)
    return vocabulary


def split_list(text: str) -> list[str]:
    """The items of a ``;``-separated cell, ends stripped, blanks dropped."""
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def parse_area(
    text: str, *, wards: Collection[str], councils: Collection[str]
) -> tuple[str, tuple[str, ...]]:
    """The area kind and codes an ``area`` cell names: force-wide, a council, or wards.

    ``force-wide`` (any case, spaces or hyphens) is the whole force; a single code that is
    one of ``councils`` is that council area; anything else is read as ward codes. The codes
    are not checked here (:func:`message_problems` does): a typed ward code stays as typed.
    """
    if vocabulary_slug(text, {FORCE_WIDE: "Force wide"}) == FORCE_WIDE:
        return FORCE_WIDE, ()
    codes = split_list(text)
    if len(codes) == 1 and codes[0] in councils and codes[0] not in wards:
        return "council", (codes[0],)
    return "wards", tuple(dict.fromkeys(codes))


def message_problems(
    message: Message,
    *,
    wards: Collection[str],
    councils: Collection[str],
    themes: Mapping[str, str],
    today: date,
) -> list[tuple[str, str]]:
    """Every reason ``message`` cannot be stored, as (CSV column, problem); empty when fine.

    The checks of a form, the API and every row of ``import-messages``: the day not after
    ``today``; the channel, each audience and each theme known; at least one theme and one
    audience; the area's codes all wards of ``wards`` (at least one), or its one council one
    of ``councils``; a group named exactly when ``named-group`` is an audience; the reach a
    whole number from 0 to :data:`MAX_REACH`; ``sent_by`` and ``summary`` not blank; the
    texts within their lengths; a reference that looks like a link (has ``://``) is an
    ``http`` or ``https`` one, so a page can link it safely.
    """
    problems: list[tuple[str, str | None]] = [
        ("sent_on", future_problem(message.sent_on, today)),
        ("channel", choice_problem(message.channel, CHANNELS, what="channel")),
        ("area", area_problem(message.area, message.area_codes, wards=wards, councils=councils)),
        ("themes", items_problem(message.themes, themes, what="theme")),
        ("audiences", items_problem(message.audiences, AUDIENCES, what="audience")),
        ("group", group_problem(message.group, message.audiences)),
        ("reach", reach_problem(message.reach)),
        ("sent_by", blank_problem(message.sent_by, "name the role or team that sent it")),
        ("summary", summary_problem(message.summary)),
        ("reference", reference_problem(message.reference)),
    ]
    return [(column, problem) for column, problem in problems if problem]


def check_message(
    message: Message,
    *,
    wards: Collection[str],
    councils: Collection[str],
    themes: Mapping[str, str],
    today: date,
) -> None:
    """Raise :class:`MessageError` listing every problem :func:`message_problems` finds."""
    problems = message_problems(message, wards=wards, councils=councils, themes=themes, today=today)
    if problems:
        text = "; ".join(f"{column}: {problem}" for column, problem in problems)
        raise MessageError(text, problems)


def area_problem(
    area: str, codes: Sequence[str], *, wards: Collection[str], councils: Collection[str]
) -> str | None:
    if area == FORCE_WIDE:
        return None if not codes else "a force-wide message names no wards or council"
    if area == "council":
        if len(codes) != 1 or codes[0] not in councils:
            return f"{LIST_SEPARATOR.join(codes)!r} is not a council area of the wards in use"
        return None
    if area != "wards":
        return f"unknown area {area!r}; one of {', '.join(AREAS)}"
    if not codes:
        return "is blank; give force-wide, a council area's code or ward codes separated by ;"
    if len(codes) > MAX_LISTED:
        return f"lists {len(codes)} wards; at most {MAX_LISTED} (or say force-wide)"
    unknown = [code for code in codes if code not in wards]
    if unknown:
        named = ", ".join(repr(code) for code in unknown[:5])
        return f"unknown ward code {named}: not a ward of the boundaries in use"
    return None


def items_problem(items: Sequence[str], allowed: Mapping[str, str], *, what: str) -> str | None:
    if not items:
        return f"is blank; give at least one {what} (separate several with ;)"
    if len(items) > MAX_LISTED:
        return f"lists {len(items)} {what}s; at most {MAX_LISTED}"
    unknown = [item for item in items if item not in allowed]
    if unknown:
        return f"unknown {what} {unknown[0]!r}; one of {', '.join(allowed)}"
    return None


def group_problem(group: str | None, audiences: Sequence[str]) -> str | None:
    if "named-group" in audiences and not (group or "").strip():
        return "is blank; name the group (the audience includes a named group)"
    if group and "named-group" not in audiences:
        return "names a group, but the audiences do not include named-group"
    return length_problem(group)


def reach_problem(reach: int | None) -> str | None:
    if reach is None:
        return None
    if isinstance(reach, bool) or not isinstance(reach, int) or not 0 <= reach <= MAX_REACH:
        return f"{reach!r} is not a whole number from 0 to {MAX_REACH:,}"
    return None


def blank_problem(text: str, hint: str) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return f"is blank; {hint}"
    return length_problem(text)


def summary_problem(text: str) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return "is blank; say in a sentence what the message said"
    if len(text) > MAX_SUMMARY:
        return f"is {len(text):,} characters long; at most {MAX_SUMMARY:,}"
    return None


def reference_problem(text: str | None) -> str | None:
    if text is None:
        return None
    if len(text) > MAX_REFERENCE:
        return f"is {len(text):,} characters long; at most {MAX_REFERENCE}"
    if "://" in text and not is_link(text):
        return f"{text[:40]!r} is a link that is not http:// or https://"
    return None


def is_link(reference: str | None) -> bool:
    """Whether a reference is a web link a page may make clickable (http or https only)."""
    return bool(reference) and str(reference).lower().startswith(("http://", "https://"))
