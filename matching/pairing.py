"""Batch pairing: buddies for everyone waiting in an area at once, as well as they can be had.

Suggesting buddies person by person gives each their best volunteer, but volunteers have few
free places, and the first person asked may take the one volunteer the next could not do
without. A coordinator pairing a whole area wants the largest total fit instead: that is an
assignment problem, solved exactly by ``scipy.optimize.linear_sum_assignment`` once each
volunteer is repeated once per free place (a "slot").

Which pairs are allowed, and what each scores with which reasons, is exactly what
``matching.buddies.suggest_buddies`` says for that person: a plan never shows a pair or a
reason that suggestBuddies would not. The greedy assignment (best pair first) is kept as the
baseline the plan is compared with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

from kith.domain import BuddyCandidate, Person, Suggestion

from .buddies import suggest_buddies
from .explain import UNIT
from .taxonomy import Taxonomy
from .weights import DEFAULT, Weights

Options = Mapping[str, list[BuddyCandidate]]
"""For each waiting person's id, the volunteers who might be their buddy, with the rule data
of that pair (the volunteer's active buddies, and whether the person declined them before or
is already paired with them)."""


@dataclass(frozen=True)
class Pair:
    """A waiting person and a volunteer the hard rules allow, scored as suggestBuddies would."""

    person: Person
    suggestion: Suggestion

    @property
    def buddy(self) -> Person:
        assert isinstance(self.suggestion.target, Person)
        return self.suggestion.target

    @property
    def units(self) -> int:
        """The score in whole units (scores are multiples of 1/UNIT), so totals add exactly."""
        return round(self.suggestion.score * UNIT)


@dataclass(frozen=True)
class Plan:
    """The best assignment, who it leaves unpaired, and how it compares with greedy."""

    pairs: list[Pair]
    unpaired: list[Person]
    total_score: float
    greedy_total_score: float


def plan(
    people: list[Person], options: Options, taxonomy: Taxonomy, rarity: Mapping[str, float],
    today: date, weights: Weights = DEFAULT,
) -> Plan:  # fmt: skip
    """Buddies for ``people``: each gets at most one, each volunteer at most their free slots,
    with the largest total score the hard rules allow."""
    pairs = allowed_pairs(people, options, taxonomy, rarity, today, weights)
    slots = free_slots(options)
    best = optimal(pairs, slots)
    paired = {p.person.id for p in best}
    unpaired = [p for p in people if p.id not in paired]
    return Plan(best, unpaired, total(best), total(greedy(pairs, slots)))


def allowed_pairs(
    people: Iterable[Person], options: Options, taxonomy: Taxonomy, rarity: Mapping[str, float],
    today: date, weights: Weights = DEFAULT,
) -> list[Pair]:  # fmt: skip
    """Every pair the hard rules allow, each scored and explained by suggestBuddies' own
    scorer (asked for all of a person's volunteers, not just the best few)."""
    out = []
    for person in people:
        found = options.get(person.id, [])
        scored = suggest_buddies(person, found, taxonomy, rarity, today, len(found), weights)
        out.extend(Pair(person, s) for s in scored)
    return out


def free_slots(options: Options) -> dict[str, int]:
    """Each volunteer's free places: capacity less active buddies, never below 0 (the least
    seen, should two reads of one volunteer differ)."""
    slots: dict[str, int] = {}
    for found in options.values():
        for c in found:
            capacity = c.person.volunteer.capacity if c.person.volunteer else 0
            free = max(capacity - c.active_buddies, 0)
            slots[c.person.id] = min(slots.get(c.person.id, free), free)
    return slots


def optimal(pairs: list[Pair], slots: Mapping[str, int]) -> list[Pair]:
    """The assignment of largest total score, by ``linear_sum_assignment`` over slots.

    Rows are people, columns volunteers' slots (no more per volunteer than people who could
    take them). An allowed pair weighs its units times (people + 1), plus 1: the total score
    decides, and among equal totals more pairs win, while a forbidden cell weighs 0 and is
    dropped if the solver fills a row with it (a rectangular problem fills every row it can).
    """
    wanted = defaultdict(set)
    for pair in pairs:
        wanted[pair.buddy.id].add(pair.person.id)
    columns = [v for v in sorted(wanted) for _ in range(min(slots.get(v, 0), len(wanted[v])))]
    people = sorted({p.person.id for p in pairs})
    if not columns or not people:
        return []
    row = {pid: i for i, pid in enumerate(people)}
    slots_of: dict[str, list[int]] = defaultdict(list)
    for j, volunteer in enumerate(columns):
        slots_of[volunteer].append(j)
    weight = np.zeros((len(people), len(columns)), dtype=np.int64)
    cell: dict[tuple[int, str], Pair] = {}
    for pair in pairs:
        i = row[pair.person.id]
        weight[i, slots_of[pair.buddy.id]] = pair.units * (len(people) + 1) + 1
        cell[(i, pair.buddy.id)] = pair
    rows, cols = linear_sum_assignment(weight, maximize=True)
    chosen = [cell[(i, columns[j])] for i, j in zip(rows, cols, strict=True) if weight[i, j] > 0]
    return ordered(chosen)


def greedy(pairs: list[Pair], slots: Mapping[str, int]) -> list[Pair]:
    """The baseline: take the best remaining pair while its person is unpaired and its
    volunteer has a free slot. Quick, and can miss the best total (see ``optimal``)."""
    left = dict(slots)
    taken: set[str] = set()
    out = []
    for pair in ordered(pairs):
        if pair.person.id in taken or left.get(pair.buddy.id, 0) <= 0:
            continue
        taken.add(pair.person.id)
        left[pair.buddy.id] -= 1
        out.append(pair)
    return out


def ordered(pairs: Iterable[Pair]) -> list[Pair]:
    """Best first, then nearer, then by ids: never the order the pairs came in."""

    def key(p: Pair) -> tuple[int, float, str, str]:
        km = p.suggestion.distance_km
        return -p.units, float("inf") if km is None else km, p.person.id, p.buddy.id

    return sorted(pairs, key=key)


def total(pairs: Iterable[Pair]) -> float:
    return round(sum(p.units for p in pairs) / UNIT, 4)
