"""Demoshire: a seeded SYNTHETIC demo force, so the app can be tried offline on a fresh clone.

SYNTHETIC DATA - NOT REAL POLICE RECORDS. Every ward, place name, street, LSOA and incident
made here is invented by a seeded random number generator. Nothing describes a real place,
person or crime. The force is called "Demoshire Constabulary (synthetic demo data)" in both
"Reported by" and "Falls within", its local authorities are "Northvale (synthetic)" and
"Southmere (synthetic)", and every code starts with "X" (``X05`` wards, ``X06`` districts,
``X01`` LSOAs), a letter ONS does not use, so demo rows can never be mistaken for, or joined
to, real ONS or police.uk data.

The area is drawn around British National Grid easting 400,000, northing 300,000, inland in
England, only so that coordinates look and validate like real ones; the invented wards lie
over real streets that they have nothing to do with.

The outputs copy the real formats exactly: the wards look like an ONS ``WD25`` boundary file
(``WD25CD``, ``WD25NM``, ``LAD25CD``, ``LAD25NM``, WGS84) and each month is a police.uk
``*-street.csv`` frame with the columns of :data:`geodata.crime.STREET_COLUMNS`, every value a
string. Writing them to files and importing them is the caller's business.

What is planted, so that the analytics have something true to find
------------------------------------------------------------------
Northvale (synthetic), ``X06000001``:

- **Millbrook Central**, the town centre: an enclave entirely surrounded by Millbrook Fields.
  It holds 140 busy snap points (1.5 times the usual weight), many of them "Shopping Area",
  "Nightclub", "Supermarket" and "Parking Area", so it has far more shoplifting, violence
  and sexual offences, public order, theft from the person, robbery and drugs than any other
  ward (with the default seed, about a third of all shoplifting and a quarter of all public
  order).
- **Millbrook Fields**: the ward with a hole (Millbrook Central is the hole).
- **Hollin Green**: burglary rises steadily, from twice the usual weight per snap point in the
  first month to 8 times in the last.

Southmere (synthetic), ``X06000002``:

- **Ashby Vale**: an anti-social behaviour hot spot around a park, 50 snap points within
  350 m, most of them "Park/Open Space". ASB there is weighted twice over and above the
  park weighting, and up to 1.5 times more again in July (0.5 times in January).
- **Kestrel Heath**: vehicle crime falls steadily, from 6 times the usual weight per snap
  point in the first month to the usual weight in the last.
- **Fenwick Marsh**: a MultiPolygon, its main body plus a detached cell beyond a neighbour.

Everywhere:

- the seed moves and reshapes the wards (``geodata/demo/wards.py``), but the names above
  keep their roles (its constants ``TOWN_CENTRE``, ``HOLED_WARD``, ``BURGLARY_RISING``,
  ``ASB_PARK``, ``VEHICLE_FALLING`` and ``DETACHED_WARD`` name them); ward codes run
  alphabetically within each district;
- category totals follow Cleveland's 2025 shares (violence 32 %, ASB 20 %, shoplifting and
  criminal damage 10 % each, ... theft from the person 0.3 %) with seasons: ASB (plus or
  minus 25 %), bicycle theft, violence and public order peak in July, burglary and
  shoplifting in December; every category appears every month;
- about 10 % of snap points lie exactly on a boundary shared by two wards (after rounding to
  six decimal places, within a millionth of a degree of it), as street centre lines do; eight
  lie just outside the force area, like records near a force border;
- about 0.5 % of crimes have no location at all (blank coordinates, location and LSOA);
- identical anti-social behaviour rows (same snap point, same month) occur, as on police.uk;
- outcomes follow Cleveland's 2025 mix, with more "Under investigation" in the latest months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon

from geodata.crime import ASB, CATEGORIES, STREET_COLUMNS
from geodata.crs import BNG, WGS84
from geodata.demo.wards import (
    ASB_PARK,
    BURGLARY_RISING,
    CENTRE,
    LADS,
    VEHICLE_FALLING,
    WardRoles,
    draw_wards,
)

DEMO_FORCE = "Demoshire Constabulary (synthetic demo data)"
"""The force name in both "Reported by" and "Falls within" of every demo row."""

DEMO_VINTAGE = "2025"
"""The boundary vintage the demo wards pretend to be (their columns are ``WD25CD`` ...)."""


@dataclass(frozen=True)
class DemoForce:
    """Synthetic wards (WGS84, ONS ``WD25`` columns) and one police.uk street frame a month."""

    wards: gpd.GeoDataFrame
    months: dict[str, pd.DataFrame]


_NEIGHBOUR_AREA = "Outwood"  # LSOA names for the snap points just outside the force

# --- Snap points ---------------------------------------------------------------------------

_SNAP_POINTS = 1_500
_TOWN_POINTS = 140
_PARK_POINTS = 50
_EDGE_SHARE = 0.10
_OUTSIDE_POINTS = 8
_POINTS_PER_LSOA = 15

_KINDS = (
    "street",
    "supermarket",
    "shopping_area",
    "nightclub",
    "parking_area",
    "petrol_station",
    "park",
    "sports_area",
)
_KIND_LABELS = {
    "supermarket": "Supermarket",
    "shopping_area": "Shopping Area",
    "nightclub": "Nightclub",
    "parking_area": "Parking Area",
    "petrol_station": "Petrol Station",
    "park": "Park/Open Space",
    "sports_area": "Sports/Recreation Area",
}
_GENERAL_KINDS = (0.845, 0.04, 0.02, 0.0, 0.04, 0.02, 0.02, 0.015)
_TOWN_KINDS = (0.62, 0.06, 0.12, 0.08, 0.12, 0.0, 0.0, 0.0)
_PARK_KINDS = (0.30, 0.0, 0.0, 0.0, 0.0, 0.0, 0.70, 0.0)
_EDGE_KINDS = (0.90, 0.02, 0.0, 0.0, 0.04, 0.03, 0.01, 0.0)

_STREET_STEMS = (
    "Alder", "Ashgrove", "Badger", "Barley", "Beacon", "Bellfield", "Birchen", "Bramble",
    "Brookside", "Chantry", "Chapel", "Clover", "Coppice", "Cowslip", "Dovecote", "Elmtree",
    "Fallow", "Fernhill", "Foxglove", "Furrow", "Gorse", "Hawthorn", "Hazel", "Heron",
    "Hollybush", "Kiln", "Lapwing", "Linnet", "Mallard", "Meadow", "Millrace", "Nettle",
    "Oakapple", "Osier", "Pinfold", "Plover", "Quarry", "Rowan", "Rushy", "Sandpiper",
    "Sedge", "Sorrel", "Spinney", "Tanyard", "Teasel", "Thistle", "Waggon", "Wharf",
    "Whinberry", "Willow", "Wren", "Yewtree",
)  # fmt: skip
_STREET_TYPES = (
    "Road", "Street", "Close", "Avenue", "Grove", "Court", "Way", "Drive", "Crescent",
    "Terrace", "Lane", "Gardens", "Place", "Walk",
)  # fmt: skip
# Relative frequencies of those endings in Cleveland's 2025 locations.
_STREET_TYPE_WEIGHTS = (
    17760, 15154, 9064, 5739, 3669, 3592, 2558, 1948, 1631, 1523, 1515, 1423, 827, 598,
)  # fmt: skip
_TOWN_STREETS = (
    "High Street",
    "Market Street",
    "Market Place",
    "Church Street",
    "Bridge Street",
    "Station Road",
    "King Street",
    "Queen Street",
    "Castle Street",
    "Victoria Road",
    "George Street",
    "Chapel Street",
)

# --- Incidents -----------------------------------------------------------------------------

# Cleveland 2025 shares, in percent, in CATEGORIES order.
_SHARES = {
    ASB: 20.0,
    "Bicycle theft": 0.5,
    "Burglary": 4.0,
    "Criminal damage and arson": 10.0,
    "Drugs": 3.4,
    "Other crime": 3.1,
    "Other theft": 4.7,
    "Possession of weapons": 0.8,
    "Public order": 6.5,
    "Robbery": 1.4,
    "Shoplifting": 10.0,
    "Theft from the person": 0.3,
    "Vehicle crime": 3.7,
    "Violence and sexual offences": 32.0,
}
# (amplitude, calendar month of the peak) of a cosine over the year.
_SEASONS = {
    ASB: (0.25, 7),
    "Bicycle theft": (0.40, 7),
    "Burglary": (0.12, 12),
    "Criminal damage and arson": (0.08, 10),
    "Public order": (0.10, 7),
    "Shoplifting": (0.06, 12),
    "Violence and sexual offences": (0.08, 7),
}
# How strongly each kind of snap point draws each category (1 = an ordinary street).
_AFFINITY: dict[str, dict[str, float]] = {
    "street": {"Shoplifting": 0.05, "Theft from the person": 0.5, "Burglary": 1.3},
    "supermarket": {
        "Shoplifting": 30, "Burglary": 0.1, "Other theft": 1.5, "Public order": 1.5,
        "Robbery": 1.5, "Theft from the person": 2, "Drugs": 0.5, "Other crime": 0.5,
    },
    "shopping_area": {
        "Shoplifting": 20, "Theft from the person": 10, "Public order": 4, "Robbery": 4,
        "Other theft": 3, ASB: 1.5, "Violence and sexual offences": 2.5, "Drugs": 2,
        "Possession of weapons": 2, "Bicycle theft": 2, "Burglary": 0.2, "Vehicle crime": 0.5,
    },
    "nightclub": {
        "Violence and sexual offences": 8, "Public order": 8, "Theft from the person": 6,
        "Drugs": 5, "Possession of weapons": 5, ASB: 2, "Robbery": 3, "Other theft": 2,
        "Criminal damage and arson": 1.5, "Shoplifting": 0.1, "Burglary": 0.05,
        "Vehicle crime": 0.3, "Bicycle theft": 0.5,
    },
    "parking_area": {
        "Vehicle crime": 8, "Criminal damage and arson": 2, ASB: 1.5, "Drugs": 1.5,
        "Other theft": 1.5, "Burglary": 0.05, "Shoplifting": 0.5, "Other crime": 0.5,
        "Possession of weapons": 0.5, "Theft from the person": 0.5,
        "Violence and sexual offences": 0.6,
    },
    "petrol_station": {
        "Other theft": 8, "Shoplifting": 6, "Robbery": 2, ASB: 0.5, "Bicycle theft": 0.2,
        "Burglary": 0.2, "Drugs": 0.3, "Other crime": 0.5, "Possession of weapons": 0.3,
        "Theft from the person": 0.3, "Violence and sexual offences": 0.6,
    },
    "park": {
        ASB: 4, "Drugs": 2.5, "Criminal damage and arson": 2, "Bicycle theft": 1.5,
        "Burglary": 0.02, "Shoplifting": 0.0, "Other crime": 0.3, "Other theft": 0.8,
        "Theft from the person": 0.5, "Vehicle crime": 0.5,
        "Violence and sexual offences": 0.8,
    },
    "sports_area": {
        ASB: 2, "Bicycle theft": 2, "Other theft": 2, "Criminal damage and arson": 1.5,
        "Vehicle crime": 1.5, "Burglary": 0.3, "Shoplifting": 0.0, "Other crime": 0.3,
        "Possession of weapons": 0.5, "Robbery": 0.5, "Theft from the person": 0.5,
    },
}  # fmt: skip
_TOWN_WEIGHT = 1.5
_EDGE_WEIGHT = 1.2
_OUTSIDE_WEIGHT = 0.6
_PARK_ASB = 2.0
_PARK_SUMMER = (0.5, 7)
# (ward, category, weight in the first month, weight in the last month), linear between.
_TRENDS = (
    (BURGLARY_RISING, "Burglary", 2.0, 8.0),
    (VEHICLE_FALLING, "Vehicle crime", 6.0, 1.0),
)
_NO_LOCATION_SHARE = 0.005

# Cleveland 2025 counts of each non-blank outcome; "Under investigation" is added by recency.
_OUTCOMES = {
    "Unable to prosecute suspect": 31491,
    "Investigation complete; no suspect identified": 26859,
    "Court result unavailable": 6002,
    "Awaiting court outcome": 2506,
    "Status update unavailable": 1940,
    "Local resolution": 790,
    "Further action is not in the public interest": 748,
    "Action to be taken by another organisation": 608,
    "Further investigation is not in the public interest": 341,
    "Formal action is not in the public interest": 291,
    "Offender given a caution": 211,
    "Under investigation": 0,
}
_UNDER_INVESTIGATION = (0.02, 0.30)  # share in old months, extra share in the latest month

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def make_demo_force(
    *,
    seed: int = 20251,
    first_month: str = "2025-01",
    months: int = 12,
    incidents_per_month: int = 2500,
) -> DemoForce:
    """Build the synthetic Demoshire force: its wards and ``months`` police.uk street frames.

    Method. Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order,
    so one seed always gives identical frames and another seed a different force.

    Wards are built in British National Grid metres. An irregular outline (a circle of
    9 km whose radius wobbles with a few seeded harmonics) is cut by the Voronoi edges of 34
    well-spaced seeded points; the edges and the outline are noded together once, densified
    to a vertex every 100 m and polygonised, so neighbouring wards share identical vertices
    and tile the outline exactly, with no gaps or overlaps. The cells north of the median
    become Northvale, the rest Southmere. Two edits add the awkward shapes of real ward
    files: an enclave (the town centre) is cut out of one cell, leaving a ward with a hole,
    and a small cell is handed to a nearby ward that does not touch it, making a
    MultiPolygon. Wards are then reprojected to WGS84; the dense vertices keep every edge
    within a few billionths of a degree of where it was drawn.

    Snap points (1,500, like police.uk's anonymous "On or near ..." points) are scattered
    over the outline, denser towards the town centre, plus a town-centre cluster, a park
    cluster, 10 % interpolated along edges shared by two wards and eight just outside the
    outline. Each gets a street or police.uk place label, a heavy-tailed base weight and an
    LSOA (nearest of about one seed per 15 points in the same district, numbered north to
    south like ONS MSOAs).

    Each month, category totals are a multinomial draw from Cleveland's 2025 shares times a
    seasonal cosine (at least one of each category), and each incident picks a snap point
    with probability proportional to base weight times how strongly that kind of place
    draws that category, times the planted hot spots and trends listed in the module
    docstring. About 0.5 % of crimes then lose their location. Rows are ordered by LSOA,
    anti-social behaviour first, like the published files.
    """
    month_labels = _check_options(
        seed=seed,
        first_month=first_month,
        months=months,
        incidents_per_month=incidents_per_month,
    )
    rng = np.random.default_rng(seed)
    wards_bng, roles = draw_wards(rng)
    points = _draw_snap_points(wards_bng, roles, rng)
    frames = {
        label: _draw_month(
            points,
            roles,
            rng,
            month=label,
            index=i,
            months=months,
            incidents=incidents_per_month,
        )
        for i, label in enumerate(month_labels)
    }
    wards = wards_bng.drop(columns=["lad_index"]).to_crs(WGS84)
    return DemoForce(wards=wards, months=frames)


def _check_options(
    *, seed: int, first_month: str, months: int, incidents_per_month: int
) -> list[str]:
    """The month labels asked for, or ValueError naming the bad option and what is allowed."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    match = _MONTH.match(first_month) if isinstance(first_month, str) else None
    if match is None:
        raise ValueError(f"first_month must be 'YYYY-MM' (e.g. '2025-01'), not {first_month!r}")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        raise ValueError(f"months must be an integer from 1 to 120, not {months!r}")
    if (
        not isinstance(incidents_per_month, int)
        or isinstance(incidents_per_month, bool)
        or not len(CATEGORIES) <= incidents_per_month <= 1_000_000
    ):
        raise ValueError(
            f"incidents_per_month must be an integer from {len(CATEGORIES)} (one per "
            f"category) to 1000000, not {incidents_per_month!r}"
        )
    year, month = int(match.group(1)), int(match.group(2)) - 1
    return [f"{year + (month + i) // 12:04d}-{(month + i) % 12 + 1:02d}" for i in range(months)]


# --- Snap points ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _SnapPoints:
    """Parallel arrays, one entry per snap point; strings are already police.uk-formatted."""

    kind: np.ndarray  # index into _KINDS
    weight: np.ndarray  # base weight before category affinity
    ward: np.ndarray  # row of the ward strictly containing it, -1 on an edge or outside
    park: np.ndarray  # bool: in the park cluster
    longitude: np.ndarray  # str, 6 dp
    latitude: np.ndarray
    location: np.ndarray
    lsoa_code: np.ndarray
    lsoa_name: np.ndarray
    lsoa_rank: np.ndarray  # sort key: order of the LSOA code


def _points_in(polygon: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``polygon`` (rejection from its bounding box)."""
    minx, miny, maxx, maxy = polygon.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(2 * n + 16, 2))
        batch = batch[shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])]
        found.append(batch)
        total += len(batch)
    return np.concatenate(found)[:n]


def _shared_edges(wards: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Every boundary line shared by two wards, and the row of one ward that owns it."""
    geoms = wards.geometry.to_numpy()
    lines: list[object] = []
    owners: list[int] = []
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            if not shapely.touches(geoms[i], geoms[j]):
                continue
            shared = shapely.intersection(geoms[i].boundary, geoms[j].boundary)
            for part in shapely.get_parts(shared):
                if part.geom_type == "LineString" and part.length > 0:
                    lines.append(part)
                    owners.append(i)
    return np.array(lines, dtype=object), np.array(owners)


def _draw_snap_points(
    wards: gpd.GeoDataFrame, roles: WardRoles, rng: np.random.Generator
) -> _SnapPoints:
    """About 1,500 labelled snap points, their base weights, wards and LSOAs (see above)."""
    outline = shapely.union_all(wards.geometry.to_numpy())
    n_edge = round(_EDGE_SHARE * _SNAP_POINTS)
    n_general = _SNAP_POINTS - _TOWN_POINTS - _PARK_POINTS - n_edge - _OUTSIDE_POINTS

    # Scattered points: 70 % uniform, 30 % in a broad built-up area around the town centre.
    n_uniform = round(0.7 * n_general)
    uniform = _points_in(outline, n_uniform, rng)
    town_xy = shapely.get_coordinates(shapely.centroid(roles.town))[0]
    built: list[np.ndarray] = []
    while sum(len(b) for b in built) < n_general - n_uniform:
        batch = rng.normal(town_xy, 2_000.0, size=(n_general, 2))
        built.append(batch[shapely.contains_xy(outline, batch[:, 0], batch[:, 1])])
    general = np.concatenate([uniform, np.concatenate(built)[: n_general - n_uniform]])

    town = _points_in(roles.town, _TOWN_POINTS, rng)
    park_disc = shapely.intersection(
        shapely.points(roles.park_centre).buffer(roles.park_radius),
        wards.geometry.iloc[roles.index[ASB_PARK]],
    )
    park = _points_in(park_disc, _PARK_POINTS, rng)

    lines, line_owner = _shared_edges(wards)
    lengths = shapely.length(lines)
    pick = rng.choice(len(lines), size=n_edge, p=lengths / lengths.sum())
    along = rng.uniform(0.0, 1.0, size=n_edge) * lengths[pick]
    edge = shapely.get_coordinates(shapely.line_interpolate_point(lines[pick], along))

    # Just beyond the outline, along rays from the centre (the outline is star-shaped).
    boundary = shapely.get_exterior_ring(shapely.get_parts(outline)[0])
    at = shapely.get_coordinates(
        shapely.line_interpolate_point(
            boundary, rng.uniform(0.0, boundary.length, size=_OUTSIDE_POINTS)
        )
    )
    ray = at - np.array(CENTRE)
    ray /= np.hypot(*ray.T)[:, None]
    outside = at + ray * rng.uniform(150.0, 600.0, size=(_OUTSIDE_POINTS, 1))

    xy = np.concatenate([general, town, park, edge, outside])
    zone = np.repeat(
        np.arange(5), [len(general), len(town), len(park), len(edge), len(outside)]
    )  # 0 general, 1 town, 2 park, 3 edge, 4 outside
    kind_mix = (_GENERAL_KINDS, _TOWN_KINDS, _PARK_KINDS, _EDGE_KINDS, (1.0,) + (0.0,) * 7)
    kind = np.concatenate(
        [
            rng.choice(len(_KINDS), size=int((zone == z).sum()), p=np.array(mix) / sum(mix))
            for z, mix in enumerate(kind_mix)
        ]
    )
    weight = rng.lognormal(0.0, 0.8, size=len(xy)) * np.choose(
        zone, [1.0, _TOWN_WEIGHT, 1.0, _EDGE_WEIGHT, _OUTSIDE_WEIGHT]
    )

    ward = np.full(len(xy), -1)
    for row, geom in enumerate(wards.geometry.to_numpy()):
        ward[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])] = row
    lad_of_ward = wards["lad_index"].to_numpy()
    area = np.where(ward >= 0, lad_of_ward[np.maximum(ward, 0)], len(LADS))
    area[zone == 3] = lad_of_ward[line_owner[pick]]
    ward[zone >= 3] = -1

    street = np.array(
        [
            f"{stem} {kind_}"
            for stem, kind_ in zip(
                rng.choice(_STREET_STEMS, size=len(xy)),
                rng.choice(
                    _STREET_TYPES,
                    size=len(xy),
                    p=np.array(_STREET_TYPE_WEIGHTS) / sum(_STREET_TYPE_WEIGHTS),
                ),
                strict=True,
            )
        ],
        dtype=object,
    )
    street[zone == 1] = rng.choice(_TOWN_STREETS, size=int((zone == 1).sum()))
    location = np.array(
        [f"On or near {_KIND_LABELS.get(_KINDS[k], s)}" for k, s in zip(kind, street, strict=True)],
        dtype=object,
    )

    lsoa_code, lsoa_name, lsoa_rank = _assign_lsoas(xy, area, rng)
    to_wgs84 = Transformer.from_crs(BNG, WGS84, always_xy=True)
    lon, lat = to_wgs84.transform(xy[:, 0], xy[:, 1])
    return _SnapPoints(
        kind=kind,
        weight=weight,
        ward=ward,
        park=zone == 2,
        longitude=np.array([f"{v:.6f}" for v in lon], dtype=object),
        latitude=np.array([f"{v:.6f}" for v in lat], dtype=object),
        location=location,
        lsoa_code=lsoa_code,
        lsoa_name=lsoa_name,
        lsoa_rank=lsoa_rank,
    )


