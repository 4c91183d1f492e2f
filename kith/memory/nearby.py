"""What is near a place, answered from memory: the directory and the volunteers, copied from
the graph and kept up to date by mirror.py, their positions as numpy arrays, so that what is
inside a search's box or within a suggestion's radius is one expression over all of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import product
from typing import TypeVar

import numpy as np
from geopy.distance import EARTH_RADIUS

from graph import candidates, directory
from graph import people as people_repo
from graph.changes import Watch
from graph.store import Store
from matching.reviews import Freshness, freshness
from matching.rules import has_feature, vetted
from matching.search import TextIndex
from matching.taxonomy import Taxonomy

from ..domain import (
    AccessNeed,
    Activity,
    ActivityCandidate,
    Availability,
    DayPart,
    Gender,
    Group,
    Person,
    Place,
    Venue,
    Weekday,
)
from .mirror import Copy, Mirror
from .shortlist import Likeness, Profile
from .sphere import CHORD_MARGIN, Box, unit

R = TypeVar("R")
ACCESS = tuple(AccessNeed)
SLOTS = {Availability(d, p): 1 << i for i, (d, p) in enumerate(product(Weekday, DayPart))}


@dataclass(frozen=True)
class Directory:
    """The public directory in memory: activities by the venue that holds them, by the terms
    they hold and by the words they hold.

    What suggestions ask of it (activities near a place about some terms, by likeness and
    distance) is answered with arrays over ``held``, every activity at a venue with a position
    as the candidate a suggestion weighs, made once: the distance to every venue in one numpy
    expression, the activities holding a term as an array of positions, and what makes
    activities alike (``shortlist.Likeness``) as codes. Python touches only the candidates
    that lead a likeness."""

    activities: dict[str, Activity]
    venues: dict[str, Venue]
    groups: dict[str, Group]
    held_at: dict[str, list[Activity]]
    text: TextIndex
    located: list[Venue]  # the venues with a position, in the order of ``points``
    degrees: np.ndarray  # their latitudes and longitudes, a row each
    held: list[ActivityCandidate]
    position: dict[str, int]  # an activity's id: its position in ``held``
    held_venue: np.ndarray  # the position in ``points`` of each one's venue
    points: np.ndarray  # the located venues on the unit sphere, one row each
    holding: dict[str, np.ndarray]  # a term: the positions in ``held`` of activities holding it
    alike: np.ndarray  # of each held: a code for its ``Profile.alike``
    slots: np.ndarray  # of each held: the day-parts of its sessions, as ``slot_bits``
    rank: np.ndarray  # of each held: where its id sorts among theirs
    access: np.ndarray  # of each venue in ``points``: whether it has each of ACCESS
    fresh: dict[tuple[date, int], np.ndarray] = field(default_factory=dict)

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
        at = {v.id: i for i, v in enumerate(located)}
        held = [ActivityCandidate(a, v) for v in located for a in held_at.get(v.id, ())]
        profiles = [Profile.of(c.activity) for c in held]
        holding: dict[str, list[int]] = defaultdict(list)
        for i, profile in enumerate(profiles):
            for term in profile.terms:
                holding[term].append(i)
        kinds: dict[Hashable, int] = {}
        rank = np.empty(len(held), dtype=np.int64)
        rank[np.argsort(np.array([c.activity.id for c in held], dtype=str))] = np.arange(len(held))
        return cls(
            activities, venues, groups, dict(held_at), TextIndex(activities.values(), taxonomy),
            located, np.array([(v.latitude, v.longitude) for v in located]).reshape(-1, 2),
            held, {c.activity.id: i for i, c in enumerate(held)},
            np.array([at[c.venue.id] for c in held], dtype=np.int64),
            units(located), {t: np.array(ids, dtype=np.int64) for t, ids in holding.items()},
            np.array([kinds.setdefault(p.alike, len(kinds)) for p in profiles], dtype=np.int64),
            np.array([slot_bits(p.slots) for p in profiles], dtype=np.int64), rank,
            np.array([[has_feature(v, n) for n in ACCESS] for v in located],
                     dtype=bool).reshape(-1, len(ACCESS)),
        )  # fmt: skip

    def activities_within(
        self, place: Place, radius_km: float, about: frozenset[str] | None
    ) -> np.ndarray:
        """The positions in ``held`` of activities held at venues that may be within
        ``radius_km`` of ``place`` (no further as the chord goes: the exact distance is a hard
        rule checked later), about or supporting one of the terms ``about`` when given."""
        near = chords_km(self.points, place) <= radius_km
        if about is None:
            return np.flatnonzero(near[self.held_venue])
        lists = [self.holding[t] for t in about if t in self.holding]
        relevant = np.concatenate(lists) if lists else np.empty(0, np.int64)
        # near first: a common term is held across a region, of which a radius holds few
        return np.unique(relevant[near[self.held_venue[relevant]]])

    def alike_by_distance(
        self, found: np.ndarray, here: Person | Place, alike: Likeness
    ) -> list[list[ActivityCandidate]]:
        """The candidates at ``found`` by likeness, each likeness nearest first (then by id, as
        the scorer breaks ties): the queues ``shortlist.best`` takes from."""
        if not len(found):
            return []
        _, first, kind = np.unique(self.alike[found], return_index=True, return_inverse=True)
        kind = kind.reshape(-1)  # the needs that count depend on the activity's supports alone
        counted = [alike.counted(self.held[i].activity) for i in found[first].tolist()]
        needs = np.array([[n in c for n in ACCESS] for c in counted], dtype=bool)
        venue = self.held_venue[found]
        offered = self.access[venue] & needs[kind]
        free = self.slots[found] & slot_bits(alike.free)
        # one number per candidate, so that numpy sorts numbers rather than rows
        key = (((kind << len(SLOTS)) | free) << 2 | alike.fresh[found]) << len(ACCESS)
        key |= offered @ (1 << np.arange(len(ACCESS)))
        group = np.unique(key, return_inverse=True)[1].reshape(-1)
        order = np.lexsort((self.rank[found], great_circles_km(self.points[venue], here), group))
        ends = (np.flatnonzero(np.diff(group[order])) + 1).tolist()
        queued = [self.held[i] for i in found[order].tolist()]
        return [queued[a:b] for a, b in zip([0, *ends], [*ends, len(queued)], strict=True)]

    def freshness(self, today: date, months: int) -> np.ndarray:
        """How fresh each held listing is ``today`` (matching/reviews.py), as the position of
        its ``Freshness`` among them, worked out once a day."""
        kinds = list(Freshness)
        return once_a_day(self.fresh, (today, months), lambda: np.array(
            [kinds.index(freshness(c.activity, today, months)) for c in self.held],
            dtype=np.int64))  # fmt: skip

    def inside(self, box: Box) -> np.ndarray:
        """Whether each venue of ``located`` is inside ``box`` (edges included)."""
        south, west, north, east = box
        lat, lon = self.degrees[:, 0], self.degrees[:, 1]
        return (south <= lat) & (lat <= north) & (west <= lon) & (lon <= east)

    def venues_in(self, box: Box | None) -> list[Venue]:
        """Venues inside ``box``, or all of them."""
        if box is None:
            return list(self.venues.values())
        return [self.located[i] for i in np.flatnonzero(self.inside(box)).tolist()]

    def activities_in(
        self, box: Box | None, among: set[str] | None = None
    ) -> list[tuple[Activity, Venue]]:
        """Activities held inside ``box`` (or anywhere), each with its venue; only those with
        ids ``among`` when given (what a text search found). In a box, the ids found are
        positions in ``held`` and the box one numpy expression: a common word finds thousands
        across a region, of which a box holds a few."""
        if box is None:
            if among is None:
                return [(a, v) for v in self.venues.values() for a in self.held_at.get(v.id, ())]
            pairs = ((a, self.venues.get(a.venue_id)) for i in among
                     if (a := self.activities.get(i)))  # fmt: skip
            return [(a, v) for a, v in pairs if v]
        at = np.arange(len(self.held)) if among is None else np.array(
            [self.position[i] for i in among if i in self.position], dtype=np.int64)  # fmt: skip
        found = at[self.inside(box)[self.held_venue[at]]]
        return [(self.held[i].activity, self.held[i].venue) for i in found.tolist()]


@dataclass(frozen=True)
class Feature:
    """One feature of every volunteer (their interests, say) as a table of booleans, a row per
    volunteer and a column per value any of them has: a buddy search asks which of the
    person's values each volunteer around shares as one slice of it."""

    values: list  # of the columns, in order
    column: dict[object, int]
    table: np.ndarray  # bool, volunteers × values

    @classmethod
    def of(cls, held: list[Iterable]) -> Feature:
        values = sorted({v for row in held for v in row}, key=str)
        column = {v: i for i, v in enumerate(values)}
        table = np.zeros((len(held), len(values)), dtype=bool)
        for r, row in enumerate(held):
            table[r, [column[v] for v in row]] = True
        return cls(values, column, table)

    def columns(self, wanted: Iterable) -> list[int]:
        """The columns of the ``wanted`` values that some volunteer has."""
        return sorted(self.column[v] for v in wanted if v in self.column)


