"""Community concerns: what a community raised about a place, checked once at the edge.

A concern is something residents, businesses or a group told the police about a place: a
ward, a theme (:data:`DEFAULT_TAGS_PATH` lists the tags), a free-text description, the day
it was raised, the channel it came through (:data:`CHANNELS`), the community it came from
when known, and where, as a street or place description, a point, or both. Its status
(:data:`STATUSES`) changes through dated updates saying what was done and by whom.

This module holds the vocabulary, the checks, the CSV reader and writer and the synthetic
demo set. It stores nothing: ``service.store.concerns`` keeps every concern with its full
history.

Why channels and communities are recorded: a ward whose concerns all arrive through one
channel (the ward councillor, say), or from no one at all, is a ward whose residents are
seldom heard directly. Naming the channel and the community lets that be seen.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from geodata.crime import CATEGORIES, canonical_category
from geodata.crs import ENGLAND_WALES_BOUNDS
from geodata.demo import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE, VEHICLE_FALLING
from geodata.errors import ConcernError, ConcernFileError, RowError
from geodata.io.text import csv_rows, read_text

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

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (or hide one)."""

SPREADSHEET_PREFIX = "'"
"""Put before a cell that could be read as a formula: spreadsheets show it as text."""

DEFAULT_TAGS_PATH: Path = Path(__file__).parent / "data" / "concern_tags.csv"
"""The shipped theme tags (``tag,label,categories``); see ``geodata/data/README.md``."""

TAG_COLUMNS: tuple[str, ...] = ("tag", "label", "categories")

_TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEEDS_PREFIX = re.compile(f"'*[{re.escape(''.join(FORMULA_TRIGGERS))}]")
_PREFIXED = re.compile(f"'+[{re.escape(''.join(FORMULA_TRIGGERS))}]")


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


# --- Tags ----------------------------------------------------------------------------------


def read_concern_tags(path: str | os.PathLike[str]) -> dict[str, ConcernTag]:
    """Read and check a theme-tag table.

    The file is a CSV with the header ``tag,label,categories``. A tag is a lower-case slug
    (``knife-crime``); the label is what people read; ``categories`` lists the police.uk
    categories that record the same kind of thing, separated by ``;``, and is empty for a
    theme police.uk has no category for (speeding, parking, noise). Categories may be
    written as any label :func:`geodata.crime.canonical_category` accepts and are kept
    under their current police.uk name, so a concern can be set beside recorded crime.

    Every fault is collected before anything is raised: a bad or repeated tag, a blank
    label, an unknown category, a row with the wrong number of fields.

    Raises
    ------
    ConcernFileError
        When the file cannot be read or breaks a rule above; one fault per line, as
        ``<file>, line <n>, column '<column>': <problem>``.
    """
    source = str(path)
    text = read_text(path, source=source, error=ConcernFileError)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if header != list(TAG_COLUMNS):
        raise ConcernFileError(
            f"{source}: the header is {','.join(header)!r}; expected {','.join(TAG_COLUMNS)!r}"
        )
    tags: dict[str, ConcernTag] = {}
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(TAG_COLUMNS):
            errors.append(
                RowError(source, line, "tag", f"has {len(row)} fields, expected {len(TAG_COLUMNS)}")
            )
            continue
        tag, label, listed = (cell.strip() for cell in row)
        if not _TAG.fullmatch(tag):
            errors.append(
                RowError(
                    source, line, "tag", f"{tag!r} is not a lower-case slug like 'knife-crime'"
                )
            )
        elif tag in tags:
            errors.append(RowError(source, line, "tag", f"{tag!r} is given twice"))
        if not label:
            errors.append(RowError(source, line, "label", "is blank"))
        categories: list[str] = []
        for name in (part.strip() for part in listed.split(";")):
            category = canonical_category(name) if name else None
            if name and category is None:
                errors.append(
                    RowError(
                        source,
                        line,
                        "categories",
                        f"{name!r} is not a police.uk category; one of {', '.join(CATEGORIES)}",
                    )
                )
            elif category and category not in categories:
                categories.append(category)
        tags.setdefault(tag, ConcernTag(tag, label, tuple(categories)))
    if errors:
        raise ConcernFileError("\n".join(str(error) for error in errors))
    if not tags:
        raise ConcernFileError(f"{source}: holds no tags")
    return tags


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
        ("ward_code", _ward_problem(concern.ward_code, wards)),
        ("tag", _choice_problem(concern.tag, tags, what="tag")),
        ("description", _description_problem(concern.description)),
        ("raised_on", _future_problem(concern.raised_on, today)),
        ("channel", _choice_problem(concern.channel, CHANNELS, what="channel")),
        ("community", _length_problem(concern.community)),
        ("location", _length_problem(concern.location_text)),
        ("status", _choice_problem(concern.status, STATUSES, what="status")),
        ("recorded_by", _recorded_by_problem(concern.recorded_by)),
        *_point_problems(concern.longitude, concern.latitude),
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


