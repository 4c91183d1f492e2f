"""Candidate retrieval for suggestions: one query per kind, hard rules and the bounding box
applied in the store, everything the scorer needs returned in the same round trip."""

from __future__ import annotations

from neo4j import ManagedTransaction

from kith.domain import BuddyCandidate

from . import records
from .links import gather, read_links
from .people import PERSON_LINKS
from .store import Store

# Box first (indexed lat/lon), then the cheap property rules; the match counts come from
# pattern comprehensions so that each volunteer is one row.
VOLUNTEERS_NEAR = f"""
MATCH (n:Person)
WHERE n.lat >= $south AND n.lat <= $north AND n.lon >= $west AND n.lon <= $east
  AND n.volunteer = true AND n.approved = true AND n.consentToMatching = true
  AND n.id <> $person
RETURN properties(n) AS props{read_links(PERSON_LINKS)},
       size([(m:Match)-[:WITH]->(n) WHERE m.status = 'ACCEPTED' | m]) AS active,
       size([(m:Match)-[:WITH]->(n) WHERE m.personId = $person AND m.status = 'DECLINED' | m])
         AS declined,
       size([(m:Match)-[:WITH]->(n) WHERE m.personId = $person
             AND m.status IN ['PROPOSED', 'ACCEPTED'] | m]) AS paired
"""
INTEREST_COUNTS = """
MATCH (:Person)-[:ENJOYS]->(i:Interest)
RETURN i.id AS id, count(*) AS people
"""
PEOPLE = "MATCH (p:Person) RETURN count(p) AS n"


def volunteers_near(
    store: Store, person_id: str, box: tuple[float, float, float, float]
) -> list[BuddyCandidate]:
    """Approved, consenting volunteers in the box, with their pairings to the person."""
    south, west, north, east = box

    def work(tx: ManagedTransaction) -> list[BuddyCandidate]:
        bounds = {"south": south, "west": west, "north": north, "east": east}
        rows = tx.run(VOLUNTEERS_NEAR, person=person_id, **bounds).data()
        return [
            BuddyCandidate(
                person=records.person_from(r["props"], gather(PERSON_LINKS, r)),
                active_buddies=r["active"],
                declined_by_person=r["declined"] > 0,
                already_buddy=r["paired"] > 0,
            )
            for r in rows
        ]

    return store.read(work)


def interest_shares(store: Store) -> dict[str, float]:
    """For each interest, the share of people who enjoy it: how common a passion is."""

    def work(tx: ManagedTransaction) -> dict[str, float]:
        total = tx.run(PEOPLE).single()["n"] or 1
        return {r["id"]: r["people"] / total for r in tx.run(INTEREST_COUNTS)}

    return store.read(work)
