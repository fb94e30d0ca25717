"""The real Cleveland 2025 records, loaded once per test session for the real-data tests.

Read straight from the police.uk CSVs and the 2025 ward boundaries under
``WARDPROFILES_TEST_DATA``, with the ward join the service uses, so the figures the tests
assert are those a page would show.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.join import OUTSIDE, assign_wards
from geodata.profile import ForceCounts


@cache
def wards(folder: Path) -> gpd.GeoDataFrame:
    """The 83 Cleveland wards of 2025 in WGS84, ``code`` and ``name`` by code."""
    frame = gpd.read_file(folder / "boundaries" / "cleveland_wards_wd25.geojson")
    frame = frame.rename(columns={"WD25CD": "code", "WD25NM": "name"})
    return frame[["code", "name", "geometry"]].sort_values("code", ignore_index=True)


@cache
def incidents(folder: Path) -> pd.DataFrame:
    """Every 2025 record: month, category, location, longitude, latitude and ward_code."""
    crimes = pd.concat(
        [pd.read_csv(path) for path in sorted((folder / "police_uk" / "cleveland").glob("*.csv"))],
        ignore_index=True,
    )
    longitude = crimes["Longitude"].to_numpy(dtype=np.float64)
    latitude = crimes["Latitude"].to_numpy(dtype=np.float64)
    frame = wards(folder)
    positions = assign_wards(longitude, latitude, frame)
    codes = frame["code"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "month": crimes["Month"],
            "category": crimes["Crime type"],
            "location": crimes["Location"],
            "longitude": longitude,
            "latitude": latitude,
            "ward_code": [None if p == OUTSIDE else codes[p] for p in positions],
        }
    )


@cache
def force_counts(folder: Path) -> ForceCounts:
    """The records as the store groups them: ward by category by month."""
    rows = incidents(folder).copy()
    rows["status"] = np.where(
        rows["ward_code"].notna(),
        "ward",
        np.where(rows["longitude"].isna(), "no location", "outside"),
    )
    grouped = rows.groupby(
        ["status", "ward_code", "month", "category"], dropna=False, as_index=False
    ).size()
    return ForceCounts.from_frame(grouped.rename(columns={"size": "n"}))
