"""SYNTHETIC demo problem-solving plans for the demo force: one good, one medium, one weak.

SYNTHETIC DATA - NOT REAL POLICE RECORDS. The plans are written for the named wards of
``geodata/demo/force.py`` so that the plan pages and evaluations have something to show
on a fresh clone; every title says it is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geodata.crime import ASB
from geodata.crs import project, transformers
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.plans import Plan, Response

# --- Synthetic demo plans ------------------------------------------------------------------

DEMO_PARK_RADIUS_M = 400.0
"""Radius of the demo ASB plan's circle round the park: the demo park cluster is 350 m."""


def demo_park_point(ward: BaseGeometry) -> tuple[float, float]:
    """Where the demo draws the Ashby Vale park: the centre of the largest circle in the ward.

    :mod:`geodata.demo.force` puts its park cluster round the centre of the largest circle
    inscribed in the ward (found in British National Grid); this finds it again from the
    ward's WGS84 geometry, within a few metres. Returns (longitude, latitude).
    """
    to_bng, to_wgs84 = transformers()
    circle = shapely.maximum_inscribed_circle(project(ward, to_bng))
    centre = project(shapely.Point(shapely.get_coordinates(circle)[0]), to_wgs84)
    return round(centre.x, 6), round(centre.y, 6)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1) + timedelta(days=day.day - 1)


def demo_plans(
    ward_codes: Sequence[str],
    *,
    names: Mapping[str, str],
    start: date,
    ward_geometries: Mapping[str, BaseGeometry] | None = None,
) -> list[Plan]:
    """Three SYNTHETIC example plans for the demo force: good, medium and weak.

    SYNTHETIC DATA - NOT REAL PLANS. Every text is made up for the invented Demoshire
    force; owners and partners are named "... (synthetic)".

    ``names`` maps the demo's ward names to codes (as :func:`geodata.demo.concerns.demo_concerns`
    takes them); a plan whose ward is missing from ``names`` or ``ward_codes`` is left out.
    ``start`` is every plan's start date: for the demo's twelve months 2025-01 to 2025-12,
    2025-07-01 leaves six months before and six after.

    - **Ashby Vale park ASB** (:data:`~geodata.demo.wards.ASB_PARK`, ``active``, all 9 checklist
      items met): a circle of :data:`DEMO_PARK_RADIUS_M` metres round the park
      (:func:`demo_park_point`, which needs the ward's geometry in ``ward_geometries``;
      without it the target is the whole ward), assessed six months after the start.
    - **Town-centre night-time violence** (:data:`~geodata.demo.wards.TOWN_CENTRE`, ``active``,
      5 of 9: no measurable objective, no assessment date, no community involvement, and
      one response not linked to the cause): the ward as target.
    - **Hollin Green burglary** (:data:`~geodata.demo.wards.BURGLARY_RISING`, ``draft``, 1 of 9:
      only data in scanning).
    """
    codes = set(ward_codes)

    def code_of(name: str) -> str | None:
        code = names.get(name)
        return code if code in codes else None

    made: list[Plan] = []
    park = code_of(ASB_PARK)
    if park is not None:
        made.append(_demo_park_plan(park, start, (ward_geometries or {}).get(park)))
    town = code_of(TOWN_CENTRE)
    if town is not None:
        made.append(_demo_town_plan(town, start))
    burglary = code_of(BURGLARY_RISING)
    if burglary is not None:
        made.append(_demo_burglary_plan(burglary, start))
    return made


