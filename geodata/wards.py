"""Electoral wards: ONS field detection, checked geometry repair and the prepared ward frame."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84
from geodata.errors import BoundaryError

SOURCE_COLUMN = "source"
"""Column naming the file each feature came from, so that every message can point back to it."""

WARD_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "lad_code",
    "lad_name",
    "vintage",
    "area_km2",
    "geometry",
)
"""The columns of a prepared ward frame, in order."""

_POLYGONAL = ("Polygon", "MultiPolygon")
_ONS_WARD_CODE = re.compile(r"WD([0-9]{2})CD", re.IGNORECASE)
_M2_PER_KM2 = 1_000_000
_MAX_LISTED = 10
"""Problems listed in one error message; the rest are counted, not printed."""


@dataclass(frozen=True)
class WardFields:
    """Which source columns hold the ward code, name and authority, and their vintage.

    A ward code means nothing without its boundary vintage (ward codes are re-issued when
    wards are redrawn), so the vintage travels with the field names.
    """

    code: str
    name: str
    lad_code: str | None
    lad_name: str | None
    vintage: str


@dataclass(frozen=True)
class Repair:
    """One invalid geometry that was repaired, with its area before and after in km²."""

    label: str
    reason: str
    area_before_km2: float
    area_after_km2: float

    @property
    def area_change(self) -> float:
        """Relative change of area, ``|after - before| / before``; infinite from zero area."""
        if self.area_before_km2 == 0:
            return math.inf
        return abs(self.area_after_km2 - self.area_before_km2) / self.area_before_km2

    def __str__(self) -> str:
        return (
            f"{self.label}: repaired {self.reason}; area {self.area_before_km2:.6f} km² -> "
            f"{self.area_after_km2:.6f} km² ({_percent(self.area_change)})"
        )


def detect_ons_fields(
    columns: Iterable[str],
    *,
    code_field: str | None = None,
    name_field: str | None = None,
    vintage: str | None = None,
) -> WardFields:
    """Find the ward code, name and local authority columns of an ONS ward file.

    ONS names its columns after the boundary vintage: ``WD25CD``/``WD25NM`` for the 2025
    ward code and name, ``LAD25CD``/``LAD25NM`` for the local authority district. The
    code column is found by that pattern (case-insensitively), the vintage is read from
    its two digits ("25" means "2025"), and the name and authority columns are looked up
    with the same two digits, so a file carrying several vintages pairs them correctly.

    Parameters
    ----------
    columns
        Column names of the boundary frame.
    code_field, name_field
        Column names to use instead of detection (``--code-field``, ``--name-field``).
        Required when the file does not follow the ONS naming, or when it has ward
        codes of several vintages.
    vintage
        Four-digit boundary year (``--vintage``). Overrides the year read from the code
        column; required when the code column name carries no year.

    Returns
    -------
    WardFields
        The column names found; the authority fields are None when absent.

    Raises
    ------
    BoundaryError
        When no code column, or more than one, is found; when a named column is absent;
        when the vintage cannot be told or is not a four-digit year. Messages list the
        columns present and the option to pass.
    """
    present = list(columns)
    if code_field is None:
        code_field = _detect_code_field(present)
    else:
        _require_column(present, code_field, option="--code-field")
    code_match = _ONS_WARD_CODE.fullmatch(code_field)
    if vintage is None:
        if code_match is None:
            raise BoundaryError(
                f"cannot tell the boundary vintage from the code field {code_field!r}; "
                "pass --vintage with the boundary year, e.g. --vintage 2025"
            )
        vintage = f"20{code_match.group(1)}"
    elif re.fullmatch(r"[0-9]{4}", vintage) is None:
        raise BoundaryError(f"--vintage must be a four-digit year such as 2025, not {vintage!r}")
    year = code_match.group(1) if code_match is not None else vintage[2:]
    if name_field is None:
        name_field = _find_column(present, f"WD{year}NM")
        if name_field is None:
            raise BoundaryError(
                f"no ward name column WD{year}NM among the columns {present}; pass --name-field"
            )
    else:
        _require_column(present, name_field, option="--name-field")
    return WardFields(
        code=code_field,
        name=name_field,
        lad_code=_find_column(present, f"LAD{year}CD"),
        lad_name=_find_column(present, f"LAD{year}NM"),
        vintage=vintage,
    )


def _detect_code_field(columns: list[str]) -> str:
    """Return the one column named like ``WDyyCD``, or explain why there is not one."""
    candidates = [column for column in columns if _ONS_WARD_CODE.fullmatch(column)]
    if not candidates:
        raise BoundaryError(
            f"no ONS ward code column (WDyyCD, e.g. WD25CD) among the columns {columns}; "
            "pass --code-field and --name-field"
        )
    if len(candidates) > 1:
        raise BoundaryError(
            f"several ward code columns {candidates}, one per boundary vintage; "
            "pass --code-field to choose one"
        )
    return candidates[0]


def _require_column(columns: list[str], column: str, *, option: str) -> None:
    """Refuse an explicitly named column that the file does not have."""
    if column not in columns:
        raise BoundaryError(f"{option} {column!r} is not one of the columns {columns}")


def _find_column(columns: list[str], wanted: str) -> str | None:
    """Return the column spelled ``wanted`` in any letter case, keeping its own spelling."""
    return next((column for column in columns if column.upper() == wanted), None)


def repair_geometries(
    geometries: gpd.GeoSeries,
    *,
    tolerance: float = 0.001,
    labels: Sequence[str] | None = None,
) -> tuple[gpd.GeoSeries, list[Repair]]:
    """Repair invalid geometries, refusing any repair that moves area beyond a tolerance.

    Each invalid geometry is rebuilt with :func:`shapely.make_valid`, and only its
    polygonal parts are kept (a repaired ward can come back as a collection holding
    stray lines or points where its outline touched itself). Areas before and after are
    measured in British National Grid. The area of an invalid polygon is its signed
    shoelace sum, so a tiny self-intersecting loop changes it by twice the loop's area
    and is accepted, while a bow-tie of two equal lobes has no area before repair and is
    refused: that ward was digitised wrongly and needs a person to look at it.

    Valid and missing geometries are returned untouched.

    Parameters
    ----------
    geometries
        Geometries with a CRS.
    tolerance
        Largest accepted relative change of area, ``|after - before| / before``;
        0.001 is 0.1 %.
    labels
        One label per geometry, naming the feature in messages and repair records
        (e.g. "wards.geojson feature 3 (E05000001)"). Defaults to "feature <index>".

    Returns
    -------
    tuple of (geopandas.GeoSeries, list of Repair)
        The geometries, with invalid ones replaced in place, and one record per repair.

    Raises
    ------
    BoundaryError
        When any repair changes its area by more than ``tolerance``; the message lists
        every such feature with the percentage.
    """
    if geometries.crs is None:
        raise BoundaryError("geometries have no CRS, so the area of a repair cannot be measured")
    if not tolerance >= 0:
        raise ValueError(f"tolerance must be a fraction of 0 or more, not {tolerance!r}")
    if labels is None:
        labels = [f"feature {index}" for index in geometries.index]
    elif len(labels) != len(geometries):
        raise ValueError(f"labels has {len(labels)} items, geometries has {len(geometries)}")

    positions = np.flatnonzero(geometries.notna() & ~geometries.is_valid).tolist()
    before = geometries.iloc[positions]
    after = gpd.GeoSeries(
        [_polygonal_part(shapely.make_valid(geometry)) for geometry in before],
        index=before.index,
        crs=geometries.crs,
    )
    repairs = [
        Repair(
            label=labels[position],
            reason=str(shapely.is_valid_reason(geometry)),
            area_before_km2=area_before / _M2_PER_KM2,
            area_after_km2=area_after / _M2_PER_KM2,
        )
        for position, geometry, area_before, area_after in zip(
            positions, before, before.to_crs(BNG).area, after.to_crs(BNG).area, strict=True
        )
    ]
    refused = [
        f"{repair.label}: repairing {repair.reason} changes the area by "
        f"{_percent(repair.area_change)} ({repair.area_before_km2:.6f} km² -> "
        f"{repair.area_after_km2:.6f} km²), more than the tolerance of {_percent(tolerance)}"
        for repair in repairs
        if repair.area_change > tolerance
    ]
    _raise_problems("geometry repair refused", refused)
    repaired = geometries.copy()
    repaired.iloc[positions] = after.to_numpy()
    return repaired, repairs


def _percent(fraction: float) -> str:
    """Format a relative change for people; from zero area the change has no bound."""
    return f"{fraction:.3%}" if math.isfinite(fraction) else "an unbounded amount"


def _polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygons of a repaired geometry, merged into one Polygon or MultiPolygon."""
    if geometry.geom_type in _POLYGONAL:
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in _POLYGONAL]
    return shapely.union_all(parts)


