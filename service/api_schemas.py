"""The schemas of /api's requests and answers and its shared parameters, named once and used
by the paths of ``service.openapi`` (kept apart so neither module grows past one job).

The ward profile is what pages, reports and the API all read; its schema is written out here
field by field for the parts readers act on (the trend tests, harm, the hot spots), so a
client can see what each value means and a test can check every served profile against it.
"""

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

_MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2025-01"}
PERIOD = [
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
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "Ward code of the latest boundary vintage, e.g. E05013038.",
}
ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


GEOJSON = {"type": "object", "required": ["type", "features"]}

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
THREAT = {
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
PLAN_ID = {
    "name": "plan_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "The plan's id.",
}
CSRF_HEADER = {
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
PLAN_SUMMARY: dict[str, Any] = {
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
PLAN_DETAIL: dict[str, Any] = {
    "allOf": [
        _PLAN_ROW,
        {
            "type": "object",
            "required": ["version", "plan", "quality", "history"],
            "properties": {
                "version": {
                    "type": "integer",
                    "description": "1 when stored, raised by each change; send it back with PUT",
                },
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
PLAN_BODY = {"required": True, "content": {"application/json": {"schema": _PLAN}}}
PLAN_PUT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                **_PLAN,
                "properties": {
                    **_PLAN["properties"],
                    "version": {
                        "type": "integer",
                        "description": "the plan's version as read (GET); a plan changed "
                        "since is refused with 409. Without it the last writer wins.",
                    },
                },
            }
        }
    },
}

_NUMBER_OR_NULL: dict[str, Any] = {"type": ["number", "null"]}
_CHANGE: dict[str, Any] = {
    "type": "object",
    "description": "One comparison of the period's count with an earlier period's. Unavailable "
    "(only period and available) when a month of the earlier period is not held. The test is "
    "the ward's share of the force's change in the category, allowing for the category's "
    "over-dispersion (measured on the rest of the force); p_value is that test, q_value the "
    "same after a Benjamini-Hochberg correction over every change of the profile, and "
    "significant means q_value < 0.05 (it survives the page's correction). Below 20 incidents "
    "in the two periods together no test is made: testable false, p_value and q_value null, "
    "verdict 'too few'. Added in issue 14: testable, q_value, expected (the count the force's "
    "own change would have given), dispersion, verdict and sentence; p_value was the "
    "uncorrected exact Poisson test before and is null when testable is false.",
    "required": ["period", "available"],
    "properties": {
        "period": {"type": "object"},
        "available": {"type": "boolean"},
        "count": {"type": "integer", "description": "The earlier period's count."},
        "change_pct": _NUMBER_OR_NULL,
        "p_value": _NUMBER_OR_NULL,
        "significant": {"type": "boolean"},
        "testable": {"type": "boolean"},
        "q_value": _NUMBER_OR_NULL,
        "expected": _NUMBER_OR_NULL,
        "dispersion": _NUMBER_OR_NULL,
        "verdict": {"enum": ["rise", "fall", "usual", "too few"]},
        "sentence": {"type": "string", "description": "The change in plain words."},
    },
}
_TREND: dict[str, Any] = {
    "type": "object",
    "required": ["category", "monthly", "count", "previous", "year_earlier", "sentences"],
    "properties": {
        "category": {"type": "string"},
        "monthly": {"type": "array", "items": {"type": "object"}},
        "count": {"type": "integer"},
        "previous": _CHANGE,
        "year_earlier": _CHANGE,
        "sentences": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The sentences of the changes called a rise or a fall.",
        },
    },
}
_HARM: dict[str, Any] = {
    "type": "object",
    "description": "Crime Severity Score harm. source and caveat are the weight table's notes "
    "as written; source_note and caveat_note the same in plain words (no links), the caveat "
    "shown under the headline figure; weights and ranges (low, high) each category's weight "
    "and its plausible range (added in issue 14).",
    "required": ["total", "by_category", "source", "caveat"],
    "properties": {
        "total": {"type": "number"},
        "per_1000": _NUMBER_OR_NULL,
        "by_category": {"type": "object", "additionalProperties": {"type": "number"}},
        "force": {"type": ["object", "null"]},
        "source": {"type": "string"},
        "caveat": {"type": "string"},
        "source_note": {"type": "string"},
        "caveat_note": {"type": "string"},
        "weights": {"type": "object", "additionalProperties": {"type": "number"}},
        "ranges": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
            },
        },
    },
}
_HOTSPOTS: dict[str, Any] = {
    "type": "object",
    "description": "The squares of the force's one hot-spot grid of the period that reach "
    "into the ward (Gi* against the force's average square, Benjamini-Hochberg at alpha, hot "
    "only with at least min_count incidents, police-station snap points left out: note). "
    "Since issue 14 the grid is the force's, not the ward's: a square's count is its whole "
    "count across ward boundaries. Each cell adds label (its streets), easting and northing "
    "(British National Grid metres of its south-west corner).",
    "required": ["cell_size_m", "alpha", "method", "hot_cells", "cells"],
    "properties": {
        "cell_size_m": {"type": "number"},
        "alpha": {"type": "number"},
        "method": {"type": "string"},
        "hot_cells": {"type": "integer"},
        "min_count": {"type": "integer"},
        "note": {"type": "string"},
        "cells": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["row", "col", "count", "z", "q", "hot", "label", "geometry"],
                "properties": {
                    "count": {"type": "integer"},
                    "hot": {"type": "boolean"},
                    "label": {"type": "string"},
                    "easting": {"type": "integer"},
                    "northing": {"type": "integer"},
                },
            },
        },
    },
}

