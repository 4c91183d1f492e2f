"""Shortlists: weighing few activities and still giving exactly the answer of weighing them all.

Near the centre of a county town, activity suggestions would weigh thousands of activities at
tens of microseconds each. Two properties of the scorer (matching/activities.py) keep the
answer exact while it weighs few of them:

- Relevance. Whenever a topical part applies (supports, interests, carers), an activity must
  score on one, and it can only if it holds a term the scorer relates to one of the person's;
  which terms those are is asked of the scorer's own functions, one term at a time, so the
  answer follows the model (``topical_terms``).
- Distance. Where a venue is changes only the nearness part, and nearness never grows with
  distance. Activities alike in everything else the scorer reads (``Likeness``) therefore rank
  among themselves by distance, then id, just as the scorer breaks ties, so only the nearest
  of each likeness can lead, and the next is weighed only once the one before it is taken
  (``best``): as many weighings as there are likenesses, plus the number asked for.

The suggestions come out best first, so the rules that keep one of each listing and two of one
group's (matching/listings.py) take from them exactly as they take from the full ranking; a
suggestion they refuse only means weighing the next of its likeness.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from matching import activities as activity_scoring
from matching.explain import day_part, interest_component, kindred, rank_key
from matching.listings import Selection
from matching.rules import access_needs
from matching.taxonomy import Taxonomy
from matching.weights import DEFAULT

from ..domain import (
    AccessNeed,
    Activity,
    ActivityCandidate,
    Availability,
    Person,
    Suggestion,
    TermKind,
)

Score = Callable[[list[ActivityCandidate]], list[Suggestion]]
"""The scorer over some candidates: the eligible, relevant ones as suggestions."""


@lru_cache(maxsize=4_096)
def related(taxonomy: Taxonomy, kind: TermKind, term: str) -> frozenset[str]:
    """The terms of ``kind`` that count for ``term``: itself and those the scorer relates to
    it (a related interest; a broader or narrower condition or need). Rarity only weighs a
    shared interest, never makes it count or not, so buddy scores relate the same terms."""

    def counts(other: str) -> bool:
        if kind is TermKind.INTEREST:
            wording = activity_scoring.INTEREST_WORDING
            return interest_component([term], [other], taxonomy, {}, DEFAULT, wording).value > 0
        return bool(kindred(taxonomy, kind, [term], [other], DEFAULT))

    return frozenset({term, *filter(counts, taxonomy.terms[kind])})


def topical_terms(
    taxonomy: Taxonomy, interests: Collection[str], conditions: Collection[str],
    needs: Collection[str], carer: bool,
) -> frozenset[str] | None:  # fmt: skip
    """The terms one of which an activity must hold to be relevant, or None when no topical
    part applies (and any activity may be suggested)."""
    if not (interests or conditions or needs or carer):
        return None
    wanted = ((TermKind.INTEREST, interests), (TermKind.CONDITION, conditions),
              (TermKind.NEED, needs))  # fmt: skip
    terms = {t for kind, ids in wanted for i in ids for t in related(taxonomy, kind, i)}
    if carer:
        terms |= taxonomy.narrower(TermKind.NEED, activity_scoring.CARER_SUPPORT)
    return frozenset(terms)


@dataclass(frozen=True)
class Profile:
    """What the scorer reads of an activity on its own, worked out once per version of it (the
    in-memory directory keeps it, as arrays): its terms, languages, cost, audience, eligibility
    and status as one value, the terms it is about or supports, and the day-parts of its
    sessions."""

    alike: Hashable
    terms: frozenset[str]
    slots: frozenset[Availability]

    @classmethod
    def of(cls, a: Activity) -> Profile:
        alike = (tuple(a.interests), tuple(a.supports), tuple(a.languages), a.free, a.audience,
                 a.eligibility, a.status)  # fmt: skip
        slots = frozenset(Availability(s.day, day_part(s.start)) for s in a.sessions)
        return cls(alike, frozenset((*a.interests, *a.supports)), slots)


@dataclass(frozen=True)
class Likeness:
    """Everything about a candidate that the scorer and its rules read for one person, but
    where its venue is: its profile, its sessions at times the person is ``free``, how fresh the
    listing is today (``fresh``: the directory works it out once a day with the scorer's review
    cycle, matching/reviews.py), and the venue's access features that count (for the needs
    ``rules.access_needs`` gives, and for step-free, the default). The directory groups its
    candidates by it (``Directory.alike_by_distance``)."""

    fresh: np.ndarray  # of each activity the directory holds, as Directory.freshness gives
    free: frozenset[Availability] = frozenset()
    access: frozenset[AccessNeed] = frozenset()
    carer_of: tuple[Person, ...] = ()

    def counted(self, activity: Activity) -> frozenset[AccessNeed]:
        """The access needs whose features count for ``activity``."""
        return frozenset(access_needs(self.access, activity, self.carer_of)) | {
            AccessNeed.STEP_FREE
        }


def best(queues: list[list[ActivityCandidate]], score: Score, first: int) -> list[Suggestion]:
    """The ``first`` suggestions a ``Selection`` takes of all ``score`` would give over all
    candidates, best first, from the candidates by likeness, each likeness nearest first."""
    heads = {s.target.id: s for s in score([q[0] for q in queues])}
    leading = {
        i: heads[q[0].activity.id] for i, q in enumerate(queues) if q[0].activity.id in heads
    }
    taken = Selection(first)
    while leading and not taken.full:
        i, top = min(leading.items(), key=lambda item: rank_key(item[1]))
        taken.offer(top)
        queue = queues[i]
        queue.pop(0)
        # The next of its likeness; if the rules refuse it, it is out of the radius, and so
        # is everything after it.
        after = score(queue[:1]) if queue else []
        if after:
            leading[i] = after[0]
        else:
            del leading[i]
    return taken.taken
