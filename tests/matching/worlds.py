"""Small worlds for the matching tests: people, volunteers and activities placed so many
kilometres north and east of one point in Derby, with defaults that pass every hard rule."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from kith.domain import (
    Activity,
    ActivityCandidate,
    BuddyCandidate,
    Person,
    Place,
    Session,
    Suggestion,
    Venue,
    VolunteerProfile,
    Weekday,
)
from loaders.taxonomy import read_taxonomy
from matching.taxonomy import Taxonomy

TAXONOMY = Taxonomy(read_taxonomy())
TODAY = date(2026, 11, 23)
HOME = Place(52.92, -1.48)
KM_PER_DEGREE = 111.2


def at(km_north: float = 0.0, km_east: float = 0.0) -> dict[str, float]:
    """Coordinates so many km from HOME (flat-earth offsets: exact enough over a few km)."""
    per_degree_east = KM_PER_DEGREE * math.cos(math.radians(HOME.latitude))
    return {
        "latitude": HOME.latitude + km_north / KM_PER_DEGREE,
        "longitude": HOME.longitude + km_east / per_degree_east,
    }


def person(pid: str = "p-me", km_north: float = 0.0, km_east: float = 0.0, **fields: Any) -> Person:
    """Someone at HOME (or offset from it) who consented to matching unless told otherwise."""
    fields.setdefault("consent_to_matching", True)
    return Person(pid, pid, **at(km_north, km_east), **fields)


def volunteer(
    pid: str,
    km_north: float = 0.0,
    km_east: float = 0.0,
    *,
    active: int = 0,
    declined: bool = False,
    already: bool = False,
    profile: dict[str, Any] | None = None,
    **fields: Any,
) -> BuddyCandidate:
    """An approved volunteer with a current DBS check and room for another buddy."""
    settings = {"approved": True, "dbs_checked_on": date(2025, 1, 1), "capacity": 2}
    volunteer_profile = VolunteerProfile(**{**settings, "max_travel_km": 5.0, **(profile or {})})
    buddy = person(pid, km_north, km_east, volunteer=volunteer_profile, **fields)
    return BuddyCandidate(buddy, active, declined, already)


def activity(
    aid: str,
    km_north: float = 0.0,
    km_east: float = 0.0,
    *,
    venue: dict[str, Any] | None = None,
    **fields: Any,
) -> ActivityCandidate:
    """An activity on Tuesday mornings at a step-free venue of its own."""
    fields.setdefault("sessions", [Session(Weekday.TUESDAY, "10:00")])
    place = Venue(f"v-{aid}", f"Hall {aid}", **at(km_north, km_east), **(venue or {}))
    if place.step_free is None:
        place.step_free = True
    return ActivityCandidate(Activity(aid, aid, place.id, **fields), place)


def ids(suggestions: list[Suggestion]) -> list[str]:
    return [s.target.id for s in suggestions]


def texts(suggestion: Suggestion) -> list[str]:
    return [r.text for r in suggestion.reasons]


def adds_up(suggestion: Suggestion) -> bool:
    """The score is in [0, 1] and exactly the sum of its reasons' weights."""
    total = sum(r.weight for r in suggestion.reasons)
    return 0.0 <= suggestion.score <= 1.0 and suggestion.score == pytest.approx(total, abs=1e-9)
