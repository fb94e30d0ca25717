"""Harm weights per police.uk crime category, and the harm of a set of crime counts.

A count treats a shoplifting and a robbery alike. A harm total weights each crime by the
typical sentence its offence receives, so that places can be compared by how much harm was
done there as well as by how many crimes were recorded. The weights live in a table (by
default :data:`DEFAULT_WEIGHTS_PATH`, derived from the ONS Crime Severity Score; see
``geodata/data/README.md``); a force can swap in its own, such as a Cambridge Crime Harm Index
table, so the reader (``geodata/io/harm.py``) checks a table thoroughly and names the file
and line of every fault.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from geodata.crime import ASB, CATEGORIES, canonical_category

DEFAULT_WEIGHTS_PATH: Path = Path(__file__).parent / "data" / "harm_weights_ons_css.csv"
"""ONS Crime Severity Score weights combined into the 13 police.uk crime categories."""

WEIGHTED_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != ASB)
"""Every category a harm table must weight: all but anti-social behaviour."""

COLUMNS: tuple[str, ...] = ("category", "weight", "basis")
"""The header of a harm-weights table; ``basis`` may be left out of a force's own table."""

RANGE_COLUMNS: tuple[str, ...] = ("category", "weight", "low", "high", "basis")
"""The header of a table that also gives each weight's plausible range (the shipped one)."""

HEADERS: tuple[tuple[str, ...], ...] = (COLUMNS, COLUMNS[:2], RANGE_COLUMNS)
"""The headers a table may have."""

REQUIRED_NOTES: tuple[str, ...] = ("source", "caveat")
"""``# key: value`` lines every table must carry, so a harm figure can say what it rests on."""


@dataclass(frozen=True)
class HarmWeights:
    """One weight per crime category, with where the weights came from and their limits.

    ``weights`` maps each of :data:`WEIGHTED_CATEGORIES` to a finite, non-negative weight
    (days of custody or its equivalent, for the shipped table); it is read-only. ``ranges``
    gives each weight's plausible low and high when the table has ``low`` and ``high``
    columns (the shipped one does: see ``scripts/harm_weights.py``).
    """

    weights: Mapping[str, float]
    source: str
    caveat: str
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))
    """Each weight's plausible (low, high), read-only; empty when the table gives none."""


def harm_by_category(counts: Mapping[str, int], weights: HarmWeights) -> dict[str, float]:
    """The harm of each crime category: its count times its weight.

    Method
    ------
    For each weighted category *c*, harm(*c*) = count(*c*) * weight(*c*). Counts may use any
    label :func:`geodata.crime.canonical_category` accepts; counts given under several labels
    of one category are added first. Anti-social behaviour contributes nothing: it is not a
    notifiable crime and has no weight, so its count is accepted and left out. A category
    with no count has harm 0.

    Returns
    -------
    dict
        One entry for every weighted category, in :data:`geodata.crime.CATEGORIES` order.

    Raises
    ------
    ValueError
        For a label that is not a police.uk category, a count that is negative or not a
        whole number, or a category ``weights`` does not weigh. Unknown labels are refused
        rather than skipped, because skipping would silently understate harm.
    """
    totals: dict[str, int] = {}
    for label, count in counts.items():
        category = canonical_category(label)
        if category is None:
            raise ValueError(
                f"counts: {label!r} is not a police.uk category; allowed: {', '.join(CATEGORIES)}"
            )
        whole = _whole_count(label, count)
        if category != ASB:
            totals[category] = totals.get(category, 0) + whole
    harm: dict[str, float] = {}
    for category in WEIGHTED_CATEGORIES:
        if category not in weights.weights:
            raise ValueError(f"weights: no weight for {category!r} (from {weights.source})")
        harm[category] = totals.get(category, 0) * float(weights.weights[category])
    return harm


def harm_total(counts: Mapping[str, int], weights: HarmWeights) -> float:
    """The total harm of a set of crime counts.

    Method
    ------
    harm = Σ count(*c*) * weight(*c*) over the crime categories *c*, summed exactly
    (``math.fsum``) from :func:`harm_by_category`; anti-social behaviour contributes nothing
    and an unknown category raises ``ValueError``. The unit is the unit of the weights: days
    of custody or its equivalent for the shipped ONS table.
    """
    return math.fsum(harm_by_category(counts, weights).values())


def plain_note(note: str) -> str:
    """A table's ``source`` or ``caveat`` note as a reader sees it: no links, file paths or
    commit hashes, which belong in the table and the API, not on a page.

    Method: parenthetical asides are dropped (they hold the links, files and commits of the
    shipped table, and the examples of its caveat), then "via <place>" phrases, then any
    ";"-separated part still naming a path or address; spaces are tidied, the first letter
    is made a capital and the note ends with a full stop.
    """
    text = re.sub(r"\s*\([^()]*\)", "", note)
    text = re.sub(r",?\s*\bvia\s+[^\s;]+(\s+[^\s;]*/[^\s;]*)?", "", text)
    parts = [p.strip() for p in text.split(";")]
    kept = [p for p in parts if p and not re.search(r"/|://|\b[0-9a-f]{7,40}\b", p)]
    text = re.sub(r"\s+([,.;])", r"\1", "; ".join(kept))
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else ""


def _whole_count(label: str, count: object) -> int:
    """``count`` as an int, when it is a whole number of crimes."""
    problem = f"counts: {label!r} has count {count!r}; counts are whole numbers, 0 or more"
    try:
        whole = int(count)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(problem) from error
    if whole != count or whole < 0:
        raise ValueError(problem)
    return whole
