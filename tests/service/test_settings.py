"""Settings are checked at start: a bad value stops create_app with the variable's name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service import create_app
from service.settings import SettingError


def start(tmp_path: Path, **config: object) -> dict[str, object]:
    """create_app with the environment's settings; a SQLite file unless it names a database."""
    if "WARDPROFILES_DATABASE_URL" not in os.environ:
        config.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'settings.sqlite'}")
    app = create_app({"SECRET_KEY": "t", **config})
    return dict(app.config)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("HOTSPOT_CELL_M", "250m", "must be a whole number, got '250m'"),
        ("HOTSPOT_CELL_M", "0", "must be 10 or more, got 0"),
        ("SQLITE_BUSY_TIMEOUT_MS", "-1", "must be 0 or more, got -1"),
        ("PUBLIC_SUPPRESS_BELOW", "five", "must be a whole number, got 'five'"),
        ("PRIORITY_WEIGHTS", '{"forse": 0.5}', "'forse' is not one of force, excess"),
        ("PRIORITY_WEIGHTS", '{"force": "high"}', "force must be a number, got 'high'"),
        ("PRIORITY_WEIGHTS", "0.5", "must be a JSON object, got 0.5"),
        ("DATABASE_URL", "mysql://db/wards", "'mysql' is not a supported database"),
        ("DATABASE_URL", "not a url", "is not a database URL"),
        ("HARM_WEIGHTS", "/nowhere/weights.csv", "'/nowhere/weights.csv' is not a file"),
        ("SESSION_COOKIE_SECURE", "yes", "must be true or false, got 'yes'"),
        ("PROTECTIVE_MARKING", " ", "must not be empty"),
        ("MAX_PERIOD_MONTHS", "0", "must be 1 or more, got 0"),
        ("SESSION_IDLE_HOURS", "0", "must be more than 0, got 0"),
        ("SESSION_MAX_HOURS", "a day", "must be a number, got 'a day'"),
        ("SIGN_IN_FAILURES_PER_USER", "2.5", "must be a whole number, got 2.5"),
        ("SIGN_IN_WINDOW_MINUTES", "-15", "must be 1 or more, got -15"),
        ("ARCHIVE_MAX_RATIO", "0", "must be 1 or more, got 0"),
        ("MESSAGE_GAP_WEEKS", "0", "must be 1 or more, got 0"),
        ("MESSAGE_WEEKLY_CEILING", "five", "must be a whole number, got 'five'"),
    ],
)
def test_a_bad_environment_variable_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(f"WARDPROFILES_{variable}", value)

    with pytest.raises(SettingError) as raised:
        start(tmp_path)

    assert str(raised.value).startswith(f"WARDPROFILES_{variable}: ")
    assert problem in str(raised.value)


def test_good_environment_variables_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDPROFILES_HOTSPOT_CELL_M", "300")
    monkeypatch.setenv("WARDPROFILES_PRIORITY_WEIGHTS", '{"force": 0.5, "trend": 0}')
    monkeypatch.setenv("WARDPROFILES_SESSION_COOKIE_SECURE", "true")

    config = start(tmp_path)

    assert config["HOTSPOT_CELL_M"] == 300
    assert config["PRIORITY_WEIGHTS"] == {"force": 0.5, "trend": 0}
    assert config["SESSION_COOKIE_SECURE"] is True


def test_a_bad_test_override_is_refused_too(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="WARDPROFILES_HOTSPOT_CELL_M: must be a whole"):
        start(tmp_path, HOTSPOT_CELL_M="250m")
