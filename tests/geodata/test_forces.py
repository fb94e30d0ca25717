from __future__ import annotations

import pytest

from geodata.errors import ForceChoiceError
from geodata.forces import FORCES, choose_forces, force_named, force_of_slug, label_of_slug


def test_the_table_holds_police_uks_45_forces_once_each() -> None:
    assert len(FORCES) == 45
    assert len({force.slug for force in FORCES}) == 45
    assert len({force.name.casefold() for force in FORCES}) == 45


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("metropolitan", "Metropolitan Police Service"),
        ("city-of-london", "City of London Police"),
        ("devon-and-cornwall", "Devon & Cornwall Police"),
        ("btp", "British Transport Police"),
        ("northern-ireland", "Police Service of Northern Ireland"),
        ("dyfed-powys", "Dyfed-Powys Police"),
        ("avon-and-somerset", "Avon and Somerset Constabulary"),
        ("cleveland", "Cleveland Police"),
        ("durham", "Durham Constabulary"),
    ],
)
def test_slugs_are_those_of_police_uks_file_names(slug: str, name: str) -> None:
    force = force_of_slug(slug)
    assert force is not None and force.name == name
    assert label_of_slug(slug) == name


@pytest.mark.parametrize(
    "words",
    ["cleveland", "CLEVELAND", "Cleveland Police", " cleveland   police ", "cleveland police"],
)
def test_a_force_is_named_by_slug_or_name_in_any_case(words: str) -> None:
    assert force_named(words) == force_of_slug("cleveland")


def test_other_names_of_a_force_are_known() -> None:
    assert force_named("Devon and Cornwall Police") == force_of_slug("devon-and-cornwall")
    assert force_named("Hampshire and Isle of Wight Constabulary") == force_of_slug("hampshire")
    assert force_named("Cleveland") == force_of_slug("cleveland")
    assert force_named("Cleveland Constabulary") is None
    assert label_of_slug("test") == "test"


def test_forces_are_chosen_among_those_held() -> None:
    held = {"cleveland", "durham", "metropolitan", "test"}
    assert choose_forces(["Cleveland Police", "durham"], held) == {"cleveland", "durham"}
    assert choose_forces(["TEST"], held) == {"test"}


def test_a_force_not_held_is_refused_with_the_forces_held() -> None:
    with pytest.raises(ForceChoiceError) as caught:
        choose_forces(["Kent Police", "cleveland", "Durham Police"], {"cleveland", "durham"})
    assert str(caught.value) == (
        "'Kent Police', 'Durham Police': not among the forces the files hold: "
        "cleveland (Cleveland Police), durham (Durham Constabulary)"
    )
    assert issubclass(ForceChoiceError, ValueError)
