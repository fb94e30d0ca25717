"""Products: the public rules over the ward figures and hot squares."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from geodata.disclosure import Shown
from geodata.products import COUNT_FIELDS, public_hot_squares, public_ward_figures

SHOWN = Shown.for_audience("public", suppress_below=5)


def test_small_counts_are_suppressed_with_what_rests_on_them() -> None:
    counts = {name: [0, 0] for name in COUNT_FIELDS}
    counts |= {"crime_total": [7, 3], "asb_total": [5, 4], "burglary": [7, 3]}
    figures = gpd.GeoDataFrame(
        {"code": ["A", "B"], **counts, "crime_per_1000": [1.5, 0.6], "crime_ratio": [1.2, 0.5],
         "crime_rank": [1, 2], "harm_total": [10.0, 4.0], "harm_per_1000": [2.0, 0.8],
         "harm_ratio": [1.1, 0.4], "harm_rank": [1, 2]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    )  # fmt: skip

    public = public_ward_figures(figures, SHOWN)

    assert public[["crime_total", "asb_total", "burglary", "drugs"]].values.tolist() == [
        ["7", "5", "7", "<5"],
        ["<5", "<5", "<5", "<5"],
    ]
    assert public.loc[0, "crime_per_1000"] == 1.5 and public.loc[0, "harm_rank"] == 1
    assert public.loc[1, ["crime_per_1000", "crime_rank", "harm_total"]].isna().all()


def test_only_hot_squares_with_their_labels() -> None:
    squares = gpd.GeoDataFrame(
        {"row": [1, 2], "col": [1, 2], "count": [12, 3], "z": [3.0, 0.1], "p": [0.0, 0.9],
         "q": [0.0, 0.9], "hot": [True, False], "cold": [False, False],
         "label": ["High Street area", ""]},
        geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)],
    )  # fmt: skip

    public = public_hot_squares(squares, SHOWN)

    assert public.drop(columns="geometry").values.tolist() == [[1, 1, "12", "High Street area"]]
