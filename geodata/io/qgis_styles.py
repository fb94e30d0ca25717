"""QGIS layer styles (QML) for the ward and hot-spot layers of an export.

QGIS opens a GeoPackage layer with the style stored for it in the file's ``layer_styles``
table (:func:`geodata.io.downloads.write_geopackage`), so an analyst sees the wards shaded
by their crime rate and the hot squares picked out without building a legend by hand. The
QML is built with ElementTree (well-formed by construction) in the shape QGIS 3 writes:
a ``renderer-v2`` with its symbols, and for the wards a label of the ward's name.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

import numpy as np

QGIS_VERSION = "3.34.0-Prizren"
WARD_SHADES = ("#FFFFE5", "#FEE391", "#FE9929", "#CC4C02", "#662506")
"""ColorBrewer YlOrBr, the force map's scheme (:data:`geodata.maps.SEQUENTIAL`)."""
OUTLINE = "#3C3C3C"
HOT = "#D7301F"
COLD = "#2B8CBE"


def ward_style(values: Sequence[float | None], *, field: str = "crime_per_1000") -> str:
    """Wards shaded by ``field`` in five classes of equal count (quintiles of ``values``,
    the missing ones left out), a ward without a figure in grey, labelled with its name."""
    known = np.array([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    edges = (
        np.unique(np.quantile(known, np.linspace(0, 1, 6))) if known.size else np.array([0.0, 1.0])
    )
    if edges.size == 1:
        edges = np.array([edges[0], edges[0] + 1])
    root = _root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {
            "type": "graduatedSymbol",
            "attr": field,
            "graduatedMethod": "GraduatedColor",
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
        },
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (lower, upper) in enumerate(itertools.pairwise(edges)):
        ET.SubElement(
            ranges,
            "range",
            {
                "lower": f"{lower:.6f}",
                "upper": f"{upper:.6f}",
                "label": f"{lower:.1f} - {upper:.1f}",
                "symbol": str(i),
                "render": "true",
            },
        )
        shade = WARD_SHADES[min(i, len(WARD_SHADES) - 1)]
        symbols.append(_fill_symbol(str(i), fill=shade, outline=OUTLINE))
    source = ET.SubElement(renderer, "source-symbol")
    source.append(_fill_symbol("0", fill="#BDBDBD", outline=OUTLINE))
    ET.SubElement(renderer, "mode", {"name": "quantile"})
    _name_labels(root, "name")
    return _text(root)


def hotspot_style() -> str:
    """Hot squares in red, cold ones in blue, the rest drawn as a faint outline."""
    root = _root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {"type": "RuleRenderer", "symbollevels": "0", "enableorderby": "0", "forceraster": "0"},
    )
    rules = ET.SubElement(renderer, "rules", {"key": "root"})
    symbols = ET.SubElement(renderer, "symbols")
    for i, (label, expression, fill, outline) in enumerate(
        (
            ("Hot spot", '"hot"', HOT, HOT),
            ("Cold spot", '"cold"', COLD, COLD),
            ("Neither", 'NOT "hot" AND NOT "cold"', "", "#BDBDBD"),
        )
    ):
        ET.SubElement(
            rules,
            "rule",
            {"key": f"rule{i}", "symbol": str(i), "label": label, "filter": expression},
        )
        symbols.append(_fill_symbol(str(i), fill=fill, outline=outline, alpha=0.6))
    return _text(root)


def _root() -> ET.Element:
    return ET.Element(
        "qgis",
        {"version": QGIS_VERSION, "styleCategories": "Symbology|Labeling", "labelsEnabled": "0"},
    )


def _fill_symbol(name: str, *, fill: str, outline: str, alpha: float = 1.0) -> ET.Element:
    """A simple fill symbol; an empty ``fill`` draws no fill."""
    symbol = ET.Element(
        "symbol",
        {
            "type": "fill",
            "name": name,
            "alpha": f"{alpha:g}",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    layer = ET.SubElement(
        symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"}
    )
    _options(
        layer,
        {
            "color": _rgba(fill or "#FFFFFF", opaque=bool(fill)),
            "outline_color": _rgba(outline),
            "outline_style": "solid",
            "outline_width": "0.26",
            "outline_width_unit": "MM",
            "style": "solid" if fill else "no",
            "joinstyle": "bevel",
        },
    )
    return symbol


def _name_labels(root: ET.Element, field: str) -> None:
    root.set("labelsEnabled", "1")
    labeling = ET.SubElement(root, "labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    ET.SubElement(
        settings,
        "text-style",
        {
            "fieldName": field,
            "isExpression": "0",
            "fontSize": "8",
            "fontSizeUnit": "Point",
            "textColor": "50,50,50,255",
            "namedStyle": "Regular",
        },
    )
    buffer = ET.SubElement(settings, "text-buffer")
    buffer.attrib.update({"bufferDraw": "1", "bufferSize": "0.8", "bufferColor": "255,255,255,255"})
    ET.SubElement(settings, "placement", {"placement": "1"})
    ET.SubElement(settings, "rendering", {"scaleVisibility": "1", "scaleMax": "100000"})


def _options(parent: ET.Element, values: Mapping[str, str]) -> None:
    holder = ET.SubElement(parent, "Option", {"type": "Map"})
    for key, value in values.items():
        ET.SubElement(holder, "Option", {"name": key, "type": "QString", "value": value})


def _rgba(colour: str, *, opaque: bool = True) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{255 if opaque else 0}"


def _text(root: ET.Element) -> str:
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )
