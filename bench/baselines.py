"""Exact baselines: the same matching functions over every candidate in the county, with no
bounding box and nothing cached, so that the real path can be checked (top-k agreement) and
priced (speed-up) against them in the same run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from graph import candidates, directory
from graph import people as people_repo
from kith.domain import (
    Activity,
    ActivityCandidate,
    Group,
    Hit,
    Person,
    Place,
    Suggestion,
    TermKind,
    Venue,
)
from kith.service import Kith, SearchRequest
from kith.suggestions import DEFAULT_RADIUS_KM
from matching import activities as activity_scoring
from matching import buddies as buddy_scoring
from matching.search import rank

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """The result of ``work`` and how long it took in ms."""
    started = time.perf_counter()
    result = work()
    return result, (time.perf_counter() - started) * 1000


@dataclass
class Directory:
    """The whole directory read in one full scan, and how long reading it took."""

    activities: list[tuple[Activity, Venue]]
    venues: list[Venue]
    groups: list[Group]
    read_ms: float

    @property
    def candidates(self) -> list[ActivityCandidate]:
        return [ActivityCandidate(a, v) for a, v in self.activities]

    @classmethod
    def read(cls, kith: Kith) -> Directory:
        def scan() -> tuple[list[tuple[Activity, Venue]], list[Venue], list[Group]]:
            store = kith.store
            return (directory.activities_with_venues(store), directory.all_venues(store),
                    directory.all_groups(store))  # fmt: skip

        (activities, venues, groups), ms = timed(scan)
        return cls(activities, venues, groups, ms)


def buddies(kith: Kith, person: Person, first: int) -> list[Suggestion]:
    """Every volunteer in the county read and scored (rarity read afresh too)."""
    pool = candidates.volunteers(kith.store, person.id, None)
    rarity = candidates.interest_shares(kith.store)
    return buddy_scoring.suggest_buddies(person, pool, kith.taxonomy, rarity, date.today(), first)


def activities(kith: Kith, person: Person, county: Directory, first: int) -> list[Suggestion]:
    """Every activity of the county scored for the person (and whoever they care for)."""
    cared_for = list(people_repo.people_by_id(kith.store, person.cares_for).values())
    return activity_scoring.suggest_activities(person, county.candidates, kith.taxonomy,
                                               DEFAULT_RADIUS_KM, cared_for, first,
                                               kith.weights)  # fmt: skip


def near(kith: Kith, place: Place, variables: dict, county: Directory) -> list[Suggestion]:
    """Every activity of the county scored for an activitiesNear request's terms."""
    interests = {kith.term((TermKind.INTEREST,), t, "interests").id
                 for t in variables["interests"] or []}  # fmt: skip
    needs = {kith.term((TermKind.CONDITION, TermKind.NEED), t, "supports").id
             for t in variables["supports"] or []}  # fmt: skip
    return activity_scoring.activities_near(place, county.candidates, kith.taxonomy, 3.0,
                                            interests, needs, variables["first"],
                                            kith.weights)  # fmt: skip


def search(kith: Kith, request: SearchRequest, county: Directory) -> tuple[list[Hit], int]:
    """The full scan's answer: every activity, venue and group filtered and ranked in Python."""
    filters = kith.search_filters(request, may_see_people=False)
    hits = rank(filters, county.activities, county.venues, county.groups, kith.taxonomy)
    return hits[: request.first], len(hits)
