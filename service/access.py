"""Which requests count as consulting a ward profile, a report or a concern: one table,
so a new page that shows personal data is logged by adding one line here."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from service.store.access import record_access
from service.store.db import get_engine

CONSULTED: dict[str, tuple[str, str]] = {
    "wards.profile": ("ward", "code"),
    "wards.briefing": ("ward", "code"),
    "reports.ward_pdf": ("report", "code"),
    "api.profile": ("ward", "code"),
    "api.concerns": ("ward", "code"),
    "concerns.show": ("concern", "concern_id"),
    "ogc.items": ("ogc", "collection_id"),
    "downloads.product": ("download", "product"),
    "ogc.item": ("ogc", "collection_id"),
}
"""Endpoint: (kind, the URL argument that names what was consulted)."""


def log_consultation(response: Response) -> Response:
    found = CONSULTED.get(request.endpoint or "")
    if found and response.status_code == 200 and current_user.is_authenticated:
        kind, argument = found
        record_access(
            get_engine(),
            user_id=int(current_user.id),
            username=current_user.username,
            kind=kind,
            ref=str((request.view_args or {}).get(argument, "")),
            path=request.full_path.rstrip("?"),
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(log_consultation)
