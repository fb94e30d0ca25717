"""The domain package stays pure: geodata never imports Flask, SQLAlchemy or service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
FORBIDDEN = {"flask", "flask_login", "flask_wtf", "sqlalchemy", "adbc_driver_sqlite", "service"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    "path", sorted(GEODATA.rglob("*.py")), ids=lambda p: str(p.relative_to(GEODATA))
)
def test_geodata_module_imports_nothing_from_the_service_side(path: Path) -> None:
    assert imported_roots(path) & FORBIDDEN == set()