PROFILE: dict[str, Any] = {
    "type": "object",
    "description": "Every figure's method is written in geodata/profile.py; "
    "the trend tests in geodata/trends.py, the hot spots in "
    "geodata/force_hotspots.py.",
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
        "rates_per_1000": {
            "type": "object",
            "description": "Rates per 1,000 residents; crime_interval and asb_interval their "
            "exact 95 % Poisson intervals, town_centre whether the ward looks like a town "
            "centre (shoplifting, theft from the person and public order per resident at least "
            "3 times the force's), note what that means (added in issue 14); denominator "
            "the ward's residents when census areas are shared by land area beside the "
            "best-fit residents, with fragile true when they differ by more than 10 % or "
            "move the ward's crime-rate rank by more than 5 places (null without both).",
            "properties": {
                "denominator": {
                    "type": ["object", "null"],
                    "required": [
                        "best_fit",
                        "area_weighted",
                        "difference",
                        "rank_best_fit",
                        "rank_area_weighted",
                        "fragile",
                        "note",
                    ],
                    "properties": {
                        "best_fit": {"type": "integer"},
                        "area_weighted": {"type": "number"},
                        "difference": {"type": "number"},
                        "rank_best_fit": {"type": "integer"},
                        "rank_area_weighted": {"type": "integer"},
                        "fragile": {"type": "boolean"},
                        "note": {"type": "string"},
                    },
                }
            },
        },
        "harm": _HARM,
        "trends": {"type": "array", "items": _TREND},
        "outcomes": {
            "type": "object",
            "additionalProperties": {"type": "number"},
        },
        "top_locations": {"type": "array", "items": {"type": "object"}},
        "top_locations_caveat": {"type": "string"},
        "top_locations_note": {
            "type": "string",
            "description": "The police-station snap points left out of the "
            "busiest places (records logged at a station), or empty.",
        },
        "hotspots": _HOTSPOTS,
        "completeness": {"type": "object"},
    },
}

COMPONENTS: dict[str, Any] = {
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
                    "version": {
                        "type": "integer",
                        "description": "409 only: the record's current version",
                    },
                    "changes": {
                        "type": "array",
                        "description": "409 only: the changes made since the version sent, "
                        "oldest first.",
                        "items": {
                            "type": "object",
                            "properties": {
                                "at": {"type": "string", "format": "date-time"},
                                "by": {"type": "string"},
                                "change": {"type": "string"},
                            },
                        },
                    },
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