def _ward_problem(code: str, wards: Collection[str]) -> str | None:
    if not code.strip():
        return "is blank; give the ward code (e.g. E05013038)"
    if code not in wards:
        return f"unknown ward code {code!r}: not a ward of the boundaries in use"
    return None


def _choice_problem(value: str, allowed: Mapping[str, Any], *, what: str) -> str | None:
    if value in allowed:
        return None
    if not value.strip():
        return f"is blank; one of {', '.join(allowed)}"
    return f"unknown {what} {value!r}; one of {', '.join(allowed)}"


def _description_problem(text: str) -> str | None:
    if not text.strip():
        return "is blank; say what was raised"
    if len(text) > MAX_DESCRIPTION:
        return f"is {len(text):,} characters long; at most {MAX_DESCRIPTION:,}"
    return None


def _future_problem(day: date, today: date) -> str | None:
    return f"{day.isoformat()} is after today ({today.isoformat()})" if day > today else None


def _length_problem(text: str | None) -> str | None:
    if text is not None and len(text) > MAX_SHORT_TEXT:
        return f"is {len(text):,} characters long; at most {MAX_SHORT_TEXT}"
    return None


def _recorded_by_problem(text: str) -> str | None:
    return "is blank; name who recorded the concern" if not text.strip() else _length_problem(text)


def _point_problems(
    longitude: float | None, latitude: float | None
) -> list[tuple[str, str | None]]:
    if longitude is None and latitude is None:
        return []
    if longitude is None or latitude is None:
        given, blank = ("latitude", "longitude") if longitude is None else ("longitude", "latitude")
        return [(blank, f"is blank but {given} is given; give both or neither")]
    min_x, min_y, max_x, max_y = ENGLAND_WALES_BOUNDS
    if not (min_x <= longitude <= max_x and min_y <= latitude <= max_y):
        return [("longitude", f"({longitude}, {latitude}) lies outside England and Wales")]
    return []


# --- Reading -------------------------------------------------------------------------------


def read_concerns_csv(
    data: str | os.PathLike[str] | bytes,
    *,
    source: str,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date | None = None,
) -> tuple[list[Concern], list[RowError]]:
    """Read a concerns CSV (the columns of :data:`CONCERN_COLUMNS`) and check every row.

    Method
    ------
    The header must name every column of :data:`CONCERN_COLUMNS`, in any order and letter
    case; other columns (``id``, ``updated_on`` of an export) are ignored. A header missing a
    column is refused as a whole. Each cell first has the spreadsheet-safety prefix taken
    off (:func:`from_spreadsheet`), so a file written by :func:`export_rows` reads back as it
    was, and its ends are stripped (the community also has inner spaces collapsed). Then a
    row is rejected, with one ``RowError`` per problem naming its column, when:

    - its number of fields differs from the header's;
    - the ward is not one of ``wards``, or the tag not one of ``tags`` (the message lists
      the tags allowed);
    - the description is blank or longer than :data:`MAX_DESCRIPTION` characters;
    - ``raised_on`` is not a date written ``YYYY-MM-DD``, or is after ``today``;
    - the channel or status is not in :data:`CHANNELS` or :data:`STATUSES` (slug or label,
      any case; a blank status is ``open``);
    - only one of longitude and latitude is given, either is not a number, or the point
      lies outside :data:`geodata.crs.ENGLAND_WALES_BOUNDS`;
    - ``recorded_by`` is blank, or a short text is over :data:`MAX_SHORT_TEXT` characters.

    Blank lines are skipped. A row's line is where it starts (the header is line 1), so a
    description running over several lines still points at its first.

    Parameters
    ----------
    data
        A path to the file, or its bytes; UTF-8, with or without a byte-order mark.
    source
        The name used in every message (the file name).
    wards
        The ward codes of the boundary vintage in use.
    tags
        The theme tags, as :func:`read_concern_tags` returns them.
    today
        The day after which ``raised_on`` is refused (default: the computer's date).

    Raises
    ------
    ConcernFileError
        When the file is missing, empty, not UTF-8 CSV, or its header lacks a column.
    """
    today = date.today() if today is None else today
    concerns: list[Concern] = []
    errors: list[RowError] = []
    for line, raw in csv_rows(
        data, CONCERN_COLUMNS, source=source, error=ConcernFileError, errors=errors
    ):
        cells = {name: from_spreadsheet(cell).strip() for name, cell in raw.items()}
        concern, problems = _parse_row(cells, wards=wards, tags=tags, today=today)
        errors.extend(RowError(source, line, column, problem) for column, problem in problems)
        if concern is not None:
            concerns.append(concern)
    return concerns, errors


