"""The OpenAPI description of /api/operations: paths and schemas, added to
``service.openapi.OPENAPI`` by one line there."""

from __future__ import annotations

from typing import Any

from geodata.crime import CATEGORIES
from geodata.operations import OPERATION_FIELDS, REQUIRED_FIELDS
from service.api_schemas import CSRF_HEADER, ERROR, answer

_DATE = {"type": "string", "format": "date"}
_TEXTS = {"type": "array", "items": {"type": "string"}}

OPERATION: dict[str, Any] = {
    "type": "object",
    "description": "An operation (geodata/operations.py describes every field and check): "
    "name, inclusive start and end dates, its wards or force-wide, themes, police.uk "
    "categories, whether it ran on overtime and a short description.",
    "required": list(REQUIRED_FIELDS),
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 200},
        "start_date": _DATE,
        "end_date": _DATE,
        "ward_codes": _TEXTS,
        "force_wide": {"type": "boolean"},
        "themes": _TEXTS,
        "categories": {"type": "array", "items": {"type": "string", "enum": list(CATEGORIES)}},
        "overtime": {"type": "boolean"},
        "description": {"type": "string"},
    },
}

_STORED = {
    "id": {"type": "integer"},
    "version": {"type": "integer"},
    "ward_vintage": {"type": "string"},
    "created_by": {"type": "string"},
    "created_at": {"type": "string"},
    "updated_at": {"type": "string"},
    "import_id": {"type": ["integer", "null"]},
}

OPERATION_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": [*OPERATION_FIELDS, *_STORED, "evaluation", "seasonal"],
    "properties": {
        **OPERATION["properties"],
        **_STORED,
        "seasonal": {
            **_TEXTS,
            "description": "The usual rises (geodata/seasonal.py) of the operation's wards "
            "and categories in the months it ran: part of its change may be the season.",
        },
        "evaluation": {
            "type": ["object", "null"],
            "description": "As /api/plans/{plan_id}/evaluation: the operation's wards against "
            "the rest of the force, before its start against the same months from it; "
            "`evaluated` false (with a `verdict` saying why) for a force-wide operation or "
            "one too recent; null when no records are stored.",
            "required": ["evaluated", "verdict"],
            "properties": {"evaluated": {"type": "boolean"}, "verdict": {"type": "string"}},
        },
    },
}

OPERATION_DETAIL: dict[str, Any] = {
    "type": "object",
    "required": [*OPERATION_FIELDS, *_STORED, "history"],
    "properties": {
        **OPERATION["properties"],
        **_STORED,
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["at", "by", "change", "previous"],
                "properties": {
                    "at": {"type": "string"},
                    "by": {"type": "string"},
                    "change": {"type": "string"},
                    "previous": {"type": ["object", "null"]},
                },
            },
        },
    },
}

OPERATION_PATHS: dict[str, Any] = {
    "/api/operations": {
        "get": {
            "summary": "Operations as they stand, latest start first, each with its evaluation",
            "parameters": [
                {
                    "name": "ward",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only operations in this ward code (and force-wide ones).",
                }
            ],
            "responses": {
                "200": answer("Operations", {"type": "array", "items": OPERATION_SUMMARY})
            },
        },
        "post": {
            "summary": "Record a new operation (pcso role and above)",
            "description": "A 400 lists every problem by field in `error.problems`; "
            "without the CSRF token the answer is 400 too.",
            "parameters": [CSRF_HEADER],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": OPERATION}},
            },
            "responses": {
                "201": answer("The stored operation with its history", OPERATION_DETAIL),
                "400": ERROR,
                "401": ERROR,
                "403": ERROR,
            },
        },
    },
    "/api/operations/{operation_id}": {
        "get": {
            "summary": "One operation with its full history",
            "parameters": [
                {
                    "name": "operation_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {"200": answer("Operation", OPERATION_DETAIL), "404": ERROR},
        }
    },
}
