"""Force-wide overviews: the ward table, search and sort, and the planning summaries."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geodata.maps import SEQUENTIAL
from geodata.overview import (
    OverviewError,
    WardQuery,
    exact_code,
    gaps_by_kind,
    map_frame,
    matrix_rows,
    score_legend,
    score_shade,
    search_wards,
    search_words,
    seldom_heard_wards,
    sort_wards,
    ward_rows,
    ward_table,
)

WARDS = pd.DataFrame(
    {
        "code": ["E05000003", "E05000001", "E05000002", "E05000004"],
        "name": ["north ward", "East Ward", "West Ward", "Quiet Ward"],
        "lad_name": ["Testborough"] * 4,
    }
)
HEADLINE = pd.DataFrame(
    {
        "crime_total": [4, 3, 5],
        "asb_total": [1, 0, 2],
        "population": pd.array([300, 350, None], dtype="Int64"),
        "crime_per_1000": [4000 / 300, 3000 / 350, math.nan],
    },
    index=pd.Index(["E05000001", "E05000002", "E05000003"], name="ward_code"),
)
HARM = {"E05000001": 72.0, "E05000002": 3989.0}
"""East and West have a population; North has incidents but none; Quiet has neither."""


def table() -> pd.DataFrame:
    return ward_table(WARDS, HEADLINE, HARM)


def rows() -> list[dict[str, object]]:
    return ward_rows(table())


def codes(found: list[Any]) -> list[str]:
    return [row["code"] for row in found]


def test_ward_table_lists_every_ward_with_its_figures_and_absent_rates() -> None:
    result = table()

    assert result["code"].tolist() == ["E05000001", "E05000002", "E05000003", "E05000004"]
    assert result["crime_total"].tolist() == [4, 3, 5, 0]
    assert result["asb_total"].tolist() == [1, 0, 2, 0]
    assert result["population"].tolist()[:2] == [300, 350]
    assert result["population"].isna().tolist() == [False, False, True, True]
    assert result["crime_per_1000"].round(2).tolist()[:2] == [13.33, 8.57]
    assert result["harm_per_1000"].tolist()[:2] == [72.0, 3989.0]
    assert result[["crime_per_1000", "harm_per_1000"]].iloc[2:].isna().all().all()


def test_search_matches_name_or_code_without_case_or_outer_spaces() -> None:
    assert codes(search_wards(rows(), "  NORTH ")) == ["E05000003"]
    assert codes(search_wards(rows(), "e0500000")) == table()["code"].tolist()
    assert search_wards(rows(), "ward 1") == []
    assert len(search_wards(rows(), " ")) == 4


def test_search_ignores_accents_and_punctuation_and_reads_council_words() -> None:
    wards = [
        {"code": "E05009861", "name": "St Germain\u2019s", "lad_name": "Redcar and Cleveland"},
        {"code": "E05009857", "name": "Central", "lad_name": "Middlesbrough"},
        {"code": "E05009840", "name": "Central", "lad_name": "Hartlepool"},
        {"code": "E05000009", "name": "Ely\u0301sée", "lad_name": None},
    ]

    assert codes(search_wards(wards, "st germains")) == ["E05009861"]
    assert codes(search_wards(wards, "St. Germain's")) == ["E05009861"]
    assert codes(search_wards(wards, "middlesbrough central")) == ["E05009857"]
    assert codes(search_wards(wards, "central")) == ["E05009857", "E05009840"]
    assert codes(search_wards(wards, "elysee")) == ["E05000009"]
    assert codes(search_wards(wards, "e05 009857")) == ["E05009857"]
    assert search_wards(wards, "central stockton") == []
    assert search_words("Saltburn-by-the-Sea") == ["saltburn", "by", "the", "sea"]


def test_an_exact_code_is_found_only_when_spelled_in_full() -> None:
    assert exact_code(rows(), " e05000002 ") == "E05000002"
    assert exact_code(rows(), "E0500000") is None
    assert exact_code(rows(), "West Ward") is None


@pytest.mark.parametrize(
    ("by", "order", "codes"),
    [
        ("name", "asc", ["E05000001", "E05000003", "E05000004", "E05000002"]),
        ("name", "desc", ["E05000002", "E05000004", "E05000003", "E05000001"]),
        ("crime", "desc", ["E05000003", "E05000001", "E05000002", "E05000004"]),
        ("crime", "asc", ["E05000004", "E05000002", "E05000001", "E05000003"]),
        # Wards without a rate go last in either order, then by name (north before Quiet).
        ("rate", "desc", ["E05000001", "E05000002", "E05000003", "E05000004"]),
        ("rate", "asc", ["E05000002", "E05000001", "E05000003", "E05000004"]),
        ("harm", "desc", ["E05000002", "E05000001", "E05000003", "E05000004"]),
    ],
)
def test_sort_orders_figures_with_absent_values_last(by: str, order: str, codes: list[str]) -> None:
    assert [r["code"] for r in sort_wards(rows(), by=by, order=order)] == codes


def test_ties_are_broken_by_name() -> None:
    tied = [{**row, "crime_total": 1} for row in rows()]

    assert [r["name"] for r in sort_wards(tied, by="crime", order="desc")] == [
        "East Ward",
        "north ward",
        "Quiet Ward",
        "West Ward",
    ]


def test_query_checks_its_choices_and_names_the_bad_one() -> None:
    assert WardQuery.parse({}) == WardQuery("", "crime", "name", "asc")
    assert WardQuery.parse({"q": "x", "metric": "harm", "sort": "rate", "order": "desc"}) == (
        WardQuery("x", "harm", "rate", "desc")
    )
    with pytest.raises(OverviewError, match="metric: 'rate' is not one of crime, harm"):
        WardQuery.parse({"metric": "rate"})
    with pytest.raises(OverviewError, match="sort: 'area' is not one of name, crime, rate, harm"):
        WardQuery.parse({"sort": "area"})
    with pytest.raises(OverviewError, match="order: 'up' is not one of asc, desc"):
        WardQuery.parse({"order": "up"})


def test_rows_are_records_with_none_for_absent_figures() -> None:
    found = WardQuery(q="ward", sort="rate", order="desc").rows(rows())

    assert codes(found) == ["E05000001", "E05000002", "E05000003", "E05000004"]
    assert found[2]["crime_per_1000"] is None and found[2]["population"] is None
    assert found[0]["population"] == 300 and found[0]["harm_per_1000"] == 72.0


def test_header_links_flip_the_current_column_and_start_figures_highest_first() -> None:
    query = WardQuery(q="", sort="crime", order="desc")

    assert query.next_order("crime") == "asc"
    assert query.next_order("harm") == "desc"
    assert query.next_order("name") == "asc"
    assert query.link(sort="name", order="asc") == {
        "metric": "crime",
        "sort": "name",
        "order": "asc",
    }
    assert WardQuery(q="west").link(metric="harm")["q"] == "west"


def test_map_frame_carries_both_rates_onto_the_boundaries() -> None:
    boundaries = gpd.GeoDataFrame(
        {"code": ["E05000001", "E05000009"], "name": ["East Ward", "Elsewhere"]},
        geometry=[box(-1.2000004, 54.6, -1.18, 54.62), box(-1.18, 54.6, -1.16, 54.62)],
        crs="EPSG:4326",
    )

    frame = map_frame(boundaries, table())

    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs == "EPSG:4326"
    assert frame.geometry.iloc[0].bounds == (-1.2, 54.6, -1.18, 54.62)  # about a metre
    assert frame["harm_per_1000"].tolist()[0] == 72.0
    assert frame[["crime_per_1000", "harm_per_1000"]].iloc[1].isna().all()


@pytest.mark.parametrize(
    ("score", "band"),
    [(0.1, 0), (20.0, 0), (20.1, 1), (40.0, 1), (59.9, 2), (60.1, 3), (80.1, 4), (100.0, 4)],
)
def test_scores_shade_in_five_bands_of_twenty(score: float, band: int) -> None:
    shade = score_shade(score)

    assert shade is not None and shade.background == SEQUENTIAL[band]
    assert shade.text == ("#FFFFFF" if band >= 3 else "#1B1B1B")


def test_a_theme_that_does_not_rank_is_not_shaded() -> None:
    assert score_shade(0.0) is None
    assert [label for label, _ in score_legend()] == [
        "over 0 to 20",
        "over 20 to 40",
        "over 40 to 60",
        "over 60 to 80",
        "over 80 to 100",
    ]


def test_matrix_rows_keep_the_scores_and_order_wards_by_name() -> None:
    matrix = {
        "themes": ["Burglary", "asb (local)"],
        "wards": [
            {"ward": "E05000002", "scores": {"Burglary": 61.5, "asb (local)": 0.0}},
            {"ward": "E05000001", "scores": {"Burglary": 10.0, "asb (local)": 25.0}},
        ],
    }

    rows = matrix_rows(matrix, {"E05000001": "East Ward", "E05000002": "West Ward"})

    assert [r["name"] for r in rows] == ["East Ward", "West Ward"]
    assert [[c["score"] for c in r["cells"]] for r in rows] == [[10.0, 25.0], [61.5, 0.0]]
    assert rows[1]["cells"][0]["shade"].background == SEQUENTIAL[3]
    assert rows[1]["cells"][1]["shade"] is None


def gap(kind: str, theme: str, ratio: float | None) -> dict[str, object]:
    return {"kind": kind, "theme": theme, "ratio_to_force": ratio, "explanation": "..."}


def test_gaps_group_by_kind_then_theme_highest_ratio_first() -> None:
    names = {"A": "Ash", "B": "Birch", "C": "Cedar"}
    high = "force priority not raised locally"
    low = "concern without supporting incidents"
    gaps = {
        "A": [gap(high, "Burglary", 1.5), gap(low, "asb", None)],
        "B": [gap(high, "Burglary", 2.5), gap(high, "Drugs", 1.3)],
        "C": [gap(low, "asb", 0.1)],
    }

    grouped = gaps_by_kind(gaps, names)

    assert [kind for kind, _ in grouped] == [low, high]
    concerns, force = grouped[0][1], grouped[1][1]
    assert [theme for theme, _ in force] == ["Burglary", "Drugs"]  # most wards first
    assert [r["name"] for r in force[0][1]] == ["Birch", "Ash"]
    assert [r["code"] for r in concerns[0][1]] == ["C", "A"]  # no ratio (no incidents) last


def test_only_flagged_wards_are_listed_for_seldom_heard_coverage() -> None:
    coverage = {
        "B": {
            "concerns": 2,
            "channels": ["ward-councillor"],
            "communities": [],
            "flags": ["concerns came only from ward councillors"],
        },
        "A": {"concerns": 0, "channels": [], "communities": [], "flags": ["no concerns raised"]},
        "C": {"concerns": 3, "channels": ["survey"], "communities": ["students"], "flags": []},
    }

    rows = seldom_heard_wards(coverage, {"A": "Ash", "B": "Birch", "C": "Cedar"})

    assert [r["code"] for r in rows] == ["A", "B"]
    assert rows[1]["channel_labels"] == ["Ward councillor"]
    assert rows[1]["flags"] == ["concerns came only from ward councillors"]
