"""The police forces that publish on police.uk: the slug in file names, the name in the rows."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from geodata.errors import ForceChoiceError


@dataclass(frozen=True, slots=True)
class Force:
    """One police.uk force.

    ``slug`` is police.uk's force id, the ``<force>`` of ``YYYY-MM-<force>-street.csv`` and
    of ``data.police.uk/api/forces``; ``name`` is how the force's rows name it in ``Falls
    within``. ``aliases`` are other names a user or an older file may give it.
    """

    slug: str
    name: str
    aliases: tuple[str, ...] = ()


FORCES: tuple[Force, ...] = (
    Force("avon-and-somerset", "Avon and Somerset Constabulary"),
    Force("bedfordshire", "Bedfordshire Police"),
    Force("btp", "British Transport Police"),
    Force("cambridgeshire", "Cambridgeshire Constabulary"),
    Force("cheshire", "Cheshire Constabulary"),
    Force("city-of-london", "City of London Police"),
    Force("cleveland", "Cleveland Police"),
    Force("cumbria", "Cumbria Constabulary"),
    Force("derbyshire", "Derbyshire Constabulary"),
    Force("devon-and-cornwall", "Devon & Cornwall Police", ("Devon and Cornwall Police",)),
    Force("dorset", "Dorset Police"),
    Force("durham", "Durham Constabulary"),
    Force("dyfed-powys", "Dyfed-Powys Police"),
    Force("essex", "Essex Police"),
    Force("gloucestershire", "Gloucestershire Constabulary"),
    Force("greater-manchester", "Greater Manchester Police"),
    Force("gwent", "Gwent Police"),
    Force("hampshire", "Hampshire Constabulary", ("Hampshire and Isle of Wight Constabulary",)),
    Force("hertfordshire", "Hertfordshire Constabulary"),
    Force("humberside", "Humberside Police"),
    Force("kent", "Kent Police"),
    Force("lancashire", "Lancashire Constabulary"),
    Force("leicestershire", "Leicestershire Police"),
    Force("lincolnshire", "Lincolnshire Police"),
    Force("merseyside", "Merseyside Police"),
    Force("metropolitan", "Metropolitan Police Service", ("Metropolitan Police",)),
    Force("norfolk", "Norfolk Constabulary"),
    Force("north-wales", "North Wales Police"),
    Force("north-yorkshire", "North Yorkshire Police"),
    Force("northamptonshire", "Northamptonshire Police"),
    Force("northern-ireland", "Police Service of Northern Ireland"),
    Force("northumbria", "Northumbria Police"),
    Force("nottinghamshire", "Nottinghamshire Police"),
    Force("south-wales", "South Wales Police"),
    Force("south-yorkshire", "South Yorkshire Police"),
    Force("staffordshire", "Staffordshire Police"),
    Force("suffolk", "Suffolk Constabulary"),
    Force("surrey", "Surrey Police"),
    Force("sussex", "Sussex Police"),
    Force("thames-valley", "Thames Valley Police"),
    Force("warwickshire", "Warwickshire Police"),
    Force("west-mercia", "West Mercia Police"),
    Force("west-midlands", "West Midlands Police"),
    Force("west-yorkshire", "West Yorkshire Police"),
    Force("wiltshire", "Wiltshire Police"),
)
"""The 45 forces of police.uk's monthly archive: the 43 territorial forces of England and
Wales, British Transport Police and the Police Service of Northern Ireland, with the slugs of
police.uk's file names (``data.police.uk/api/forces``) and the names of their rows."""

_BY_SLUG = {force.slug: force for force in FORCES}
_SPACES = re.compile(r"\s+")


def _folded(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).casefold()


_BY_WORDS = {
    _folded(words): force for force in FORCES for words in (force.slug, force.name, *force.aliases)
}


def force_of_slug(slug: str) -> Force | None:
    """The force a police.uk file name's ``<force>`` part names, if police.uk has it."""
    return _BY_SLUG.get(slug)


def force_named(words: str) -> Force | None:
    """The force given by its slug (``cleveland``) or its name (``Cleveland Police``), in
    any case and spacing; None when no police.uk force is called that."""
    return _BY_WORDS.get(_folded(words))


def label_of_slug(slug: str) -> str:
    """The name a slug is shown by: the force's name, or the slug itself when police.uk
    has no such force (a file named by hand)."""
    force = force_of_slug(slug)
    return force.name if force else slug


def choose_forces(wanted: Sequence[str], held: Collection[str]) -> set[str]:
    """The slugs among ``held`` (the forces some files hold) that ``wanted`` names.

    Each wanted entry is a slug or a force's name (see :func:`force_named`); a slug that
    is held but missing from :data:`FORCES` is matched exactly, case aside. An entry that
    names no held force is refused with the forces that are held, so a typo or a force the
    download lacks is never silently an empty import.
    """
    chosen: set[str] = set()
    unknown: list[str] = []
    for words in wanted:
        force = force_named(words)
        slug = force.slug if force else _folded(words)
        if slug in held:
            chosen.add(slug)
        else:
            unknown.append(words)
    if unknown:
        named = ", ".join(repr(words) for words in unknown)
        listed = ", ".join(f"{slug} ({label_of_slug(slug)})" for slug in sorted(held))
        raise ForceChoiceError(f"{named}: not among the forces the files hold: {listed}")
    return chosen
