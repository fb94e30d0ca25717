"""SYNTHETIC demo neighbourhood teams, their staff in post and their abstraction.

SYNTHETIC DATA - NOT REAL STAFFING. Each district of the demo force is split into three
teams, north to south; the staff are spread almost evenly (as a force might have them before
weighing harm), so the Resourcing page shows teams whose harm outweighs their officers. One
ward, Fenwick Marsh, is deliberately left in no team, so the page's list of wards in no team
has something to show. Abstraction is drawn per team and month from a seed, heaviest in the
town-centre team, whose officers are pulled to the most response calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.demo.wards import DETACHED_WARD, TOWN_CENTRE

LEFT_OUT = DETACHED_WARD
"""The demo ward deliberately in no team."""

TEAMS_PER_DISTRICT = 3
_PARTS = ("North", "Central", "South")
HOURS_PER_OFFICER = 140.0
"""Hours a month the demo's abstraction is drawn against (the setting's default)."""


def demo_teams(wards: gpd.GeoDataFrame, *, seed: int) -> pd.DataFrame:
    """The demo's team file: columns team, ward_codes (';'-joined), pcs, pcsos.

    ``wards`` are the stored wards (columns ``code``, ``name``, ``lad_name``, geometry in
    WGS84). Each district's wards (but :data:`LEFT_OUT`) are sorted north to south by their
    representative point and cut into three teams of nearly equal size; each team gets 4 to 6
    PCs and 5 or 6 PCSOs from the seed.
    """
    rng = np.random.default_rng(seed)
    rows = []
    kept = wards[wards["name"] != LEFT_OUT]
    for district, group in sorted(kept.groupby("lad_name"), key=lambda item: str(item[0])):
        north = group.geometry.representative_point().y
        ordered = group.assign(north=north.to_numpy()).sort_values("north", ascending=False)
        short = str(district).split(" (")[0]
        for part, chunk in zip(
            _PARTS, np.array_split(np.arange(len(ordered)), TEAMS_PER_DISTRICT), strict=True
        ):
            codes = sorted(ordered["code"].iloc[chunk])
            rows.append(
                {
                    "team": f"{short} {part} (synthetic)",
                    "ward_codes": ";".join(codes),
                    "pcs": int(rng.integers(4, 7)),
                    "pcsos": int(rng.integers(5, 7)),
                }
            )
    return pd.DataFrame(rows, columns=["team", "ward_codes", "pcs", "pcsos"])


def demo_abstraction(
    teams: pd.DataFrame, wards: gpd.GeoDataFrame, *, months: Sequence[str], seed: int
) -> pd.DataFrame:
    """The demo's abstraction file: columns team, month, hours, for every team and month.

    A team loses 10 % to 30 % of its hours (:data:`HOURS_PER_OFFICER` a head) to response
    work in a month; the team holding the town centre loses 35 % to 50 %.
    """
    rng = np.random.default_rng(seed + 1)
    town = set(wards.loc[wards["name"] == TOWN_CENTRE, "code"])
    rows = []
    for name, codes, pcs, pcsos in zip(
        teams["team"], teams["ward_codes"], teams["pcs"], teams["pcsos"], strict=True
    ):
        heavy = bool(town & set(str(codes).split(";")))
        low, high = (0.35, 0.50) if heavy else (0.10, 0.30)
        staff = int(pcs) + int(pcsos)
        for month in months:
            share = rng.uniform(low, high)
            rows.append(
                {
                    "team": name,
                    "month": month,
                    "hours": round(staff * HOURS_PER_OFFICER * share),
                }
            )
    return pd.DataFrame(rows, columns=["team", "month", "hours"])
