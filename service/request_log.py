"""Structured request logs: one JSON line per request, for the operator and the load balancer.

Each line holds the time, the user id (None when signed out), the method, the route (the URL
rule, so a ward code does not make every line unique; no query string), the status and the
milliseconds taken. Personal data in what was consulted stays in the access log
(``service/access.py``), which is kept in the database for data protection.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, g, request

logger = logging.getLogger("wardprofiles.requests")


def init_app(app: Flask) -> None:
    if not app.config["REQUEST_LOG"]:
        return
    if not logger.handlers and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request(_start)
    app.after_request(_log)


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.get("request_started")
    milliseconds = None if started is None else round(1000 * (time.perf_counter() - started), 1)
    # The user's id, not the session's (``get_id`` also names the session generation). The
    # user the request already loaded (Flask-Login keeps it in ``g._login_user``): loading it
    # here would ask the token loader again, which raises 429 after too many failed tokens.
    loaded = g.get("_login_user")
    user = loaded.id if loaded is not None and loaded.is_authenticated else None
    line = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "user_id": None if user is None else int(user),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "ms": milliseconds,
    }
    logger.info(json.dumps(line))
    return response
