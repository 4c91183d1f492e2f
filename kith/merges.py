"""One person held twice: offered to a coordinator to merge, never merged silently.

Referrals that match a held record exactly join it (kith/people.refer). Near matches — the same
birth year and postcode, and names a typo or two apart ("Ivy Jones" and "Ivy Jnoes") — and
exact ones that arrived as two records (two referrals at the same moment, a self-referral,
which never joins) are offered here. A coordinator merges them (every edge, referral, match and
consent moves to the record kept; a value only the other held fills a gap) or says they are two
people, after which the pair is not offered again. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import OSA

from graph import merges as repo

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import Person, name_key
from .errors import InvalidInput
from .service import MAX_PAGE, Kith

# Edits (a letter changed, added, dropped, or two swapped) that still read as a typo.
TYPOS = 2


@dataclass(frozen=True)
class MergeOffer:
    """Two records that may be one person, and why they are offered."""

    people: tuple[Person, Person]
    edits: int

    @property
    def reason(self) -> str:
        apart = {0: "the same name", 1: "names a letter apart", 2: "names two letters apart"}
        said = apart[self.edits]
        return f"{said}, the same birth year and the same postcode"


def typo_apart(a: str, b: str) -> int | None:
    """How many edits apart two names are, when few enough to be one name mistyped."""
    edits = OSA.distance(name_key(a), name_key(b), score_cutoff=TYPOS)
    return edits if edits <= TYPOS else None


def offers(kith: Kith, actor: Account | None, first: int = 20) -> list[MergeOffer]:
    """Pairs of records that may be one person, the likeliest first; each person shown is an
    audited read."""
    actor = require(actor, Role.COORDINATOR)
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    apart = repo.kept_apart(kith.store)
    pairs = sorted(
        (edits, a, b)
        for group in repo.sharing_place_and_year(kith.store)
        for (a, x), (b, y) in combinations(sorted(group), 2)
        if frozenset((a, b)) not in apart and (edits := typo_apart(x, y)) is not None
    )[:first]
    found = people.read(kith, actor, sorted({i for _, a, b in pairs for i in (a, b)}))
    return [MergeOffer((found[a], found[b]), edits) for edits, a, b in pairs
            if isinstance(found[a], Person) and isinstance(found[b], Person)]  # fmt: skip


def two_people(kith: Kith, actor: Account, one: str, other: str, field: str) -> None:
    """Both people held (an audited read), and not one record named twice."""
    if one == other:
        raise InvalidInput(field, "names the same record twice: name a different person")
    people.get(kith, actor, one)
    people.get(kith, actor, other)


def merge(kith: Kith, actor: Account | None, keep_id: str, merge_id: str) -> Person:
    """``merge_id``'s record folded into ``keep_id``'s, which is returned."""
    actor = require(actor, Role.COORDINATOR)
    two_people(kith, actor, keep_id, merge_id, "mergeId")
    repo.merge(kith.store, keep_id, merge_id)
    kith.cache.clear()
    audit.record(kith.store, actor, "person.merge", [keep_id, merge_id])
    return people.get(kith, actor, keep_id)


def keep_apart(kith: Kith, actor: Account | None, person_id: str, other_id: str) -> None:
    """Two records a coordinator says are two people: no longer offered for merging."""
    actor = require(actor, Role.COORDINATOR)
    two_people(kith, actor, person_id, other_id, "otherId")
    repo.keep_apart(kith.store, person_id, other_id)
    audit.record(kith.store, actor, "person.keep_apart", [person_id, other_id])
