"""Points on the unit sphere and chords through the Earth between them, which bound
great-circle distances cheaply; and the box a search looks inside."""

from __future__ import annotations

import math

from geopy.distance import EARTH_RADIUS

Box = tuple[float, float, float, float]  # south, west, north, east
CHORD_MARGIN = 1 - 1e-9  # a chord is shortened by this, so that rounding never lengthens it


def unit(latitude: float, longitude: float) -> tuple[float, float, float]:
    """A point on the unit sphere: chords between such points bound great-circle distances."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


def chord_km(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The straight line through the Earth between two ``unit`` points: never longer than the
    great circle between them (``matching.geo.distance_km``, on the same radius), and cheap."""
    return EARTH_RADIUS * math.dist(a, b) * CHORD_MARGIN
