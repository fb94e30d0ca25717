"""Static files under fingerprinted URLs, so a phone fetches Leaflet once and keeps it.

Each file under ``service/static`` gets the first 12 hex digits of the SHA-256 of its bytes;
a folder (``vendor``, whose files the maps name by their path under it) gets the digest of
its files' names and digests. ``asset_url("app.css")`` is ``/assets/<digest>/app.css``: the
content is in the URL, so the response may be kept a year and never revalidated
(``Cache-Control: public, max-age=31536000, immutable``), and a changed file has a new URL.
A URL whose digest is not the current one (a page cached across an upgrade) still gets the
file, revalidated on each use (``no-cache``), never a year-long copy of different bytes.

The digests are computed once when the app starts (about 30 files, a few milliseconds).
Flask-Compress compresses the responses (gzip or Brotli, as the browser accepts); the plain
``/static/`` route stays for anything that names a file directly.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from flask import Blueprint, Flask, Response, current_app, send_from_directory, url_for

YEAR = 31_536_000
"""Seconds a fingerprinted file may be kept: a year, the longest HTTP caches honour."""

IMMUTABLE = f"public, max-age={YEAR}, immutable"

bp = Blueprint("assets", __name__, url_prefix="/assets")


def digests(folder: Path) -> dict[str, str]:
    """Each file's and each folder's digest under ``folder``, by its POSIX path there."""
    files = {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    found = dict(files)
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
    for name in folders - {"."}:
        inside = "".join(f"{f}={d}\n" for f, d in files.items() if f.startswith(name + "/"))
        found[name] = hashlib.sha256(inside.encode()).hexdigest()[:12]
    return found


def asset_url(filename: str) -> str:
    """The fingerprinted URL of a file or folder under the static folder."""
    digest = current_app.extensions["asset_digests"].get(filename.strip("/"), "0")
    return url_for("assets.file", digest=digest, filename=filename.strip("/"))


@bp.get("/<digest>/<path:filename>")
def file(digest: str, filename: str) -> Response:
    """A static file; kept a year when ``digest`` is its own or one of its folders'."""
    known = current_app.extensions["asset_digests"]
    path = PurePosixPath(filename)
    current = {known.get(filename)} | {known.get(str(p)) for p in path.parents}
    response = send_from_directory(current_app.static_folder or "", filename)
    # Read the file now (the largest is Leaflet's 148 KB) and close it: the response then has
    # a length, and Flask-Compress compresses it whole rather than as a stream.
    response.direct_passthrough = False
    response.make_sequence()
    response.headers["Cache-Control"] = IMMUTABLE if digest in current else "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.extensions["asset_digests"] = digests(Path(app.static_folder or ""))
    app.jinja_env.globals["asset_url"] = asset_url
    app.register_blueprint(bp)
