"""Interactive maps (folium/Leaflet) for ward pages: built from frames, served offline.

Two rules hold for every map built here:

- **No CDN.** folium's default script and stylesheet URLs are replaced by files under
  ``asset_url``, which the app serves from packages installed from the npm registry; the
  basemap comes from ``tile_url`` (configuration), and with no tile URL the map shows the
  boundaries and data on a plain background.
- **One escaping helper.** Every string that reaches a map passes through
  :func:`map_text`. folium puts popup and tooltip HTML inside JavaScript template literals
  and inserts GeoJSON popup fields as raw HTML, so HTML escaping alone is not enough.
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure, MacroElement
from folium.plugins import HeatMap, MarkerCluster
from folium.template import Template
from folium.utilities import JsCode

from geodata.context import PLACE, ROAD, MapContext, lines_of, road_label
from geodata.crime import ASB, CATEGORIES
from geodata.errors import GeodataError

ASSETS_JS = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "markercluster": "markercluster/leaflet.markercluster.js",
    "heat": "heat/leaflet-heat.js",
}
ASSETS_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "markercluster_css": "markercluster/MarkerCluster.css",
    "markercluster_default_css": "markercluster/MarkerCluster.Default.css",
}
"""Files the app serves under its asset URL (copied from node_modules by ``make``)."""

# Paul Tol's colour-blind-safe "muted" scheme and Tol's blue, then Okabe-Ito's vermillion and
# orange, a grey and a brown: one colour per category, no two near-duplicates (the "bright"
# colours used before repeated four "muted" hues). Fourteen colours cannot all be told apart by
# every reader, so the colour is never the only cue: each circle names its category when
# hovered or focused (a tooltip) and in its popup, and the key beside the map names each colour.
CATEGORY_COLOURS: Mapping[str, str] = dict(
    zip(
        CATEGORIES,
        (
            "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
            "#882255", "#AA4499", "#4477AA", "#D55E00", "#E69F00", "#BBBBBB", "#7F4F24",
        ),
        strict=True,
    )
)  # fmt: skip

ALL_CRIME_COLOUR = "#000000"
"""All crime, drawn black (and thicker) beside the categories' colours in trend charts."""

SEQUENTIAL = ("#FFFFE5", "#FEE391", "#FE9929", "#CC4C02", "#662506")
"""ColorBrewer YlOrBr, a sequential scheme readable with every common colour deficiency."""

ROAD_LABEL_ZOOM = 15
"""The zoom from which road names show: about 5 m a pixel, a few streets across a phone."""

MAX_ZOOM = 18
"""The closest zoom, as for folium's tile layers: close enough to tell snap points apart."""

_JS_SAFE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def map_text(value: object) -> str:
    """Text made safe for any place folium puts it: HTML, JavaScript template literals,
    and GeoJSON popup fields that are inserted as raw HTML.

    Method: HTML-escape (``&``, ``<``, ``>``, quotes), then replace the three characters
    that still act inside a template literal (backtick, ``$`` and backslash) by their HTML
    entities, which a browser shows as the same characters. None becomes "".
    """
    return "" if value is None else html.escape(str(value), quote=True).translate(_JS_SAFE)


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for embedding in a page: head links, the map div, the script."""

    head: str
    body: str
    script: str


_FULL_PAGE_HEAD = re.compile(
    r'\s*<meta (?:name="viewport"|http-equiv="content-type")[^>]*>'
    r"|\s*<style>(?:html, body|#map) \{[^}]*\}\s*</style>"
)
"""What folium writes for a page of its own: a content-type and a viewport meta that stops
the reader zooming (WCAG 1.4.4), and styles that take the margins off the host page."""


def render(m: folium.Map) -> MapParts:
    """The map's head (scripts, stylesheets and the map's own style), div and script, for a
    page that has its own ``<head>``: folium's full-page parts (:data:`_FULL_PAGE_HEAD`)
    are left out."""
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    return MapParts(
        head=_FULL_PAGE_HEAD.sub("", figure.header.render()),
        body=figure.html.render(),
        script=figure.script.render(),
    )


class MapAssetError(GeodataError, ValueError):
    """A map's assets cannot be written into the page; the message names the asset."""


