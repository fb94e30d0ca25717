"""The force threat assessment: its themes, their risk scores and priority bands.

Every year a force writes a strategic assessment of crime and threat: each threat theme
(serious violence, drug supply, ...) is scored for harm, likelihood and the organisation's
position, usually with MoRiLE (Management of Risk in Law Enforcement), and the themes are
sorted into priority bands. Ward Profiles does not score anything. It reads the
assessment's output, so that a ward's figures can be set beside the force's own priorities,
and it keeps each theme's police.uk categories and community concern tags, the two links
from a theme to what is recorded in a ward.

The file is typed by hand or exported from a workbook; its reader
(``geodata/io/threat.py``) checks every field and refuses the whole file when anything is
wrong, so a half-read assessment never misstates the force's priorities.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

BAND_ORDER: tuple[str, ...] = ("high", "medium", "low")
"""Priority bands, most urgent first: sort themes by ``BAND_ORDER.index(theme.priority_band)``."""

CONFIDENCES: tuple[str, ...] = ("low", "medium", "high")
"""How sure the assessment is of a theme's score.

MoRiLE asks the assessor to rate the confidence of the information behind each score. A high
score held with low confidence is an intelligence gap as much as a priority, so the
confidence travels with the score and is shown beside it.
"""

THEME_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "risk_score",
    "confidence",
    "priority_band",
    "categories",
    "concern_tags",
    "owner",
    "review_date",
)
"""The fields of a theme: YAML keys, or CSV columns in this order."""

OPTIONAL_THEME_FIELDS: tuple[str, ...] = ("categories", "concern_tags")
"""Theme fields that may be left out or left blank (organised crime has no police.uk category)."""

ASSESSMENT_FIELDS: tuple[str, ...] = ("title", "force", "assessed_on", "example", "themes")
"""The top-level keys of a YAML assessment; ``example`` is optional."""

NOTE_KEYS: tuple[str, ...] = ("title", "force", "assessed_on", "example")
"""The ``# key: value`` lines a CSV assessment may carry above its header."""

LIST_SEPARATOR = ";"
"""Separates the categories or concern tags of one theme in a CSV cell."""

SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".csv")
"""File name endings the reader accepts; the ending chooses the format."""


@dataclass(frozen=True)
class ThreatTheme:
    """One theme of a threat assessment, as the assessment scored it.

    ``risk_score`` is on the scale of the force's scoring (MoRiLE or its own), so it
    compares themes within one assessment, never across forces or years. ``categories``
    are current police.uk category names and may be empty (organised crime has no clean
    police.uk category); ``concern_tags`` are community concern register tags.
    ``owner`` is a role (a strategic lead), not a person.
    """

    name: str
    description: str
    risk_score: float
    confidence: str
    priority_band: str
    categories: tuple[str, ...]
    concern_tags: tuple[str, ...]
    owner: str
    review_date: date


@dataclass(frozen=True)
class ThreatAssessment:
    """A force's threat assessment: its themes in file order, and where it was read from.

    ``is_example`` is set by ``example: true`` in the file: the assessment is made up (the
    demo force's) and must be shown as such.
    """

    title: str
    force: str
    assessed_on: date
    themes: tuple[ThreatTheme, ...]
    source: str
    is_example: bool = False


def band_counts(themes: Collection[ThreatTheme]) -> dict[str, int]:
    """How many themes fall in each priority band, every band of :data:`BAND_ORDER` listed."""
    return {band: sum(t.priority_band == band for t in themes) for band in BAND_ORDER}