def _parse_row(
    cells: dict[str, str],
    *,
    wards: Collection[str],
    tags: Mapping[str, Any],
    today: date,
) -> tuple[Concern | None, list[tuple[str, str]]]:
    """A concern from one row's stripped cells, or None and every problem found."""
    tag = vocabulary_slug(cells["tag"], _labels(tags)) or cells["tag"]
    channel = vocabulary_slug(cells["channel"], CHANNELS) or cells["channel"]
    status = vocabulary_slug(cells["status"] or "open", STATUSES) or cells["status"]
    community = normalise_community(cells["community"])
    problems: list[tuple[str, str | None]] = [
        ("ward_code", _ward_problem(cells["ward_code"], wards)),
        ("tag", _choice_problem(tag, tags, what="tag")),
        ("description", _description_problem(cells["description"])),
        ("channel", _choice_problem(channel, CHANNELS, what="channel")),
        ("community", _length_problem(community)),
        ("location", _length_problem(cells["location"] or None)),
        ("status", _choice_problem(status, STATUSES, what="status")),
        ("recorded_by", _recorded_by_problem(cells["recorded_by"])),
    ]
    raised_on: date | None = None
    if not _ISO_DATE.fullmatch(cells["raised_on"]):
        problems.append(("raised_on", f"{cells['raised_on']!r} is not a date written YYYY-MM-DD"))
    else:
        try:
            raised_on = date.fromisoformat(cells["raised_on"])
        except ValueError:
            problems.append(("raised_on", f"{cells['raised_on']!r} is not a real date"))
        else:
            problems.append(("raised_on", _future_problem(raised_on, today)))
    point: dict[str, float | None] = {}
    for column in ("longitude", "latitude"):
        try:
            point[column] = float(cells[column]) if cells[column] else None
        except ValueError:
            problems.append((column, f"{cells[column]!r} is not a number"))
    if len(point) == 2:
        problems.extend(_point_problems(point["longitude"], point["latitude"]))
    found = [(column, problem) for column, problem in problems if problem]
    if found or raised_on is None:
        return None, found
    concern = Concern(
        ward_code=cells["ward_code"],
        tag=tag,
        description=cells["description"],
        raised_on=raised_on,
        channel=channel,
        recorded_by=cells["recorded_by"],
        community=community,
        location_text=cells["location"] or None,
        longitude=point["longitude"],
        latitude=point["latitude"],
        status=status,
    )
    return concern, []


def _labels(tags: Mapping[str, Any]) -> dict[str, str]:
    return {tag: getattr(value, "label", tag) for tag, value in tags.items()}


# --- Writing -------------------------------------------------------------------------------


def spreadsheet_safe(text: str) -> str:
    """``text`` with an apostrophe put before it when a spreadsheet could run it as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
    Excel, LibreOffice and Google Sheets as a formula (or one hidden behind white space), so
    a description such as ``=HYPERLINK("http://...")`` could run when an exported file is
    opened. A leading apostrophe (``'``) makes a spreadsheet show the cell as text and hides
    the apostrophe. Text that already starts with apostrophes followed by one of those
    characters also gets one more, so that :func:`from_spreadsheet` can take exactly one
    off and every text comes back unchanged.
    """
    return SPREADSHEET_PREFIX + text if _NEEDS_PREFIX.match(text) else text


