"""Rendered page fragments kept per data version: the parts of a page only the data decides.

A busy ward's page is some 260 kB of HTML, and most of it (the cards, the trend charts and
tables, the categories, outcomes and busiest places, the completeness notes) is the same
for every user and every request until the next import. Those parts are macros of one
partial template (``templates/wards/_profile_figures.html``), rendered once per data
version, ward and period and kept like the profiles (:mod:`service.readmodels.cache`); each
request renders only the page around them: the user's menu, the CSRF and CSP tokens, the
concerns, priorities and plans, which change without an import.

A kept fragment is rendered from the values it is given and the template's globals alone
(never the request's context processors), so it cannot carry one user's content to another.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask
from markupsafe import Markup

from service.readmodels.cache import data_cache, request_version

FRAGMENTS_CACHED = 256
"""Rendered fragment sets kept per data version (each a few tens of kilobytes)."""


def rendered_fragments(
    app: Flask,
    engine: sa.Engine,
    *,
    template: str,
    macros: Sequence[str],
    key: Hashable,
    values: Mapping[str, Any],
) -> dict[str, Markup]:
    """The ``macros`` of ``template`` rendered with ``values``, by macro name, kept per data
    version and ``key`` (which must name everything ``values`` depends on)."""

    def render() -> dict[str, Markup]:
        module = app.jinja_env.get_template(template).make_module(dict(values))
        return {name: Markup(getattr(module, name)()) for name in macros}

    cache = data_cache(app, "page fragments", size=FRAGMENTS_CACHED)
    return cache.get(request_version(engine), (template, key), render)
