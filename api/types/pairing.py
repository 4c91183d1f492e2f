"""A buddy plan for coordinators: pairs for everyone waiting near a place, as well as they can
be had, beside what pairing the best pair first would have given."""

from __future__ import annotations

import strawberry

from matching import pairing

from .people import Person, wrap
from .suggestions import Reason, km, reasons


@strawberry.type(description="A waiting person and the volunteer the plan gives them.")
class BuddyPair:
    person: Person
    buddy: Person
    score: float
    distance_km: float | None
    reasons: list[Reason]


@strawberry.type(
    description="Buddies for everyone waiting in an area (nothing is written: propose each "
    "pair with proposeBuddy). totalScore is the best total the hard rules allow; "
    "greedyTotalScore what taking the best pair first would have given."
)
class BuddyPlan:
    pairs: list[BuddyPair]
    unpaired: list[Person]
    total_score: float
    greedy_total_score: float


def pair(p: pairing.Pair) -> BuddyPair:
    s = p.suggestion
    return BuddyPair(person=wrap(p.person), buddy=wrap(p.buddy), score=s.score,
                     distance_km=km(s), reasons=reasons(s))  # fmt: skip


def plan(found: pairing.Plan) -> BuddyPlan:
    return BuddyPlan(
        pairs=[pair(p) for p in found.pairs],
        unpaired=[wrap(p) for p in found.unpaired],
        total_score=found.total_score,
        greedy_total_score=found.greedy_total_score,
    )
