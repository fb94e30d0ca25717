"""The demo force's SYNTHETIC wards: two districts of Voronoi cells in one outline, drawn
in British National Grid from a seed, with the named wards of ``geodata/demo/force.py`` in
their roles (a town centre, a ward with a hole, a detached part, a park)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geodata.crs import BNG

# --- The map -------------------------------------------------------------------------------

CENTRE = (400_000.0, 300_000.0)  # BNG metres: inland, near the central meridian
_OUTLINE_RADIUS = 9_000.0
_WARD_CELLS = 34
_DENSIFY = 100.0  # metres between boundary vertices, so edges stay straight in WGS84

LADS = (
    ("X06000001", "Northvale (synthetic)", "Northvale"),
    ("X06000002", "Southmere (synthetic)", "Southmere"),
)

# The wards whose roles the module docstring describes; the seed never changes these names.
TOWN_CENTRE = "Millbrook Central"
HOLED_WARD = "Millbrook Fields"
BURGLARY_RISING = "Hollin Green"
ASB_PARK = "Ashby Vale"
VEHICLE_FALLING = "Kestrel Heath"
DETACHED_WARD = "Fenwick Marsh"

_OTHER_WARD_NAMES = (
    "Brackenfield",
    "Carrow Hill",
    "Dunmere",
    "Elderton",
    "Foxley Common",
    "Greystone",
    "Harrowby Park",
    "Larkspur",
    "Netherholt",
    "Orchard Rise",
    "Quarry Bank",
    "Ravensworth",
    "Stoneleigh Moor",
    "Thornbury Edge",
    "Upper Wenlow",
    "Wenlow Bridge",
    "Yarrowby",
    "Alderholt Cross",
    "Beckside",
    "Coldharbour Vale",
    "Drayfield",
    "Eastwick Lane",
    "Fairmead",
    "Gorsey Bank",
    "Highcliffe Rise",
    "Kingsmoor",
    "Lowfold",
    "Marlowe Heath",
    "Nethercott",
    "Pennyfold",
    "Rushmere",
    "Sallowby",
)

_PARK_RADIUS = 350.0

# --- Wards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WardRoles:
    """Positions (rows of the BNG ward frame) of the named wards, and the town and park."""

    index: dict[str, int]
    town: Polygon
    park_centre: tuple[float, float]
    park_radius: float


def _blob(
    centre: tuple[float, float],
    radius: float,
    rng: np.random.Generator,
    *,
    vertices: int,
    wobble: float,
) -> Polygon:
    """A star-shaped polygon whose radius wobbles by at most ``1.29 * wobble``.

    The radius is ``radius * (1 + sum of a_k cos(k theta + phi_k))`` for k = 2..5 with
    ``a_k <= wobble / k``; it stays positive, so the polygon is simple and every ray from the
    centre leaves it exactly once.
    """
    theta = np.linspace(0.0, 2.0 * np.pi, vertices, endpoint=False)
    k = np.arange(2, 6)
    amplitude = rng.uniform(0.5, 1.0, size=k.size) * wobble / k
    phase = rng.uniform(0.0, 2.0 * np.pi, size=k.size)
    r = radius * (1.0 + (amplitude * np.cos(np.outer(theta, k) + phase)).sum(axis=1))
    return Polygon(np.column_stack([centre[0] + r * np.cos(theta), centre[1] + r * np.sin(theta)]))


def _well_spaced(polygon: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in ``polygon`` no closer than 0.65 * sqrt(area / n) (dart throwing)."""
    spacing = 0.65 * np.sqrt(polygon.area / n)
    minx, miny, maxx, maxy = polygon.bounds
    accepted: list[np.ndarray] = []
    while len(accepted) < n:
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(256, 2))
        batch = batch[shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])]
        for xy in batch:
            if all(np.hypot(*(xy - other)) >= spacing for other in accepted):
                accepted.append(xy)
                if len(accepted) == n:
                    break
    return np.array(accepted)


