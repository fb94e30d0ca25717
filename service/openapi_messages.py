"""The OpenAPI paths and schemas of /api/messages, added to ``service.openapi.OPENAPI``.

Kept in their own module so the prevention-messages API is described in one place; the
alignment's method is written down in ``geodata/message_alignment.py``.
"""

from __future__ import annotations

from typing import Any

from geodata.messages import AREAS, AUDIENCES, CHANNELS, MAX_REACH, MAX_SUMMARY
from service.api_schemas import CSRF_HEADER, ERROR, PERIOD, answer

_DAY = {"type": "string", "format": "date"}
_DAY_OR_NULL = {"type": ["string", "null"], "format": "date"}
_TEXTS = {"type": "array", "items": {"type": "string"}}

_FIELDS: dict[str, Any] = {
    "sent_on": {**_DAY, "description": "the day it went out; not after today"},
    "channel": {"type": "string", "enum": list(CHANNELS)},
    "area": {"type": "string", "enum": list(AREAS)},
    "area_codes": {
        **_TEXTS,
        "description": "the ward codes (area wards), the one council code (area council), "
        "or empty (force-wide)",
    },
    "themes": {**_TEXTS, "description": "concern tags or threat theme names"},
    "audiences": {"type": "array", "items": {"type": "string", "enum": list(AUDIENCES)}},
    "group": {"type": ["string", "null"], "description": "needed with named-group"},
    "reach": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_REACH},
    "sent_by": {"type": "string", "description": "the role or team that sent it"},
    "summary": {"type": "string", "maxLength": MAX_SUMMARY},
    "reference": {"type": ["string", "null"], "description": "a link (http, https) or a text"},
}

SCHEMAS: dict[str, Any] = {
    "Message": {
        "type": "object",
        "description": "A prevention message as it stands (geodata/messages.py describes the "
        "fields).",
        "required": ["id", *_FIELDS, "ward_vintage", "recorded_by", "created_at", "version"],
        "properties": {
            "id": {"type": "integer"},
            **_FIELDS,
            "ward_vintage": {"type": "string"},
            "recorded_by": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "import_id": {"type": ["integer", "null"]},
            "version": {"type": "integer"},
        },
    },
    "NewMessage": {
        "type": "object",
        "description": "A message to record, checked like a row of import-messages.",
        "required": ["sent_on", "channel", "area", "themes", "audiences", "sent_by", "summary"],
        "additionalProperties": False,
        "properties": _FIELDS,
    },
    "MessageWithHistory": {
        "allOf": [
            {"$ref": "#/components/schemas/Message"},
            {
                "type": "object",
                "required": ["history"],
                "properties": {
                    "history": {
                        "type": "array",
                        "description": "Every change, oldest first.",
                        "items": {
                            "type": "object",
                            "required": ["id", "at", "by", "change"],
                            "properties": {
                                "id": {"type": "integer"},
                                "at": {"type": "string"},
                                "by": {"type": "string"},
                                "change": {"type": "string"},
                            },
                        },
                    }
                },
            },
        ]
    },
    "MessageAlignment": {
        "type": "object",
        "description": "Messages against the combined priorities; the method is in "
        "geodata/message_alignment.py.",
        "required": [
            "period",
            "start",
            "as_of",
            "gap_weeks",
            "weekly_ceiling",
            "noise_share",
            "noise_minimum",
            "messages_stored",
            "messages_in_period",
            "wards",
            "gaps",
            "noise",
            "fatigue",
        ],
        "properties": {
            "period": {"type": "object"},
            "start": _DAY,
            "as_of": {**_DAY, "description": "the period's last day, or today if earlier"},
            "gap_weeks": {"type": "integer", "minimum": 1},
            "weekly_ceiling": {"type": "integer", "minimum": 1},
            "noise_share": {"type": "number"},
            "noise_minimum": {"type": "integer"},
            "messages_stored": {"type": "integer"},
            "messages_in_period": {"type": "integer"},
            "wards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ward", "name", "messages", "themes", "gaps", "noise", "fatigue"],
                    "properties": {
                        "ward": {"type": "string"},
                        "name": {"type": "string"},
                        "messages": {"type": "integer", "description": "reaching it, in period"},
                        "themes": {
                            "type": "array",
                            "description": "The ward's ranked themes, highest first.",
                            "items": {
                                "type": "object",
                                "required": ["theme", "rank", "score", "messages", "last_sent"],
                                "properties": {
                                    "theme": {"type": "string"},
                                    "rank": {"type": "integer", "minimum": 1},
                                    "score": {"type": "number"},
                                    "band": {"type": ["string", "null"]},
                                    "messages": {"type": "integer"},
                                    "last_sent": _DAY_OR_NULL,
                                },
                            },
                        },
                        "gaps": {"type": "array", "items": {"$ref": "#/components/schemas/Gap"}},
                        "noise": {
                            "oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Noise"}]
                        },
                        "fatigue": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Fatigue"},
                        },
                    },
                },
            },
            "gaps": {"type": "array", "items": {"$ref": "#/components/schemas/Gap"}},
            "noise": {"type": "array", "items": {"$ref": "#/components/schemas/Noise"}},
            "fatigue": {"type": "array", "items": {"$ref": "#/components/schemas/Fatigue"}},
        },
    },
    "Gap": {
        "type": "object",
        "description": "A high force priority or a ward's top priority with no message "
        "reaching the ward in the last gap_weeks weeks.",
        "required": ["ward", "theme", "band", "reasons", "last_sent"],
        "properties": {
            "ward": {"type": "string"},
            "theme": {"type": "string"},
            "band": {"type": ["string", "null"]},
            "reasons": {
                "type": "array",
                "items": {"type": "string", "enum": ["high force priority", "top priority"]},
            },
            "last_sent": _DAY_OR_NULL,
        },
    },
    "Noise": {
        "type": "object",
        "description": "A ward where themes with no priority took most of its messages.",
        "required": ["ward", "messages", "unprioritised", "share", "themes"],
        "properties": {
            "ward": {"type": "string"},
            "messages": {"type": "integer"},
            "unprioritised": {"type": "integer"},
            "share": {"type": "number"},
            "themes": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    },
    "Fatigue": {
        "type": "object",
        "description": "A week (Monday to Sunday) with more messages to a ward than the ceiling.",
        "required": ["ward", "week", "messages"],
        "properties": {
            "ward": {"type": "string"},
            "week": {**_DAY, "description": "the Monday"},
            "messages": {"type": "integer"},
        },
    },
}