FEATURES = ("interests", "conditions", "languages", "availability")
"""What buddy scores read of a volunteer besides where they live and how far they travel."""
GENDERS = {g: i for i, g in enumerate(Gender)}


@dataclass(frozen=True)
class Volunteers:
    """Volunteers in memory, as buddy suggestions find them before reading them afresh: their
    positions, travel limits, genders and features as arrays, so that who may reach a place,
    and what they share with someone there, is a few numpy expressions over all of them.

    Consent to matching changes without a stamp (graph/people.py), so it is taken as given
    here and read afresh, with the match history, for the volunteers actually suggested.
    """

    people: list[Person]
    row: dict[str, int]  # a volunteer's id: their row
    points: np.ndarray  # on the unit sphere, a row per volunteer
    limits: np.ndarray  # how far each will travel, km
    genders: np.ndarray  # GENDERS of each, -1 where not known
    features: dict[str, Feature]
    checked: dict[tuple[date, int], np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, people: Iterable[Person]) -> Volunteers:
        able = [replace(p, consent_to_matching=True) for p in people
                if p.volunteer and p.latitude is not None and p.longitude is not None]  # fmt: skip
        limits = [p.volunteer.max_travel_km for p in able]  # type: ignore[union-attr]
        genders = [GENDERS.get(p.gender, -1) for p in able]  # type: ignore[arg-type]
        features = {f: Feature.of([getattr(p, f) for p in able]) for f in FEATURES}
        return cls(able, {p.id: r for r, p in enumerate(able)}, units(able),
                   np.array(limits, dtype=np.float64), np.array(genders, dtype=np.int64),
                   features)  # fmt: skip

    def reach(self, place: Place) -> tuple[np.ndarray, np.ndarray]:
        """The rows of volunteers whose own travel limit may reach ``place``, and for each a
        distance that is never more than the real one (the exact distance is a hard rule
        checked later)."""
        km = chords_km(self.points, place)
        found = np.flatnonzero(km <= self.limits)
        return found, km[found]

    def around(self, place: Place) -> list[tuple[Person, float]]:
        """The volunteers of ``reach``, each with that distance."""
        rows, km = self.reach(place)
        return [(self.people[r], d) for r, d in zip(rows.tolist(), km.tolist(), strict=True)]

    def vetted(self, today: date, valid_years: int) -> np.ndarray:
        """Whether each volunteer is approved with a current DBS check
        (``matching.rules.vetted``) ``today``, worked out once a day."""
        return once_a_day(self.checked, (today, valid_years), lambda: np.array(
            [vetted(p.volunteer, today, valid_years) for p in self.people],  # type: ignore[arg-type]
            dtype=bool))  # fmt: skip

    def may_meet(self, person: Person, rows: np.ndarray) -> np.ndarray:
        """For each of ``rows``, ``buddy_bounds.may_meet``: not the person themselves, the
        gender they asked for, a language in common or none listed on either side."""
        ok = rows != self.row.get(person.id, -1)
        if person.buddy_gender is not None:
            ok &= self.genders[rows] == GENDERS[person.buddy_gender]
        if person.languages:
            spoken = self.features["languages"]
            theirs = spoken.table[rows]
            ok &= ~theirs.any(axis=1) | theirs[:, spoken.columns(person.languages)].any(axis=1)
        return ok


