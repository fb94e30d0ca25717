"""The README keeps up with the code: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from service.settings import ENV_PREFIX, SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"{ENV_PREFIX}_{name}" in README


def test_every_command_is_in_the_readme(app: Flask) -> None:
    ours = {
        name
        for name, command in app.cli.commands.items()
        if command.callback and command.callback.__module__.startswith("service")
    }
    assert ours >= {"import-wards", "import-crime", "demo", "init-db"}
    missing = sorted(name for name in ours if f"flask --app service {name}" not in README)
    assert missing == []


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