_MESSAGE_ID = {
    "name": "message_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "The message's id.",
}

PATHS: dict[str, Any] = {
    "/api/messages/alignment": {
        "get": {
            "summary": "Prevention messages against the combined priorities of every ward: "
            "gaps, noise and message fatigue",
            "parameters": PERIOD,
            "responses": {
                "200": answer("Alignment", {"$ref": "#/components/schemas/MessageAlignment"}),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/api/messages": {
        "get": {
            "summary": "Prevention messages as they stand, newest sent first",
            "parameters": [
                {
                    "name": "ward",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only messages that reached this ward (including those to "
                    "its council area and force-wide).",
                },
                {
                    "name": "theme",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only messages carrying this theme tag.",
                },
                {
                    "name": "channel",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(CHANNELS)},
                },
            ],
            "responses": {
                "200": answer(
                    "Messages", {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}
                ),
                "400": ERROR,
            },
        },
        "post": {
            "summary": "Record a prevention message (pcso role and above)",
            "description": "A 400 lists every problem by field in `error.problems`; without "
            "the CSRF token the answer is 400 too.",
            "parameters": [CSRF_HEADER],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/NewMessage"}}
                },
            },
            "responses": {
                "201": answer(
                    "The stored message with its history",
                    {"$ref": "#/components/schemas/MessageWithHistory"},
                ),
                "400": ERROR,
                "401": ERROR,
                "403": ERROR,
                "404": ERROR,
            },
        },
    },
    "/api/messages/{message_id}": {
        "get": {
            "summary": "One prevention message with its full history",
            "parameters": [_MESSAGE_ID],
            "responses": {
                "200": answer("Message", {"$ref": "#/components/schemas/MessageWithHistory"}),
                "404": ERROR,
            },
        }
    },
}
