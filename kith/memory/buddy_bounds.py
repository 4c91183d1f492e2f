"""The order in which buddy suggestions read volunteers afresh: best possible score first.

Scoring a volunteer costs tens of microseconds, and at county scale thousands live within
reach of someone in central Derby. Instead of scoring them all, each gets a bound on its score
that is almost exact and cheap, and kith/suggestions.py reads afresh and scores only the best,
until no bound further down can beat what it found: the answer of scoring everyone. The bound
rests on two properties of the scorer (matching/buddies.py):

- where a volunteer lives changes only the nearness part, and nearness never grows with
  distance (a chord through the Earth is never longer than the great circle: kith/memory/sphere.py);
- each other part reads one feature of the volunteer, and the parts add up in whole units, so a
  volunteer's score at the person's own door is the sum of what each of its features scores
  alone there (``AtDoor``), and the scorer is asked that once per distinct feature.

The rules that need neither distance nor match history are checked first (``may_befriend``: who
is vetted is worked out once a day for all volunteers, ``Volunteers.vetted``), so
that a feature scored at the door on one volunteer stands for all who share it; every rule is
checked again on the fresh record of each volunteer actually suggested.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from matching import buddies as buddy_scoring
from matching.explain import UNIT, language_boost, mix
from matching.rules import common_language, gender_fits, vetted
from matching.taxonomy import Taxonomy
from matching.weights import DEFAULT, Part, Weights

from ..domain import BuddyCandidate, Person, Place, TermKind
from .nearby import FEATURES, Volunteers, distinct_rows
from .shortlist import related

Bounded = tuple[int, Person]
"""A volunteer and the most units of score they can have."""


def units(person: Person, weights: Weights = DEFAULT) -> Mapping[Part, int]:
    """The units each part of a buddy's score can earn for ``person``, weighed as
    ``matching.buddies.suggest_buddies`` weighs them."""
    boost = language_boost(person.languages, weights.buddy_language_without_english)
    return mix(weights.buddy_mix(), buddy_scoring.buddy_parts(person), boost)


def may_befriend(person: Person, volunteer: Person, today: date, weights: Weights) -> bool:
    """The rules of ``matching.rules.eligible_buddy`` that need neither the distance nor the
    match history (consent is read afresh later)."""
    profile = volunteer.volunteer
    return (
        profile is not None
        and vetted(profile, today, weights.dbs_valid_years)
        and may_meet(person, volunteer)
    )


def may_meet(person: Person, volunteer: Person) -> bool:
    """Of those rules, the ones that read the person: not themselves, the gender they asked
    for, a language in common."""
    return (
        volunteer.id != person.id
        and gender_fits(person.buddy_gender, volunteer.gender)
        and common_language(person.languages, volunteer.languages)
    )


class AtDoor:
    """Volunteers' scores (in units) were they living at the person's door, found part by
    part: each part reads one feature of the volunteer and parts add up in whole units, so a
    volunteer's score is what the empty volunteer scores, plus what each of its features alone
    adds. Features are cut to what can count for the person (interests and conditions the
    scorer relates to theirs, shared languages and times), so that few are ever scored: a
    volunteer's *piece* of a feature is the values it shares with what counts, and with its
    nearness at the door (1, or 0 for a volunteer who travels nowhere) it is a row of
    booleans, alike for all who share it."""

    def __init__(self, person: Person, taxonomy: Taxonomy, volunteers: Volunteers) -> None:
        def near(kind: TermKind, ids: list[str]) -> frozenset[str]:
            return frozenset().union(*(related(taxonomy, kind, i) for i in ids))

        counted = {
            "interests": near(TermKind.INTEREST, person.interests),
            "conditions": near(TermKind.CONDITION, person.conditions),
            "languages": frozenset(person.languages),
            "availability": frozenset(person.availability),
        }
        self.person, self.volunteers = person, volunteers
        self.columns = {f: volunteers.features[f].columns(counted[f]) for f in FEATURES}

    def pieces(self, name: str, rows: np.ndarray, door: np.ndarray) -> Pieces:
        """The distinct pieces of feature ``name`` among ``rows`` (the empty feature when
        ``name`` is ""): for each, a row of the volunteers holding it; for each volunteer,
        which piece it holds; and which pieces are empty."""
        feature = self.volunteers.features[name] if name else None
        shared = feature.table[rows][:, self.columns[name]] if feature else np.empty((len(rows), 0))
        table = np.column_stack([door, shared]).astype(bool)
        first, which = distinct_rows(table)
        found = table[first]
        return Pieces(name, found, rows[first], which, ~found[:, 1:].any(axis=1))

    def virtual(self, piece: Pieces, k: int, number: int) -> Person:
        """A volunteer holding piece ``k`` at the door, with none of the other features."""
        model = self.volunteers.people[int(piece.model[k])]
        features: dict[str, list] = {f: [] for f in FEATURES}
        if piece.name:
            values = self.volunteers.features[piece.name].values
            held = zip(self.columns[piece.name], piece.found[k, 1:], strict=True)
            features[piece.name] = [values[c] for c, h in held if h]
        return replace(model, id=f"door-{number}", latitude=self.person.latitude,
                       longitude=self.person.longitude, **features)  # fmt: skip


@dataclass(frozen=True)
class Pieces:
    """The distinct pieces of one feature among some volunteers (``AtDoor.pieces``)."""

    name: str
    found: np.ndarray  # a row per piece: the door, then the values counted
    model: np.ndarray  # a volunteer's row holding each piece
    which: np.ndarray  # the piece of each volunteer
    empty: np.ndarray  # whether each piece shares nothing


def bounds(
    person: Person, home: Place, volunteers: Volunteers, taxonomy: Taxonomy,
    rarity: Mapping[str, float], today: date, weights: Weights = DEFAULT,
) -> list[Bounded]:  # fmt: skip
    """The volunteers around the person's ``home`` that may be suggested, each with the most
    units of score they can have, highest first."""
    rows, km = volunteers.reach(home)
    ready = volunteers.vetted(today, weights.dbs_valid_years)[rows]
    able = ready & volunteers.may_meet(person, rows)
    rows, km = rows[able], km[able]
    if not len(rows):
        return []
    limits = volunteers.limits[rows]
    door, at = AtDoor(person, taxonomy, volunteers), limits > 0  # nearness(0, limit) is 1 or 0
    pieces = [door.pieces(name, rows, at) for name in ("", *FEATURES)]
    wanted = [(p, k) for p in pieces for k in range(len(p.found)) if not (p.name and p.empty[k])]
    virtual = [door.virtual(p, k, n) for n, (p, k) in enumerate(wanted)]
    scored = scored_units(person, virtual, taxonomy, rarity, today, weights)
    alone = {(p.name, k): scored.get(v.id, math.nan)
             for (p, k), v in zip(wanted, virtual, strict=True)}  # fmt: skip
    doors = pieces[0]
    empty = np.array([alone["", k] for k in range(len(doors.found))], dtype=float)[doors.which]
    at_door = empty.copy()
    for p in pieces[1:]:
        added = np.array([0.0 if p.empty[k] else alone[p.name, k] for k in range(len(p.found))])
        at_door += added[p.which] - np.where(p.empty[p.which], 0.0, empty)
    near_units = units(person, weights)[Part.NEARNESS]
    with np.errstate(divide="ignore", invalid="ignore"):
        here = np.where(at, np.sqrt(np.maximum(0.0, 1.0 - km / limits)), 0.0)
    # a hair more than nearness itself, so that rounding can only make the bound looser
    bound = at_door - near_units * at + np.ceil(near_units * here * (1 + 1e-12))
    allowed = np.flatnonzero(~np.isnan(bound))  # where nan, the rules forbid it wherever it lives
    order = allowed[np.argsort(-bound[allowed], kind="stable")]
    return [(int(bound[i]), volunteers.people[r]) for i, r in zip(order.tolist(),
            rows[order].tolist(), strict=True)]  # fmt: skip


def scored_units(
    person: Person, volunteers: list[Person], taxonomy: Taxonomy, rarity: Mapping[str, float],
    today: date, weights: Weights,
) -> dict[str, int]:  # fmt: skip
    """Each volunteer's score in units, by id (the ones the rules allow)."""
    candidates = [BuddyCandidate(v) for v in volunteers]
    found = buddy_scoring.suggest_buddies(
        person, candidates, taxonomy, rarity, today, len(candidates), weights
    )
    return {s.target.id: round(s.score * UNIT) for s in found}
