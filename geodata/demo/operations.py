"""SYNTHETIC demo operations for the demo force: a summer ASB operation, a night-time economy
operation on overtime, and a force-wide drugs week.

SYNTHETIC DATA - NOT REAL OPERATIONS. Each is written for a named ward of
``geodata/demo/force.py`` (the park, the town centre) so that the operation pages, the
ward pages and the planning page have something to show on a fresh clone; every name says
it is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from geodata.crime import ASB
from geodata.demo.wards import ASB_PARK, TOWN_CENTRE
from geodata.operations import Operation


def demo_operations(*, names: Mapping[str, str], year: int) -> list[Operation]:
    """Three SYNTHETIC operations in ``year``: ``names`` maps the demo's ward names to
    codes; an operation whose ward is missing from ``names`` is left out (the force-wide
    one never is)."""
    made = [
        Operation(
            name="Operation Summer Park (synthetic)",
            start_date=date(year, 7, 1),
            end_date=date(year, 8, 31),
            ward_codes=(names[ASB_PARK],) if ASB_PARK in names else (),
            themes=("anti-social behaviour", "young people"),
            categories=(ASB, "Criminal damage and arson"),
            description="Synthetic: high-visibility patrols round the park on summer evenings, "
            "with youth outreach by partners.",
        ),
        Operation(
            name="Operation Night Lights (synthetic)",
            start_date=date(year, 11, 28),
            end_date=date(year, 12, 31),
            ward_codes=(names[TOWN_CENTRE],) if TOWN_CENTRE in names else (),
            themes=("violence", "night-time economy"),
            categories=("Violence and sexual offences", "Public order"),
            overtime=True,
            description="Synthetic: extra weekend patrols in the town centre over the festive "
            "season, partly on overtime.",
        ),
        Operation(
            name="Operation Clear Week (synthetic)",
            start_date=date(year, 3, 10),
            end_date=date(year, 3, 16),
            force_wide=True,
            themes=("drug dealing",),
            categories=("Drugs",),
            description="Synthetic: a force-wide week of action against drug dealing.",
        ),
    ]
    return [o for o in made if o.force_wide or o.ward_codes]
