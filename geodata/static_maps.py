"""Static figures for printed reports: a ward map in British National Grid.

The map is a matplotlib figure built with the object-oriented API on the Agg canvas (no
pyplot and no global state, so worker processes can draw side by side), returned as the
encoded image under one save contract: ``format`` is ``"png"`` or ``"jpeg"`` (at ``dpi``)
or ``"svg"``, and the result is the file's bytes. Nothing here reads a file or the
network: a static map is always drawn on a plain background, so the same data give the
same picture wherever the report is made. (Charts are SVG strings: :mod:`geodata.charts`.)
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.path import Path

from geodata.context import PLACE, ROAD, MapContext, lines_of, road_label
from geodata.crs import project, transformers
from geodata.errors import GeodataError
from geodata.maps import CATEGORY_COLOURS, SEQUENTIAL

CM = 1 / 2.54
FORMATS = ("png", "jpeg", "svg")
LAYERS = ("incidents", "hotspots")
HOT_COLOUR = "#B2182B"
"""The hot-spot outline, the red the interactive map uses."""

_SCALE_STEPS = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000)


class FigureError(GeodataError, ValueError):
    """A figure option is not one of those allowed; the message names it."""


def _check(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise FigureError(f"{name}: {value!r} is not one of {', '.join(allowed)}")


def _figure(size_cm: tuple[float, float], *, dpi: int) -> Figure:
    figure = Figure(figsize=(size_cm[0] * CM, size_cm[1] * CM), dpi=dpi)
    FigureCanvasAgg(figure)
    return figure


def _save(figure: Figure, *, format: str, dpi: int) -> bytes:
    """The figure encoded as ``format``; the one save contract of this module.

    JPEG is written at quality 92 without chroma subsampling, which keeps thin lines and
    small text clean; a PDF embeds it as it is, where a PNG is decoded and compressed again.
    """
    buffer = io.BytesIO()
    options: dict[str, Any] = {}
    if format == "png":
        options["metadata"] = {"Software": None}
    elif format == "svg":
        options["metadata"] = {"Creator": None, "Date": None}
    else:
        options["pil_kwargs"] = {"quality": 92, "subsampling": 0}
    figure.savefig(buffer, format=format, dpi=dpi, facecolor="#FFFFFF", **options)
    return buffer.getvalue()


def ward_static_map(
    *,
    ward_geometry: Any,
    neighbours: Sequence[tuple[str, Any]],
    incidents: pd.DataFrame,
    hotspot_cells: Sequence[Mapping[str, Any]],
    cell_size_m: float,
    attribution: str,
    layer: str = "incidents",
    size_cm: tuple[float, float] = (17.0, 11.5),
    format: str = "png",
    dpi: int = 150,
    context: MapContext | None = None,
) -> bytes:
    """A printable map of one ward in British National Grid.

    Method: the ward (a WGS84 shapely geometry) and its ``neighbours`` ((name, geometry)
    pairs, drawn grey and labelled) are projected to EPSG:27700, so the map has true
    distances and grid north is up; the view is the ward's extent with a margin, widened to
    the frame's shape. With ``layer="incidents"`` each snap point and category of
    ``incidents`` (rows of category, longitude, latitude and ``n``) is one circle in the
    category's colour (:data:`geodata.maps.CATEGORY_COLOURS`, whose key the page beside the
    map gives) with an area growing with the count; with ``layer="hotspots"`` the kept
    hot-spot grid squares (``row``, ``col``, ``count`` and ``hot`` of each cell, as the
    profile gives them) are shaded by count in five classes. Both layers outline the hot
    squares in red. A legend of the symbols, a scale bar, a north arrow and one line of
    ``attribution`` (left out when empty: a page may print it as text under the map)
    complete the map. The roads and places of ``context`` (already clipped to the ward,
    :func:`geodata.context.clip_context`) are drawn under the data as white lines cased in
    grey, the :data:`ROAD_LABELS` longest named and every place labelled, and its
    attribution is added to the attribution line (or, with no attribution line, written
    in the map's bottom corner, so it is never left out).

    Text is the slowest thing matplotlib draws, so the map carries only the labels it needs.
    """
    _check("layer", layer, LAYERS)
    _check("format", format, FORMATS)
    to_bng = transformers()[0]
    ward = project(ward_geometry, to_bng)
    others = [project(g, to_bng) for _, g in neighbours]
    figure = _figure(size_cm, dpi=dpi)
    axes = figure.add_axes((0.0, 0.05, 1.0, 0.95) if attribution else (0.0, 0.0, 1.0, 1.0))
    # No axis at all: a map has no ticks, and matplotlib builds them even to hide them. The
    # background is then a patch of our own (the axes' own is drawn only with its axis).
    axes.set_axis_off()
    axes.add_artist(
        Rectangle((0, 0), 1, 1, transform=axes.transAxes, facecolor="#E9E9E9",
                  edgecolor="#8C8C8C", linewidth=0.8, zorder=0)
    )  # fmt: skip
    extent = _extent(shapely.bounds(ward), axes, figure)
    view = shapely.box(*extent)
    _polygons(axes, others, facecolor="#F4F4F4", edgecolor="#8C8C8C", linewidth=0.6)
    for (name, _), geometry in zip(neighbours, others, strict=True):
        if not geometry.intersects(view):
            continue
        label = geometry.intersection(view).representative_point()
        axes.text(
            label.x, label.y, name, ha="center", va="center", fontsize=6, color="#6E6E6E",
            style="italic", clip_on=True, zorder=4.5,
        )  # fmt: skip
    _polygons(axes, [ward], facecolor="#FFFFFF", edgecolor="none", linewidth=0)
    if context is not None and not context.empty:
        _context(axes, context, view)
        credit = f"Roads and places: {context.attribution}"
        attribution = f"{attribution} {credit}" if attribution else ""
        if not attribution:
            axes.text(
                0.005, 0.01, credit, transform=axes.transAxes, fontsize=5, color="#555555",
                zorder=8,
            )  # fmt: skip
    if layer == "incidents":
        entries = _incidents(axes, incidents)
    else:
        entries = _grid(axes, hotspot_cells, cell_size_m)
    hot = [c for c in hotspot_cells if c.get("hot")]
    if hot:
        axes.add_collection(
            PatchCollection(
                [_cell(c, cell_size_m) for c in hot],
                facecolor="none",
                edgecolor=HOT_COLOUR,
                linewidth=1.3,
                zorder=4,
            )
        )
        entries.append(_Entry("hot", "Hot-spot square"))
    _polygons(axes, [ward], facecolor="none", edgecolor="#000000", linewidth=1.6, zorder=5)
    entries.append(_Entry("boundary", "Ward boundary"))
    axes.set_xlim(extent[0], extent[2])
    axes.set_ylim(extent[1], extent[3])
    axes.set_aspect("equal")
    _scale_bar(axes, extent)
    _north_arrow(axes)
    legend = _legend_image(tuple(entries), dpi=dpi)
    width = legend.shape[1]
    margin = round(0.02 * dpi)
    pasted = figure.figimage(
        legend, xo=round(size_cm[0] * CM * dpi) - width - margin, yo=margin, zorder=9
    )
    pasted.set_label("; ".join(entry.label for entry in entries))  # what the legend says
    if attribution:
        figure.text(0.005, 0.012, attribution, fontsize=5.2, color="#555555")
    return _save(figure, format=format, dpi=dpi)


ROAD_LABELS = 8
"""Roads named on a static map: the longest in view, so the labels do not crowd the data."""


def _context(axes: Any, context: MapContext, view: Any) -> None:
    """Roads (casing, then white) and places of ``context`` in British National Grid."""
    to_bng = transformers()[0]
    frame = context.features
    roads = frame[frame["kind"] == ROAD]
    projected = [project(g, to_bng) for g in roads.geometry]
    segments = [line for g in projected for line in lines_of(g)]
    for colour, width, order in (("#A0A0A0", 2.6, 1.6), ("#FFFFFF", 1.6, 1.7)):
        axes.add_collection(
            LineCollection(segments, colors=colour, linewidths=width, zorder=order),
            autolim=False,
        )
    named = [
        (geometry.intersection(view), road_label(name, ref))
        for name, ref, geometry in zip(roads["name"], roads["ref"], projected, strict=True)
        if name or ref
    ]
    named = sorted((n for n in named if not n[0].is_empty), key=lambda n: -n[0].length)
    for geometry, label in named[:ROAD_LABELS]:
        at = max(shapely.get_parts(geometry), key=lambda p: p.length).interpolate(
            0.5, normalized=True
        )
        axes.text(
            at.x, at.y, label, ha="center", va="center", fontsize=4.8, color="#333333",
            clip_on=True, zorder=4.6,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "#FFFFFF", "alpha": 0.7,
                  "linewidth": 0},
        )  # fmt: skip
    places = frame[frame["kind"] == PLACE]
    for name, geometry in zip(places["name"], places.geometry, strict=True):
        at = project(geometry, to_bng)
        if view.contains(at):
            axes.text(
                at.x, at.y, name, ha="center", va="center", fontsize=6.5, weight="bold",
                color="#222222", clip_on=True, zorder=4.7,
            )  # fmt: skip


@dataclass(frozen=True)
class _Entry:
    """One line of a map's legend: its ``kind`` of symbol and its label."""

    kind: str
    """``size`` (a grey circle of ``size`` points), ``square`` (filled with ``colour``),
    ``hot`` (a red outline), ``boundary`` (a black line) or ``text`` (no symbol)."""
    label: str
    size: float = 0.0
    colour: str = ""

    def handle(self) -> Any:
        if self.kind == "size":
            return Line2D(
                [], [], marker="o", linestyle="none", markerfacecolor="#BBBBBB",
                markeredgewidth=0, markersize=self.size, label=self.label,
            )  # fmt: skip
        if self.kind == "square":
            return Patch(facecolor=self.colour, edgecolor="#D0D0D0", label=self.label)
        if self.kind == "hot":
            return Patch(facecolor="none", edgecolor=HOT_COLOUR, linewidth=1.3, label=self.label)
        if self.kind == "boundary":
            return Line2D([], [], color="#000000", linewidth=1.6, label=self.label)
        return Line2D([], [], linestyle="none", label=self.label)


@lru_cache(maxsize=64)
def _legend_image(entries: tuple[_Entry, ...], *, dpi: int) -> np.ndarray:
    """The legend of ``entries`` as an RGBA image at ``dpi``, drawn once and pasted on every
    map that shows the same symbols: a legend is a fifth of the time a map takes to draw,
    and every internal map of a force has the same one (a public map's classes vary with
    its counts, so the cache is bounded)."""
    figure = _figure((8.0, 4.0), dpi=dpi)
    legend = figure.legend(
        handles=[entry.handle() for entry in entries],
        loc="lower left",
        framealpha=0.85,
        edgecolor="#BBBBBB",
        handlelength=1.4,
        prop={"size": 6},
    )
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    box = legend.get_window_extent()
    pixels = np.asarray(canvas.buffer_rgba())
    rows = slice(pixels.shape[0] - math.ceil(box.y1), pixels.shape[0] - math.floor(box.y0))
    image = pixels[rows, math.floor(box.x0) : math.ceil(box.x1)].copy()
    image.flags.writeable = False
    return image


def _extent(bounds: Any, axes: Any, figure: Figure) -> tuple[float, float, float, float]:
    """The ward's bounds plus a margin (8 %, at least 150 m), widened to the frame's shape."""
    min_x, min_y, max_x, max_y = (float(v) for v in bounds)
    margin = max(0.08 * max(max_x - min_x, max_y - min_y), 150.0)
    min_x, min_y, max_x, max_y = min_x - margin, min_y - margin, max_x + margin, max_y + margin
    box = axes.get_position()
    frame = (box.width * figure.get_figwidth()) / (box.height * figure.get_figheight())
    width, height = max_x - min_x, max_y - min_y
    if width / height < frame:
        grow = (height * frame - width) / 2
        min_x, max_x = min_x - grow, max_x + grow
    else:
        grow = (width / frame - height) / 2
        min_y, max_y = min_y - grow, max_y + grow
    return min_x, min_y, max_x, max_y


def _polygons(axes: Any, geometries: Sequence[Any], **style: Any) -> None:
    """Draw (multi)polygons with their holes, one path per polygon, as one collection.

    The collection is added without growing the data limits (the view is set from the
    ward's extent anyway), which spares matplotlib walking every vertex of every path.
    """
    paths = []
    for geometry in geometries:
        for part in getattr(geometry, "geoms", [geometry]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            rings = [np.asarray(part.exterior.coords)]
            rings += [np.asarray(r.coords) for r in part.interiors]
            codes = [[Path.MOVETO] + [Path.LINETO] * (len(r) - 2) + [Path.CLOSEPOLY] for r in rings]
            paths.append(Path(np.concatenate(rings), np.concatenate(codes)))
    axes.add_collection(PathCollection(paths, **style), autolim=False)


def _incidents(axes: Any, incidents: pd.DataFrame) -> list[_Entry]:
    """One circle per snap point and category, area proportional to the count."""
    located = incidents.dropna(subset=["longitude", "latitude"])
    points = (
        located.groupby(["category", "longitude", "latitude"], sort=False)["n"].sum().reset_index()
    )
    if points.empty:
        return [_Entry("text", "No located incidents")]
    x, y = transformers()[0].transform(
        points["longitude"].to_numpy(float), points["latitude"].to_numpy(float)
    )
    # The largest counts are drawn first, so small circles stay visible on top of them.
    order = np.argsort(-points["n"].to_numpy(), kind="stable")
    colours = points["category"].map(CATEGORY_COLOURS).to_numpy()[order]
    sizes = _area(points["n"].to_numpy(float))[order]
    axes.scatter(
        x[order], y[order], s=sizes, c=colours, alpha=0.8, linewidths=0.3,
        edgecolors="#FFFFFF", zorder=3, rasterized=True,
    )  # fmt: skip
    sizes_key = [
        _Entry("size", f"{n} at one snap point", size=math.sqrt(float(_area(np.array([n]))[0])))
        for n in (1, 10, 50)
    ]
    # The colour key: the categories drawn, busiest first, so the map reads on its own.
    drawn = points.groupby("category", sort=False)["n"].sum().sort_values(ascending=False)
    colour_key = [
        _Entry("square", str(category), colour=CATEGORY_COLOURS[str(category)])
        for category in drawn.index[:KEYED_CATEGORIES]
    ]
    if len(drawn) > KEYED_CATEGORIES:
        others = len(drawn) - KEYED_CATEGORIES
        colour_key.append(_Entry("text", f"{others} more: see the table of categories"))
    return sizes_key + colour_key


KEYED_CATEGORIES = 8
"""Categories the map's colour key names (the busiest); the report's table keys them all."""


def _area(counts: np.ndarray) -> np.ndarray:
    """Marker area in points squared: 6 for one incident, growing with the count."""
    return 6.0 * np.asarray(counts, dtype=float) ** 0.8


def _cell(cell: Mapping[str, Any], size: float) -> Rectangle:
    """A grid square from its absolute BNG indices (exact, no reprojection of corners)."""
    return Rectangle((cell["col"] * size, cell["row"] * size), size, size)


def _grid(axes: Any, cells: Sequence[Mapping[str, Any]], size: float) -> list[_Entry]:
    """Squares shaded by count in five equal classes up to the busiest square (at least
    five, so every class holds a whole number)."""
    if not cells:
        return [_Entry("text", "No hot-spot grid")]
    top = max(max(int(c["count"]) for c in cells), len(SEQUENTIAL))
    edges = np.linspace(0, top, len(SEQUENTIAL) + 1)
    shade = [
        SEQUENTIAL[min(int(np.searchsorted(edges, c["count"], side="left")) - 1, 4)]
        if c["count"]
        else "#FFFFFF"
        for c in cells
    ]
    axes.add_collection(
        PatchCollection(
            [_cell(c, size) for c in cells],
            facecolor=shade,
            edgecolor="#D0D0D0",
            linewidth=0.3,
            zorder=3,
        )
    )
    entries = [_Entry("square", "0 incidents", colour="#FFFFFF")]
    for low, high, colour in zip(edges[:-1], edges[1:], SEQUENTIAL, strict=True):
        label = f"{math.floor(low) + 1:,}-{math.floor(high):,} incidents"
        entries.append(_Entry("square", label, colour=colour))
    return entries


def _scale_bar(axes: Any, extent: tuple[float, float, float, float]) -> None:
    """A two-part bar of a round length near a fifth of the map's width, bottom left."""
    min_x, min_y, max_x, max_y = extent
    width, height = max_x - min_x, max_y - min_y
    length = min(_SCALE_STEPS, key=lambda step: abs(step - width / 5))
    x0, y0 = min_x + 0.04 * width, min_y + 0.05 * height
    bar = 0.012 * height
    axes.add_patch(
        Rectangle((x0 - 0.01 * width, y0 - 0.035 * height), length + 0.02 * width,
                  0.1 * height, facecolor="#FFFFFF", alpha=0.8, edgecolor="none", zorder=6)
    )  # fmt: skip
    for i, colour in enumerate(("#000000", "#FFFFFF")):
        axes.add_patch(
            Rectangle((x0 + i * length / 2, y0), length / 2, bar, facecolor=colour,
                      edgecolor="#000000", linewidth=0.6, zorder=7)
        )  # fmt: skip
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length} m"
    for x, text in ((x0, "0"), (x0 + length, label)):
        axes.text(x, y0 + bar * 1.6, text, ha="center", va="bottom", fontsize=6, zorder=7)


def _north_arrow(axes: Any) -> None:
    """An arrow to grid north (British National Grid north, within a degree or two of true
    north across England and Wales), drawn as a line and a triangle: an annotation's arrow
    costs matplotlib a search for where it meets the label on every map."""
    frame = axes.transAxes
    axes.add_line(
        Line2D(
            [0.95, 0.95], [0.88, 0.925], transform=frame, color="#000000", linewidth=1.2, zorder=8
        )
    )
    axes.add_patch(
        Polygon(
            [(0.95, 0.955), (0.9425, 0.915), (0.9575, 0.915)],
            transform=frame,
            facecolor="#000000",
            edgecolor="none",
            zorder=8,
        )
    )
    axes.text(
        0.95, 0.85, "N", transform=frame, ha="center", va="center", fontsize=8,
        fontweight="bold", zorder=8,
        bbox={"boxstyle": "circle,pad=0.2", "facecolor": "#FFFFFF", "edgecolor": "none"},
    )  # fmt: skip
