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

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure
from folium.plugins import HeatMap, MarkerCluster
from folium.utilities import JsCode

from geodata.crime import ASB, CATEGORIES

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

# Paul Tol's colour-blind-safe "muted" and "bright" schemes, one colour per category.
CATEGORY_COLOURS: Mapping[str, str] = dict(
    zip(
        CATEGORIES,
        (
            "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
            "#882255", "#AA4499", "#4477AA", "#EE6677", "#228833", "#CCBB44", "#AA3377",
        ),
        strict=True,
    )
)  # fmt: skip

SEQUENTIAL = ("#FFFFE5", "#FEE391", "#FE9929", "#CC4C02", "#662506")
"""ColorBrewer YlOrBr, a sequential scheme readable with every common colour deficiency."""

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


def render(m: folium.Map) -> MapParts:
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    return MapParts(
        head=figure.header.render(),
        body=figure.html.render(),
        script=figure.script.render(),
    )


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
) -> folium.Map:
    """An empty map fitted to (min lon, min lat, max lon, max lat), local assets only."""
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    _localise(m, asset_url, ["leaflet", "jquery"], ["leaflet_css"])
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, attr=map_text(attribution or "Basemap"), name="Basemap"
        ).add_to(m)
    min_x, min_y, max_x, max_y = bounds
    m.fit_bounds([[min_y, min_x], [max_y, max_x]])
    return m


def _rounded(geometry: Any, decimals: int = 5) -> dict[str, Any]:
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
    outcome with their counts.
    """
    located = incidents.dropna(subset=["longitude", "latitude"])
    keys = ["category", "location", "longitude", "latitude"]

    def tally(column: str) -> pd.Series:
        counts = located.groupby([*keys, column])["n"].sum().reset_index()
        counts["text"] = [
            f"{v or 'none'} ({n})" if n > 1 else f"{v or 'none'}"
            for v, n in zip(counts[column], counts["n"], strict=True)
        ]
        return counts.sort_values([*keys, column]).groupby(keys)["text"].agg("; ".join)

    points = located.groupby(keys)["n"].sum().to_frame()
    points["months"] = tally("month")
    points["outcomes"] = tally("outcome")
    return points.reset_index()


def incident_popup(row: Mapping[str, Any]) -> str:
    """Category, how many, the snapped location, the months and the outcomes."""
    count = int(row["n"])
    outcomes = "no outcome (ASB)" if row["category"] == ASB else map_text(row["outcomes"])
    return (
        f"<b>{map_text(row['category'])}</b>: {count} incident{'s' if count > 1 else ''}"
        f"<br>{map_text(row['location'])} (snap point, not an address)"
        f"<br>Months: {map_text(row['months'])}<br>Outcomes: {outcomes}"
    )


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
) -> folium.Map:
    """A ward's map: its boundary and neighbours, incidents by category (clustered, ASB apart),
    a heat layer, hot-spot cells and open concerns, with a legend and a layer control.

    ``incidents`` has rows of (month, category, outcome, location, longitude, latitude, n);
    one circle stands for a snap point and category (:func:`incident_points`).
    """
    m = base_map(
        tuple(shapely.bounds(ward_geometry)),
        tile_url=tile_url,
        attribution=attribution,
        asset_url=asset_url,
    )
    for name, geometry in neighbours:
        folium.GeoJson(
            _rounded(geometry),
            name=None,
            control=False,
            style_function=lambda _: {"color": "#777777", "weight": 1, "fill": False},
            tooltip=map_text(name),
        ).add_to(m)
    folium.GeoJson(
        _rounded(ward_geometry),
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
        folium.GeoJson(
            _points(rows, incident_popup, lambda r: map_text(r["category"])),
            marker=folium.CircleMarker(
                radius=6, color=colour, fill=True, fill_opacity=0.8, weight=1
            ),
            on_each_feature=_popup_js(),
        ).add_to(target)
        layer.add_to(m)
    if not located.empty:
        at_place = located.groupby(["latitude", "longitude"])["n"].sum().reset_index()
        heat = HeatMap(
            np.column_stack(
                [at_place["latitude"], at_place["longitude"], at_place["n"].astype(float)]
            ).tolist(),
            name="Heat (all incidents)",
            show=False,
            radius=18,
        )
        _localise(heat, asset_url, ["heat"], [])
        heat.add_to(m)
    hot = [c for c in hotspot_cells if c.get("hot")]
    if hot:
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": c["geometry"],
                        "properties": {
                            "popup": map_text(
                                f"Hot spot: {c['count']} incidents, z = {c['z']:.1f}"
                            ),
                            "tip": map_text(f"Hot spot ({c['count']})"),
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
                marker=folium.CircleMarker(
                    radius=9,
                    color="#000000",
                    weight=3,
                    fill=True,
                    fill_color="#FFFFFF",
                    fill_opacity=1,
                    dash_array="3 3",
                ),
                on_each_feature=_popup_js(),
            ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _legend(m, located)
    return m


def _legend(m: folium.Map, located: pd.DataFrame) -> None:
    present = [c for c in CATEGORIES if c in set(located["category"])]
    items = "".join(
        f'<li><span style="background:{CATEGORY_COLOURS[c]}"></span>{map_text(c)}</li>'
        for c in present
    )
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
) -> folium.Map:
    """Wards shaded by ``value_column`` in five quantile classes (colour-blind-safe scale).

    ``wards`` is a GeoDataFrame with code, name and the value; a ward without a value
    (no population) is grey. Each ward's tooltip gives its name and value.
    """
    m = base_map(
        tuple(wards.total_bounds), tile_url=tile_url, attribution=attribution, asset_url=asset_url
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
