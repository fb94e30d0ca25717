"""The OpenAPI description of ``GET /api/resourcing``, added to ``service.openapi``'s paths.

Kept in its own module so the resourcing answer's schema is written out field by field
without growing the shared schema module past one job.
"""

from __future__ import annotations

from typing import Any

from service.api_schemas import ERROR, PERIOD, answer

_SHARE = {
    "type": ["number", "null"],
    "minimum": 0,
    "maximum": 100,
    "description": "Per cent of all teams' total, one decimal; each column adds up to 100. "
    "Null when the column's total is 0.",
}
_WARD = {
    "type": "object",
    "required": ["code", "name", "residents", "crimes", "harm", "open_concerns"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "residents": {"type": ["integer", "null"]},
        "crimes": {"type": "integer", "description": "police.uk crimes, ASB left out"},
        "harm": {"type": "number", "description": "crimes weighted by the harm table"},
        "open_concerns": {"type": "integer", "description": "open or in progress today"},
    },
}
_TEAM = {
    "type": "object",
    "required": [
        "name",
        "ward_codes",
        "pcs",
        "pcsos",
        "staff",
        "residents",
        "crimes",
        "harm",
        "open_concerns",
        "residents_share",
        "crimes_share",
        "harm_share",
        "concerns_share",
        "staff_share",
        "by_harm",
        "by_blend",
        "abstraction_hours",
        "months_recorded",
        "hours_available",
        "abstraction_percent",
    ],
    "properties": {
        "name": {"type": "string"},
        "ward_codes": {"type": "array", "items": {"type": "string"}},
        "pcs": {"type": "integer", "minimum": 0, "description": "PCs in post, by head"},
        "pcsos": {"type": "integer", "minimum": 0, "description": "PCSOs in post, by head"},
        "staff": {"type": "integer", "minimum": 0, "description": "pcs + pcsos"},
        "residents": {"type": "integer"},
        "crimes": {"type": "integer"},
        "harm": {"type": "number"},
        "open_concerns": {"type": "integer"},
        "residents_share": _SHARE,
        "crimes_share": _SHARE,
        "harm_share": _SHARE,
        "concerns_share": _SHARE,
        "staff_share": _SHARE,
        "by_harm": {
            "type": ["integer", "null"],
            "description": "The same staff total shared out by harm, whole officers by largest "
            "remainder; over the teams it adds up to the staff in post.",
        },
        "by_blend": {
            "type": ["integer", "null"],
            "description": "As by_harm, by `blend` x harm share + (1 - `blend`) x residents share.",
        },
        "abstraction_hours": {"type": ["number", "null"], "description": "null: none recorded"},
        "months_recorded": {"type": "integer"},
        "hours_available": {
            "type": "number",
            "description": "staff x hours_per_month x months_recorded",
        },
        "abstraction_percent": {"type": ["number", "null"]},
    },
}
RESOURCING = {
    "type": "object",
    "required": [
        "period",
        "teams",
        "unassigned",
        "unknown_codes",
        "blend",
        "hours_per_month",
        "pcs",
        "pcsos",
        "staff",
        "residents",
        "crimes",
        "harm",
        "open_concerns",
        "abstraction_hours",
        "hours_available",
        "abstraction_percent",
        "missing_residents",
        "method",
    ],
    "properties": {
        "period": {
            "type": "object",
            "required": ["from", "to"],
            "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
        },
        "teams": {"type": "array", "items": _TEAM},
        "unassigned": {
            "type": "array",
            "items": _WARD,
            "description": "Wards in no team: outside every share.",
        },
        "unknown_codes": {"type": "array", "items": {"type": "string"}},
        "blend": {"type": "number", "minimum": 0, "maximum": 1},
        "hours_per_month": {"type": "number", "exclusiveMinimum": 0},
        "pcs": {"type": "integer"},
        "pcsos": {"type": "integer"},
        "staff": {"type": "integer"},
        "residents": {"type": "integer"},
        "crimes": {"type": "integer"},
        "harm": {"type": "number"},
        "open_concerns": {"type": "integer"},
        "abstraction_hours": {"type": ["number", "null"]},
        "hours_available": {"type": "number"},
        "abstraction_percent": {"type": ["number", "null"]},
        "missing_residents": {"type": "array", "items": {"type": "string"}},
        "method": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "How each figure is worked out, in plain words.",
        },
    },
}

PATHS: dict[str, Any] = {
    "/api/resourcing": {
        "get": {
            "summary": "Neighbourhood teams: shares of residents, crimes, harm and open "
            "concerns against shares of staff, staff shared out by harm and by a blend, and "
            "abstraction (analyst role and above)",
            "parameters": [
                *PERIOD,
                {
                    "name": "blend",
                    "in": "query",
                    "schema": {"type": "number", "minimum": 0, "maximum": 1},
                    "description": "Weight of harm in the blended allocation (residents get "
                    "the rest). Default: the RESOURCING_HARM_BLEND setting.",
                },
            ],
            "responses": {
                "200": answer("Resourcing", RESOURCING),
                "400": ERROR,
                "403": ERROR,
                "404": ERROR,
            },
        }
    }
}
