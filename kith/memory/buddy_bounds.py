"""The order in which buddy suggestions read volunteers afresh: best possible score first.

Scoring a volunteer costs tens of microseconds, and at county scale thousands live within
reach of someone in central Derby. Instead of scoring them all, each gets a bound on its score
that is almost exact and cheap, and kith/suggestions.py reads afresh and scores only the best,
until no bound further down can beat what it found: the answer of scoring everyone. The bound
rests on two properties of the scorer (matching/buddies.py):

- where a volunteer lives changes only the nearness part, and nearness never grows with
  distance (a chord through the Earth is never longer than the great circle: kith/memory/grid.py);
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
from dataclasses import replace
from datetime import date

from matching import buddies as buddy_scoring
from matching.explain import UNIT, language_boost, mix
from matching.geo import nearness
from matching.rules import common_language, gender_fits, vetted
from matching.taxonomy import Taxonomy
from matching.weights import DEFAULT, Part, Weights

from ..domain import BuddyCandidate, Person, Place, TermKind
from .nearby import Traits, Volunteers
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


FEATURES = ("interests", "conditions", "languages", "availability")
"""What each part but nearness reads of a volunteer, one part one feature."""
Piece = tuple[float, str, frozenset]
"""A piece of a door score: the nearness at the door, a feature's name and its value."""


class AtDoor:
    """Volunteers' scores (in units) were they living at the person's door, found part by
    part: each part reads one feature of the volunteer and parts add up in whole units, so a
    volunteer's score is what the empty volunteer scores, plus what each of its features alone
    adds. Features are cut to what can count for the person (interests and conditions the
    scorer relates to theirs, shared languages and times), so that few are ever scored."""

    def __init__(self, person: Person, taxonomy: Taxonomy) -> None:
        def near(kind: TermKind, ids: list[str]) -> frozenset[str]:
            return frozenset().union(*(related(taxonomy, kind, i) for i in ids))

        self.person = person
        self.counted = {
            "interests": near(TermKind.INTEREST, person.interests),
            "conditions": near(TermKind.CONDITION, person.conditions),
            "languages": frozenset(person.languages),
            "availability": frozenset(person.availability),
        }

    def pieces(self, volunteer: Person, traits: Traits) -> list[Piece]:
        """What a volunteer's door score is made of: the empty volunteer first, then each
        feature that can count, each with the nearness at the door (what the empty volunteer
        scores on)."""
        limit = volunteer.volunteer.max_travel_km if volunteer.volunteer else 0.0
        door = nearness(0.0, limit)
        out: list[Piece] = [(door, "", frozenset())]
        for name in FEATURES:
            value = self.counted[name] & getattr(traits, name)
            if value:
                out.append((door, name, value))
        return out

    def virtual(self, volunteer: Person, piece: Piece, number: int) -> Person:
        """The volunteer at the door with only the feature of ``piece`` (or nothing)."""
        _, name, value = piece
        features: dict[str, list] = {n: list(value) if n == name else [] for n in FEATURES}
        return replace(volunteer, id=f"door-{number}", latitude=self.person.latitude,
                       longitude=self.person.longitude, **features)  # fmt: skip


def bounds(
    person: Person, home: Place, volunteers: Volunteers, taxonomy: Taxonomy,
    rarity: Mapping[str, float], today: date, weights: Weights = DEFAULT,
) -> list[Bounded]:  # fmt: skip
    """The volunteers around the person's ``home`` that may be suggested, each with the most
    units of score they can have, highest first."""
    ready = volunteers.vetted(today, weights.dbs_valid_years)
    able = [(v, km) for v, km in volunteers.around(home) if v.id in ready and may_meet(person, v)]
    door = AtDoor(person, taxonomy)
    pieces = {v.id: door.pieces(v, volunteers.traits[v.id]) for v, _ in able}
    wanted: dict[Piece, Person] = {}
    for volunteer, _ in able:
        for piece in pieces[volunteer.id]:
            if piece not in wanted:
                wanted[piece] = door.virtual(volunteer, piece, len(wanted))
    scored = scored_units(person, list(wanted.values()), taxonomy, rarity, today, weights)
    alone = {piece: scored.get(v.id) for piece, v in wanted.items()}
    near_units = units(person, weights)[Part.NEARNESS]
    out = []
    for volunteer, km in able:
        (empty, *features) = [alone[piece] for piece in pieces[volunteer.id]]
        if empty is None or None in features:  # the rules forbid it wherever it lives
            continue
        limit = volunteer.volunteer.max_travel_km  # type: ignore[union-attr]
        at_door = empty + sum(f - empty for f in features)  # type: ignore[operator]
        here = math.ceil(near_units * nearness(km, limit))
        out.append((at_door - round(near_units * nearness(0.0, limit)) + here, volunteer))
    return sorted(out, key=lambda b: -b[0])


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
