"""Problem-solving plans: checks, the quality checklist, target areas and the file formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from geodata.areas import target_geometry
from geodata.crime import CATEGORIES
from geodata.demo.force import make_demo_force
from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError, PlanFileError, RowError
from geodata.io.concerns import FORMULA_TRIGGERS
from geodata.io.plans import (
    plan_from_dict,
    plan_rows,
    plan_to_dict,
    plans_to_csv,
    plans_to_json,
    read_plans_csv,
    read_plans_json,
)
from geodata.plan_quality import QUALITY_ITEMS, quality
from geodata.plans import PLAN_COLUMNS, Plan, Response, check_plan, plan_problems
from tests.factories import EAST, NORTH, WEST

WARDS = {"E05000001": EAST, "E05000002": WEST, "E05000003": NORTH}
START = date(2025, 7, 1)


def good_plan(**fields: Any) -> Plan:
    """A plan meeting every checklist item, in West Ward; keyword arguments replace fields."""
    values: dict[str, Any] = {
        "ward_codes": ("E05000002",),
        "title": "Mill Lane park ASB",
        "problem": (
            "Groups gather in Mill Lane park on Friday and Saturday evenings, and ASB reports "
            "near the play area have doubled since spring."
        ),
        "start_date": START,
        "status": "active",
        "scanning": "ASB hot spot in the police.uk data; raised at the ward panel.",
        "scanning_sources": ("data", "concerns"),
        "linked_concern_ids": (1,),
        "offenders": "A group of local teenagers.",
        "victims": "Park users and neighbours.",
        "places": "The play area and the shelter.",
        "root_cause": "The unlit shelter hides groups from view after dark.",
        "hypothesis": "Lighting the shelter will stop groups gathering there.",
        "responses": (
            Response(
                action="Install lights by the shelter",
                owner="Council parks team",
                due=date(2025, 8, 1),
                partners=("Testborough Council",),
                evidence="Improved street lighting reduces crime (Crime Reduction Toolkit).",
                toolkit_rating="effective",
            ),
        ),
        "measure": "Monthly ASB records within 300 m of the shelter.",
        "objective": "Reduce ASB records by 30 % in six months.",
        "assessment_date": date(2025, 12, 31),
        "target_kind": "point-buffer",
        "longitude": -1.21,
        "latitude": 54.61,
        "radius_m": 300.0,
        "categories": ("Anti-social behaviour",),
        "review_dates": (date(2025, 9, 1),),
        "community_involvement": "Walkabout with residents; results at the ward panel.",
        "partners": ("Testborough Council",),
    }
    return Plan(**(values | fields))


def weak_plan(**fields: Any) -> Plan:
    """A bare draft: only the required fields and one response without evidence."""
    values: dict[str, Any] = {
        "ward_codes": ("E05000001",),
        "title": "Burglary",
        "problem": "Burglary is going up.",
        "start_date": START,
        "responses": (Response(action="More patrols", owner="Neighbourhood team"),),
        "objective": "Reduce burglary.",
    }
    return Plan(**(values | fields))


def problems(plan: Plan, *, concern_ids: set[int] | None = None) -> list[tuple[str, str]]:
    return plan_problems(plan, wards=set(WARDS), concern_ids=concern_ids)


# --- Checks --------------------------------------------------------------------------------


def test_a_good_plan_has_no_problems() -> None:
    assert problems(good_plan(), concern_ids={1, 2}) == []


def test_every_problem_is_named_by_its_field() -> None:
    plan = good_plan(
        ward_codes=("E05000002", "E05999999", "E05000002"),
        title=" ",
        status="done",
        scanning_sources=("data", "rumour"),
        linked_concern_ids=(1, 7),
        responses=(
            Response(action="", owner="", toolkit_rating="great", due=date(2025, 6, 1)),
            Response(action="Patrol", owner="PC", partners=("Council; parks",)),
        ),
        categories=("Burglary", "Car crime", "Burglary"),
        assessment_date=date(2025, 6, 30),
        review_dates=(date(2025, 1, 1),),
        partners=("",),
        buffer_m=-1.0,
    )

    assert problems(plan, concern_ids={1}) == [
        ("ward_codes", "'E05000002' is given twice"),
        (
            "ward_codes",
            "unknown ward code 'E05999999': not a ward of the boundaries in use",
        ),
        ("title", "is blank; give the plan a title"),
        ("status", "unknown status 'done'; one of draft, active, under-review, closed"),
        ("scanning_sources", "unknown source 'rumour'; one of data, concerns, partners, community"),
        ("linked_concern_ids", "no stored concern has the id 7"),
        ("responses[1].action", "is blank; say what will be done"),
        ("responses[1].owner", "is blank; name who owns it"),
        (
            "responses[1].toolkit_rating",
            "unknown rating 'great'; one of effective, promising, mixed, no-effect, harmful, "
            "unknown",
        ),
        ("responses[1].due", "2025-06-01 is before the start date (2025-07-01)"),
        (
            "responses[2].partners",
            "'Council; parks' contains ';', which separates list items in a CSV cell",
        ),
        (
            "categories",
            f"'Car crime' is not a police.uk category; one of {', '.join(CATEGORIES)}",
        ),
        ("categories", "'Burglary' is given twice"),
        ("assessment_date", "2025-06-30 is before the start date (2025-07-01)"),
        ("review_dates", "2025-01-01 is before the start date (2025-07-01)"),
        ("partners", "has a blank item"),
        ("buffer_m", "-1.0 is not from 0 to 5000 metres"),
    ]


def test_wards_and_concerns_are_not_checked_when_not_given() -> None:
    plan = good_plan(ward_codes=("E05999999",), linked_concern_ids=(99,))

    assert plan_problems(plan, wards=None, concern_ids=None) == []
    assert problems(good_plan(ward_codes=())) == [
        ("ward_codes", "is empty; give at least one ward code (e.g. E05013038)")
    ]


def test_a_target_must_fit_its_kind() -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[-1.21, 54.6], [-1.2, 54.61], [-1.2, 54.6],
                                                  [-1.21, 54.61], [-1.21, 54.6]]]}  # fmt: skip

    assert problems(good_plan(radius_m=None, latitude=None)) == [
        ("latitude", "is blank; a point-buffer target needs it"),
        ("radius_m", "is blank; a point-buffer target needs it"),
    ]
    assert problems(good_plan(longitude=151.2, latitude=-33.9, radius_m=9000.0)) == [
        ("longitude", "(151.2, -33.9) lies outside England and Wales"),
        ("radius_m", "9000.0 is not over 0 and at most 5000 metres"),
    ]
    assert problems(good_plan(target_kind="ward")) == [
        ("longitude", "is only for a point-buffer target; leave it empty"),
        ("latitude", "is only for a point-buffer target; leave it empty"),
        ("radius_m", "is only for a point-buffer target; leave it empty"),
    ]
    polygon = {"target_kind": "polygon", "longitude": None, "latitude": None, "radius_m": None}
    assert problems(good_plan(**polygon)) == [
        ("target_geojson", "is blank; a polygon target needs a GeoJSON Polygon or MultiPolygon")
    ]
    assert problems(good_plan(**polygon, target_geojson=bow_tie)) == [
        ("target_geojson", "is not a valid polygon (Self-intersection[-1.205 54.605])")
    ]
    line = {"type": "LineString", "coordinates": [[-1.21, 54.6], [-1.2, 54.61]]}
    assert problems(good_plan(**polygon, target_geojson=line)) == [
        ("target_geojson", "is a LineString; give a Polygon or MultiPolygon")
    ]
    assert problems(good_plan(**polygon, target_geojson=mapping(box(10, 40, 11, 41)))) == [
        ("target_geojson", "lies outside England and Wales (WGS84 longitude, latitude expected)")
    ]
    assert problems(good_plan(target_kind="circle")) == [
        ("target_kind", "unknown target kind 'circle'; one of ward, polygon, point-buffer")
    ]


def test_check_plan_raises_with_every_problem() -> None:
    with pytest.raises(PlanError) as raised:
        check_plan(good_plan(title="", problem=""), wards=set(WARDS), concern_ids=None)

    assert raised.value.problems == [
        ("title", "is blank; give the plan a title"),
        ("problem", "is blank; state the problem"),
    ]
    assert str(raised.value) == (
        "title: is blank; give the plan a title; problem: is blank; state the problem"
    )


# --- Quality checklist ---------------------------------------------------------------------


def test_a_good_plan_meets_every_checklist_item() -> None:
    result = quality(good_plan())

    assert (result.score, result.out_of, result.missing) == (9, 9, [])
    assert [c.item for c in result.items] == list(QUALITY_ITEMS)
    assert result.items[0].why == "names a place (lane), a time (friday), a kind of crime (asb)"


def test_a_weak_plan_scores_zero_and_says_what_is_missing() -> None:
    result = quality(weak_plan())

    assert (result.score, result.out_of) == (0, 9)
    assert {c.item: c.why for c in result.items} == {
        "specific-problem": "the problem statement has 4 words; a specific one has at least "
        "15 and names a place, a time or a kind of crime",
        "root-cause": "no root cause: say why the problem happens here",
        "data-in-scanning": "scanning sources do not include 'data' (recorded crime and ASB)",
        "responses-linked": "no root cause or hypothesis to link them to",
        "response-evidence": "response 1 has no evidence text and no toolkit rating",
        "measurable-objective": "the objective has no number: say how much, e.g. 'reduce ASB "
        "reports by 20 %'",
        "assessment-date": "no assessment date: say when the plan will be judged",
        "partners": "no partner is named, for the plan or any response",
        "community": "community involvement is blank",
    }
    assert result.missing == list(QUALITY_ITEMS.values())
    assert result.as_dict()["items"][0] == {
        "item": "specific-problem",
        "label": "A specific problem statement",
        "met": False,
        "why": result.items[0].why,
    }


def met(plan: Plan) -> dict[str, bool]:
    return {check.item: check.met for check in quality(plan).items}


@pytest.mark.parametrize(
    ("problem", "specific"),
    [
        ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen", False),
        ("It keeps happening and people are fed up with it and want something done soon", False),
        ("It keeps happening and people are fed up with it and want something done at 8pm", True),
        ("It keeps happening and people are fed up with it and want something done 22:00", True),
        ("It keeps happening near the station and people are fed up with it and want action", True),
        ("Shoplifting keeps happening and people here are fed up with it and want it done", True),
        ("Criminal damage and arson keep happening and people are fed up and want it done", True),
    ],
)
def test_a_specific_problem_has_15_words_and_names_a_place_time_or_kind(
    problem: str, specific: bool
) -> None:
    assert met(good_plan(problem=problem))["specific-problem"] is specific


def test_a_response_is_linked_when_it_shares_a_word_stem_with_the_cause() -> None:
    lights = Response(action="Put up lights", owner="Council", evidence="Toolkit")
    leaflets = Response(action="Leaflet drop", owner="PCSO", evidence="Residents asked")
    hypothesis = Response(action="Stop gatherings", owner="PCSO", evidence="x")

    assert met(good_plan(responses=(lights,)))["responses-linked"]  # lighting ~ lights
    assert met(good_plan(responses=(hypothesis,)))["responses-linked"]  # from the hypothesis
    result = quality(good_plan(responses=(lights, leaflets)))
    assert result.items[3] == (
        "responses-linked",
        False,
        "response 2 shares no word with the root cause or hypothesis",
    )
    assert not met(good_plan(responses=()))["responses-linked"]


def test_evidence_is_text_or_a_toolkit_rating_other_than_unknown() -> None:
    rated = Response(action="Lights", owner="Council", toolkit_rating="promising")
    unknown = Response(action="Lights", owner="Council", toolkit_rating="unknown")

    assert met(good_plan(responses=(rated,)))["response-evidence"]
    assert not met(good_plan(responses=(rated, unknown)))["response-evidence"]


@pytest.mark.parametrize(
    ("objective", "measurable"),
    [
        ("Reduce ASB by 30 %", True),
        ("Halve ASB", False),
        ("", False),
        ("Fewer than 5 a month", True),
    ],
)
def test_a_measurable_objective_has_a_number(objective: str, measurable: bool) -> None:
    assert met(good_plan(objective=objective))["measurable-objective"] is measurable


def test_partners_of_a_response_count() -> None:
    response = Response(action="Lights", owner="Council", evidence="x", partners=("Council",))

    assert met(good_plan(partners=(), responses=(response,)))["partners"]
    assert not met(good_plan(partners=(), responses=(replace(response, partners=()),)))["partners"]


# --- JSON and CSV --------------------------------------------------------------------------


def test_plan_json_round_trips(tmp_path: Path) -> None:
    plans = [good_plan(), weak_plan()]
    path = tmp_path / "plans.json"
    path.write_text(plans_to_json(plans))

    back, errors = read_plans_json(path, source="plans.json", wards=set(WARDS))

    assert (back, errors) == (plans, [])
    assert json.loads(path.read_text())["plans"][0]["responses"][0] == {
        "action": "Install lights by the shelter",
        "owner": "Council parks team",
        "due": "2025-08-01",
        "partners": ["Testborough Council"],
        "evidence": "Improved street lighting reduces crime (Crime Reduction Toolkit).",
        "toolkit_rating": "effective",
    }


def test_plan_csv_round_trips_with_lists_and_json_cells(tmp_path: Path) -> None:
    square = box(-1.215, 54.605, -1.205, 54.615)
    polygon, _ = plan_from_dict(
        plan_to_dict(good_plan(target_kind="polygon", longitude=None, latitude=None))
        | {"radius_m": None, "target_geojson": mapping(square)}
    )
    assert polygon is not None
    plans = [good_plan(), weak_plan(), polygon]
    path = tmp_path / "plans.csv"
    path.write_text(plans_to_csv(plans), encoding="utf-8-sig")

    back, errors = read_plans_csv(path, source="plans.csv", wards=set(WARDS))

    assert (back, errors) == (plans, [])
    header, first, *_ = plan_rows(plans)
    cells = dict(zip(header, first, strict=True))
    assert cells["ward_codes"] == "E05000002"
    assert cells["scanning_sources"] == "data;concerns"
    assert cells["review_dates"] == "2025-09-01"
    assert cells["longitude"] == "-1.21"
    assert json.loads(cells["responses"])[0]["toolkit_rating"] == "effective"


def test_labels_and_old_category_names_are_read_as_slugs() -> None:
    data = plan_to_dict(weak_plan()) | {
        "status": "Under review",
        "scanning_sources": ["Data"],
        "categories": ["Violent crime"],
        "responses": [{"action": "Patrol", "owner": "PC", "toolkit_rating": "No effect"}],
    }

    plan, found = plan_from_dict(data)

    assert found == []
    assert plan is not None
    assert (plan.status, plan.scanning_sources, plan.categories) == (
        "under-review",
        ("data",),
        ("Violence and sexual offences",),
    )
    assert plan.responses[0].toolkit_rating == "no-effect"


def test_types_and_unknown_fields_are_problems() -> None:
    data = {
        "ward_codes": "E05000002",
        "title": 7,
        "start_date": "1 July 2025",
        "radius_m": "300",
        "objectve": "typo",
        "responses": [{"action": "Patrol", "owner": "PC", "due": "2025-02-30", "cost": 5}, "x"],
        "linked_concern_ids": [1, True],
    }

    plan, found = plan_from_dict(data)

    assert plan is None
    assert found == [
        ("objectve", f"unknown field; fields: {', '.join(PLAN_COLUMNS)}"),
        ("problem", "is missing; it is required"),
        ("title", "7 is not text"),
        ("ward_codes", "is not a list (a JSON array), but text"),
        ("linked_concern_ids", "True is not a whole number"),
        ("start_date", "'1 July 2025' is not a date written YYYY-MM-DD"),
        ("radius_m", "'300' is not a number"),
        (
            "responses[1].cost",
            "unknown field; fields: action, owner, due, partners, evidence, toolkit_rating",
        ),
        ("responses[1].due", "'2025-02-30' is not a real date"),
        (
            "responses[2]",
            "is not an object with action, owner, due, partners, evidence, toolkit_rating",
        ),
    ]
    assert plan_from_dict(None) == (
        None,
        [("", "a plan is a JSON object of its fields, not nothing")],
    )


def test_bad_plans_are_rejected_with_line_and_field(tmp_path: Path) -> None:
    rows = plan_rows([good_plan(), weak_plan(ward_codes=("E05999999",)), good_plan()])
    rows[3][PLAN_COLUMNS.index("responses")] = "[not json"
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path = tmp_path / "plans.csv"
    path.write_text(text.getvalue())

    plans, errors = read_plans_csv(path, source="p.csv", wards=set(WARDS))

    assert plans == [good_plan()]
    assert errors == [
        RowError(
            "p.csv",
            3,
            "ward_codes",
            "unknown ward code 'E05999999': not a ward of the boundaries in use",
        ),
        RowError(
            "p.csv", 4, "responses", "is not JSON (Expecting value: line 1 column 2 (char 1))"
        ),
    ]
    document = json.loads(plans_to_json([good_plan()]))
    document["plans"].append({"title": "x"})
    json_path = tmp_path / "plans.json"
    json_path.write_text(json.dumps(document))
    plans, errors = read_plans_json(json_path, source="p.json")
    assert plans == [good_plan()]
    assert [(e.line, e.column) for e in errors] == [
        (2, "ward_codes"),
        (2, "problem"),
        (2, "start_date"),
    ]


def test_a_file_that_is_not_plans_is_refused_whole(tmp_path: Path) -> None:
    header = tmp_path / "h.csv"
    header.write_text("ward_codes,title\nE05000002,x\n")
    not_json = tmp_path / "x.json"
    not_json.write_text("{plans")
    wrong_shape = tmp_path / "o.json"
    wrong_shape.write_text('{"plan": []}')

    with pytest.raises(PlanFileError, match=r"h\.csv: the header lacks the columns \['problem'"):
        read_plans_csv(header, source="h.csv")
    with pytest.raises(PlanFileError, match=r"x\.json: is not JSON"):
        read_plans_json(not_json, source="x.json")
    with pytest.raises(PlanFileError, match=r'o\.json: expected \{"plans": \[...\]\}'):
        read_plans_json(wrong_shape, source="o.json")
    with pytest.raises(PlanFileError, match="no such file"):
        read_plans_json(tmp_path / "missing.json", source="missing.json")


NUMBERS = ("longitude", "latitude", "radius_m", "buffer_m")
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@given(
    title=TEXT.filter(str.strip),
    problem=TEXT.filter(str.strip),
    texts=st.lists(TEXT, min_size=4, max_size=4),
    partner=st.sampled_from(["=SUM(A1)", "+44 1234", "-", "@home", "'=x", "''+y", "\tTab"]),
)
def test_any_text_survives_csv_and_no_cell_starts_a_formula(
    title: str, problem: str, texts: list[str], partner: str
) -> None:
    data = plan_to_dict(good_plan()) | {
        "title": title,
        "problem": problem,
        "root_cause": texts[0],
        "objective": texts[1],
        "community_involvement": texts[2],
        "partners": [partner],
        "responses": [{"action": "=cmd|'/C calc'!A0", "owner": "-Owner", "evidence": texts[3]}],
    }
    plan, found = plan_from_dict(data)
    assert plan is not None, found
    assert plan_problems(plan, wards=set(WARDS), concern_ids=None) == []
    header, row = plan_rows([plan])

    for name, cell in zip(header, row, strict=True):
        if name not in NUMBERS:  # numbers are written by us: -1.21 stays a number
            assert not cell.startswith(FORMULA_TRIGGERS), (name, cell)
    back, errors = read_plans_csv(
        plans_to_csv([plan]).encode("utf-8"), source="p.csv", wards=set(WARDS)
    )
    assert (back, errors) == ([plan], [])


# --- Demo plans ----------------------------------------------------------------------------


def test_demo_plans_are_good_medium_and_weak() -> None:
    force = make_demo_force(months=1, incidents_per_month=len(CATEGORIES))
    codes = force.wards["WD25CD"].tolist()
    names = dict(zip(force.wards["WD25NM"], codes, strict=True))
    geometries = dict(zip(codes, force.wards.geometry, strict=True))

    plans = demo_plans(codes, names=names, start=START, ward_geometries=geometries)

    assert [(p.ward_codes, p.status, quality(p).score) for p in plans] == [
        ((names[ASB_PARK],), "active", 9),
        ((names[TOWN_CENTRE],), "active", 5),
        ((names[BURGLARY_RISING],), "draft", 1),
    ]
    assert all("synthetic" in p.title for p in plans)
    assert all(plan_problems(p, wards=set(codes), concern_ids=None) == [] for p in plans)
    park = plans[0]
    assert (park.target_kind, park.radius_m, park.start_date) == ("point-buffer", 400.0, START)
    assert park.assessment_date == date(2025, 12, 31)
    circle = target_geometry(park, ward_geometries=geometries)
    assert geometries[names[ASB_PARK]].contains(circle.centroid)
    without = demo_plans(codes, names=names, start=START)
    assert without[0].target_kind == "ward"
    assert demo_plans(codes, names={}, start=START) == []
