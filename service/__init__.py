"""The Flask service: app factory, store, command line and web views."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from service import settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

COMPRESSION = {"COMPRESS_LEVEL": 1, "COMPRESS_DEFLATE_LEVEL": 1, "COMPRESS_BR_LEVEL": 1}
"""Flask-Compress's levels, fastest of each method (zstd keeps its default, 3, as fast).

Every page is compressed afresh (each carries its own CSRF and CSP tokens): a 260 kB ward
page takes 3.9 ms at gzip's default level 6 and 2.7 ms at Brotli's 4, more than the page
itself, and 1.5 and 0.8 ms at level 1, for 50 and 42 kB instead of 38 and 35 kB."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: registry defaults, then instance/config.py, then WARDPROFILES_* env vars,
    then ``test_config``; every setting is then checked (``settings.validate``)."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(settings.ENV_PREFIX)
    if test_config:
        app.config.from_mapping(test_config)
    settings.validate(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{app.instance_path}/wardprofiles.sqlite"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")

    from service import (
        access,
        assets,
        auth,
        cli,
        errors,
        health,
        request_log,
        security,
        tokens,
        views,
        wording,
    )
    from service.store import db

    db.init_app(app)
    request_log.init_app(app)
    auth.init_app(app)
    tokens.init_app(app)
    for name, level in COMPRESSION.items():
        app.config.setdefault(name, level)
    Compress(app)
    assets.init_app(app)
    security.init_app(app)
    wording.init_app(app)
    access.init_app(app)
    errors.register_converters(app)
    views.register_blueprints(app)
    app.register_blueprint(health.bp)
    errors.register_error_handlers(app)
    cli.register_commands(app)
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        # Trust exactly the proxies we are told of: a header beyond them is the client's.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    return app


def _instance_secret(path: Path) -> str:
    """A random key made once per instance folder, so a fresh clone never ships a secret."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_hex(32))
    return path.read_text().strip()