def _assign_lsoas(
    xy: np.ndarray, area: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LSOA code, name and sort rank for each point: nearest seed point in the same district.

    About one LSOA per 15 points; within a district they are numbered north to south in
    groups of four lettered A-D, like ONS names ("Northvale 001A").
    """
    short_names = [short for _, _, short in LADS] + [_NEIGHBOUR_AREA]
    code = np.empty(len(xy), dtype=object)
    name = np.empty(len(xy), dtype=object)
    rank = np.empty(len(xy), dtype=np.int64)
    next_code = 1
    for a, short in enumerate(short_names):
        members = np.flatnonzero(area == a)
        if members.size == 0:
            continue
        k = max(1, round(members.size / _POINTS_PER_LSOA))
        seeds = rng.choice(members, size=k, replace=False)
        seeds = seeds[np.argsort(-xy[seeds, 1], kind="stable")]
        distance = ((xy[members, None, :] - xy[None, seeds, :]) ** 2).sum(axis=2)
        nearest = distance.argmin(axis=1)
        labels = [f"{short} {s // 4 + 1:03d}{'ABCD'[s % 4]}" for s in range(k)]
        codes = [f"X01{next_code + s:06d}" for s in range(k)]
        code[members] = np.array(codes, dtype=object)[nearest]
        name[members] = np.array(labels, dtype=object)[nearest]
        rank[members] = next_code + nearest
        next_code += k
    return code, name, rank


# --- Incidents -----------------------------------------------------------------------------


def _seasonal(category: str, calendar_month: int) -> float:
    amplitude, peak = _SEASONS.get(category, (0.0, 1))
    return 1.0 + amplitude * np.cos(2.0 * np.pi * (calendar_month - peak) / 12.0)


def _affinity() -> np.ndarray:
    """Kind-by-category weights, 1 where a kind has no special draw for a category."""
    table = np.ones((len(_KINDS), len(CATEGORIES)))
    for k, kind in enumerate(_KINDS):
        for category, value in _AFFINITY.get(kind, {}).items():
            table[k, CATEGORIES.index(category)] = value
    return table


def _draw_month(
    points: _SnapPoints,
    roles: WardRoles,
    rng: np.random.Generator,
    *,
    month: str,
    index: int,
    months: int,
    incidents: int,
) -> pd.DataFrame:
    """One month of police.uk street rows (see :func:`make_demo_force` for the method)."""
    calendar_month = int(month[5:])
    progress = index / (months - 1) if months > 1 else 0.0
    asb = CATEGORIES.index(ASB)

    share = np.array([_SHARES[c] * _seasonal(c, calendar_month) for c in CATEGORIES])
    counts = rng.multinomial(incidents, share / share.sum())
    while (counts == 0).any():
        counts[int(np.argmax(counts))] -= 1
        counts[int(np.argmin(counts))] += 1

    weights = points.weight[None, :] * _affinity()[points.kind].T
    weights[asb, points.park] *= _PARK_ASB * (
        1.0 + _PARK_SUMMER[0] * np.cos(2.0 * np.pi * (calendar_month - _PARK_SUMMER[1]) / 12.0)
    )
    for ward_name, trend_category, start, end in _TRENDS:
        in_ward = points.ward == roles.index[ward_name]
        weights[CATEGORIES.index(trend_category), in_ward] *= start + (end - start) * progress

    category = np.repeat(np.arange(len(CATEGORIES)), counts)
    point = np.empty(incidents, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for c in range(len(CATEGORIES)):
        p = weights[c] / weights[c].sum()
        point[starts[c] : starts[c + 1]] = rng.choice(p.size, size=counts[c], p=p)

    crime = np.flatnonzero(category != asb)
    lost = rng.binomial(incidents, _NO_LOCATION_SHARE)
    point[rng.choice(crime, size=min(lost, crime.size), replace=False)] = -1

    crime_id = np.full(incidents, "", dtype=object)
    digits = rng.bytes(32 * crime.size).hex()
    crime_id[crime] = [digits[64 * i : 64 * (i + 1)] for i in range(crime.size)]

    outcome_names = list(_OUTCOMES)
    outcome_weights = np.array(list(_OUTCOMES.values()), dtype=float)
    outcome_weights /= outcome_weights.sum()
    base, recent = _UNDER_INVESTIGATION
    under = base + recent * 0.5 ** (months - 1 - index)
    outcome_weights *= 1.0 - under
    outcome_weights[outcome_names.index("Under investigation")] = under
    outcome = np.full(incidents, "", dtype=object)
    outcome[crime] = np.array(outcome_names, dtype=object)[
        rng.choice(len(outcome_names), size=crime.size, p=outcome_weights)
    ]

    located = point >= 0
    safe = np.maximum(point, 0)

    def at_point(values: np.ndarray) -> np.ndarray:
        return np.where(located, values[safe], "").astype(object)

    order = np.lexsort(
        (category, category != asb, np.where(located, points.lsoa_rank[safe], np.iinfo(int).max))
    )
    columns = {
        "Crime ID": crime_id,
        "Month": np.full(incidents, month, dtype=object),
        "Reported by": np.full(incidents, DEMO_FORCE, dtype=object),
        "Falls within": np.full(incidents, DEMO_FORCE, dtype=object),
        "Longitude": at_point(points.longitude),
        "Latitude": at_point(points.latitude),
        "Location": at_point(points.location),
        "LSOA code": at_point(points.lsoa_code),
        "LSOA name": at_point(points.lsoa_name),
        "Crime type": np.array(CATEGORIES, dtype=object)[category],
        "Last outcome category": outcome,
        "Context": np.full(incidents, "", dtype=object),
    }
    return pd.DataFrame({name: columns[name][order] for name in STREET_COLUMNS})
