"""Distances and the bounding box that pre-filters every "near" query."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matching.geo import bounding_box, distance_km, nearness

DERBY = (52.9225, -1.4746)


def test_distance_between_known_places() -> None:
    allestree_library, guildhall = (52.9528, -1.4867), (52.9219, -1.4764)
    assert 3.3 < distance_km(allestree_library, guildhall) < 3.6


@given(st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
       st.tuples(st.floats(-90, 90), st.floats(-180, 180)))  # fmt: skip
def test_distances_are_geopys_great_circle(a: tuple[float, float], b: tuple[float, float]) -> None:
    from geopy.distance import great_circle

    assert abs(distance_km(a, b) - great_circle(a, b).km) < 1e-6


@given(
    lat=st.floats(49.8, 60.9), lon=st.floats(-8.2, 1.8), radius=st.floats(0.1, 100),
    bearing=st.floats(0, 359.9), fraction=st.floats(0, 0.999),
)  # fmt: skip
def test_every_point_within_the_radius_is_inside_the_box(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    from geopy.distance import great_circle

    point = great_circle(kilometers=radius * fraction).destination((lat, lon), bearing)
    south, west, north, east = bounding_box(lat, lon, radius)
    assert south <= point.latitude <= north
    assert west <= point.longitude <= east


@given(st.floats(0, 50), st.floats(0, 50), st.floats(0.1, 50))
def test_nearness_falls_with_distance(a: float, b: float, radius: float) -> None:
    near, far = sorted((a, b))
    assert 0.0 <= nearness(far, radius) <= nearness(near, radius) <= 1.0
