"""The OpenAPI description of /api, served at /api/openapi.json; a test keeps it complete."""

from __future__ import annotations

from typing import Any

from geodata.crime import CATEGORIES

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
