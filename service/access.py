"""Which requests count as consulting a ward profile, a report or a concern, so that the
access log answers "who has seen this?", as data protection law asks of systems holding
personal data.

Two ways in: the ``CONSULTED`` table names the endpoints that consult one ward, report or
concern named in the URL; a view that lists concerns calls :func:`shown_concerns` with the
rows it shows, and each of their ids gets a row of kind ``concern``. Command-line reads
(reports, exports) call :func:`record_command` with the operating-system user.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, Response, g, request
from flask_login import current_user

from geodata.concerns import OPEN_STATUSES
from service.store.access import record_access
from service.store.concerns import list_concerns
from service.store.db import get_engine

CONSULTED: dict[str, tuple[str, str]] = {
    "wards.profile": ("ward", "code"),
    "wards.briefing": ("ward", "code"),
    "reports.ward_pdf": ("report", "code"),
    "api.profile": ("ward", "code"),
    "concerns.show": ("concern", "concern_id"),
    "concerns.edit": ("concern", "concern_id"),
}
"""Endpoint: (kind, the URL argument that names what was consulted)."""


def shown_concerns(rows: Iterable[Mapping[str, Any]]) -> None:
    """Note that this response shows these concerns; each is logged once it is sent."""
    g.shown_concern_ids = [*g.get("shown_concern_ids", []), *(str(row["id"]) for row in rows)]


def concerns_in_report(codes: Iterable[str]) -> list[dict[str, Any]]:
    """The concerns an internal report of these wards lists: their open ones (the rule of
    ``service.reports``, which shows no concern in a public report)."""
    wanted = set(codes)
    return [
        row
        for row in list_concerns(get_engine())
        if row["ward_code"] in wanted and row["status"] in OPEN_STATUSES
    ]


def log_consultation(response: Response) -> Response:
    if response.status_code != 200 or not current_user.is_authenticated:
        return response
    found = CONSULTED.get(request.endpoint or "")
    who = {"user_id": int(current_user.id), "username": current_user.username}
    path = request.full_path.rstrip("?")
    engine = get_engine()
    if found:
        kind, argument = found
        ref = str((request.view_args or {}).get(argument, ""))
        record_access(engine, **who, kind=kind, refs=[ref], path=path)
    listed = g.get("shown_concern_ids", [])
    if listed:
        record_access(engine, **who, kind="concern", refs=listed, path=path)
    return response


def record_command(*, kind: str, refs: Iterable[str], command: str) -> None:
    """Log a command-line read: the operating-system user who ran ``command`` (a summary
    of its arguments, e.g. ``report --ward E05013038 --audience internal``)."""
    refs = list(refs)
    if refs:
        record_access(
            get_engine(),
            user_id=None,
            username=f"command line ({getpass.getuser()})",
            kind=kind,
            refs=refs,
            path=command,
        )


def init_app(app: Flask) -> None:
    app.after_request(log_consultation)
