"""The OpenAPI description of /api, served at /api/openapi.json; a test keeps it complete."""

from __future__ import annotations

from typing import Any

from geodata.concerns import CHANNELS, MAX_DESCRIPTION, STATUSES
from geodata.crime import CATEGORIES
from geodata.plan_quality import QUALITY_ITEMS
from geodata.plans import (
    DEFAULT_BUFFER_M,
    MAX_RADIUS_M,
    PLAN_STATUSES,
    REQUIRED_FIELDS,
    SCANNING_SOURCES,
    TARGET_KINDS,
    TOOLKIT_RATINGS,
)
from geodata.threat import BAND_ORDER, CONFIDENCES
from service.api_schemas import MONTH as _MONTH
from service.api_schemas import PROFILE

_PERIOD = [
    {
        "name": "from",
        "in": "query",
        "schema": _MONTH,
        "description": "First month (YYYY-MM); give with `to`. Default: the latest 12 months held.",
    },
    {
        "name": "to",
        "in": "query",
        "schema": _MONTH,
        "description": "Last month (YYYY-MM), inclusive; give with `from`.",
    },
]
_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "Ward code of the latest boundary vintage, e.g. E05013038.",
}
_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_GEOJSON = {"type": "object", "required": ["type", "features"]}

_THREAT_VERSION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "version", "title", "force", "assessed_on", "example", "imported_at"],
    "properties": {
        "id": {"type": "integer"},
        "version": {"type": "integer", "description": "1, 2, ... in import order"},
        "title": {"type": "string"},
        "force": {"type": "string"},
        "assessed_on": {"type": "string", "format": "date"},
        "source": {"type": "string", "description": "the imported file"},
        "sha256": {"type": "string"},
        "example": {"type": "boolean", "description": "made up (the demo's), not a real one"},
        "imported_at": {"type": "string", "format": "date-time"},
    },
}
_THREAT_THEME: dict[str, Any] = {
    "type": "object",
    "required": ["name", "risk_score", "confidence", "priority_band", "categories"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "risk_score": {"type": "number", "minimum": 0, "description": "the force's scale"},
        "confidence": {"type": "string", "enum": list(CONFIDENCES)},
        "priority_band": {"type": "string", "enum": list(BAND_ORDER)},
        "categories": {"type": "array", "items": {"type": "string", "enum": list(CATEGORIES)}},
        "concern_tags": {"type": "array", "items": {"type": "string"}},
        "owner": {"type": "string", "description": "a role, not a person"},
        "review_date": {"type": "string", "format": "date"},
    },
}
_THREAT = {
    "type": "object",
    "required": ["active", "versions"],
    "properties": {
        "active": {
            "oneOf": [
                {
                    "allOf": [
                        _THREAT_VERSION,
                        {
                            "type": "object",
                            "required": ["bands", "themes"],
                            "properties": {
                                "bands": {
                                    "type": "object",
                                    "additionalProperties": {"type": "integer"},
                                },
                                "themes": {"type": "array", "items": _THREAT_THEME},
                            },
                        },
                    ]
                },
                {"type": "null"},
            ],
            "description": "The most recently imported assessment; null when none is stored.",
        },
        "versions": {
            "type": "array",
            "description": "Every stored version, newest first.",
            "items": {
                "allOf": [
                    _THREAT_VERSION,
                    {
                        "type": "object",
                        "properties": {
                            "themes": {"type": "integer"},
                            "active": {"type": "boolean"},
                        },
                    },
                ]
            },
        },
    },
}

