"""Plain geometry for a city map without a GIS stack: distances and GeoJSON polygons.

Coordinates are WGS-84 longitude/latitude as GeoJSON writes them. Distances use the haversine formula (good to
a metre at a city's scale); point-in-polygon is ray casting over the rings of a Polygon or MultiPolygon, holes
included.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

EARTH_RADIUS_M = 6_371_008.8
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box_around(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a square that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def _in_ring(lng: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _polygons(geometry: dict) -> Iterable[Sequence[Sequence[Sequence[float]]]]:
    if geometry.get("type") == "Polygon":
        yield geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        yield from geometry["coordinates"]


def contains(geometry: dict, lat: float, lng: float) -> bool:
    """Is the point inside the (Multi)Polygon: inside an outer ring and outside its holes."""
    for rings in _polygons(geometry):
        if rings and _in_ring(lng, lat, rings[0]) and not any(_in_ring(lng, lat, hole) for hole in rings[1:]):
            return True
    return False


def geometry_problem(geometry) -> str | None:
    """Why this is not a usable (Multi)Polygon in longitude/latitude, or None when it is."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return "not a Polygon or MultiPolygon"
    try:
        polygons = list(_polygons(geometry))
        if not polygons:
            return "no coordinates"
        for rings in polygons:
            for ring in rings:
                if len(ring) < 4:
                    return "a ring needs at least four positions"
                for position in ring:
                    lng, lat = float(position[0]), float(position[1])
                    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                        return f"position out of range: {position}"
    except (TypeError, ValueError, IndexError, KeyError):
        return "malformed coordinates"
    return None
