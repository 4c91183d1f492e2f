"""Distances and the bounding boxes that pre-filter "near" queries."""

from __future__ import annotations

import math

from geopy.distance import EARTH_RADIUS

# Kilometres per degree of latitude on the sphere great_circle measures on, so that the box and
# the exact distance agree; the box is then widened a little for rounding.
KM_PER_DEGREE_LAT = 2 * math.pi * EARTH_RADIUS / 360
MARGIN = 1.001


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle kilometres between two (latitude, longitude) points: geopy's great_circle,
    its formula and Earth radius written out, because the suggestion paths call this thousands
    of times a request and building geopy's Point objects was most of each call (4 µs against
    under 1 µs); tests/matching/test_geo.py checks both agree."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin_lat2, cos_lat2 = math.sin(lat2), math.cos(lat2)
    delta = math.radians(b[1]) - math.radians(a[1])
    cos_delta, sin_delta = math.cos(delta), math.sin(delta)
    d = math.atan2(
        math.sqrt(
            (cos_lat2 * sin_delta) ** 2
            + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta) ** 2
        ),
        sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta,
    )
    return EARTH_RADIUS * d


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box that holds every point within ``radius_km``.

    The box is a cheap indexed pre-filter; the exact distance is checked afterwards.
    """
    dlat = radius_km * MARGIN / KM_PER_DEGREE_LAT
    dlon = radius_km * MARGIN / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def nearness(distance: float, radius_km: float) -> float:
    """1 at the door, falling smoothly to 0 at the edge of the radius."""
    if radius_km <= 0:
        return 0.0
    return max(0.0, 1.0 - distance / radius_km) ** 0.5