_DATE = {"type": "string", "format": "date"}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_PLAN_ID = {
    "name": "plan_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "The plan's id.",
}
_CSRF_HEADER = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": 'The session\'s CSRF token: the content of <meta name="csrf-token"> on '
    "any page.",
}
_PLAN: dict[str, Any] = {
    "type": "object",
    "description": "A problem-solving plan in SARA order (geodata/plans.py describes every "
    "field and check). Slugs may also be written as their labels.",
    "required": list(REQUIRED_FIELDS),
    "additionalProperties": False,
    "properties": {
        "ward_codes": {**_TEXTS, "minItems": 1, "description": "wards of the latest vintage"},
        "title": {"type": "string"},
        "problem": {"type": "string", "description": "the problem statement"},
        "start_date": _DATE,
        "status": {"type": "string", "enum": list(PLAN_STATUSES), "default": "draft"},
        "scanning": {"type": "string", "description": "how the problem was identified"},
        "scanning_sources": {
            "type": "array",
            "items": {"type": "string", "enum": list(SCANNING_SOURCES)},
        },
        "linked_concern_ids": {"type": "array", "items": {"type": "integer"}},
        "offenders": {"type": "string"},
        "victims": {"type": "string"},
        "places": {"type": "string"},
        "root_cause": {"type": "string"},
        "hypothesis": {"type": "string"},
        "responses": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["action", "owner"],
                "additionalProperties": False,
                "properties": {
                    "action": {"type": "string"},
                    "owner": {"type": "string"},
                    "due": {"type": ["string", "null"], "format": "date"},
                    "partners": _TEXTS,
                    "evidence": {"type": "string"},
                    "toolkit_rating": {
                        "type": ["string", "null"],
                        "enum": [*TOOLKIT_RATINGS, None],
                        "description": "the College of Policing Crime Reduction Toolkit's "
                        "verdict on the response's effect, in Ward Profiles' own words",
                    },
                },
            },
        },
        "measure": {"type": "string"},
        "objective": {"type": "string", "description": "measurable: with a number"},
        "assessment_date": {"type": ["string", "null"], "format": "date"},
        "target_kind": {"type": "string", "enum": list(TARGET_KINDS), "default": "ward"},
        "target_geojson": {
            "type": ["object", "null"],
            "description": "polygon targets: a GeoJSON Polygon or MultiPolygon, WGS84",
        },
        "longitude": {"type": ["number", "null"], "description": "point-buffer targets"},
        "latitude": {"type": ["number", "null"]},
        "radius_m": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": MAX_RADIUS_M},
        "buffer_m": {
            "type": "number",
            "minimum": 0,
            "maximum": MAX_RADIUS_M,
            "default": DEFAULT_BUFFER_M,
            "description": "displacement buffer round the target, metres",
        },
        "categories": {"type": "array", "items": {"type": "string", "enum": list(CATEGORIES)}},
        "review_dates": {"type": "array", "items": _DATE},
        "community_involvement": {"type": "string"},
        "partners": _TEXTS,
    },
}
_PLAN_ROW: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "status", "ward_vintage", "created_by", "updated_at"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "status": {"type": "string", "enum": list(PLAN_STATUSES)},
        "ward_vintage": {"type": "string"},
        "created_by": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "import_id": {"type": ["integer", "null"]},
    },
}
_PLAN_SUMMARY: dict[str, Any] = {
    "allOf": [
        _PLAN_ROW,
        {
            "type": "object",
            "properties": {
                "ward_codes": _TEXTS,
                "categories": _TEXTS,
                "start_date": _DATE,
                "target_kind": {"type": "string", "enum": list(TARGET_KINDS)},
                "quality": {
                    "type": "object",
                    "properties": {
                        "score": {"type": "integer"},
                        "out_of": {"type": "integer"},
                        "missing": {**_TEXTS, "description": "checklist items not met"},
                    },
                },
            },
        },
    ]
}
_PLAN_DETAIL: dict[str, Any] = {
    "allOf": [
        _PLAN_ROW,
        {
            "type": "object",
            "required": ["plan", "quality", "history"],
            "properties": {
                "plan": _PLAN,
                "quality": {
                    "type": "object",
                    "description": "The checklist of a good SARA plan (rules in "
                    "geodata/plans.py, quality).",
                    "properties": {
                        "score": {"type": "integer"},
                        "out_of": {"type": "integer"},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "item": {"type": "string", "enum": list(QUALITY_ITEMS)},
                                    "label": {"type": "string"},
                                    "met": {"type": "boolean"},
                                    "why": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "history": {
                    "type": "array",
                    "description": "Every change, oldest first.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "at": {"type": "string", "format": "date-time"},
                            "by": {"type": "string"},
                            "change": {
                                "type": "string",
                                "description": "'created (draft)', 'imported from <file>', "
                                "'edited: <field>' or 'status: <old> → <new>'",
                            },
                            "previous": {
                                "type": ["object", "null"],
                                "description": "the whole plan before the change",
                            },
                        },
                    },
                },
                "changed": {**_TEXTS, "description": "PUT only: the fields changed"},
            },
        },
    ]
}
_PLAN_BODY = {"required": True, "content": {"application/json": {"schema": _PLAN}}}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Ward Profiles API",
        "version": "1",
        "description": (
            "Ward boundaries joined to police.uk street-level crime and anti-social "
            "behaviour. Locations are police.uk's anonymised snap points, never addresses. "
            "Crime totals exclude anti-social behaviour."
        ),
    },
    "paths": {
        "/api/wards": {
            "get": {
                "summary": "Wards of the latest boundary vintage",
                "responses": {
                    "200": _json(
                        "Wards", {"type": "array", "items": {"$ref": "#/components/schemas/Ward"}}
                    ),
                    "404": _ERROR,
                },
            }
        },
        "/api/wards/{code}/profile": {
            "get": {
                "summary": "The profile of one ward for a month range",
                "parameters": [_CODE, *_PERIOD],
                "responses": {
                    "200": _json("Profile", {"$ref": "#/components/schemas/Profile"}),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/wards/{code}/incidents.geojson": {
            "get": {
                "summary": "A ward's incidents as points (one feature per snap point, month, "
                "category and outcome, with `count`)",
                "parameters": [
                    _CODE,
                    *_PERIOD,
                    {
                        "name": "category",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(CATEGORIES)},
                    },
                ],
                "responses": {
                    "200": _json("GeoJSON FeatureCollection", _GEOJSON),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/wards/{code}/concerns": {
            "get": {
                "summary": "A ward's community concerns as they stand, newest first",
                "parameters": [
                    _CODE,
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(STATUSES)},
                        "description": "Only concerns whose current status is this.",
                    },
                    {
                        "name": "tag",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "Only this theme tag (geodata/data/concern_tags.csv).",
                    },
                    {
                        "name": "channel",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(CHANNELS)},
                        "description": "Only concerns raised through this channel.",
                    },
                ],
                "responses": {
                    "200": _json(
                        "Concerns",
                        {"type": "array", "items": {"$ref": "#/components/schemas/Concern"}},
                    ),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            },
            "post": {
                "summary": "Record a community concern in the ward (pcso role and above)",
                "description": "Needs the signed-in session and its CSRF token in the "
                'X-CSRFToken header: pages carry it in <meta name="csrf-token">. A 400 lists '
                "every problem by field in `error.problems`; without the token the answer is "
                "400 too.",
                "parameters": [
                    _CODE,
                    {
                        "name": "X-CSRFToken",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": 'The content of <meta name="csrf-token"> on any page.',
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewConcern"}}
                    },
                },
                "responses": {
                    "201": _json(
                        "The stored concern with its history (the first update: raised)",
                        {"$ref": "#/components/schemas/ConcernWithHistory"},
                    ),
                    "400": _ERROR,
                    "401": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                },
            },
        },
        "/api/wards.geojson": {
            "get": {
                "summary": "Ward boundaries with crime, ASB and crime per 1,000 residents",
                "parameters": _PERIOD,
                "responses": {
                    "200": _json("GeoJSON FeatureCollection", _GEOJSON),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/wards/{code}/priorities": {
            "get": {
                "summary": "A ward's combined priorities (force themes and local concerns), "
                "each with its score (display_score: the whole number to show), components, "
                "points per component, driver (the largest) and reason; gaps; seldom-heard "
                "coverage; weights_note (the weights are a design choice, not a validated "
                "model)",
                "parameters": [_CODE, *_PERIOD],
                "responses": {
                    "200": _json("Priorities", {"type": "object"}),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/priorities/matrix": {
            "get": {
                "summary": "Ward by theme matrix of combined priority scores (0 to 100)",
                "parameters": _PERIOD,
                "responses": {
                    "200": _json("Matrix", {"type": "object"}),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/api/plans/{plan_id}/evaluation": {
            "get": {
                "summary": "A plan's evaluation: periods, counts per area, rate ratio with its "
                "95 % interval, WDQ with its reading, the WDD statistic and p-value, whether a "
                "reduction was sustained, and a plain verdict with caveats",
                "parameters": [
                    {
                        "name": "plan_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": _json("Evaluation", {"type": "object"}),
                    "404": _ERROR,
                },
            }
        },
        "/api/threat": {
            "get": {
                "summary": "The active force threat assessment (the latest imported) with its "
                "themes, and every stored version",
                "responses": {"200": _json("Threat assessment", _THREAT)},
            }
        },
        "/api/plans": {
            "get": {
                "summary": "Problem-solving plans as they stand, newest first, with their "
                "quality score",
                "parameters": [
                    {
                        "name": "ward",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "Only plans covering this ward code.",
                    },
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(PLAN_STATUSES)},
                    },
                    {
                        "name": "category",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(CATEGORIES)},
                        "description": "Only plans aimed at this police.uk category.",
                    },
                ],
                "responses": {
                    "200": _json("Plans", {"type": "array", "items": _PLAN_SUMMARY}),
                    "400": _ERROR,
                },
            },
            "post": {
                "summary": "Store a new plan (pcso role and above)",
                "description": "A 400 lists every problem by field in `error.problems`; "
                "without the CSRF token the answer is 400 too.",
                "parameters": [_CSRF_HEADER],
                "requestBody": _PLAN_BODY,
                "responses": {
                    "201": _json("The stored plan, its quality and history", _PLAN_DETAIL),
                    "400": _ERROR,
                    "401": _ERROR,
                    "403": _ERROR,
                },
            },
        },
        "/api/plans/{plan_id}": {
            "get": {
                "summary": "One plan with its quality checklist and full history",
                "parameters": [_PLAN_ID],
                "responses": {"200": _json("Plan", _PLAN_DETAIL), "404": _ERROR},
            },
            "put": {
                "summary": "Replace a plan (pcso role and above); each changed field is "
                "recorded in its history",
                "parameters": [_PLAN_ID, _CSRF_HEADER],
                "requestBody": _PLAN_BODY,
                "responses": {
                    "200": _json("The plan as changed, with `changed`", _PLAN_DETAIL),
                    "400": _ERROR,
                    "401": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                },
            },
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})},
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {
                            "status": {"type": "integer"},
                            "name": {"type": "string"},
                            "message": {"type": "string"},
                            "problems": {
                                "type": "array",
                                "description": "Every problem with a request body, by field.",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "field": {"type": "string"},
                                        "problem": {"type": "string"},
                                    },
                                },
                            },
                        },
                    }
                },
            },
            "Ward": {
                "type": "object",
                "required": ["code", "name", "vintage"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "lad_code": {"type": ["string", "null"]},
                    "lad_name": {"type": ["string", "null"]},
                    "vintage": {"type": "string"},
                    "area_km2": {"type": "number"},
                    "population": {"type": ["integer", "null"]},
                },
            },
            "Concern": {
                "type": "object",
                "description": "A community concern as it stands; its history is kept in the "
                "store (geodata/concerns.py describes the fields).",
                "required": ["id", "ward_code", "tag", "description", "raised_on", "status"],
                "properties": {
                    "id": {"type": "integer"},
                    "ward_code": {"type": "string"},
                    "ward_vintage": {"type": "string"},
                    "tag": {"type": "string"},
                    "description": {"type": "string"},
                    "raised_on": {"type": "string", "format": "date"},
                    "channel": {"type": "string", "enum": list(CHANNELS)},
                    "community": {"type": ["string", "null"]},
                    "location_text": {"type": ["string", "null"]},
                    "longitude": {"type": ["number", "null"]},
                    "latitude": {"type": ["number", "null"]},
                    "status": {"type": "string", "enum": list(STATUSES)},
                    "recorded_by": {"type": "string"},
                    "created_at": {"type": "string", "format": "date-time"},
                    "import_id": {"type": ["integer", "null"]},
                    "updated_on": {"type": "string", "format": "date"},
                    "age_days": {"type": "integer", "description": "days since raised"},
                },
            },
            "NewConcern": {
                "type": "object",
                "description": "A concern to record; the ward is the path's. Checked like a row "
                "of import-concerns (geodata/concerns.py).",
                "required": ["tag", "description", "raised_on", "channel"],
                "additionalProperties": False,
                "properties": {
                    "tag": {"type": "string", "description": "geodata/data/concern_tags.csv"},
                    "description": {"type": "string", "maxLength": MAX_DESCRIPTION},
                    "raised_on": {
                        "type": "string",
                        "format": "date",
                        "description": "not after today",
                    },
                    "channel": {"type": "string", "enum": list(CHANNELS)},
                    "community": {"type": ["string", "null"]},
                    "location_text": {"type": ["string", "null"]},
                    "longitude": {
                        "type": ["number", "null"],
                        "description": "WGS84, with latitude; inside England and Wales",
                    },
                    "latitude": {"type": ["number", "null"]},
                    "status": {"type": "string", "enum": list(STATUSES), "default": "open"},
                    "recorded_by": {
                        "type": "string",
                        "description": "who took it down; default: the signed-in user",
                    },
                },
            },
            "ConcernWithHistory": {
                "allOf": [
                    {"$ref": "#/components/schemas/Concern"},
                    {
                        "type": "object",
                        "required": ["history"],
                        "properties": {
                            "history": {
                                "type": "array",
                                "description": "Every update, oldest first.",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "status": {"type": "string", "enum": list(STATUSES)},
                                        "note": {"type": "string"},
                                        "by": {"type": "string"},
                                        "on": {"type": "string", "format": "date"},
                                        "recorded_at": {"type": "string", "format": "date-time"},
                                    },
                                },
                            }
                        },
                    },
                ]
            },
            "Profile": PROFILE,
        }
    },
}
