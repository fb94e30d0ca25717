"""Response hardening: a Content Security Policy that lets scripts come only from the app,
the usual security headers on every response, and ``Cache-Control: no-store`` on every
answer but the static files, since any page, API answer or report may hold concern text or
other OFFICIAL-SENSITIVE content that must not be kept by a browser or a proxy.

Pages carry a few inline scripts (the map's). Each response gets a fresh random nonce;
templates stamp it on their own ``<script>`` tags (``csp_nonce()``) and on the scripts of
server-built map HTML (the ``nonced`` filter), so an injected script, which cannot know the
nonce, never runs. Styles may be inline: Leaflet positions its panes with them.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

_SCRIPT_TAG = re.compile(r"<script(?=[\s>])")


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def nonced(html: str) -> Markup:
    """Server-built HTML (a rendered map) with this response's nonce on each script tag.

    Only for HTML the app built itself: user strings inside it are already escaped by
    ``geodata.maps.map_text``, so no ``<script`` can come from them.
    """
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', str(html)))


def tile_origin(tile_url: str) -> str:
    """The scheme and host of the configured basemap, the one other host a page may use;
    a ``{s}`` subdomain placeholder allows any subdomain of that host."""
    parts = urlsplit(tile_url)
    if not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


STATIC_ENDPOINTS = ("static", "assets.file")
"""Endpoints that serve the app's own static files (no personal data), which keep the
caching their view gives them (a year for a fingerprinted file, see :mod:`service.assets`)."""


def policy(nonce: str, tile_url: str) -> str:
    tiles = tile_origin(tile_url)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {tiles}".strip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


PERMISSIONS = "camera=(), microphone=(), geolocation=()"
"""Features no page may use: camera, microphone and the device's position."""

GEOLOCATION_HERE = "camera=(), microphone=(), geolocation=(self)"
"""For the one page that may ask for the device's position (recording a concern): a view
sets it on its response, and :func:`secure_headers` leaves a header already set alone."""


def secure_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", policy(csp_nonce(), current_app.config["TILE_URL"])
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint not in STATIC_ENDPOINTS:
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["nonced"] = nonced
