"""The served ward profile against its OpenAPI schema (/api/openapi.json, Profile)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from service.openapi import OPENAPI
from tests.service.test_api import EAST_CODE, NORTH_CODE, WEST_CODE, get_json
from tests.service.test_api import imported as imported

PROFILE = OPENAPI["components"]["schemas"]["Profile"]


def problems(profile: Any) -> list[str]:
    validator = Draft202012Validator(PROFILE, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(profile)
    ]


def test_the_profile_schema_is_itself_valid() -> None:
    Draft202012Validator.check_schema(PROFILE)


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize("code", [WEST_CODE, EAST_CODE, NORTH_CODE])
@pytest.mark.parametrize("query", ["", "?from=2025-04&to=2025-06", "?from=2025-06&to=2025-06"])
def test_every_served_profile_matches_the_schema(
    client: FlaskClient, code: str, query: str
) -> None:
    profile = get_json(client, f"/api/wards/{code}/profile{query}")

    assert problems(profile) == []
    # What the schema leaves open is still the shape the profile's types give it.
    assert set(profile["ward"]) == {
        "code", "name", "lad_code", "lad_name", "vintage", "area_km2", "population",
        "population_method",
    }  # fmt: skip
    assert all(set(t) >= {"category", "monthly", "count", "previous", "year_earlier"}
               for t in profile["trends"])  # fmt: skip


@pytest.mark.usefixtures("imported")
def test_a_profile_off_its_schema_is_caught(client: FlaskClient) -> None:
    profile = get_json(client, f"/api/wards/{WEST_CODE}/profile")
    broken = {**profile, "crime_total": "36", "period": {**profile["period"], "from": "2025-13"}}
    del broken["hotspots"]

    assert sorted(problems(broken)) == [
        ": 'hotspots' is a required property",
        "crime_total: '36' is not of type 'integer'",
        "period/from: '2025-13' does not match '^\\\\d{4}-(0[1-9]|1[0-2])$'",
    ]
