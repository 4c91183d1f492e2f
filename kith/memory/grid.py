"""Positions bucketed into cells, so that a box finds what is inside it without looking at
everything, and chords through the Earth, which bound great-circle distances cheaply."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Generic, TypeVar

from geopy.distance import EARTH_RADIUS

T = TypeVar("T")
Box = tuple[float, float, float, float]  # south, west, north, east
CELL_DEG = 0.01  # about 1.1 km north to south, 0.7 km east to west in England
CHORD_MARGIN = 1 - 1e-9  # a chord is shortened by this, so that rounding never lengthens it


def cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_DEG), math.floor(longitude / CELL_DEG)


def inside(box: Box, latitude: float | None, longitude: float | None) -> bool:
    south, west, north, east = box
    if latitude is None or longitude is None:
        return False
    return south <= latitude <= north and west <= longitude <= east


class Grid(Generic[T]):
    """Things with a position, bucketed into cells of ``CELL_DEG``."""

    def __init__(self, things: Iterable[tuple[float | None, float | None, T]]) -> None:
        cells: dict[tuple[int, int], list[tuple[float, float, T]]] = defaultdict(list)
        for lat, lon, thing in things:
            if lat is not None and lon is not None:
                cells[cell(lat, lon)].append((lat, lon, thing))
        self.cells = dict(cells)

    def within(self, box: Box) -> list[T]:
        """The things inside ``box``, looking only at the cells it covers (or, for a box
        wider than the populated area, at the populated cells)."""
        south, west, north, east = box
        (row0, col0), (row1, col1) = cell(south, west), cell(north, east)
        if (row1 - row0 + 1) * (col1 - col0 + 1) > len(self.cells):
            keys: Iterable[tuple[int, int]] = self.cells
        else:
            keys = ((r, c) for r in range(row0, row1 + 1) for c in range(col0, col1 + 1))
        return [
            thing
            for key in keys
            for lat, lon, thing in self.cells.get(key, ())
            if inside(box, lat, lon)
        ]


def unit(latitude: float, longitude: float) -> tuple[float, float, float]:
    """A point on the unit sphere: chords between such points bound great-circle distances."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


def chord_km(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The straight line through the Earth between two ``unit`` points: never longer than the
    great circle between them (``matching.geo.distance_km``, on the same radius), and cheap."""
    return EARTH_RADIUS * math.dist(a, b) * CHORD_MARGIN
