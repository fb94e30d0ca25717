"""The OpenAPI description of /api, served at /api/openapi.json; a test keeps it complete."""

from __future__ import annotations

from typing import Any

from geodata.concerns import CHANNELS, STATUSES
from geodata.crime import CATEGORIES
from geodata.threat import BAND_ORDER, CONFIDENCES

_MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2025-01"}
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
                "summary": "A ward's community concerns as they stand, newest first (read only: "
                "concerns are written by import-concerns and the store until sign-in arrives)",
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
            }
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
                "each with its score components and reason; gaps; seldom-heard coverage",
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
        "/api/threat": {
            "get": {
                "summary": "The active force threat assessment (the latest imported) with its "
                "themes, and every stored version",
                "responses": {"200": _json("Threat assessment", _THREAT)},
            }
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
            "Profile": {
                "type": "object",
                "description": "Every figure's method is written in geodata/profile.py.",
                "required": [
                    "ward",
                    "period",
                    "counts",
                    "crime_total",
                    "asb_total",
                    "rates_per_1000",
                    "harm",
                    "trends",
                    "outcomes",
                    "top_locations",
                    "hotspots",
                    "completeness",
                ],
                "properties": {
                    "ward": {"type": "object"},
                    "period": {
                        "type": "object",
                        "properties": {
                            "from": _MONTH,
                            "to": _MONTH,
                            "months": {"type": "integer"},
                        },
                    },
                    "counts": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                    },
                    "crime_total": {"type": "integer"},
                    "asb_total": {"type": "integer"},
                    "rates_per_1000": {"type": "object"},
                    "harm": {"type": "object"},
                    "trends": {"type": "array", "items": {"type": "object"}},
                    "outcomes": {
                        "type": "object",
                        "additionalProperties": {"type": "number"},
                    },
                    "top_locations": {"type": "array", "items": {"type": "object"}},
                    "hotspots": {"type": "object"},
                    "completeness": {"type": "object"},
                },
            },
        }
    },
}