def once_a_day(cache: dict[tuple[date, int], R], key: tuple[date, int], make: Callable[[], R]) -> R:
    """What ``make`` gives for ``key`` (today, and a setting), kept in ``cache`` until the key
    changes. Two threads may both make it: they make the same."""
    found = cache.get(key)
    if found is None:
        found = make()
        cache.clear()  # yesterday's
        cache[key] = found
    return found


def units(located: Iterable[Venue | Person]) -> np.ndarray:
    """Positions on the unit sphere, a row each (``sphere.unit``), as an array."""
    rows = [unit(x.latitude, x.longitude) for x in located]  # type: ignore[arg-type]
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def distinct_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct row of a boolean ``table``, and which of them each row
    is: the rows packed into whole numbers first, which numpy sorts many times faster than
    rows (``np.unique`` along an axis)."""
    bytes_ = np.packbits(table, axis=1)
    packed = np.zeros((len(table), -(-bytes_.shape[1] // 8) * 8), dtype=np.uint8)
    packed[:, : bytes_.shape[1]] = bytes_
    packed = packed.view(np.uint64)
    if packed.shape[1] == 1:
        _, first, which = np.unique(packed[:, 0], return_index=True, return_inverse=True)
    else:
        _, first, which = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    return first, which.reshape(-1)


def slot_bits(slots: Iterable[Availability]) -> int:
    """Day-parts as the bits of one number (``SLOTS``)."""
    return sum(SLOTS[s] for s in set(slots))


def great_circles_km(points: np.ndarray, place: Person | Place) -> np.ndarray:
    """The great-circle kilometres from ``place`` to every row of ``points``, at once, on the
    sphere ``matching.geo.distance_km`` measures on (which may differ in the last digit)."""
    here = np.array(unit(place.latitude, place.longitude))  # type: ignore[arg-type]
    across = np.linalg.norm(np.cross(points, here), axis=1)
    return EARTH_RADIUS * np.arctan2(across, points @ here)


def chords_km(points: np.ndarray, place: Place) -> np.ndarray:
    """``sphere.chord_km`` from ``place`` to every row of ``points``, at once."""
    here = np.array(unit(place.latitude, place.longitude))  # type: ignore[arg-type]
    return EARTH_RADIUS * np.sqrt(((points - here) ** 2).sum(axis=1)) * CHORD_MARGIN


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