def from_spreadsheet(text: str) -> str:
    """Undo :func:`spreadsheet_safe`: drop one leading apostrophe before a formula character.

    Only an apostrophe followed (after any further apostrophes) by ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return is taken off; ``'tis`` stays as it is.
    """
    return text[1:] if _PREFIXED.match(text) else text


def export_rows(
    concerns: Iterable[Concern | Mapping[str, Any]],
    *,
    columns: Sequence[str] = CONCERN_COLUMNS,
) -> list[list[str]]:
    """The header and one row of text cells per concern, safe to open in a spreadsheet.

    ``concerns`` are :class:`Concern` objects or mappings with the same field names (the
    store's rows, which add ``id``, ``updated_on`` and the like); the ``location`` column
    reads ``location_text``. Every text value goes through :func:`spreadsheet_safe`.
    Numbers and dates are written by this function, not copied from anyone's text, so they
    are left as they are (a negative longitude stays a number): dates as ``YYYY-MM-DD``,
    floats in their shortest exact form, None as an empty cell.
    """
    rows = [list(columns)]
    for concern in concerns:
        fields = _fields(concern)
        rows.append([_cell(fields.get(_FIELD_OF_COLUMN.get(c, c))) for c in columns])
    return rows


_FIELD_OF_COLUMN = {"location": "location_text"}


def _fields(concern: Concern | Mapping[str, Any]) -> Mapping[str, Any]:
    if is_dataclass(concern) and not isinstance(concern, type):
        return asdict(concern)
    assert isinstance(concern, Mapping)
    return concern


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return spreadsheet_safe(str(value))


# --- Synthetic demo concerns ---------------------------------------------------------------

DEMO_CONCERN_COUNT = 60
"""How many concerns :func:`demo_concerns` makes."""

_DEMO_RECORDERS = tuple(f"PCSO Demo {n} (synthetic)" for n in (1, 2, 3, 4))
_DEMO_BY = (*_DEMO_RECORDERS, "PC Demo 5 (synthetic)", "Sgt Demo 6 (synthetic)")

