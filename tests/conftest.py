"""Fixtures shared by every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def real_data() -> Path:
    """The real open data folder named by WARDPROFILES_TEST_DATA; the test is skipped without it."""
    folder = os.environ.get("WARDPROFILES_TEST_DATA")
    if not folder:
        pytest.skip("WARDPROFILES_TEST_DATA is not set; point it at the shared data/ folder")
    return Path(folder)
