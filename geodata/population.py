"""Resident population: LSOA boundaries, the best-fit LSOA-to-ward lookup and ward totals."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import WGS84
from geodata.errors import BoundaryError, PopulationError
from geodata.join import OUTSIDE, assign_wards
from geodata.wards import (
    SOURCE_COLUMN,
    Repair,
    geometry_problems,
    repair_geometries,
    repeated_code_problems,
)

CENSUS_YEAR = 2021
"""The census the population figures come from unless an import says otherwise."""

LSOA_COLUMNS: tuple[str, ...] = ("code", "name", "geometry")
"""The columns of a prepared LSOA frame, in order."""

LOOKUP_COLUMNS: tuple[str, ...] = ("lsoa_code", "ward_code", "longitude", "latitude")
"""The columns of a best-fit lookup: each LSOA, its ward (None: no ward) and its point."""

WARD_POPULATION_COLUMNS: tuple[str, ...] = ("ward_code", "residents", "lsoas")
"""The columns of :func:`ward_population`."""

_ONS_LSOA_CODE = re.compile(r"LSOA([0-9]{2})CD", re.IGNORECASE)
_MAX_LISTED = 10


def describe_method(*, census_year: int = CENSUS_YEAR) -> str:
    """The one-sentence method stored and shown with every ward population figure."""
    return (
        f"Census {census_year} usual residents by LSOA, each LSOA assigned whole to the ward "
        "containing its point-on-surface (best fit)"
    )


METHOD = describe_method()
"""How a ward's population is made, for Census 2021 (see :func:`best_fit_lookup`)."""


def prepare_lsoas(
    frame: gpd.GeoDataFrame, *, code_field: str | None = None
) -> tuple[gpd.GeoDataFrame, list[Repair]]:
    """Check LSOA boundary features and turn them into one row per LSOA.

    The code column is the one named like ``LSOAyyCD`` (``LSOA21CD``, ``LSOA11CD``, any
    letter case) unless ``code_field`` names it; the name column is the matching
    ``LSOAyyNM``, when present. Every problem is reported at once, naming the file and the
    feature: a blank code, a code that appears more than once (in one file or across
    files), a missing or non-polygonal geometry. Invalid polygons are repaired with
    :func:`geodata.wards.repair_geometries`, under the same 0.1 % area tolerance as wards.

    Parameters
    ----------
    frame
        Features in WGS84, as :func:`geodata.io.boundaries.read_boundaries` returns them.
    code_field
        Column holding the LSOA code (``--lsoa-code-field``), instead of detection.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, list of Repair)
        LSOAs in WGS84 with the columns :data:`LSOA_COLUMNS`, sorted by code (``name`` is
        "" without a name column), and the repairs made.

    Raises
    ------
    BoundaryError
        When the CRS is not WGS84, the code column cannot be found, or a check fails.
    """
    if frame.crs is None or not frame.crs.equals(WGS84):
        raise BoundaryError(f"LSOA boundaries must be in WGS84 ({WGS84}), not {frame.crs}")
    columns = [str(column) for column in frame.columns]
    if code_field is None:
        found = [column for column in columns if _ONS_LSOA_CODE.fullmatch(column)]
        if len(found) != 1:
            raise BoundaryError(
                f"{'several' if found else 'no'} LSOA code columns (LSOAyyCD, e.g. LSOA21CD) "
                f"among the columns {columns}; pass --lsoa-code-field"
            )
        code_field = found[0]
    elif code_field not in columns:
        raise BoundaryError(f"--lsoa-code-field {code_field!r} is not one of the columns {columns}")
    match = _ONS_LSOA_CODE.fullmatch(code_field)
    name_field = None
    if match is not None:
        wanted = f"LSOA{match.group(1)}NM"
        name_field = next((column for column in columns if column.upper() == wanted), None)

    frame = frame.reset_index(drop=True)
    codes = _text(frame[code_field])
    names = _text(frame[name_field]) if name_field else pd.Series("", index=frame.index)
    sources = frame[SOURCE_COLUMN] if SOURCE_COLUMN in frame.columns else pd.Series("", frame.index)
    within = sources.groupby(sources, sort=False).cumcount()
    labels = [
        f"{source} feature {index} ({code or 'no code'})".strip()
        for source, index, code in zip(sources, within, codes, strict=True)
    ]
    problems = [
        f"{label}: the LSOA code ({code_field}) is blank"
        for label, code in zip(labels, codes, strict=True)
        if not code
    ]
    problems += geometry_problems(labels, frame.geometry)
    problems += repeated_code_problems(codes, labels, what="LSOA code")
    if problems:
        listed = [f"  {problem}" for problem in problems[:_MAX_LISTED]]
        if len(problems) > _MAX_LISTED:
            listed.append(f"  ... and {len(problems) - _MAX_LISTED} more")
        raise BoundaryError("\n".join(["boundaries cannot be used as LSOAs:", *listed]))

    geometry, repairs = repair_geometries(frame.geometry, labels=labels)
    lsoas = gpd.GeoDataFrame(
        {"code": codes, "name": names, "geometry": geometry}, geometry="geometry", crs=WGS84
    )
    return lsoas.sort_values("code", ignore_index=True), repairs


def _text(values: pd.Series) -> pd.Series:
    """Values as stripped strings, missing values as ""."""
    return values.map(lambda value: "" if pd.isna(value) else str(value).strip()).astype("str")


