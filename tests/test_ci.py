"""On CI the real-data tests may not skip: a run without the real data folder fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def collect(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Collect (not run) one small test file under ``env``, as CI would start pytest."""
    variables = {k: v for k, v in os.environ.items() if k not in ("CI", "WARDPROFILES_TEST_DATA")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "test_readme.py")],
        cwd=ROOT, env=variables | env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("folder", [None, "missing"])
def test_ci_fails_without_the_real_data(tmp_path: Path, folder: str | None) -> None:
    env = {"CI": "true"}
    if folder is not None:
        env["WARDPROFILES_TEST_DATA"] = str(tmp_path / folder)
    result = collect(tmp_path, **env)

    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "CI is set but the real open data folder is missing" in result.stderr
    assert ("is not set" in result.stderr) == (folder is None)


def test_a_local_run_without_the_real_data_goes_on(tmp_path: Path) -> None:
    assert collect(tmp_path).returncode == pytest.ExitCode.OK
    assert collect(tmp_path, CI="0").returncode == pytest.ExitCode.OK
    with_data = collect(tmp_path, CI="1", WARDPROFILES_TEST_DATA=str(tmp_path))
    assert with_data.returncode == pytest.ExitCode.OK
