"""Category harm weights from offence weights and volumes, by hand and from the shipped inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata.errors import HarmWeightsError
from geodata.harm import DEFAULT_WEIGHTS_PATH
from geodata.harm_derivation import volume_weighted

ROOT = Path(__file__).resolve().parents[2]


def create_inputs(
    *, weights: dict[str, float], volumes: dict[str, int], mapping: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Frames shaped like the three files under geodata/data/harm/, codes as their own CSS code."""
    return (
        pd.DataFrame({"offence_code": list(weights), "weight": list(weights.values())}),
        pd.DataFrame(
            {
                "offence_code": list(volumes),
                "css_offence_code": list(volumes),
                "offence": [f"Offence {code}" for code in volumes],
                "count": list(volumes.values()),
            }
        ),
        pd.DataFrame({"police_uk_category": list(mapping.values()), "offence_code": list(mapping)}),
    )


def test_weight_and_range_by_hand() -> None:
    inputs = create_inputs(
        weights={"A": 10.0, "B": 100.0, "C": 7.0},
        volumes={"A": 300, "B": 100, "C": 50},
        mapping={"A": "Drugs", "B": "Drugs", "C": "Shoplifting", "A+B": "Drugs"},
    )

    drugs, shoplifting = volume_weighted(*inputs)

    # (300 x 10 + 100 x 100) / 400; highest: B doubled, A halved; lowest: the other way.
    assert drugs.weight == pytest.approx(32.5)
    assert drugs.high == pytest.approx((150 * 10 + 200 * 100) / 350)
    assert drugs.low == pytest.approx((600 * 10 + 50 * 100) / 650)
    assert drugs.offences == 2
    assert drugs.basis.startswith("volume-weighted mean of 2 offences, 400 recorded; largest")
    assert (shoplifting.weight, shoplifting.low, shoplifting.high) == (7.0, 7.0, 7.0)
    assert shoplifting.basis == "C offence c 7.00; the category's only offence"


def test_a_wider_local_mix_widens_the_range() -> None:
    inputs = create_inputs(
        weights={"A": 10.0, "B": 100.0}, volumes={"A": 300, "B": 100}, mapping={"A": "x", "B": "x"}
    )

    (narrow,) = volume_weighted(*inputs, local_mix=1.0)
    (wide,) = volume_weighted(*inputs, local_mix=4.0)

    assert narrow.low == narrow.weight == narrow.high == pytest.approx(32.5)
    assert wide.high == pytest.approx((75 * 10 + 400 * 100) / 475)


def test_an_offence_with_a_volume_and_no_weight_is_an_error() -> None:
    inputs = create_inputs(
        weights={"A": 10.0}, volumes={"A": 3, "B": 1}, mapping={"A": "x", "B": "x"}
    )

    with pytest.raises(HarmWeightsError, match="volume but no CSS weight: B"):
        volume_weighted(*inputs)


def test_the_shipped_table_is_what_the_shipped_inputs_derive() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "harm_weights.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_the_script_will_not_overwrite_without_being_told(tmp_path: Path) -> None:
    output = tmp_path / "weights.csv"
    output.write_text("mine", encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "harm_weights.py"), "--output", str(output)]

    refused = subprocess.run(script, capture_output=True, text=True, check=False)
    written = subprocess.run([*script, "--overwrite"], capture_output=True, text=True, check=False)

    assert refused.returncode == 2 and "pass --overwrite" in refused.stderr
    assert written.returncode == 0
    assert output.read_text(encoding="utf-8") == DEFAULT_WEIGHTS_PATH.read_text(encoding="utf-8")
