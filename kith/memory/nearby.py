"""What is near a place, answered from memory: the directory and the volunteers, copied from
the graph and kept up to date by mirror.py, bucketed by position (grid.py) so that a
box finds its entries without looking at the rest of the county."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from graph import candidates, directory
from graph import people as people_repo
from graph.changes import Watch
from graph.store import Store
from matching.geo import bounding_box
from matching.search import TextIndex
from matching.taxonomy import Taxonomy

from ..domain import Activity, Availability, Group, Person, Place, Venue
from .grid import Box, Grid, chord_km, inside, unit
from .mirror import Copy, Mirror
from .shortlist import Profile


@dataclass(frozen=True)
class Directory:
    """The public directory in memory: activities by the venue that holds them and by the
    words they hold."""

    activities: dict[str, Activity]
    venues: dict[str, Venue]
    groups: dict[str, Group]
    held_at: dict[str, list[Activity]]
    grid: Grid[Venue]
    points: dict[str, tuple[float, float, float]]
    text: TextIndex
    profiles: dict[str, Profile]
    venue_terms: dict[str, frozenset[str]]  # what the activities held at each venue are about

    @classmethod
    def of(
        cls, activities: dict[str, Activity], venues: dict[str, Venue], groups: dict[str, Group],
        taxonomy: Taxonomy,
    ) -> Directory:  # fmt: skip
        held_at: dict[str, list[Activity]] = defaultdict(list)
        for activity in activities.values():
            if activity.venue_id in venues:
                held_at[activity.venue_id].append(activity)
        located = [v for v in venues.values() if v.latitude is not None and v.longitude is not None]
        grid = Grid((v.latitude, v.longitude, v) for v in located)
        points = {v.id: unit(v.latitude, v.longitude) for v in located}  # type: ignore[arg-type]
        profiles = {i: Profile.of(a) for i, a in activities.items()}
        venue_terms = {v: frozenset().union(*(profiles[a.id].terms for a in held))
                       for v, held in held_at.items()}  # fmt: skip
        return cls(activities, venues, groups, dict(held_at), grid, points,
                   TextIndex(activities.values(), taxonomy), profiles, venue_terms)  # fmt: skip

    def activities_within(
        self, place: Place, radius_km: float, about: frozenset[str] | None
    ) -> list[tuple[Activity, Venue]]:
        """Activities held at venues that may be within ``radius_km`` of ``place`` (inside the
        box of the radius and no further as the chord goes: the exact distance is a hard rule
        checked later), about or supporting one of the terms ``about`` when given."""
        here = unit(place.latitude, place.longitude)
        box = bounding_box(place.latitude, place.longitude, radius_km)
        near = [v for v in self.grid.within(box) if chord_km(here, self.points[v.id]) <= radius_km]
        if about is None:
            return [(a, v) for v in near for a in self.held_at.get(v.id, ())]
        return [
            (a, v)
            for v in near
            if not about.isdisjoint(self.venue_terms.get(v.id, ()))
            for a in self.held_at[v.id]
            if not about.isdisjoint(self.profiles[a.id].terms)
        ]

    def venues_in(self, box: Box | None) -> list[Venue]:
        """Venues inside ``box``, or all of them."""
        return self.grid.within(box) if box else list(self.venues.values())

    def activities_in(
        self, box: Box | None, among: set[str] | None = None
    ) -> list[tuple[Activity, Venue]]:
        """Activities held inside ``box`` (or anywhere), each with its venue; only those with
        ids ``among`` when given (fewer than the box holds, as a text search finds)."""
        if among is None:
            return [(a, v) for v in self.venues_in(box) for a in self.held_at.get(v.id, ())]
        pairs = ((a, self.venues.get(a.venue_id)) for i in among if (a := self.activities.get(i)))
        return [(a, v) for a, v in pairs
                if v and (box is None or inside(box, v.latitude, v.longitude))]  # fmt: skip


@dataclass(frozen=True)
class Traits:
    """A volunteer's interests, conditions, languages and free times as sets, made once: a
    buddy search intersects them with the person's for every volunteer around."""

    interests: frozenset[str]
    conditions: frozenset[str]
    languages: frozenset[str]
    availability: frozenset[Availability]

    @classmethod
    def of(cls, p: Person) -> Traits:
        return cls(frozenset(p.interests), frozenset(p.conditions), frozenset(p.languages),
                   frozenset(p.availability))  # fmt: skip


@dataclass(frozen=True)
class Volunteers:
    """Volunteers in memory, as buddy suggestions find them before reading them afresh.

    Consent to matching changes without a stamp (graph/people.py), so it is taken as given
    here and read afresh, with the match history, for the volunteers actually suggested.
    """

    grid: Grid[Person]
    points: dict[str, tuple[float, float, float]]
    traits: dict[str, Traits]
    farthest_km: float

    @classmethod
    def of(cls, people: Iterable[Person]) -> Volunteers:
        able = {p.id: replace(p, consent_to_matching=True) for p in people
                if p.volunteer and p.latitude is not None and p.longitude is not None}  # fmt: skip
        points = {i: unit(p.latitude, p.longitude) for i, p in able.items()}  # type: ignore[arg-type]
        traits = {i: Traits.of(p) for i, p in able.items()}
        limits = [p.volunteer.max_travel_km for p in able.values() if p.volunteer]
        grid = Grid((p.latitude, p.longitude, p) for p in able.values())
        return cls(grid, points, traits, max(limits, default=0.0))

    def around(self, place: Place) -> list[tuple[Person, float]]:
        """Volunteers whose own travel limit may reach ``place``, each with a distance that
        is never more than the real one (the exact distance is a hard rule checked later)."""
        here = unit(place.latitude, place.longitude)
        box = bounding_box(place.latitude, place.longitude, self.farthest_km)
        near = ((p, chord_km(here, self.points[p.id])) for p in self.grid.within(box))
        return [(p, km) for p, km in near if km <= p.volunteer.max_travel_km]  # type: ignore[union-attr]


def mirror_directory(store: Store, taxonomy: Callable[[], Taxonomy]) -> Mirror[Directory]:
    """The directory, checked for changes before each use, its words those of ``taxonomy()``."""
    activities = Copy(Watch("Activity"), lambda: directory.all_activities(store),
                      lambda ids: directory.activities_by_id(store, ids))  # fmt: skip
    venues = Copy(Watch("Venue"), lambda: {v.id: v for v in directory.all_venues(store)},
                  lambda ids: directory.venues_by_id(store, ids))  # fmt: skip
    groups = Copy(Watch("Group"), lambda: {g.id: g for g in directory.all_groups(store)},
                  lambda ids: directory.groups_by_id(store, ids))  # fmt: skip

    def build(words: object) -> Directory:
        assert isinstance(words, Taxonomy)
        return Directory.of(activities.records, venues.records, groups.records, words)

    return Mirror(store, (activities, venues, groups), build, lambda: directory.Writes.made,
                  taxonomy)  # fmt: skip


def mirror_volunteers(store: Store, signal: Callable[[], object]) -> Mirror[Volunteers]:
    """The volunteers, checked for changes before each use; ``signal`` changes when this
    process writes people."""

    def read(ids: list[str]) -> dict[str, Person]:  # only volunteers, as the watch keeps
        return {i: p for i, p in people_repo.people_by_id(store, ids).items() if p.volunteer}

    copy = Copy(
        Watch("Person", kept="n.volunteer = true"),
        lambda: {p.id: p for p in candidates.all_volunteers(store)},
        read,
    )
    return Mirror(store, (copy,), lambda _: Volunteers.of(copy.records.values()), signal)
