"""SYNTHETIC demo community concerns for the demo force, drawn from a seed.

SYNTHETIC DATA - NOT REAL POLICE RECORDS. The concerns are invented for the wards of
``geodata/demo/force.py``; the named wards get concerns that match what the demo's
incidents show, so the priorities and gaps pages have something to find.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from geodata.concerns import Concern, ConcernUpdate
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE, VEHICLE_FALLING

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
    named wards of :mod:`geodata.demo.force` are always heard and get concerns that match what
    the demo force plants: ASB, off-road bikes and street drinking in
    :data:`~geodata.demo.wards.ASB_PARK`, burglary in :data:`~geodata.demo.wards.BURGLARY_RISING`,
    shoplifting, violence and VAWG in :data:`~geodata.demo.wards.TOWN_CENTRE`, vehicle crime in
    :data:`~geodata.demo.wards.VEHICLE_FALLING`. The remaining concerns go round the other heard
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