def _voronoi_cells(outline: Polygon, seeds: np.ndarray) -> list[Polygon]:
    """Cells of ``seeds`` clipped to ``outline`` that share identical, densified edges.

    Faces come from polygonising the Voronoi edges and the outline noded together, and each
    belongs to the seed nearest a point inside it. A face cut off from its seed's cell by a
    bay in the outline goes to the neighbour it shares most boundary with instead.
    """
    edges = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=outline.buffer(1_000.0), only_edges=True
    )
    noded = shapely.segmentize(shapely.union_all([edges, outline.exterior]), _DENSIFY)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inside = faces[shapely.contains(outline, shapely.point_on_surface(faces))]
    reps = shapely.get_coordinates(shapely.point_on_surface(inside))
    owner = ((reps[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    cells = [shapely.union_all(inside[owner == i]) for i in range(len(seeds))]
    for i, cell in enumerate(cells):
        parts = shapely.get_parts(cell)
        if len(parts) == 1:
            continue
        seed = shapely.points(seeds[i])
        cells[i] = next(p for p in parts if p.intersects(seed))
        for stray in (p for p in parts if not p.intersects(seed)):
            shared = [
                shapely.length(shapely.intersection(stray.boundary, other.boundary))
                if j != i
                else 0.0
                for j, other in enumerate(cells)
            ]
            j = int(np.argmax(shared))
            cells[j] = shapely.union(cells[j], stray)
    return cells


def draw_wards(rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, WardRoles]:
    """Synthetic wards in BNG with ONS columns, plus where the named features are."""
    outline = _blob(CENTRE, _OUTLINE_RADIUS, rng, vertices=96, wobble=0.2)
    seeds = _well_spaced(outline, _WARD_CELLS, rng)
    cells = _voronoi_cells(outline, seeds)
    centroids = shapely.get_coordinates(shapely.centroid(cells))
    north = centroids[:, 1] > np.median(centroids[:, 1])
    areas = shapely.area(cells)
    lad = np.where(north, 0, 1)
    taken: set[int] = set()

    def pick(candidates: np.ndarray, score: np.ndarray) -> int:
        allowed = [int(i) for i in np.flatnonzero(candidates) if i not in taken]
        best = min(allowed, key=lambda i: score[i])
        taken.add(best)
        return best

    heart = centroids.mean(axis=0)
    to_heart = np.hypot(*(centroids - heart).T)
    host = pick(north, to_heart)
    circle = shapely.maximum_inscribed_circle(cells[host])
    town_centre = shapely.get_coordinates(circle)[0]
    town = _blob(
        (town_centre[0], town_centre[1]), 0.55 * circle.length, rng, vertices=40, wobble=0.12
    )
    town = shapely.segmentize(town, _DENSIFY)

    south = ~north
    interior = shapely.distance(outline.exterior, cells) > 1.0
    detached = pick(south & interior if (south & interior).any() else south, areas)
    apart = shapely.distance(cells[detached], cells) > 100.0
    to_detached = np.hypot(*(centroids - centroids[detached]).T)
    main_body = pick(south & apart, to_detached)
    south_heart = centroids[south].mean(axis=0)
    park_ward = pick(south, np.hypot(*(centroids - south_heart).T))
    vehicle_ward = pick(south, -areas)
    burglary_ward = pick(north, -areas)

    park_circle = shapely.maximum_inscribed_circle(cells[park_ward])
    park_xy = shapely.get_coordinates(park_circle)[0]

    geoms: list[Polygon | MultiPolygon] = list(cells)
    names = [""] * len(cells)
    geoms[host] = shapely.difference(cells[host], town)
    geoms[main_body] = MultiPolygon([cells[main_body], cells[detached]])
    names[host] = HOLED_WARD
    names[main_body] = DETACHED_WARD
    names[park_ward] = ASB_PARK
    names[vehicle_ward] = VEHICLE_FALLING
    names[burglary_ward] = BURGLARY_RISING
    keep = [i for i in range(len(cells)) if i != detached]
    others = sorted(
        (i for i in keep if not names[i]), key=lambda i: (lad[i], -centroids[i, 1], centroids[i, 0])
    )
    for i, name in zip(others, _OTHER_WARD_NAMES, strict=False):
        names[i] = name

    rows = [(names[i], int(lad[i]), geoms[i]) for i in keep] + [(TOWN_CENTRE, 0, town)]
    rows.sort(key=lambda row: (row[1], row[0]))
    wards = gpd.GeoDataFrame(
        {
            "WD25CD": [f"X05{i:06d}" for i in range(1, len(rows) + 1)],
            "WD25NM": [name for name, _, _ in rows],
            "LAD25CD": [LADS[lad_i][0] for _, lad_i, _ in rows],
            "LAD25NM": [LADS[lad_i][1] for _, lad_i, _ in rows],
            "lad_index": [lad_i for _, lad_i, _ in rows],
        },
        geometry=[geom for _, _, geom in rows],
        crs=BNG,
    )
    index = {name: i for i, name in enumerate(wards["WD25NM"])}
    roles = WardRoles(
        index=index,
        town=town,
        park_centre=(float(park_xy[0]), float(park_xy[1])),
        park_radius=min(_PARK_RADIUS, 0.8 * park_circle.length),
    )
    return wards, roles
