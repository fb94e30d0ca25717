"""OGC API - Features under /ogc: what QGIS, GDAL and OWSLib read (see service/ogc.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from geodata.products import LICENCE
from service import ogc
from service.readmodels.downloads import feature_frame
from service.readmodels.ward_profiles import default_period, shared_figures
from service.store.db import get_engine

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

TITLE = "Ward Profiles"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def base() -> str:
    return url_for("ogc.landing", _external=True).rstrip("/")


@bp.get("")
@bp.get("/")
def landing() -> ResponseReturnValue:
    return jsonify(
        {
            "title": TITLE,
            "description": "Wards, incidents, hot-spot squares and community concerns "
            "as OGC API - Features. " + LICENCE,
            "links": [
                ogc.link(base(), "self", JSON, "This document"),
                ogc.link(f"{base()}/api", "service-desc", OPENAPI, "The API definition"),
                ogc.link(f"{base()}/conformance", "conformance", JSON, "Conformance classes"),
                ogc.link(f"{base()}/collections", "data", JSON, "Collections"),
            ],
        }
    )


@bp.get("/api")
def api() -> ResponseReturnValue:
    return jsonify(ogc.openapi_document(base=base())), 200, {"Content-Type": OPENAPI}


@bp.get("/conformance")
def conformance() -> ResponseReturnValue:
    return jsonify({"conformsTo": ogc.CONFORMANCE})


@bp.get("/collections")
def collections() -> ResponseReturnValue:
    period = _period()
    return jsonify(
        {
            "links": [ogc.link(f"{base()}/collections", "self", JSON)],
            "collections": [
                ogc.collection_document(c, base=base(), extent=_extent(), period=period)
                for c in ogc.COLLECTIONS.values()
                if _may_see(c)
            ],
        }
    )


@bp.get("/collections/<collection_id>")
def collection(collection_id: str) -> ResponseReturnValue:
    found = _collection(collection_id)
    return jsonify(ogc.collection_document(found, base=base(), extent=_extent(), period=_period()))


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str) -> ResponseReturnValue:
    found = _collection(collection_id)
    frame = feature_frame(current_app, get_engine(), found.id, _period())
    body = ogc.queryables_document(found, frame, base=base())
    return jsonify(body), 200, {"Content-Type": "application/schema+json"}


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str) -> ResponseReturnValue:
    """A page of the collection's features, filtered by bbox, datetime and properties."""
    found, args = _collection(collection_id), request.args.to_dict()
    try:
        period = _period(args.get("datetime"))
        crs = ogc.crs_of(args.get("crs"), name="crs")
        box = ogc.bbox_of(args.get("bbox"), crs=ogc.crs_of(args.get("bbox-crs"), name="bbox-crs"))
        limit, offset = ogc.paging(args)
    except ogc.QueryError as error:
        raise BadRequest(str(error)) from error
    frame = feature_frame(current_app, get_engine(), found.id, period)
    chosen = ogc.select(frame, found, args, bbox=box)
    page = chosen.iloc[offset : offset + limit]
    if found.personal:  # each concern served is in the access log
        g.shown_concern_ids = [str(i) for i in page[found.id_column]]
    url = f"{base()}/collections/{found.id}/items"
    body = {
        "type": "FeatureCollection",
        "features": ogc.features(page, id_column=found.id_column, crs=crs),
        "numberMatched": len(chosen),
        "numberReturned": len(page),
        "links": ogc.page_links(url, args, offset=offset, limit=limit, matched=len(chosen)),
    }
    headers = {"Content-Type": ogc.GEOJSON, "Content-Crs": f"<{ogc.uri_of(crs)}>"}
    return jsonify(body), 200, headers


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str) -> ResponseReturnValue:
    found = _collection(collection_id)
    try:
        crs = ogc.crs_of(request.args.get("crs"), name="crs")
    except ogc.QueryError as error:
        raise BadRequest(str(error)) from error
    frame = feature_frame(current_app, get_engine(), found.id, _period())
    chosen = frame[frame[found.id_column].astype(str) == feature_id]
    if chosen.empty:
        raise NotFound(f"no feature {feature_id!r} in {found.id}")
    feature = ogc.features(chosen, id_column=found.id_column, crs=crs)[0]
    headers = {"Content-Type": ogc.GEOJSON, "Content-Crs": f"<{ogc.uri_of(crs)}>"}
    return jsonify(feature), 200, headers


PERSONAL_ROLE = "viewer"
"""The least role that reads concerns (every role, as on the concern pages)."""


def _may_see(collection: ogc.Collection) -> bool:
    return not collection.personal or current_user.can(PERSONAL_ROLE)


def _collection(collection_id: str) -> ogc.Collection:
    found = ogc.COLLECTIONS.get(collection_id)
    if found is None or not _may_see(found):
        raise NotFound(f"no collection {collection_id!r}")
    return found


def _period(value: str | None = None) -> ogc.Period:
    engine = get_engine()
    default = default_period(current_app, engine)
    if default is None:
        raise NotFound("no police.uk records are stored")
    try:
        return ogc.period_of(
            value, default=default, held=shared_figures(current_app, engine).months_held
        )
    except ogc.QueryError as error:
        raise BadRequest(str(error)) from error


def _extent() -> list[float]:
    frame = feature_frame(current_app, get_engine(), "wards", _period())
    return [round(v, 6) for v in frame.total_bounds.tolist()]
