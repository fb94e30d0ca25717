"""police.uk street-level records: the column layout, the category vocabulary and its aliases.

police.uk publishes one CSV per force and month. Every record has been moved to the nearest
of about 750,000 anonymous snap points ("On or near ..."), so a location is never an address,
and two identical rows are two incidents. Anti-social behaviour rows have no Crime ID and no
outcome; police.uk counts them as incidents, not crimes, so crime totals exclude them.
"""

from __future__ import annotations

STREET_COLUMNS: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
"""The header of every police.uk ``*-street.csv`` file, in order."""

ASB = "Anti-social behaviour"

CATEGORIES: tuple[str, ...] = (
    ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
"""The fourteen categories police.uk has published since May 2013."""

CATEGORY_ALIASES: dict[str, str] = {
    # Labels used before the May 2013 reclassification.
    "Violent crime": "Violence and sexual offences",
    "Public disorder and weapons": "Public order",
    # Slugs used by the police.uk API and some third-party extracts.
    "anti-social-behaviour": ASB,
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-crime": "Other crime",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
}
"""Older or machine labels mapped to the current category.

"Public disorder and weapons" was split in 2013 into "Public order" and "Possession of
weapons"; the old rows cannot be split again, so they go to "Public order", the larger part.
"""


def canonical_category(label: str) -> str | None:
    """The current police.uk category for ``label``, or None when it is not one we know."""
    if label in CATEGORIES:
        return label
    return CATEGORY_ALIASES.get(label)