_ASSET_TAG = re.compile(
    r'<script src="(?P<js>[^"]+)"></script>|<link rel="stylesheet" href="(?P<css>[^"]+)"/>'
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\((?P<quote>['"]?)(?P<url>[^)'"]+)(?P=quote)\)""")
_REFERENCE = re.compile(r"""<[a-zA-Z][^>]*\s(?:src|href)\s*=""")
_MEDIA_TYPES = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml"}


def inline_assets(parts: MapParts, *, asset_url: str, files: Mapping[str, bytes]) -> MapParts:
    """The map with every script and stylesheet it loads from ``asset_url`` written into the
    page, for a file that opens from disk with no server and no network.

    ``files`` maps each asset's path under ``asset_url`` (the values of :data:`ASSETS_JS`
    and :data:`ASSETS_CSS`, and the images the stylesheets name, such as
    ``leaflet/images/layers.png``) to its bytes. Each ``<script src>`` becomes a
    ``<script>`` holding the file; each stylesheet link becomes a ``<style>`` without the
    stylesheet's comments, every ``url(...)`` to a file in it replaced by a ``data:`` URI.

    Raises
    ------
    MapAssetError
        When an asset is missing from ``files``, a script holds ``</script``, or the map
        still refers to a file or host outside the inlined assets.
    """
    base = asset_url.rstrip("/") + "/"

    def inline(match: re.Match[str]) -> str:
        url = match["js"] or match["css"]
        path = url.removeprefix(base)
        if path == url or path not in files:
            raise MapAssetError(f"files: no asset {url!r} under {base!r}; run `make install`")
        text = files[path].decode("utf-8")
        if match["js"]:
            if "</script" in text.lower():
                raise MapAssetError(f"{path}: holds '</script' and cannot be written inline")
            return f"<script>{text}</script>"
        return f"<style>{_inline_css(text, path, files)}</style>"

    head = _ASSET_TAG.sub(inline, parts.head)
    for name, text in (("head", _ASSET_TAG.sub("", parts.head)), ("body", parts.body)):
        found = _REFERENCE.search(text)
        if found:
            raise MapAssetError(f"{name}: still refers to a file or host: {found.group()!r}")
    return MapParts(head=head, body=parts.body, script=parts.script)


def _inline_css(text: str, path: str, files: Mapping[str, bytes]) -> str:
    folder = path.rpartition("/")[0]

    def data_uri(match: re.Match[str]) -> str:
        url = match["url"].strip()
        if url.startswith(("data:", "#")):
            return match.group()
        target = posixpath.normpath(posixpath.join(folder, url))
        suffix = posixpath.splitext(target)[1].lower()
        if target not in files or suffix not in _MEDIA_TYPES:
            raise MapAssetError(f"{path}: no image {target!r} to write inline for url({url})")
        encoded = base64.b64encode(files[target]).decode("ascii")
        return f"url(data:{_MEDIA_TYPES[suffix]};base64,{encoded})"

    return _CSS_URL.sub(data_uri, _CSS_COMMENT.sub("", text))


def _localise(element: Any, asset_url: str, js: Sequence[str], css: Sequence[str]) -> None:
    base = asset_url.rstrip("/")
    element.default_js = [(name, f"{base}/{ASSETS_JS[name]}") for name in js]
    element.default_css = [(name, f"{base}/{ASSETS_CSS[name]}") for name in css]


def base_map(
    bounds: tuple[float, float, float, float],
    *,
    tile_url: str,
    attribution: str,
    asset_url: str,
    context: MapContext | None = None,
    road_labels: bool = True,
) -> folium.Map:
    """A map fitted to (min lon, min lat, max lon, max lat), local assets only, with the
    roads and places of ``context`` under everything else (:class:`ContextLayer`)."""
    # Leaflet takes its zoom range from the tile layers; with none (no TILE_URL) the map
    # needs its own, or marker clusters refuse to start ("Map has no maxZoom specified").
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    m.options["max_zoom"] = MAX_ZOOM
    _localise(m, asset_url, ["leaflet", "jquery"], ["leaflet_css"])
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, attr=map_text(attribution or "Basemap"), name="Basemap"
        ).add_to(m)
    if context is not None and not context.empty:
        ContextLayer(context, road_labels=road_labels).add_to(m)
    min_x, min_y, max_x, max_y = bounds
    m.fit_bounds([[min_y, min_x], [max_y, max_x]])
    return m


class ContextLayer(MacroElement):
    """Roads and place names under a map's data, with their credit in the map's attribution.

    The roads are white lines cased in grey, in a pane under Leaflet's overlays (so ward
    outlines, points and hot spots stay on top and take the taps); with ``road_labels``
    each is named by a small label at the middle of its longest line, shown from zoom
    :data:`ROAD_LABEL_ZOOM` (the map's container has the class ``map-far`` below it, so
    the labels do not pile up over a whole town). Places are permanent labels.
    Coordinates are rounded to 5 decimal places (about a metre) and every name and the
    attribution pass through :func:`map_text`. The page styles the labels (``.map-road``,
    ``.map-place``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (d, map) {
            map.createPane("context");
            map.getPane("context").style.zIndex = 350;
            map.getPane("context").style.pointerEvents = "none";
            function label(at, text, kind) {
                L.tooltip({permanent: true, direction: "center", interactive: false,
                           className: "map-" + kind, pane: "tooltipPane"})
                    .setLatLng(at).setContent(text).addTo(map);
            }
            d.roads.forEach(function (r) {
                var width = r.major ? 5 : 4;
                L.polyline(r.c, {pane: "context", color: "#8C8C8C", weight: width + 2,
                                 interactive: false}).addTo(map);
                L.polyline(r.c, {pane: "context", color: "#FFFFFF", weight: width,
                                 interactive: false}).addTo(map);
                if (r.at) { label(r.at, r.n, "road"); }
            });
            d.places.forEach(function (p) { label(p.c, p.n, "place"); });
            function zoomed() {
                map.getContainer().classList.toggle("map-far", map.getZoom() < d.labelZoom);
            }
            map.on("zoomend", zoomed);
            zoomed();
            if (map.attributionControl && d.attribution) {
                map.attributionControl.addAttribution(d.attribution);
            }
        })({{ this.data|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, context: MapContext, *, road_labels: bool = True) -> None:
        super().__init__()
        self._name = "ContextLayer"
        frame = context.features
        roads, places = frame[frame["kind"] == ROAD], frame[frame["kind"] == PLACE]
        self.data: dict[str, Any] = {
            "labelZoom": ROAD_LABEL_ZOOM,
            "attribution": map_text(context.attribution),
            "roads": [
                _road(name, ref, geometry, labelled=road_labels)
                for name, ref, geometry in zip(
                    roads["name"], roads["ref"], roads.geometry, strict=True
                )
            ],
            "places": [
                {"n": map_text(name), "c": [round(p.y, 5), round(p.x, 5)]}
                for name, p in zip(places["name"], places.geometry, strict=True)
            ],
        }


def _road(name: str, ref: str, geometry: Any, *, labelled: bool) -> dict[str, Any]:
    lines = lines_of(geometry)
    road: dict[str, Any] = {
        "n": map_text(road_label(name, ref)),
        "major": ref.startswith(("A", "M")),
        "c": [np.round(line[:, ::-1], 5).tolist() for line in lines],
    }
    if labelled and road["n"]:
        longest = max(shapely.get_parts(geometry), key=lambda part: part.length)
        middle = longest.interpolate(0.5, normalized=True)
        road["at"] = [round(middle.y, 5), round(middle.x, 5)]
    return road


def rounded(geometry: Any, decimals: int = 5) -> dict[str, Any]:
    """GeoJSON of a boundary at about a metre's precision (5 decimal places of a degree)."""
    return dict(
        shapely.geometry.mapping(shapely.transform(geometry, lambda xy: np.round(xy, decimals)))
    )


def _popup_js() -> JsCode:
    return JsCode(
        "function(feature, layer) {"
        " layer.bindPopup(feature.properties.popup);"
        " layer.bindTooltip(feature.properties.tip); }"
    )


def _points(rows: pd.DataFrame, popup: Any, tip: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {"popup": popup(row), "tip": tip(row)},
            }
            for row in rows.to_dict(orient="records")
        ],
    }


