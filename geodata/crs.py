"""Coordinate reference systems and extents, named once for the whole project."""

WGS84 = "EPSG:4326"
"""Storage CRS: police.uk publishes WGS84 longitude/latitude and ONS GeoJSON uses CRS84."""

BNG = "EPSG:27700"
"""British National Grid: every area and distance is measured here, in metres."""

ENGLAND_WALES_BOUNDS = (-6.5, 49.8, 2.0, 55.9)
"""(min lon, min lat, max lon, max lat) that every England and Wales snap point lies in.

Generous by a few kilometres on each side of the mainland, Scilly and the Welsh and
Northumbrian coasts, so that a real record is never refused, while a swapped
latitude/longitude pair or a 0,0 placeholder always is.
"""
