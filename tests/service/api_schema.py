"""Check a real API answer against what /api/openapi.json promises for it (jsonschema).

The document's own ``$ref`` links resolve inside it: it is registered as one resource and
each answer is validated against a reference to its response schema, with formats (dates,
date-times) checked. An answer whose status the document does not list fails too.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from service.openapi import OPENAPI

_ROOT = "urn:wardprofiles:openapi"
_REGISTRY = Registry().with_resource(_ROOT, DRAFT202012.create_resource(OPENAPI))
_PATHS = [
    (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), path)
    for path in OPENAPI["paths"]
]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def documented_path(url: str) -> str:
    path = urlsplit(url).path
    for pattern, template in _PATHS:
        if pattern.match(path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def assert_documented(method: str, url: str, status: int, body: Any) -> None:
    """Fail unless ``body`` is what the document says ``method url`` answers with ``status``."""
    template = documented_path(url)
    operations = OPENAPI["paths"][template]
    if method.lower() not in operations:
        # A method the path does not have: the only right answer is 405 naming the others.
        assert status == 405, f"{method} {template} is not in the document but answered {status}"
        return
    responses = operations[method.lower()]["responses"]
    if status == 401 and OPENAPI["security"] and "401" not in responses:
        pointer = _pointer("components", "schemas", "Error")  # the security scheme's answer
    else:
        assert str(status) in responses, f"{method} {template} answered {status}, not documented"
        content = responses[str(status)].get("content", {}).get("application/json")
        if content is None:
            return
        pointer = _pointer(
            "paths",
            template,
            method.lower(),
            "responses",
            str(status),
            "content",
            "application/json",
            "schema",
        )
    validator = Draft202012Validator(
        {"$ref": f"{_ROOT}#/{pointer}"}, registry=_REGISTRY, format_checker=FormatChecker()
    )
    problems = sorted(validator.iter_errors(json.loads(json.dumps(body))), key=str)
    assert not problems, f"{method} {url} ({status}): " + "; ".join(
        f"{'/'.join(map(str, p.absolute_path))}: {p.message}" for p in problems[:5]
    )


class DocumentedClient(FlaskClient):
    """A test client that checks every /api answer against the OpenAPI document, so every
    API test also tests the document."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith("/api/") and response.mimetype == "application/json":
            assert_documented(request.method, request.path, response.status_code, response.json)
        return response
