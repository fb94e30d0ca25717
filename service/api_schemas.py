"""JSON schemas of the API's larger answers, which the OpenAPI document refers to.

The ward profile is what pages, reports and the API all read; its schema is written out here
field by field for the parts readers act on (the trend tests, harm, the hot spots), so a
client can see what each value means and a test can check every served profile against it.
"""

from __future__ import annotations

from typing import Any

MONTH: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\d{4}-(0[1-9]|1[0-2])$",
    "example": "2025-01",
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
                "from": MONTH,
                "to": MONTH,
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
            "3 times the force's), note what that means (added in issue 14).",
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
