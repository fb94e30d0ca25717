"""OGC API - Features: the documents of the ``/ogc`` service and the parsing of its queries.

Part 1 (Core, GeoJSON) and Part 2 (CRS by reference, for British National Grid): a landing
page, the conformance classes, the collections and their items. The items of a collection
are a product of :mod:`service.readmodels.downloads` for one period: ``datetime`` picks the
months (an RFC 3339 instant or interval, or ``YYYY-MM``, widened to whole months), ``bbox``
keeps features that intersect a box (CRS84, or ``bbox-crs``), a queryable property given as
a parameter keeps the features with that value (``category=Burglary``), and ``limit`` and
``offset`` page through them with ``next`` and ``prev`` links. QGIS and GDAL (the OAPIF
driver) read it as they read any such service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84
from geodata.period import Period

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
BNG_URI = "http://www.opengis.net/def/crs/EPSG/0/27700"
CRS_OF_URI = {CRS84: WGS84, BNG_URI: BNG}
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
"""Features per page: a page of 10,000 incidents is about 3 MB of GeoJSON."""
GEOJSON = "application/geo+json"


class QueryError(ValueError):
    """A query parameter that cannot be used; the message names it (answered with 400)."""


@dataclass(frozen=True)
class Collection:
    """A collection of the service: its product, words, the column holding each feature's
    id, and the properties a client may filter on."""

    id: str
    title: str
    description: str
    id_column: str
    queryables: tuple[str, ...]
    personal: bool = False


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "wards",
            "Wards",
            "Wards of the latest boundary vintage with the period's crime and ASB counts by "
            "category, rates per 1,000 residents, ratios to the force, ranks and harm.",
            "code",
            ("code", "name", "lad_code", "lad_name"),
        ),
        Collection(
            "incidents",
            "Incidents",
            "police.uk incidents by snap point (an anonymous map point, never an address), "
            "month, category and outcome, with the count of incidents each point stands for.",
            "fid",
            ("ward_code", "month", "category", "outcome"),
        ),
        Collection(
            "hotspots",
            "Hot-spot squares",
            "The force-wide hot-spot grid of the period: each square's count, Gi* z, p and "
            "false-discovery q, hot and cold flags and its street label.",
            "fid",
            ("hot", "cold"),
        ),
        Collection(
            "concerns",
            "Community concerns",
            "Community concerns as they stand (OFFICIAL-SENSITIVE), a point where one was given.",
            "id",
            ("ward_code", "tag", "status", "channel"),
            personal=True,
        ),
    )
}


def period_of(value: str | None, *, default: Period, held: Sequence[str]) -> Period:
    """The whole months a ``datetime`` parameter covers (None: ``default``).

    An instant (``2025-03-15``, ``2025-03-15T10:00:00Z``, ``2025-03``) is its month; an
    interval ``start/end`` runs from the start's month to the end's, ``..`` (or nothing) at
    either end meaning the first or last month held.
    """
    if value is None:
        return default
    if "/" not in value:
        month = _month(value)
        return Period(month, month)
    start, end = (part.strip() for part in value.split("/", 1))
    first = held[0] if start in ("", "..") and held else _month(start)
    last = held[-1] if end in ("", "..") and held else _month(end)
    if first > last:
        raise QueryError(f"datetime: {value!r} ends before it starts")
    return Period(first, last)


def _month(text: str) -> str:
    try:
        if len(text) == 7:
            return datetime.strptime(text, "%Y-%m").strftime("%Y-%m")
        if len(text) == 10:
            return date.fromisoformat(text).strftime("%Y-%m")
        return datetime.fromisoformat(text.replace("z", "Z")).strftime("%Y-%m")
    except ValueError as error:
        raise QueryError(
            f"datetime: {text!r} is not a date, a date-time or a month (YYYY-MM)"
        ) from error


def crs_of(value: str | None, *, name: str) -> str:
    """The CRS (``EPSG:...``) of a ``crs`` or ``bbox-crs`` URI; CRS84 when absent."""
    if value is None:
        return WGS84
    if value.strip("<>") not in CRS_OF_URI:
        raise QueryError(f"{name}: {value!r} is not one of {', '.join(CRS_OF_URI)}")
    return CRS_OF_URI[value.strip("<>")]


def uri_of(crs: str) -> str:
    return next(uri for uri, code in CRS_OF_URI.items() if code == crs)


def bbox_of(value: str | None, *, crs: str) -> shapely.Geometry | None:
    """The ``bbox`` box in WGS84 (four numbers: west, south, east, north in ``crs``)."""
    if value is None:
        return None
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError as error:
        raise QueryError(f"bbox: {value!r} is not four numbers separated by commas") from error
    if len(numbers) != 4 or numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise QueryError(f"bbox: {value!r} is not minx,miny,maxx,maxy")
    box = gpd.GeoSeries([shapely.box(*numbers)], crs=crs).to_crs(WGS84)
    return box.iloc[0]


def paging(args: Mapping[str, str]) -> tuple[int, int]:
    """``limit`` (1 to :data:`MAX_LIMIT`, default :data:`DEFAULT_LIMIT`) and ``offset``."""
    values = []
    for name, default, low, high in (
        ("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        ("offset", 0, 0, None),
    ):
        text = args.get(name)
        try:
            number = default if text is None else int(text)
        except ValueError as error:
            raise QueryError(f"{name}: {text!r} is not a whole number") from error
        if number < low:
            raise QueryError(f"{name}: {number} is below {low}")
        values.append(min(number, high) if high else number)
    return values[0], values[1]


def select(
    frame: gpd.GeoDataFrame,
    collection: Collection,
    args: Mapping[str, str],
    *,
    bbox: shapely.Geometry | None,
) -> gpd.GeoDataFrame:
    """The features that intersect ``bbox`` and have each queryable property given."""
    chosen = frame
    for name in collection.queryables:
        if name not in args:
            continue
        column = chosen[name]
        if pd.api.types.is_bool_dtype(column):
            chosen = chosen[column == (args[name].lower() in ("true", "1"))]
        else:
            chosen = chosen[column.astype(str) == args[name]]
    if bbox is not None:
        chosen = chosen[chosen.intersects(bbox)]
    return chosen


def features(frame: gpd.GeoDataFrame, *, id_column: str, crs: str) -> list[dict[str, Any]]:
    """GeoJSON features in ``crs`` with their ``id``; a missing geometry is null."""
    if frame.empty:
        return []
    shown = frame.to_crs(crs) if crs != WGS84 else frame
    collection = json.loads(shown.to_json(na="null", drop_id=True))
    ids = frame[id_column].tolist()
    return [
        {"type": "Feature", "id": _plain(fid), **{k: v for k, v in f.items() if k != "type"}}
        for fid, f in zip(ids, collection["features"], strict=True)
    ]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict[str, str]:
    found = {"href": href, "rel": rel, "type": type_}
    return found | ({"title": title} if title else {})


def page_links(
    url: str, args: Mapping[str, str], *, offset: int, limit: int, matched: int
) -> list[dict[str, str]]:
    """``self``, and ``next``/``prev`` when there are more features either way."""

    def at(start: int) -> str:
        return f"{url}?{urlencode({**args, 'offset': start, 'limit': limit})}"

    found = [link(at(offset), "self", GEOJSON, "This page")]
    if offset + limit < matched:
        found.append(link(at(offset + limit), "next", GEOJSON, "Next page"))
    if offset > 0:
        found.append(link(at(max(0, offset - limit)), "prev", GEOJSON, "Previous page"))
    return found


def collection_document(
    collection: Collection, *, base: str, extent: Sequence[float], period: Period
) -> dict[str, Any]:
    """One collection's description: extent (CRS84), temporal extent, CRSs and links."""
    items = f"{base}/collections/{collection.id}/items"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84, BNG_URI],
        "storageCrs": CRS84,
        "extent": {
            "spatial": {"bbox": [list(extent)], "crs": CRS84},
            "temporal": {
                "interval": [[f"{period.first}-01T00:00:00Z", f"{_month_end(period.last)}"]]
            },
        },
        "links": [
            link(f"{base}/collections/{collection.id}", "self", "application/json"),
            link(items, "items", GEOJSON, f"{collection.title} as GeoJSON"),
            link(
                f"{base}/collections/{collection.id}/queryables",
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
            ),
        ],
    }


