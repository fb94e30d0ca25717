"""The demo's SYNTHETIC teams: every ward but one in exactly one team, files the reader accepts."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geodata.demo.force import make_demo_force
from geodata.demo.teams import LEFT_OUT, demo_abstraction, demo_teams
from geodata.demo.wards import TOWN_CENTRE
from geodata.io.teams import read_abstraction, read_teams

MONTHS = ["2025-01", "2025-02", "2025-03"]


@pytest.fixture(scope="module")
def wards() -> gpd.GeoDataFrame:
    """The demo wards as the store gives them back (code, name, lad_name)."""
    frame = make_demo_force().wards
    return frame.rename(columns={"WD25CD": "code", "WD25NM": "name", "LAD25NM": "lad_name"})


def test_every_demo_ward_but_one_is_in_exactly_one_team(wards: gpd.GeoDataFrame) -> None:
    teams = demo_teams(wards, seed=1)
    codes = [code for cell in teams["ward_codes"] for code in cell.split(";")]

    assert len(teams) == 6 and all("(synthetic)" in name for name in teams["team"])
    assert sorted(codes) == sorted(wards.loc[wards["name"] != LEFT_OUT, "code"])
    assert teams["pcs"].between(4, 6).all() and teams["pcsos"].between(5, 6).all()


def test_the_demo_files_pass_the_readers_and_the_town_centre_loses_most(
    wards: gpd.GeoDataFrame, tmp_path
) -> None:
    teams = demo_teams(wards, seed=1)
    hours = demo_abstraction(teams, wards, months=MONTHS, seed=1)
    teams.to_csv(tmp_path / "teams.csv", index=False)
    hours.to_csv(tmp_path / "hours.csv", index=False)

    read = read_teams(tmp_path / "teams.csv", known_wards=set(wards["code"]))
    rows = read_abstraction(tmp_path / "hours.csv", known_teams=[t.name for t in read])

    assert len(rows) == 6 * len(MONTHS)
    town = wards.loc[wards["name"] == TOWN_CENTRE, "code"].item()
    share = {
        t.name: sum(r.hours for r in rows if r.team == t.name) / (t.staff * 140 * len(MONTHS))
        for t in read
    }
    busiest = next(t.name for t in read if town in t.ward_codes)
    assert max(share, key=share.__getitem__) == busiest and share[busiest] >= 0.35
