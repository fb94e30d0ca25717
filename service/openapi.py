"""The OpenAPI description of /api, served at /api/openapi.json; a test keeps it complete.

The schemas it refers to live in ``service.api_schemas``."""

from __future__ import annotations

from typing import Any

from geodata.concerns import CHANNELS, STATUSES
from geodata.crime import CATEGORIES
from geodata.plans import PLAN_STATUSES
from service import openapi_messages
from service.api_operations import OPERATION_PATHS
from service.api_resourcing import PATHS as RESOURCING_PATHS
from service.api_schemas import (
    CODE,
    COMPONENTS,
    CSRF_HEADER,
    ERROR,
    GEOJSON,
    PERIOD,
    PLAN_BODY,
    PLAN_DETAIL,
    PLAN_ID,
    PLAN_PUT_BODY,
    PLAN_SUMMARY,
    THREAT,
    answer,
)

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
                    "200": answer(
                        "Wards", {"type": "array", "items": {"$ref": "#/components/schemas/Ward"}}
                    ),
                    "404": ERROR,
                },
            }
        },
        "/api/wards/{code}/profile": {
            "get": {
                "summary": "The profile of one ward for a month range",
                "parameters": [CODE, *PERIOD],
                "responses": {
                    "200": answer("Profile", {"$ref": "#/components/schemas/Profile"}),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/api/wards/{code}/incidents.geojson": {
            "get": {
                "summary": "A ward's incidents as points (one feature per snap point, month, "
                "category and outcome, with `count`)",
                "parameters": [
                    CODE,
                    *PERIOD,
                    {
                        "name": "category",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(CATEGORIES)},
                    },
                ],
                "responses": {
                    "200": answer("GeoJSON FeatureCollection", GEOJSON),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/api/wards/{code}/concerns": {
            "get": {
                "summary": "A ward's community concerns as they stand, newest first",
                "parameters": [
                    CODE,
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
                    "200": answer(
                        "Concerns",
                        {"type": "array", "items": {"$ref": "#/components/schemas/Concern"}},
                    ),
                    "400": ERROR,
                    "404": ERROR,
                },
            },
            "post": {
                "summary": "Record a community concern in the ward (pcso role and above)",
                "description": "Needs the signed-in session and its CSRF token in the "
                'X-CSRFToken header: pages carry it in <meta name="csrf-token">. A 400 lists '
                "every problem by field in `error.problems`; without the token the answer is "
                "400 too.",
                "parameters": [
                    CODE,
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
                    "201": answer(
                        "The stored concern with its history (the first update: raised)",
                        {"$ref": "#/components/schemas/ConcernWithHistory"},
                    ),
                    "400": ERROR,
                    "401": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                },
            },
        },
        "/api/wards.geojson": {
            "get": {
                "summary": "Ward boundaries with crime, ASB and crime per 1,000 residents",
                "parameters": PERIOD,
                "responses": {
                    "200": answer("GeoJSON FeatureCollection", GEOJSON),
                    "400": ERROR,
                    "404": ERROR,
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
                "parameters": [CODE, *PERIOD],
                "responses": {
                    "200": answer("Priorities", {"type": "object"}),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/api/priorities/matrix": {
            "get": {
                "summary": "Ward by theme matrix of combined priority scores (0 to 100)",
                "parameters": PERIOD,
                "responses": {
                    "200": answer("Matrix", {"type": "object"}),
                    "400": ERROR,
                    "404": ERROR,
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
                    "200": answer("Evaluation", {"type": "object"}),
                    "404": ERROR,
                },
            }
        },
        "/api/threat": {
            "get": {
                "summary": "The active force threat assessment (the latest imported) with its "
                "themes, and every stored version",
                "responses": {"200": answer("Threat assessment", THREAT)},
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
                    "200": answer("Plans", {"type": "array", "items": PLAN_SUMMARY}),
                    "400": ERROR,
                },
            },
            "post": {
                "summary": "Store a new plan (pcso role and above)",
                "description": "A 400 lists every problem by field in `error.problems`; "
                "without the CSRF token the answer is 400 too.",
                "parameters": [CSRF_HEADER],
                "requestBody": PLAN_BODY,
                "responses": {
                    "201": answer("The stored plan, its quality and history", PLAN_DETAIL),
                    "400": ERROR,
                    "401": ERROR,
                    "403": ERROR,
                },
            },
        },
        "/api/plans/{plan_id}": {
            "get": {
                "summary": "One plan with its quality checklist and full history",
                "parameters": [PLAN_ID],
                "responses": {"200": answer("Plan", PLAN_DETAIL), "404": ERROR},
            },
            "put": {
                "summary": "Replace a plan (pcso role and above); each changed field is "
                "recorded in its history",
                "parameters": [PLAN_ID, CSRF_HEADER],
                "requestBody": PLAN_PUT_BODY,
                "responses": {
                    "200": answer("The plan as changed, with `changed`", PLAN_DETAIL),
                    "400": ERROR,
                    "401": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                },
            },
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": answer("OpenAPI 3.1", {"type": "object"})},
            }
        },
    },
    "components": {"schemas": COMPONENTS},
}

OPENAPI["paths"].update(RESOURCING_PATHS)

OPENAPI["paths"].update(openapi_messages.PATHS)
OPENAPI["components"]["schemas"].update(openapi_messages.SCHEMAS)
OPENAPI["paths"].update(OPERATION_PATHS)
OPENAPI["security"] = [{"session": []}, {"token": []}]
OPENAPI["components"]["securitySchemes"] = {
    "token": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token (the Tokens page, or flask create-token) "
        "in an Authorization: Bearer header; read-only unless made to write. An address "
        "that failed to authenticate too often answers 429 with an Error, before any "
        "operation.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The session cookie set by signing in at /login. Every operation "
        "needs it: signed out, each answers 401 with an Error.",
    },
}