def _month_end(month: str) -> str:
    end = pd.Period(month, freq="M").end_time
    return end.strftime("%Y-%m-%dT23:59:59Z")


def queryables_document(
    collection: Collection, frame: pd.DataFrame, *, base: str
) -> dict[str, Any]:
    """The JSON Schema of the properties a client may filter on."""

    def kind(name: str) -> str:
        boolean = name in frame.columns and pd.api.types.is_bool_dtype(frame[name])
        return "boolean" if boolean else "string"

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base}/collections/{collection.id}/queryables",
        "type": "object",
        "title": collection.title,
        "properties": {name: {"type": kind(name)} for name in collection.queryables},
    }


def openapi_document(*, base: str) -> dict[str, Any]:
    """An OpenAPI 3.0 description of the service: GDAL reads each items path's parameters
    to know which attribute filters it may send to the server instead of applying them
    itself (``ward_code = 'E05009853'`` becomes ``?ward_code=E05009853``)."""

    def parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "description": description,
                "schema": schema, "style": "form", "explode": False}  # fmt: skip

    common = [
        parameter("bbox", "minx,miny,maxx,maxy (CRS84 unless bbox-crs)",
                  {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}),
        parameter("bbox-crs", "CRS of bbox", {"type": "string", "format": "uri"}),
        parameter("crs", "CRS of the answer", {"type": "string", "format": "uri"}),
        parameter("datetime", "an instant or interval, in whole months", {"type": "string"}),
        parameter("limit", "features per page",
                  {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                   "default": DEFAULT_LIMIT}),
        parameter("offset", "features to skip", {"type": "integer", "minimum": 0, "default": 0}),
    ]  # fmt: skip
    paths: dict[str, Any] = {"/": {"get": {"summary": "Landing page", "responses": _ok()}}}
    for collection in COLLECTIONS.values():
        own = [
            parameter(name, f"only features whose {name} is this", {"type": "string"})
            for name in collection.queryables
        ]
        items = {
            "get": {
                "summary": f"{collection.title}: features",
                "parameters": common + own,
                "responses": _ok(GEOJSON),
            }
        }
        paths[f"/collections/{collection.id}/items"] = items
    return {
        "openapi": "3.0.3",
        "info": {"title": "Ward Profiles OGC API - Features", "version": "1.0"},
        "servers": [{"url": base}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
        "paths": paths,
    }


def _ok(media: str = "application/json") -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {media: {}}}}