def lsoa_points(lsoas: gpd.GeoDataFrame, *, code_column: str = "code") -> pd.DataFrame:
    """The best-fit point of each LSOA: its point-on-surface, in WGS84.

    Method
    ------
    The point is shapely's ``point_on_surface`` (GEOS's interior point), computed on the
    WGS84 polygon: the middle of the widest stretch of the polygon along a horizontal line
    near the middle of its extent. Unlike the centroid, which for an L-shaped or crescent
    LSOA can lie outside it (in a neighbouring ward), this point is guaranteed to lie inside
    the polygon. It is computed in WGS84, the CRS the ward join works in, because a point
    computed in British National Grid and reprojected could land a few centimetres outside
    a thin polygon whose edges are straight in the other CRS.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, ``longitude`` and ``latitude``, one row per LSOA in the given order;
        an LSOA without geometry has NaN coordinates.
    """
    if lsoas.crs is None or not lsoas.crs.equals(WGS84):
        raise PopulationError(f"LSOA boundaries must be in {WGS84}, got {lsoas.crs}")
    points = shapely.point_on_surface(np.asarray(lsoas.geometry.values))
    return pd.DataFrame(
        {
            "lsoa_code": lsoas[code_column].to_numpy(),
            "longitude": shapely.get_x(points),
            "latitude": shapely.get_y(points),
        }
    )


def best_fit_wards(
    points: pd.DataFrame, wards: gpd.GeoDataFrame, *, code_column: str = "code"
) -> pd.DataFrame:
    """Give each LSOA point (``lsoa_code``, ``longitude``, ``latitude``) its ward.

    The point joins the wards by :func:`geodata.join.assign_wards`, the rule every police.uk
    snap point follows: the covering ward, the smallest code on a shared edge. This is the
    half of :func:`best_fit_lookup` that the store repeats, from stored points, for every
    boundary vintage imported later.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`LOOKUP_COLUMNS`; ``ward_code`` is None for a point outside every
        ward (and for an LSOA without a point).
    """
    position = assign_wards(points["longitude"], points["latitude"], wards, code_column=code_column)
    codes = wards[code_column].to_numpy(dtype=object)
    ward_code = [None if p == OUTSIDE else codes[p] for p in position]
    return pd.DataFrame(
        {
            "lsoa_code": points["lsoa_code"].to_numpy(),
            "ward_code": pd.Series(ward_code, dtype=object),
            "longitude": points["longitude"].to_numpy(dtype=np.float64),
            "latitude": points["latitude"].to_numpy(dtype=np.float64),
        },
        columns=list(LOOKUP_COLUMNS),
    )


def best_fit_lookup(
    lsoas: gpd.GeoDataFrame, wards: gpd.GeoDataFrame, *, code_column: str = "code"
) -> pd.DataFrame:
    """Assign each LSOA, whole, to one ward: the ward containing its point-on-surface.

    Method
    ------
    This is the ONS "best fit" approach to building a lookup between statistical
    geographies and electoral wards, whose boundaries do not nest: rather than splitting an
    LSOA's residents between the wards it overlaps (which would need to know where within
    the LSOA they live), each LSOA goes whole to the one ward that contains a single
    representative point of it. ONS uses population-weighted centroids; lacking those here,
    the point is the polygon's point-on-surface (:func:`lsoa_points`), which is computed in
    WGS84 and is guaranteed to lie inside the LSOA polygon. The point then follows the
    ward join rule of :func:`geodata.join.assign_wards` (boundary included, smallest code on
    a shared edge). An LSOA whose point lies outside every ward gets None.

    A consequence to keep in mind: an LSOA whose area is mostly in one ward goes to another
    ward when its point falls there, so a ward's best-fit population can differ from the
    residents who live within its boundary. That is the price of never splitting an LSOA;
    the totals of a local authority are unchanged, since every LSOA goes to exactly one ward.

    Parameters
    ----------
    lsoas, wards
        Polygons in WGS84, each with a ``code_column``.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`LOOKUP_COLUMNS`, one row per LSOA in the given order, with the
        point used.
    """
    return best_fit_wards(
        lsoa_points(lsoas, code_column=code_column), wards, code_column=code_column
    )


def ward_population(population: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Add up the residents of the LSOAs that the lookup gives to each ward.

    An LSOA counts towards the one ward of its lookup row. LSOAs without a population row
    are not counted, and LSOAs without a ward (outside every ward) count towards none. A
    ward that receives no LSOA is absent from the result rather than given 0 residents, so
    a rate per 1,000 residents for it is absent, not zero: a ward with no best-fit LSOA
    (a small ward whose residents all sit in LSOAs placed next door) is not a ward where
    nobody lives.

    Parameters
    ----------
    population
        ``lsoa_code`` and ``residents``, one row per LSOA.
    lookup
        ``lsoa_code`` and ``ward_code``, from :func:`best_fit_lookup`.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`WARD_POPULATION_COLUMNS`, one row per ward, sorted by code:
        the residents and the number of LSOAs added up.
    """
    repeated = population["lsoa_code"][population["lsoa_code"].duplicated()]
    if not repeated.empty:
        raise PopulationError(
            f"the population has more than one row for LSOA(s) {sorted(set(repeated))}"
        )
    placed = lookup.loc[lookup["ward_code"].notna(), ["lsoa_code", "ward_code"]]
    merged = placed.merge(population[["lsoa_code", "residents"]], on="lsoa_code", how="inner")
    totals = (
        merged.groupby("ward_code", sort=True)
        .agg(residents=("residents", "sum"), lsoas=("lsoa_code", "size"))
        .reset_index()
    )
    return totals.astype({"residents": "int64", "lsoas": "int64"})[list(WARD_POPULATION_COLUMNS)]