def prepare_wards(
    frame: gpd.GeoDataFrame, fields: WardFields, *, tolerance: float = 0.001
) -> tuple[gpd.GeoDataFrame, list[Repair]]:
    """Check boundary features and turn them into one row per ward.

    The frame is expected as :func:`geodata.io.boundaries.read_boundaries` returns it:
    in WGS84, with a ``source`` column naming each feature's file (without one,
    features are named by their position). Codes and names are stripped of surrounding
    whitespace. Every problem found is reported at once, each naming the file, the
    feature index within that file (counting from 0, in file order) and the code:

    - a missing or blank code or name;
    - a code that appears more than once, in one file or across files;
    - a missing, empty or non-polygonal geometry (points and lines are not wards).

    Invalid geometries are then repaired by :func:`repair_geometries`, and each ward's
    area is measured in British National Grid.

    Parameters
    ----------
    frame
        Boundary features in WGS84.
    fields
        Source columns, from :func:`detect_ons_fields`.
    tolerance
        Largest accepted relative change of area by a repair (0.001 is 0.1 %).

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, list of Repair)
        Wards in WGS84 with the columns :data:`WARD_COLUMNS`, sorted by code with a
        fresh index, and the repairs made. Polygons stay Polygons.

    Raises
    ------
    BoundaryError
        When the CRS is not WGS84, a named field is absent, or any check above fails.
    """
    if frame.crs is None or not frame.crs.equals(WGS84):
        raise BoundaryError(
            f"ward boundaries must be in WGS84 ({WGS84}), not {frame.crs}; "
            "read them with read_boundaries, which reprojects every file"
        )
    wanted = [fields.code, fields.name, fields.lad_code, fields.lad_name]
    missing = [field for field in wanted if field is not None and field not in frame.columns]
    if missing:
        raise BoundaryError(
            f"field(s) {missing} not among the boundary columns {list(frame.columns)}"
        )
    frame = frame.reset_index(drop=True)
    codes = _clean_text(frame[fields.code])
    names = _clean_text(frame[fields.name])
    features = _feature_labels(frame)
    labels = [
        f"{feature} ({code or 'no code'})" for feature, code in zip(features, codes, strict=True)
    ]

    problems: list[str] = []
    for label, code, name in zip(labels, codes, names, strict=True):
        if not code:
            problems.append(f"{label}: the ward code ({fields.code}) is blank")
        if not name:
            problems.append(f"{label}: the ward name ({fields.name}) is blank")
    problems += geometry_problems(labels, frame.geometry)
    problems += repeated_code_problems(codes, features, what="ward code")
    _raise_problems("boundaries cannot be used as wards", problems)

    geometry, repairs = repair_geometries(frame.geometry, tolerance=tolerance, labels=labels)
    wards = gpd.GeoDataFrame(
        {
            "code": codes,
            "name": names,
            "lad_code": _optional_text(frame, fields.lad_code),
            "lad_name": _optional_text(frame, fields.lad_name),
            "vintage": pd.Series(fields.vintage, index=frame.index, dtype="str"),
            "area_km2": geometry.to_crs(BNG).area / _M2_PER_KM2,
            "geometry": geometry,
        },
        geometry="geometry",
        crs=WGS84,
    )
    return wards.sort_values("code", ignore_index=True), repairs