_DEMO_TEXT: dict[str, tuple[str, ...]] = {
    "asb": (
        "Groups gathering by the play area most evenings; residents feel intimidated.",
        "Youths throwing stones at passing buses from the park footbridge.",
        "Fireworks set off in the park late at night, frightening dogs and children.",
        "Teenagers kicking doors and shouting in the flats' stairwell.",
    ),
    "off-road-bikes": (
        "Off-road bikes ridden fast across the playing fields and along footpaths.",
        "Quad bikes without plates racing on the park perimeter road at weekends.",
    ),
    "street-drinking": (
        "Street drinking on the benches by the shops from midday; litter and urinating.",
    ),
    "drugs": (
        "Suspected drug dealing from a car parked by the park gates in the evenings.",
        "Cannabis smell and visitors at all hours to a house in the close.",
    ),
    "burglary": (
        "Three sheds broken into on the same road in a fortnight; bikes and tools taken.",
        "Residents worried after two break-ins while people were on holiday.",
        "Doors tried at night along the terrace; one back door forced.",
        "Garage break-ins along the back lane; asking for patrols and crime prevention advice.",
    ),
    "shoplifting": (
        "Shop staff report the same group stealing and threatening them most days.",
        "Repeated thefts from the corner shop; the owner has stopped reporting them.",
    ),
    "violence": (
        "Fights outside the late bars at closing time on Fridays and Saturdays.",
        "Assault at the bus station; people now avoid it after dark.",
    ),
    "vawg": (
        "Women report being followed and harassed walking home past the taxi rank.",
        "Poor lighting on the underpass; women say they feel unsafe using it at night.",
    ),
    "public-order": ("Shouting and threats outside the takeaway late at night.",),
    "vehicle-crime": (
        "Car windows smashed and items taken from cars parked on the estate.",
        "Catalytic converters stolen from cars in the retail park.",
    ),
    "speeding": (
        "Cars speeding past the primary school at drop-off and pick-up times.",
        "Speeding on the main road through the village; a near miss at the crossing.",
    ),
    "parking": ("Parking on the pavement and across dropped kerbs outside the school.",),
    "fly-tipping": ("Fly-tipping in the lane behind the garages, blocking access.",),
    "noise": ("Loud music from a car park gathering until the early hours.",),
    "criminal-damage": ("Graffiti and broken fences along the canal path.",),
    "knife-crime": ("Parents worried after reports of a teenager carrying a knife.",),
    "bicycle-theft": ("Bikes stolen from the station racks even when locked.",),
    "exploitation": ("Concern that local children are being drawn into carrying drugs.",),
}
_GENERAL_TAGS = (
    "speeding",
    "parking",
    "asb",
    "fly-tipping",
    "noise",
    "criminal-damage",
    "vehicle-crime",
    "drugs",
    "bicycle-theft",
    "knife-crime",
    "exploitation",
    "burglary",
)
_ROLE_TAGS: dict[str, tuple[tuple[str, int], ...]] = {
    ASB_PARK: (("asb", 6), ("off-road-bikes", 2), ("street-drinking", 1), ("drugs", 1)),
    BURGLARY_RISING: (("burglary", 6), ("speeding", 1)),
    TOWN_CENTRE: (("shoplifting", 2), ("violence", 2), ("vawg", 1), ("public-order", 1)),
    VEHICLE_FALLING: (("vehicle-crime", 2),),
}
_DEMO_LOCATIONS = (
    "By the park gates",
    "The alley behind the parade of shops",
    "Outside the primary school",
    "Bus station",
    "Back lane behind the terrace",
    "Canal towpath",
    None,
    None,
)
_DEMO_COMMUNITIES = (
    "young people",
    "older residents",
    "residents' association",
    "ethnic minority community",
    "businesses",
    "students",
    "parents",
    None,
    None,
)
_HEARD_CHANNELS = (
    "community-meeting",
    "survey",
    "online-form",
    "street-briefing",
    "partner-agency",
    "social-media",
    "community-group",
    "ward-councillor",
)
_PROGRESS_NOTES = {
    "in-progress": (
        "Added to the ward's patrol plan; extra foot patrols at the times reported.",
        "Referred to the council's community safety team; joint visit arranged.",
        "Problem-solving plan opened; CCTV and licensing checks under way.",
    ),
    "resolved": (
        "No further reports for four weeks after action; residents told at the ward panel.",
        "Action taken with partners; the problem has stopped for now.",
        "Dealt with by the council after a joint visit; reports have stopped.",
    ),
    "closed": (
        "Reported back to the residents who raised it; closed at the ward panel.",
        "Not a police matter: passed to the council, who will respond directly.",
    ),
}


@dataclass
class _DemoWard:
    code: str
    heard: str  # "heard": varied channels; "councillor": only via the ward councillor
    tags: list[str] = field(default_factory=list)