def _demo_park_plan(code: str, start: date, ward: BaseGeometry | None) -> Plan:
    target: dict[str, Any] = {"target_kind": "ward"}
    if ward is not None:
        longitude, latitude = demo_park_point(ward)
        target = {
            "target_kind": "point-buffer",
            "longitude": longitude,
            "latitude": latitude,
            "radius_m": DEMO_PARK_RADIUS_M,
        }
    return Plan(
        ward_codes=(code,),
        title="Ashby Vale park: evening anti-social behaviour (synthetic example)",
        start_date=start,
        problem=(
            "Groups of young people gather in Ashby Vale park on summer evenings and "
            "weekends; ASB reports around the play area and footbridge have doubled, and "
            "residents avoid the park after dark."
        ),
        status="active",
        scanning=(
            "Police.uk ASB records put the park among the force's densest hot spots (Gi* "
            "cells at 250 m); residents raised it at the ward panel."
        ),
        scanning_sources=("data", "concerns", "community"),
        offenders="A group of about 15 local teenagers, most aged 14 to 17 (synthetic).",
        victims="Park users, families at the play area and residents along the park edge.",
        places="The play area, the shelter by the footbridge and the unlit path to the gates.",
        root_cause=(
            "The unlit shelter and path give groups a hidden place to gather, with nothing "
            "else for young people to do in the evenings and no one in charge of the park."
        ),
        hypothesis=(
            "Lighting the path, removing the shelter's hidden corner and running evening "
            "youth sessions will cut gatherings and the ASB that comes with them."
        ),
        responses=(
            Response(
                action="Install lighting along the path and by the shelter",
                owner="Southmere Council parks team (synthetic)",
                due=_add_months(start, 2),
                partners=("Southmere Council (synthetic)",),
                evidence="Improved street lighting: the toolkit's reviews find crime reduced.",
                toolkit_rating="effective",
            ),
            Response(
                action="Run youth sessions on Tuesday and Friday evenings in the park",
                owner="Ashby Vale youth service (synthetic)",
                due=_add_months(start, 1),
                partners=("Ashby Vale Youth Trust (synthetic)",),
                evidence="Gives the young people somewhere to go in the evenings instead.",
                toolkit_rating="promising",
            ),
            Response(
                action="Foot patrols at the shelter and play area, 6pm to 10pm at weekends",
                owner="Ashby Vale neighbourhood team (synthetic)",
                due=start,
                evidence="Hot spots policing: short visible patrols where gatherings happen.",
                toolkit_rating="effective",
            ),
        ),
        measure="Monthly police.uk ASB records within 400 m of the park, and ward panel views.",
        objective="Reduce ASB records in the target area by 30 % over six months.",
        assessment_date=_add_months(start, 6) - timedelta(days=1),
        **target,
        categories=(ASB, "Criminal damage and arson"),
        review_dates=(_add_months(start, 1), _add_months(start, 3)),
        community_involvement=(
            "Residents' association walkabout to map where people feel unsafe; young people "
            "asked what sessions they want; results reported back at the ward panel."
        ),
        partners=("Southmere Council (synthetic)", "Ashby Vale Youth Trust (synthetic)"),
    )


def _demo_town_plan(code: str, start: date) -> Plan:
    return Plan(
        ward_codes=(code,),
        title="Millbrook Central: night-time violence (synthetic example)",
        start_date=start,
        problem=(
            "Violence and public order offences in Millbrook Central cluster around the "
            "late bars and the taxi rank on Friday and Saturday nights after midnight."
        ),
        status="active",
        scanning="Town-centre violence is the ward's largest category in the police.uk data.",
        scanning_sources=("data", "partners"),
        offenders="Mostly young men who have been drinking in the late bars.",
        victims="Other night-time visitors, door staff and taxi marshals.",
        places="The taxi rank, two late bars and the bus station.",
        root_cause=(
            "Crowds leave the late bars at the same time and queue at one crowded taxi rank "
            "with no marshals."
        ),
        responses=(
            Response(
                action="Add taxi marshals at the rank from midnight to 3am",
                owner="Millbrook Business Improvement District (synthetic)",
                partners=("Millbrook BID (synthetic)",),
                evidence="Spreads out the queue at the crowded rank.",
            ),
            Response(
                action="Leaflet drop on personal safety",
                owner="Millbrook neighbourhood team (synthetic)",
                evidence="Residents asked for advice.",
            ),
        ),
        measure="Violence and public order records in the ward.",
        objective="Make the town centre feel safer at night.",
        categories=("Violence and sexual offences", "Public order"),
        review_dates=(_add_months(start, 3),),
        partners=("Millbrook BID (synthetic)", "Licensing, Northvale Council (synthetic)"),
    )


def _demo_burglary_plan(code: str, start: date) -> Plan:
    return Plan(
        ward_codes=(code,),
        title="Hollin Green burglary (synthetic example)",
        start_date=start,
        problem="Burglary keeps going up in Hollin Green.",
        scanning_sources=("data", "concerns"),
        responses=(Response(action="More patrols", owner="Neighbourhood team (synthetic)"),),
        objective="Reduce burglary.",
        categories=("Burglary",),
    )
