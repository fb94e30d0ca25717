"""Maps of a concern's place: the map a PCSO taps to place a concern, and the map of one
concern's point. Built on :func:`geodata.maps.base_map` (local assets, roads and places,
every string through :func:`geodata.maps.map_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template

from geodata.context import MapContext
from geodata.maps import base_map, concern_marker, map_text, rounded, tooltip_js

OUTLINE_TOLERANCE_DEG = 0.0001
"""Ward outlines on the picking map are simplified by this many degrees (about 7-11 m)."""


class _Named(MacroElement):
    """Publishes the map object as ``window.<name>`` for the page's own script
    (``service/static/pick_point.js``), since folium names its map variable at random."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window[{{ this.global_name|tojson }}] = {{ this._parent.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self, global_name: str) -> None:
        super().__init__()
        self._name = "Named"
        self.global_name = global_name


def pick_map(
    wards: Sequence[tuple[str, str, Any]],
    *,
    context: MapContext | None,
    tile_url: str,
    attribution: str,
    asset_url: str,
) -> folium.Map:
    """The map the record-a-concern form taps: every ward's outline (``wards`` are
    (code, name, WGS84 geometry)), named in a tooltip, over the roads and places, published
    as ``window.wardProfilesPickMap``. The page's script places and drags the pin and
    fits the map to the chosen ward."""
    union = shapely.union_all([g for _, _, g in wards])
    m = base_map(
        tuple(shapely.bounds(union)),
        tile_url=tile_url,
        attribution=attribution,
        asset_url=asset_url,
        context=context,
    )
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": rounded(geometry.simplify(OUTLINE_TOLERANCE_DEG)),
                    "properties": {"tip": map_text(name), "code": map_text(code)},
                }
                for code, name, geometry in wards
            ],
        },
        name=None,
        control=False,
        style_function=lambda _: {"color": "#000000", "weight": 2, "fill": False},
        on_each_feature=tooltip_js(),
    ).add_to(m)
    _Named("wardProfilesPickMap").add_to(m)
    return m


def point_map(
    *,
    ward_name: str,
    ward_geometry: Any,
    longitude: float,
    latitude: float,
    label: str,
    context: MapContext | None,
    tile_url: str,
    attribution: str,
    asset_url: str,
) -> folium.Map:
    """One concern's point in its ward, with the roads and places round it."""
    m = base_map(
        tuple(shapely.bounds(shapely.Point(longitude, latitude).buffer(0.004))),
        tile_url=tile_url,
        attribution=attribution,
        asset_url=asset_url,
        context=context,
    )
    folium.GeoJson(
        rounded(ward_geometry),
        name=None,
        control=False,
        style_function=lambda _: {"color": "#000000", "weight": 2, "fill": False},
        tooltip=map_text(ward_name),
    ).add_to(m)
    concern_marker([latitude, longitude], tooltip=map_text(label)).add_to(m)
    return m
