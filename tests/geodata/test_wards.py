"""Wards: ONS field detection, checked geometry repair and preparation, on hand-drawn shapes."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.affinity import translate
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geodata.crs import BNG, WGS84
from geodata.errors import BoundaryError
from geodata.io.boundaries import read_boundaries
from geodata.wards import (
    WARD_COLUMNS,
    WardFields,
    detect_ons_fields,
    prepare_wards,
    repair_geometries,
)

E0, N0 = 450_000, 520_000
"""A corner in Middlesbrough, in British National Grid metres."""


def at_corner(polygon: Polygon) -> Polygon:
    """Move a shape drawn around (0, 0) to the Middlesbrough corner."""
    return translate(polygon, E0, N0)


def square_km(column: int) -> Polygon:
    """The 1 km square ``column`` kilometres east of the corner: exactly 1 km²."""
    return box(E0 + 1000 * column, N0, E0 + 1000 * (column + 1), N0 + 1000)


FIGURE_EIGHT_SMALL = at_corner(
    Polygon([(0, 0), (1000, 0), (1000, 1000), (-10, 1000), (-10, 1010), (0, 1010)])
)
"""A 1 km square whose outline crosses itself at its top-left corner, making a 10 m loop.

The loop winds the other way, so the signed area before repair is 1,000,000 - 100 m²
and the repaired area (square plus loop) is 1,000,000 + 100 m²: a change of 0.02 %.
"""

FIGURE_EIGHT_LARGE = at_corner(
    Polygon([(0, 0), (1000, 0), (1000, 1000), (-100, 1000), (-100, 1100), (0, 1100)])
)
"""As FIGURE_EIGHT_SMALL with a 100 m loop: 0.99 km² before, 1.01 km² after, 2.02 %."""

BOW_TIE = at_corner(Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000)]))
"""Two equal triangles meeting at the centre: signed area 0 before, 0.5 km² after."""

SQUARE_WITH_SPIKE = at_corner(
    Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000), (0, 1500), (0, 1000)])
)
"""A 1 km square with a 500 m zero-width spike, which make_valid returns as a line."""

ONS_COLUMNS = ["FID", "WD25CD", "WD25NM", "WD25NMW", "LAD25CD", "LAD25NM", "geometry"]


def create_boundaries(
    *,
    codes: tuple[str | None, ...] = ("E05000002", "E05000001"),
    names: tuple[str | None, ...] | None = None,
    geometries: tuple[BaseGeometry | None, ...] | None = None,
    source: str = "wards.geojson",
) -> gpd.GeoDataFrame:
    """Boundary features in WGS84 as read_boundaries returns them (default: two squares)."""
    return gpd.GeoDataFrame(
        {
            "WD25CD": list(codes),
            "WD25NM": list(names or [f"Ward {i}" for i in range(len(codes))]),
            "LAD25CD": "E06000002",
            "LAD25NM": "Middlesbrough",
            "source": source,
        },
        geometry=list(geometries or [square_km(i) for i in range(len(codes))]),
        crs=BNG,
    ).to_crs(WGS84)


FIELDS_2025 = WardFields(
    code="WD25CD", name="WD25NM", lad_code="LAD25CD", lad_name="LAD25NM", vintage="2025"
)


# detect_ons_fields


def test_detects_the_ons_fields_and_vintage() -> None:
    assert detect_ons_fields(ONS_COLUMNS) == FIELDS_2025


def test_detects_fields_in_any_case_and_keeps_their_spelling() -> None:
    fields = detect_ons_fields(["wd24cd", "Wd24Nm", "lad24cd", "LAD24NM"])

    assert fields == WardFields(
        code="wd24cd", name="Wd24Nm", lad_code="lad24cd", lad_name="LAD24NM", vintage="2024"
    )


def test_authority_fields_are_optional() -> None:
    fields = detect_ons_fields(["WD25CD", "WD25NM"])

    assert (fields.lad_code, fields.lad_name) == (None, None)


def test_refuses_several_ward_code_vintages() -> None:
    with pytest.raises(BoundaryError, match=r"\['WD24CD', 'WD25CD'\].*--code-field"):
        detect_ons_fields(["WD24CD", "WD24NM", "WD25CD", "WD25NM"])


def test_an_explicit_code_field_chooses_the_vintage_of_its_siblings() -> None:
    columns = ["WD24CD", "WD24NM", "LAD24CD", "WD25CD", "WD25NM", "LAD25CD"]

    fields = detect_ons_fields(columns, code_field="WD24CD")

    assert fields == WardFields(
        code="WD24CD", name="WD24NM", lad_code="LAD24CD", lad_name=None, vintage="2024"
    )


def test_explicit_options_override_detection() -> None:
    fields = detect_ons_fields(
        ["ward_code", "ward_name", "WD25CD", "WD25NM"],
        code_field="ward_code",
        name_field="ward_name",
        vintage="2023",
    )

    assert fields == WardFields(
        code="ward_code", name="ward_name", lad_code=None, lad_name=None, vintage="2023"
    )


def test_asks_for_the_vintage_when_the_code_field_has_no_year() -> None:
    with pytest.raises(BoundaryError, match=r"'ward_code'.*--vintage"):
        detect_ons_fields(["ward_code", "ward_name"], code_field="ward_code")


def test_asks_for_the_fields_when_no_code_field_is_found() -> None:
    with pytest.raises(
        BoundaryError, match=r"\['ward_code', 'ward_name'\].*--code-field and --name-field"
    ):
        detect_ons_fields(["ward_code", "ward_name"])


def test_asks_for_the_name_field_when_none_matches_the_code_field() -> None:
    with pytest.raises(BoundaryError, match=r"no ward name column WD25NM.*--name-field"):
        detect_ons_fields(["WD25CD", "WD24NM"])


def test_refuses_an_explicit_field_the_file_does_not_have() -> None:
    with pytest.raises(BoundaryError, match="--name-field 'NAME' is not one of the columns"):
        detect_ons_fields(ONS_COLUMNS, name_field="NAME")


@pytest.mark.parametrize(
    "vintage",
    ["25", "20255", "MMXXV", "\uff12\uff10\uff12\uff15"],
    ids=["two-digits", "five-digits", "roman", "fullwidth-digits"],
)
def test_refuses_a_vintage_that_is_not_a_four_digit_year(vintage: str) -> None:
    with pytest.raises(BoundaryError, match="--vintage must be a four-digit year"):
        detect_ons_fields(ONS_COLUMNS, vintage=vintage)


# repair_geometries


def test_leaves_valid_and_missing_geometries_untouched() -> None:
    geometries = gpd.GeoSeries([square_km(0), None, square_km(1)], crs=BNG)

    repaired, repairs = repair_geometries(geometries)

    assert repairs == []
    assert repaired.geom_equals_exact(geometries, tolerance=0).tolist() == [True, False, True]
    assert repaired.isna().tolist() == [False, True, False]


def test_repairs_a_small_self_intersection_and_records_it() -> None:
    geometries = gpd.GeoSeries([square_km(1), FIGURE_EIGHT_SMALL], crs=BNG)

    repaired, repairs = repair_geometries(geometries, labels=["east", "west"])

    (repair,) = repairs
    assert (repair.label, repair.reason) == ("west", "Self-intersection[450000 521000]")
    assert (repair.area_before_km2, repair.area_after_km2) == pytest.approx((0.9999, 1.0001))
    assert str(repair) == (
        "west: repaired Self-intersection[450000 521000]; "
        "area 0.999900 km² -> 1.000100 km² (0.020%)"
    )
    assert repaired.is_valid.all()
    assert repaired.geom_type.tolist() == ["Polygon", "MultiPolygon"]
    assert repaired.area.round(3).tolist() == [1_000_000.0, 1_000_100.0]


def test_refuses_a_repair_that_changes_the_area_beyond_the_tolerance() -> None:
    geometries = gpd.GeoSeries([FIGURE_EIGHT_LARGE], crs=BNG)

    with pytest.raises(
        BoundaryError,
        match=r"feature 0: repairing Self-intersection.* by 2\.020% \(0\.990000 km² -> 1\.010000",
    ):
        repair_geometries(geometries)


def test_a_wider_tolerance_accepts_the_same_repair() -> None:
    geometries = gpd.GeoSeries([FIGURE_EIGHT_LARGE], crs=BNG)

    _, repairs = repair_geometries(geometries, tolerance=0.05)

    assert repairs[0].area_change == pytest.approx(0.02 / 0.99)


def test_refuses_to_repair_a_bow_tie_of_equal_lobes() -> None:
    geometries = gpd.GeoSeries([BOW_TIE], crs=BNG)

    with pytest.raises(BoundaryError, match=r"by an unbounded amount \(0\.000000 km² -> 0\.5"):
        repair_geometries(geometries, labels=["bow tie"])


def test_keeps_only_the_polygonal_part_of_a_repair() -> None:
    geometries = gpd.GeoSeries([SQUARE_WITH_SPIKE], crs=BNG)

    repaired, repairs = repair_geometries(geometries)

    assert repaired.iloc[0].normalize().equals(at_corner(box(0, 0, 1000, 1000)).normalize())
    assert repairs[0].reason == "Ring Self-intersection[450000 521000]"
    assert repairs[0].area_change == 0


def test_measures_a_repair_in_british_national_grid_whatever_the_crs() -> None:
    geometries = gpd.GeoSeries([FIGURE_EIGHT_SMALL], crs=BNG).to_crs(WGS84)

    repaired, repairs = repair_geometries(geometries)

    assert repaired.crs == WGS84
    assert repairs[0].area_before_km2 == pytest.approx(0.9999, abs=1e-6)
    assert repairs[0].area_after_km2 == pytest.approx(1.0001, abs=1e-6)


def test_cannot_measure_a_repair_without_crs() -> None:
    with pytest.raises(BoundaryError, match="no CRS"):
        repair_geometries(gpd.GeoSeries([BOW_TIE]))


# prepare_wards


def test_prepares_one_row_per_ward_sorted_by_code() -> None:
    wards, repairs = prepare_wards(create_boundaries(), FIELDS_2025)

    assert tuple(wards.columns) == WARD_COLUMNS
    assert wards.crs == WGS84
    assert wards["code"].tolist() == ["E05000001", "E05000002"]
    assert wards["name"].tolist() == ["Ward 1", "Ward 0"]
    assert wards["lad_code"].tolist() == ["E06000002", "E06000002"]
    assert wards["lad_name"].tolist() == ["Middlesbrough", "Middlesbrough"]
    assert wards["vintage"].tolist() == ["2025", "2025"]
    assert wards["area_km2"].tolist() == pytest.approx([1.0, 1.0], abs=1e-6)
    assert wards.geom_type.tolist() == ["Polygon", "Polygon"]
    assert wards.index.tolist() == [0, 1]
    assert repairs == []


def test_strips_whitespace_from_codes_and_names() -> None:
    frame = create_boundaries(codes=(" E05000001\t",), names=("  Central ",))

    wards, _ = prepare_wards(frame, FIELDS_2025)

    assert (wards["code"].iloc[0], wards["name"].iloc[0]) == ("E05000001", "Central")


def test_authority_columns_are_missing_when_the_file_has_none() -> None:
    fields = WardFields(code="WD25CD", name="WD25NM", lad_code=None, lad_name=None, vintage="2025")

    wards, _ = prepare_wards(create_boundaries(), fields)

    assert wards["lad_code"].isna().all()
    assert wards["lad_name"].isna().all()


def test_refuses_blank_codes_and_names_naming_the_file_and_feature() -> None:
    frame = create_boundaries(codes=("E05000001", "  ", None), names=("", "Ward 2", "Ward 3"))

    with pytest.raises(BoundaryError) as refused:
        prepare_wards(frame, FIELDS_2025)

    assert str(refused.value).splitlines() == [
        "boundaries cannot be used as wards (3 problems):",
        "  wards.geojson feature 0 (E05000001): the ward name (WD25NM) is blank",
        "  wards.geojson feature 1 (no code): the ward code (WD25CD) is blank",
        "  wards.geojson feature 2 (no code): the ward code (WD25CD) is blank",
    ]


def test_lists_the_first_ten_problems_and_counts_the_rest() -> None:
    frame = create_boundaries(codes=tuple(f"E0500001{i}" for i in range(12)), names=("",) * 12)

    with pytest.raises(BoundaryError) as refused:
        prepare_wards(frame, FIELDS_2025)

    lines = str(refused.value).splitlines()
    assert lines[0] == "boundaries cannot be used as wards (12 problems):"
    assert len(lines) == 12
    assert lines[-1] == "  ... and 2 more"


def test_refuses_a_code_repeated_across_two_files(tmp_path: Path) -> None:
    first, second = tmp_path / "E06000001.geojson", tmp_path / "E06000002.geojson"
    for path, codes in [(first, ("E05000001", "E05000002")), (second, ("E05000003", "E05000002"))]:
        create_boundaries(codes=codes).drop(columns="source").to_file(path)
    frame = read_boundaries([first, second])

    with pytest.raises(
        BoundaryError,
        match=re.escape(
            f"ward code E05000002 appears 2 times: {first} feature 1, {second} feature 1"
        ),
    ):
        prepare_wards(frame, FIELDS_2025)


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (Point(E0, N0), "the geometry is a Point, not a polygon"),
        (LineString([(E0, N0), (E0 + 1000, N0)]), "the geometry is a LineString, not a polygon"),
        (Polygon(), "has no geometry"),
        (None, "has no geometry"),
    ],
)
def test_refuses_features_that_are_not_areas(geometry: BaseGeometry | None, problem: str) -> None:
    frame = create_boundaries(geometries=(square_km(0), geometry))

    with pytest.raises(BoundaryError, match=rf"wards\.geojson feature 1 \(E05000001\): {problem}"):
        prepare_wards(frame, FIELDS_2025)


def test_refuses_boundaries_not_in_wgs84() -> None:
    with pytest.raises(BoundaryError, match=r"must be in WGS84 .*not EPSG:27700"):
        prepare_wards(create_boundaries().to_crs(BNG), FIELDS_2025)


def test_refuses_a_field_the_frame_does_not_have() -> None:
    fields = WardFields(code="WD24CD", name="WD24NM", lad_code=None, lad_name=None, vintage="2024")

    with pytest.raises(BoundaryError, match=r"\['WD24CD', 'WD24NM'\] not among"):
        prepare_wards(create_boundaries(), fields)


def test_repairs_invalid_wards_and_measures_the_repaired_area() -> None:
    frame = create_boundaries(geometries=(square_km(1), FIGURE_EIGHT_SMALL))

    wards, repairs = prepare_wards(frame, FIELDS_2025)

    assert [repair.label for repair in repairs] == ["wards.geojson feature 1 (E05000001)"]
    assert wards["area_km2"].tolist() == pytest.approx([1.0001, 1.0], abs=1e-6)
    assert wards.geom_type.tolist() == ["MultiPolygon", "Polygon"]


@pytest.mark.realdata
def test_prepares_the_83_cleveland_wards_of_2025(real_data: Path) -> None:
    paths = sorted((real_data / "boundaries" / "wards_wd25").glob("*.geojson"))
    frame = read_boundaries(paths)

    wards, repairs = prepare_wards(frame, detect_ons_fields(frame.columns))

    assert len(wards) == 83
    assert wards["code"].is_unique
    assert wards.groupby("lad_name").size().to_dict() == {
        "Hartlepool": 12,
        "Middlesbrough": 20,
        "Redcar and Cleveland": 24,
        "Stockton-on-Tees": 27,
    }
    assert set(wards["vintage"]) == {"2025"}
    assert wards["area_km2"].sum() == pytest.approx(597.8, abs=0.1)
    assert repairs == []
