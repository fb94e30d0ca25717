"""Operations: the record's checks, its JSON and CSV, and the plan it is evaluated as."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from geodata.errors import RowError
from geodata.io.operations import (
    OperationFileError,
    operation_from_dict,
    operation_to_dict,
    read_operations_csv,
)
from geodata.operations import (
    OPERATION_FIELDS,
    Operation,
    OperationError,
    calendar_months,
    equivalent_plan,
    operation_problems,
    running_on,
)

WARDS = {"E05000001", "E05000002"}
HEADER = ",".join(OPERATION_FIELDS)


def an_operation(**fields: Any) -> Operation:
    values: dict[str, Any] = {
        "name": "Operation Harvest",
        "start_date": date(2025, 10, 1),
        "end_date": date(2025, 11, 30),
        "ward_codes": ("E05000001",),
        "themes": ("burglary",),
        "categories": ("Burglary",),
        "overtime": True,
        "description": "Autumn burglary patrols.",
    }
    return Operation(**(values | fields))


def test_a_good_operation_has_no_problems_and_round_trips_through_json() -> None:
    operation = an_operation()
    assert operation_problems(operation, wards=WARDS) == []
    assert operation_from_dict(operation_to_dict(operation)) == (operation, [])
    assert running_on(operation, date(2025, 11, 30))
    assert not running_on(operation, date(2025, 12, 1))


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": " "}, ("name", "is blank; give the operation its name")),
        (
            {"end_date": date(2025, 9, 30)},
            ("end_date", "2025-09-30 is before the start date 2025-10-01"),
        ),
        (
            {"force_wide": True},
            ("ward_codes", "name no wards for a force-wide operation"),
        ),
        (
            {"ward_codes": ()},
            ("ward_codes", "is empty; give at least one ward code, or mark it force-wide"),
        ),
        (
            {"ward_codes": ("E05000009",)},
            ("ward_codes", "unknown ward code 'E05000009': not a ward of the boundaries in use"),
        ),
        ({"themes": ("drugs", "drugs")}, ("themes", "'drugs' is given twice")),
    ],
)
def test_each_problem_is_named_by_field(fields: dict[str, Any], problem: tuple[str, str]) -> None:
    assert operation_problems(an_operation(**fields), wards=WARDS) == [problem]


def test_a_category_must_be_a_police_uk_category() -> None:
    (problem,) = operation_problems(an_operation(categories=("Burgling",)), wards=WARDS)
    assert problem[0] == "categories" and "'Burgling' is not a police.uk category" in problem[1]


def test_json_types_are_checked_and_unknown_fields_named() -> None:
    operation, problems = operation_from_dict(
        {"name": "Op", "start_date": "2025-13-01", "overtime": "yes", "colour": "red"}
    )
    assert operation is None
    assert ("colour", f"unknown field; fields: {', '.join(OPERATION_FIELDS)}") in problems
    assert ("end_date", "is missing; it is required") in problems
    assert ("start_date", "'2025-13-01' is not a real date") in problems
    assert ("overtime", "'yes' is not true or false") in problems


def test_the_equivalent_plan_has_the_operations_wards_categories_and_start() -> None:
    plan = equivalent_plan(an_operation())
    assert (plan.ward_codes, plan.categories, plan.start_date, plan.target_kind) == (
        ("E05000001",),
        ("Burglary",),
        date(2025, 10, 1),
        "ward",
    )
    with pytest.raises(OperationError, match="force-wide"):
        equivalent_plan(an_operation(force_wide=True, ward_codes=()))


def test_a_csv_reads_back_with_lists_and_yes_no() -> None:
    text = (
        f"{HEADER}\n"
        "Operation Harvest,2025-10-01,2025-11-30,E05000001,no,burglary,Burglary,yes,"
        "Autumn burglary patrols.\n"
        "Clear Week,2025-03-10,2025-03-16,,yes,drug dealing; county lines,Drugs,,\n"
    )
    operations, errors = read_operations_csv(text.encode(), source="ops.csv", wards=WARDS)
    assert errors == []
    assert operations[0] == an_operation()
    assert operations[1] == Operation(
        name="Clear Week",
        start_date=date(2025, 3, 10),
        end_date=date(2025, 3, 16),
        force_wide=True,
        themes=("drug dealing", "county lines"),
        categories=("Drugs",),
    )


def test_a_bad_csv_row_is_named_by_line_and_column() -> None:
    text = (
        f"{HEADER}\n"
        "Good,2025-10-01,2025-10-02,E05000001,no,,,no,\n"
        "Bad,2025-10-05,2025-10-01,E05000009,maybe,,,no,\n"
        "Worse,2025-10-05,2025-10-01,E05000009,no,,,no,\n"
    )
    operations, errors = read_operations_csv(text.encode(), source="ops.csv", wards=WARDS)
    assert [o.name for o in operations] == ["Good"]
    assert errors == [
        RowError("ops.csv", 3, "force_wide", "'maybe' is not yes or no"),
        RowError("ops.csv", 4, "end_date", "2025-10-01 is before the start date 2025-10-05"),
        RowError(
            "ops.csv",
            4,
            "ward_codes",
            "unknown ward code 'E05000009': not a ward of the boundaries in use",
        ),
    ]


def test_a_header_lacking_a_column_is_refused_whole() -> None:
    with pytest.raises(OperationFileError, match="lacks the columns"):
        read_operations_csv(b"name,start_date\nOp,2025-01-01\n", source="ops.csv")


def test_the_record_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        an_operation().name = "x"  # type: ignore[misc]


def test_the_calendar_months_an_operation_ran_in() -> None:
    assert calendar_months(an_operation()) == [10, 11]
    winter = an_operation(start_date=date(2025, 11, 28), end_date=date(2026, 1, 2))
    assert calendar_months(winter) == [11, 12, 1]
    long = an_operation(start_date=date(2024, 3, 1), end_date=date(2025, 12, 31))
    assert sorted(calendar_months(long)) == list(range(1, 13))
