"""The read models' cache: values kept per data version, bounded, safe with threads, and
correct across processes (two apps on one database stand for two server workers)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from service import create_app
from service.readmodels.cache import VersionCache, data_cache
from service.readmodels.ward_profiles import default_period, ward_profile
from service.store.db import get_engine
from tests.factories import WEST, run_json, write_wards
from tests.service.test_api import LSOAS, MONTHS, WEST_CODE, import_crime, import_population


def counting(value: str, calls: list[str]) -> object:
    def build() -> str:
        calls.append(value)
        return value

    return build


def test_a_value_is_built_once_per_version_and_key() -> None:
    cache = VersionCache(size=4)
    calls: list[str] = []

    assert cache.get(1, "a", counting("a1", calls)) == "a1"
    assert cache.get(1, "a", counting("again", calls)) == "a1"
    assert cache.get(1, "b", counting("b1", calls)) == "b1"
    assert calls == ["a1", "b1"]
    # A new data version drops every value built from the old data.
    assert cache.get(2, "a", counting("a2", calls)) == "a2"
    assert len(cache) == 1
    assert calls == ["a1", "b1", "a2"]


def test_the_least_recently_used_value_is_dropped_past_the_size() -> None:
    cache = VersionCache(size=2)
    calls: list[str] = []
    cache.get(1, "a", counting("a", calls))
    cache.get(1, "b", counting("b", calls))
    cache.get(1, "a", counting("a again", calls))  # a is now the most recent
    cache.get(1, "c", counting("c", calls))  # drops b

    assert len(cache) == 2
    cache.get(1, "a", counting("a again", calls))
    cache.get(1, "b", counting("b again", calls))
    assert calls == ["a", "b", "c", "b again"]


def test_a_value_built_while_the_version_moved_on_is_not_kept() -> None:
    cache = VersionCache(size=4)

    def slow_build() -> str:
        # Another request sees an import finish while this one still builds from old data.
        cache.get(2, "other", lambda: "new")
        return "old"

    assert cache.get(1, "a", slow_build) == "old"
    assert cache.get(2, "a", lambda: "rebuilt") == "rebuilt"


def test_the_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="size: 0"):
        VersionCache(size=0)


def test_threads_share_one_bounded_cache() -> None:
    cache = VersionCache(size=8)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(thread: int) -> None:
        try:
            start.wait()
            for i in range(300):
                key = (thread * 7 + i) % 20
                version = 1 + i // 100
                assert cache.get(version, key, lambda k=key, v=version: (v, k)) == (version, key)
                assert len(cache) <= 8
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_data_cache_is_one_per_name_and_app(app: Flask) -> None:
    assert data_cache(app, "profiles", size=3) is data_cache(app, "profiles", size=3)
    assert data_cache(app, "profiles", size=3) is not data_cache(app, "maps", size=3)
    other = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "t"})
    assert data_cache(other, "profiles", size=3) is not data_cache(app, "profiles", size=3)


def test_two_workers_on_one_database_each_see_an_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Each worker process has its own cache; the data version read from the database
    tells every one of them when an import made its figures stale."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_crime(runner, tmp_path / "crime", MONTHS)
    import_population(runner, tmp_path)
    worker = create_app(
        {"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test"}
    )

    def west(flask_app: Flask) -> tuple[int | None, float | None]:
        with flask_app.app_context():
            engine = get_engine()
            period = default_period(flask_app, engine)
            assert period is not None
            profile = ward_profile(flask_app, engine, code=WEST_CODE, period=period)
            assert profile is not None
            return profile.ward.population, profile.rates_per_1000.crime

    assert west(app) == west(worker) == (500, 72.0)  # both caches warm

    import_population(runner, tmp_path, [("E01000001", WEST, 400), *LSOAS[1:3]])

    assert west(worker) == (400, 90.0)
    assert west(app) == (400, 90.0)


def test_clear_drops_every_value_so_the_next_read_builds_again() -> None:
    cache = VersionCache(size=4)
    built: list[str] = []

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    cache.get(1, "a", lambda: build("a"))
    cache.get(1, "a", lambda: build("a"))
    cache.clear()

    assert len(cache) == 0
    assert cache.get(1, "a", lambda: build("a")) == "A"
    assert built == ["a", "a"]