def _clean_text(values: pd.Series) -> pd.Series:
    """Return values as stripped strings, with missing values as empty strings."""
    return values.map(lambda value: "" if pd.isna(value) else str(value).strip()).astype("str")


def _optional_text(frame: pd.DataFrame, field: str | None) -> pd.Series:
    """Return an optional field as stripped strings, missing (NaN) where absent or blank."""
    if field is None:
        return pd.Series(None, index=frame.index, dtype="str")
    text = _clean_text(frame[field])
    return text.where(text != "")


def _feature_labels(frame: pd.DataFrame) -> list[str]:
    """Name each row by its file and its index within that file, for error messages."""
    if SOURCE_COLUMN not in frame.columns:
        return [f"feature {position}" for position in range(len(frame))]
    within_file = frame.groupby(SOURCE_COLUMN, sort=False).cumcount()
    return [
        f"{source} feature {index}"
        for source, index in zip(frame[SOURCE_COLUMN], within_file, strict=True)
    ]


def geometry_problems(labels: Sequence[str], geometries: Iterable[Any]) -> list[str]:
    """One problem per boundary, named by its label, that has no geometry or one that is
    not a (multi)polygon."""
    problems = []
    for label, geometry in zip(labels, geometries, strict=True):
        if geometry is None or geometry.is_empty:
            problems.append(f"{label}: has no geometry")
        elif geometry.geom_type not in _POLYGONAL:
            problems.append(f"{label}: the geometry is a {geometry.geom_type}, not a polygon")
    return problems


def repeated_code_problems(codes: pd.Series, labels: Sequence[str], *, what: str) -> list[str]:
    """One problem per code (``what``: "ward code", "LSOA code") held by several boundaries,
    naming each by its label; blank codes are another problem's business."""
    repeated = codes[(codes != "") & codes.duplicated(keep=False)]
    return [
        f"{what} {code} appears {len(rows)} times: "
        + ", ".join(labels[position] for position in rows.index)
        for code, rows in repeated.groupby(repeated, sort=True)
    ]


def _raise_problems(heading: str, problems: list[str]) -> None:
    """Raise one BoundaryError listing every problem (the first few, then a count)."""
    if not problems:
        return
    listed = [f"  {problem}" for problem in problems[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        listed.append(f"  ... and {len(problems) - _MAX_LISTED} more")
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    raise BoundaryError("\n".join([f"{heading} ({count}):", *listed]))