def demo_concerns(
    ward_codes: Sequence[str],
    *,
    seed: int,
    today: date,
    names: Mapping[str, str] | None = None,
) -> list[tuple[Concern, list[ConcernUpdate]]]:
    """A seeded SYNTHETIC set of about 60 concerns, each with its dated updates.

    SYNTHETIC DATA - NOT REAL COMMUNITY CONCERNS. Every description is a made-up example,
    and every recorder and updater is named "... Demo n (synthetic)".

    Method. Everything comes from one ``random.Random(seed)``, so a seed always gives the
    same set. The wards (sorted) are split three ways: about a tenth *silent* (no concern
    at all), about a tenth *councillor-only* (two concerns each, both through the ward
    councillor) and the rest *heard* (concerns through varied channels and communities, the
    first never through the councillor). ``names`` maps the demo's ward names to codes; the
    named wards of :mod:`geodata.demo` are always heard and get concerns that match what
    the demo force plants: ASB, off-road bikes and street drinking in
    :data:`~geodata.demo.ASB_PARK`, burglary in :data:`~geodata.demo.BURGLARY_RISING`,
    shoplifting, violence and VAWG in :data:`~geodata.demo.TOWN_CENTRE`, vehicle crime in
    :data:`~geodata.demo.VEHICLE_FALLING`. The remaining concerns go round the other heard
    wards with mixed tags. Each concern is raised on a day within the 365 days up to
    ``today``. Concerns raised over a fortnight ago move on: about a quarter stay open, the
    others are updated to in progress, and some of those to resolved and then closed, on
    days between the raising and ``today``.

    Returns
    -------
    list of (Concern, list of ConcernUpdate)
        Sorted by day raised; each concern has status ``open`` and its updates, oldest
        first, take it on from there.
    """
    codes = sorted(set(ward_codes))
    if not codes:
        return []
    names = dict(names or {})
    outside = {name: code for name, code in names.items() if code not in codes}
    if outside:
        raise ValueError(f"names maps to ward codes not in ward_codes: {outside}")
    rng = random.Random(seed)
    roles = {names[name]: name for name in _ROLE_TAGS if name in names}
    others = [code for code in codes if code not in roles]
    rng.shuffle(others)
    share = max(1, round(len(codes) / 10)) if len(codes) >= 3 else 0
    # others[:share] are the silent wards: they get no concern at all.
    councillor = others[share : 2 * share]
    heard = sorted(others[2 * share :])
    wards = {code: _DemoWard(code, "councillor") for code in councillor}
    wards |= {code: _DemoWard(code, "heard") for code in [*roles, *heard]}
    for code, name in roles.items():
        wards[code].tags = [tag for tag, n in _ROLE_TAGS[name] for _ in range(n)]
    for code in councillor:
        wards[code].tags = [rng.choice(_GENERAL_TAGS) for _ in range(2)]
    remaining = DEMO_CONCERN_COUNT - sum(len(w.tags) for w in wards.values())
    pool = heard or sorted(roles) or sorted(councillor)
    for i in range(max(remaining, 0)):
        wards[pool[i % len(pool)]].tags.append(rng.choice(_GENERAL_TAGS))

    made: list[tuple[Concern, list[ConcernUpdate]]] = []
    for code in sorted(wards):
        ward = wards[code]
        for index, tag in enumerate(ward.tags):
            if ward.heard == "councillor":
                channel = "ward-councillor"
            elif index == 0:
                channel = rng.choice(_HEARD_CHANNELS[:-1])
            else:
                channel = rng.choice(_HEARD_CHANNELS)
            raised_on = today - timedelta(days=rng.randrange(365))
            concern = Concern(
                ward_code=code,
                tag=tag,
                description=rng.choice(_DEMO_TEXT[tag]),
                raised_on=raised_on,
                channel=channel,
                recorded_by=rng.choice(_DEMO_RECORDERS),
                community=_demo_community(rng.choice(_DEMO_COMMUNITIES), roles.get(code))
                if channel != "ward-councillor"
                else None,
                location_text=rng.choice(_DEMO_LOCATIONS),
            )
            made.append((concern, _demo_updates(raised_on, today, rng)))
    made.sort(key=lambda pair: (pair[0].raised_on, pair[0].ward_code, pair[0].tag))
    return made


def _demo_community(community: str | None, ward_name: str | None) -> str | None:
    """A named ward's residents' association is named after it, like a real one."""
    if community == "residents' association" and ward_name:
        return f"{ward_name} Residents' Association"
    return community


def _demo_updates(raised_on: date, today: date, rng: random.Random) -> list[ConcernUpdate]:
    """Updates taking a concern from open towards closed, on days up to ``today``."""
    age = (today - raised_on).days
    if age < 14:
        return []
    stages = rng.choices(
        [(), ("in-progress",), ("in-progress", "resolved"), ("in-progress", "resolved", "closed")],
        weights=(25, 30, 25, 20),
    )[0]
    updates: list[ConcernUpdate] = []
    day = raised_on
    for step, status in enumerate(stages):
        room = (today - day).days // (len(stages) - step)
        day += timedelta(days=rng.randint(1, max(room, 1)))
        updates.append(
            ConcernUpdate(
                status=status,
                note=rng.choice(_PROGRESS_NOTES[status]),
                by=rng.choice(_DEMO_BY),
                on=min(day, today),
            )
        )
    return updates
