"""What the read models keep between requests: values built from the data of one version.

A *data version* is the latest import ledger id (:func:`service.store.imports.data_version`):
every import of any kind, failed ones included, adds a ledger row, so a value kept under a
version can never outlive the data it was built from. The version is read from the database,
so several processes (web server workers, a report run) serving one database each keep
their own values and agree on when they are stale.

Each kind of value (profiles, maps, the overview, ward boundaries) has its own
:class:`VersionCache` in the app, bounded in size and dropping the least recently used value
first; :func:`data_cache` hands it out. The data version is read once per request
(:func:`request_version`), so one request sees one version throughout.

Values that also read what users write on the web (concerns, plans, messages, operations)
are kept under the *edit version* (:func:`edit_version`): the data version and the number
of changes ever committed to those records (:func:`service.store.versions.read_versions`),
read in the same round trip as the data version, so an edit in one worker is seen by every
worker on its next request, as an import is.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, g, has_request_context

from service.store.imports import data_version
from service.store.versions import read_versions

T = TypeVar("T")

_CACHES = "wardprofiles.data_caches"


class VersionCache:
    """Values by key for the newest data version seen, at most ``size`` of them.

    Safe with threads: the table is changed under a lock, and a value is built outside it
    (a profile or a map takes up to a second), so two threads asking for the same missing
    key may both build it, and the second one kept wins; both are the same figures. Asking
    with another version than the one kept drops every value (a version is compared for
    equality only, so a database replaced by one with fewer imports is no trap), and a
    value is kept only under the version it was built for.
    """

    def __init__(self, *, size: int) -> None:
        if size < 1:
            raise ValueError(f"size: {size!r} is not a positive number of values")
        self.size = size
        self._lock = threading.Lock()
        self._version: Hashable | None = None
        self._values: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, version: Hashable, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept for ``key`` under ``version``, built by ``build()`` when missing."""
        with self._lock:
            if version != self._version:
                self._version = version
                self._values.clear()
            elif key in self._values:
                self._values.move_to_end(key)
                value: T = self._values[key]  # type: ignore[assignment]
                return value
        value = build()
        with self._lock:
            if version == self._version:
                self._values[key] = value
                self._values.move_to_end(key)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Drop every value (a benchmark's cold start; data changes need no call)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def data_cache(app: Flask, name: str, *, size: int) -> VersionCache:
    """The app's cache of values of kind ``name`` (made on first use, ``size`` values)."""
    caches: dict[str, VersionCache] = app.extensions.setdefault(_CACHES, {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, VersionCache(size=size))
    return cache


def request_version(engine: sa.Engine) -> int:
    """The data version, read once per request (every time outside a request, as in a
    command, which holds no request open for the figures to go stale under)."""
    if not has_request_context():
        return data_version(engine)
    return _request_versions(engine)[0]


def edit_version(engine: sa.Engine) -> tuple[int, int]:
    """(data version, edit count): the version of a value built from imported data and from
    records users change on the web; read once per request, like :func:`request_version`."""
    if not has_request_context():
        return read_versions(engine)
    return _request_versions(engine)


def _request_versions(engine: sa.Engine) -> tuple[int, int]:
    if "versions" not in g:
        g.versions = read_versions(engine)
    versions: tuple[int, int] = g.versions
    return versions
