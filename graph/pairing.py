"""What batch pairing reads: who waits for a buddy in an area, and the rule data of every
pair of a waiting person and a volunteer who might reach them.

Waiting means a person who does not volunteer, consented to matching, and has no proposed or
accepted Match. The area is found cheaply first (ids and positions inside a box: the caller
checks the exact distance and how many there are) before any whole record is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from kith.domain import BuddyCandidate, Person

from .links import read_links
from .people import PERSON_LINKS, person_of
from .store import Store

Box = tuple[float, float, float, float]  # south, west, north, east

WAITS = """n.consentToMatching = true AND (n.volunteer IS NULL OR n.volunteer = false)
  AND size([(m:Match)-[:FOR]->(n) WHERE m.status IN ['PROPOSED', 'ACCEPTED'] | m]) = 0"""
WAITING_IN_BOX = f"""
MATCH (n:Person)
WHERE n.lat >= $south AND n.lat <= $north AND n.lon >= $west AND n.lon <= $east AND {WAITS}
RETURN n.id AS id, n.lat AS lat, n.lon AS lon
"""
WAITING_BY_ID = f"""
MATCH (n:Person) WHERE n.id IN $ids AND {WAITS}
RETURN properties(n) AS props{read_links(PERSON_LINKS)}
"""
# One row per volunteer; the pairs with the waiting people come as lists of their ids.
STANDINGS = f"""
MATCH (n:Person) WHERE n.id IN $volunteers AND n.volunteer = true
RETURN properties(n) AS props{read_links(PERSON_LINKS)},
       size([(m:Match)-[:WITH]->(n) WHERE m.status = 'ACCEPTED' | m]) AS active,
       [(m:Match)-[:WITH]->(n) WHERE m.personId IN $people AND m.status = 'DECLINED'
        | m.personId] AS declined,
       [(m:Match)-[:WITH]->(n) WHERE m.personId IN $people
        AND m.status IN ['PROPOSED', 'ACCEPTED'] | m.personId] AS paired
"""


@dataclass(frozen=True)
class Standing:
    """A volunteer read afresh, with their active buddies and which of the waiting people
    declined them before or are already paired with them."""

    volunteer: Person
    active: int
    declined_by: frozenset[str]
    paired_with: frozenset[str]

    def candidate_for(self, person_id: str) -> BuddyCandidate:
        """The volunteer as a buddy candidate of one waiting person (``matching.rules``)."""
        return BuddyCandidate(self.volunteer, self.active, person_id in self.declined_by,
                              person_id in self.paired_with)  # fmt: skip


def waiting_in(store: Store, box: Box) -> list[tuple[str, float, float]]:
    """The id, latitude and longitude of everyone waiting for a buddy inside ``box`` (south,
    west, north, east)."""
    south, west, north, east = box
    rows = store.read(
        lambda tx: tx.run(WAITING_IN_BOX, south=south, west=west, north=north, east=east).data()
    )
    return [(r["id"], r["lat"], r["lon"]) for r in rows]


def waiting_people(store: Store, ids: list[str]) -> list[Person]:
    """The records of these people, those still waiting (the wait is checked again)."""
    rows = store.read(lambda tx: tx.run(WAITING_BY_ID, ids=ids).data())
    return sorted((person_of(r) for r in rows), key=lambda p: p.id)


def standings(store: Store, volunteer_ids: list[str], people_ids: list[str]) -> list[Standing]:
    """The volunteers with these ids, each with what the hard rules need for every pair with
    the waiting ``people_ids``, in one round trip."""
    rows = store.read(
        lambda tx: tx.run(STANDINGS, volunteers=volunteer_ids, people=people_ids).data()
    )
    return [
        Standing(person_of(r), r["active"], frozenset(r["declined"]), frozenset(r["paired"]))
        for r in rows
    ]