def incident_points(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per snap point and category: the total, the months and the outcomes.

    A busy ward has thousands of incidents a year on a few hundred snap points; one circle
    per point and category keeps the page small while its popup still gives each month and
    outcome with their counts. Months and outcomes are listed in order, each with its count
    when above one (``2025-01 (2); 2025-02``); a blank outcome reads "none".
    """
    located = incidents.dropna(subset=["longitude", "latitude"])
    keys = ("category", "location", "longitude", "latitude")
    totals: dict[tuple[Any, ...], int] = {}
    months: dict[tuple[Any, ...], dict[str, int]] = {}
    outcomes: dict[tuple[Any, ...], dict[str, int]] = {}
    columns = [located[c].tolist() for c in (*keys, "month", "outcome", "n")]
    for category, location, lon, lat, month, outcome, n in zip(*columns, strict=True):
        key = (category, location or "", lon, lat)
        totals[key] = totals.get(key, 0) + int(n)
        for tally, value in ((months, month), (outcomes, outcome)):
            counts = tally.setdefault(key, {})
            counts[value or ""] = counts.get(value or "", 0) + int(n)

    def listing(counts: Mapping[str, int]) -> str:
        return "; ".join(
            f"{v or 'none'} ({n})" if n > 1 else (v or "none") for v, n in sorted(counts.items())
        )

    order = sorted(totals)
    return pd.DataFrame(
        {
            **{name: [key[i] for key in order] for i, name in enumerate(keys)},
            "n": pd.Series([totals[key] for key in order], dtype="int64"),
            "months": [listing(months[key]) for key in order],
            "outcomes": [listing(outcomes[key]) for key in order],
        },
        columns=[*keys, "n", "months", "outcomes"],
    )


class IncidentCircles(MacroElement):
    """One category's incident circles, drawn in the browser from columns of values.

    GeoJSON repeats every key, and a popup repeats its fixed words, for every point: a busy
    ward's 1,200 snap points and categories cost about 24 KB gzipped as GeoJSON features
    with popup HTML, and about 17 KB as columns. So the page carries, per category, the
    columns ``x``, ``y`` (longitude and latitude rounded to 5 decimal places, about a
    metre), ``n`` (incidents), ``l`` (snapped location), ``m`` (months) and ``o``
    (outcomes; none for ASB), every text through :func:`map_text`, and a few lines of
    script that bind each circle's popup: the category, the count, the snapped location,
    the months and the outcomes. The circles go to the parent layer (a marker cluster or a
    feature group).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (d, target) {
            var circles = d.n.map(function (n, i) {
                var circle = L.circleMarker([d.y[i], d.x[i]], d.style).bindTooltip(d.name);
                return circle.bindPopup(function () {
                    return d.title + n + (n > 1 ? " incidents" : " incident") + "<br>" + d.l[i]
                        + " (snap point, not an address)<br>Months: " + d.m[i]
                        + "<br>Outcomes: " + (d.o ? d.o[i] : "no outcome (ASB)");
                });
            });
            if (target.addLayers) { target.addLayers(circles); }
            else { circles.forEach(function (c) { target.addLayer(c); }); }
        })({{ this.data|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: pd.DataFrame, *, category: str, colour: str) -> None:
        super().__init__()
        self._name = "IncidentCircles"
        self.data: dict[str, Any] = {
            "title": f"<b>{map_text(category)}</b>: ",
            "name": map_text(category),
            "style": {"radius": 6, "color": colour, "weight": 1, "fillOpacity": 0.8},
            "x": points["longitude"].round(5).tolist(),
            "y": points["latitude"].round(5).tolist(),
            "n": [int(n) for n in points["n"]],
            "l": [map_text(v) for v in points["location"]],
            "m": [map_text(v) for v in points["months"]],
        }
        if category != ASB:
            self.data["o"] = [map_text(v) for v in points["outcomes"]]


def tooltip_js() -> JsCode:
    return JsCode("function(feature, layer) { layer.bindTooltip(feature.properties.tip); }")


def neighbours(wards: gpd.GeoDataFrame, code: str) -> list[tuple[str, Any]]:
    """The wards that share a boundary or a corner with ward ``code``, as (name, geometry)
    pairs in code order, the ward itself left out.

    Method: shapely's ``intersects`` between the ward's polygon and every other ward's, in
    the frame's own CRS (a spatial index picks the candidates). Wards of one boundary set
    meet along shared edges, so ``intersects`` here means ``touches``; a ward in a hole of
    another (an enclave) is its neighbour, and wards that overlap by mistake are
    neighbours too rather than being missed.

    Raises
    ------
    LookupError
        When ``code`` is not a ward of ``wards``.
    """
    match = np.flatnonzero(wards["code"].to_numpy() == code)
    if not len(match):
        raise LookupError(f"code: no ward {code!r} in the frame")
    at = int(match[0])
    found = wards.sindex.query(wards.geometry.iloc[at], predicate="intersects")
    chosen = wards.iloc[sorted(int(i) for i in found if i != at)].sort_values("code")
    return list(zip(chosen["name"].tolist(), chosen.geometry.tolist(), strict=True))


def ward_map(
    *,
    ward_name: str,
    ward_geometry: Any,
    neighbours: Sequence[tuple[str, Any]],
    incidents: pd.DataFrame,
    hotspot_cells: Sequence[Mapping[str, Any]],
    concerns: Sequence[Mapping[str, Any]],
    tile_url: str,
    attribution: str,
    asset_url: str,
    heat: bool = True,
    context: MapContext | None = None,
) -> folium.Map:
    """A ward's map: its boundary and neighbours, incidents by category (clustered, ASB apart),
    a heat layer (unless ``heat`` is false), hot-spot cells and open concerns, with a legend
    and a layer control.

    ``incidents`` has rows of (month, category, outcome, location, longitude, latitude, n);
    one circle stands for a snap point and category (:func:`incident_points`), its popup
    giving the category, the count, the snapped location, the months and the outcomes. Pass
    an empty frame for a light map of hot spots and concerns only.
    """
    m = base_map(
        tuple(shapely.bounds(ward_geometry)),
        tile_url=tile_url,
        attribution=attribution,
        asset_url=asset_url,
        context=context,
    )
    if neighbours:
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": rounded(g), "properties": {"tip": map_text(n)}}
                    for n, g in neighbours
                ],
            },
            name=None,
            control=False,
            style_function=lambda _: {"color": "#777777", "weight": 1, "fill": False},
            on_each_feature=tooltip_js(),
        ).add_to(m)
    folium.GeoJson(
        rounded(ward_geometry),
        name=map_text(ward_name),
        style_function=lambda _: {"color": "#000000", "weight": 3, "fillOpacity": 0.03},
        tooltip=map_text(ward_name),
    ).add_to(m)
    located = incidents.dropna(subset=["longitude", "latitude"])
    points = incident_points(located)
    for category in CATEGORIES:
        rows = points[points["category"] == category]
        if rows.empty:
            continue
        total = int(rows["n"].sum())
        layer = folium.FeatureGroup(name=map_text(f"{category} ({total})"), show=True)
        target: Any = layer
        if category != ASB:
            cluster = MarkerCluster(
                options={"disableClusteringAtZoom": 17, "showCoverageOnHover": False}
            )
            _localise(
                cluster,
                asset_url,
                ["markercluster"],
                ["markercluster_css", "markercluster_default_css"],
            )
            cluster.add_to(layer)
            target = cluster
        colour = CATEGORY_COLOURS[category]
        IncidentCircles(rows, category=category, colour=colour).add_to(target)
        layer.add_to(m)
    if heat and not located.empty:
        at_place = located.groupby(["latitude", "longitude"])["n"].sum().reset_index()
        heat_layer = HeatMap(
            np.column_stack(
                [at_place["latitude"], at_place["longitude"], at_place["n"].astype(float)]
            ).tolist(),
            name="Heat (all incidents)",
            show=False,
            radius=18,
        )
        _localise(heat_layer, asset_url, ["heat"], [])
        heat_layer.add_to(m)
    hot = [c for c in hotspot_cells if c.get("hot")]
    if hot:
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": rounded(shapely.geometry.shape(c["geometry"])),
                        "properties": {
                            "popup": map_text(
                                f"Hot spot: {c['count']} incidents, z = {c['z']:.1f}; {_place(c)}"
                            ),
                            "tip": map_text(f"{_place(c)}: hot spot ({c['count']})"),
                        },
                    }
                    for c in hot
                ],
            },
            name=map_text(f"Hot spots ({len(hot)} cells)"),
            style_function=lambda _: {"color": "#B2182B", "weight": 2, "fillOpacity": 0.25},
            on_each_feature=_popup_js(),
        ).add_to(m)
    if concerns:
        frame = pd.DataFrame([c for c in concerns if c.get("longitude") is not None])
        if not frame.empty:
            folium.GeoJson(
                _points(
                    frame,
                    lambda r: (
                        f"<b>Concern: {map_text(r['tag'])}</b> ({map_text(r['status'])})"
                        f"<br>{map_text(r['description'])}<br>Raised {map_text(r['raised_on'])}"
                    ),
                    lambda r: map_text(f"Concern: {r['tag']}"),
                ),
                name=map_text(f"Open concerns ({len(frame)})"),
                marker=concern_marker(),
                on_each_feature=_popup_js(),
            ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _legend(m, located, hot_spots=bool(hot))
    return m


def concern_marker(location: Sequence[float] | None = None, **options: Any) -> folium.CircleMarker:
    """A concern's symbol on every map: a white circle with a dashed black ring."""
    return folium.CircleMarker(
        location,
        radius=9,
        color="#000000",
        weight=3,
        fill=True,
        fill_color="#FFFFFF",
        fill_opacity=1,
        dash_array="3 3",
        **options,
    )


def _place(cell: Mapping[str, Any]) -> str:
    """A hot square as a map names it: its street label, else its grid corner (raw text,
    escaped by :func:`map_text` with the rest of the tooltip)."""
    if cell.get("label"):
        return str(cell["label"])
    if "easting" in cell:
        return f"grid {cell['easting']}, {cell['northing']}"
    return "unnamed square"


def _legend(m: folium.Map, located: pd.DataFrame, *, hot_spots: bool = False) -> None:
    shown = set(located["category"].tolist())
    items = "".join(
        f'<li><span style="background:{CATEGORY_COLOURS[c]}"></span>{map_text(c)}</li>'
        for c in CATEGORIES
        if c in shown
    )
    if hot_spots:
        items += '<li><span style="background:#B2182B;border-radius:0"></span>Hot spot</li>'
    legend = (
        '<div class="map-legend" aria-hidden="true"><ul>'
        f"{items}"
        '<li><span class="concern"></span>Open concern</li></ul></div>'
    )
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.html.add_child(folium.Element(legend))


def force_map(
    wards: Any,
    *,
    value_column: str,
    label: str,
    tile_url: str,
    attribution: str,
    asset_url: str,
    context: MapContext | None = None,
) -> folium.Map:
    """Wards shaded by ``value_column`` in five quantile classes (colour-blind-safe scale).

    ``wards`` is a GeoDataFrame with code, name and the value; a ward without a value
    (no population) is grey. Each ward's tooltip gives its name and value.
    """
    m = base_map(
        tuple(wards.total_bounds),
        tile_url=tile_url,
        attribution=attribution,
        asset_url=asset_url,
        context=context,
        road_labels=False,
    )
    values = wards[value_column].astype(float)
    valid = values.dropna()
    edges = np.quantile(valid, [0.2, 0.4, 0.6, 0.8]) if len(valid) else np.array([])

    def colour(value: float) -> str:
        if pd.isna(value):
            return "#BBBBBB"
        return SEQUENTIAL[int(np.searchsorted(edges, value, side="right"))]

    features = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(geometry),
            "properties": {
                "tip": map_text(
                    f"{name}: " + ("no population" if pd.isna(v) else f"{v:,.1f} {label}")
                ),
                "popup": map_text(f"{name} ({code})"),
                "fill": colour(v),
            },
        }
        for code, name, v, geometry in zip(
            wards["code"], wards["name"], values, wards.geometry, strict=True
        )
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=map_text(label),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#333333",
            "weight": 1,
            "fillOpacity": 0.75,
        },
        on_each_feature=_popup_js(),
    ).add_to(m)
    return m
