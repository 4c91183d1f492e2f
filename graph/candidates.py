"""Candidate retrieval for suggestions: volunteers with what the hard rules need (their match
history with the person) in one round trip, and how common each interest is.

Which volunteers to read is decided in memory (kith/memory/nearby.py and buddy_bounds.py): a query
that looked for them near a place read tens of thousands of people at county scale."""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from kith.domain import BuddyCandidate, Person

from .links import read_links
from .people import PERSON_LINKS, person_of
from .store import Store

# The match counts come from pattern comprehensions so that each volunteer is one row.
PAIRINGS = """
       size([(m:Match)-[:WITH]->(n) WHERE m.status = 'ACCEPTED' | m]) AS active,
       size([(m:Match)-[:WITH]->(n) WHERE m.personId = $person AND m.status = 'DECLINED' | m])
         AS declined,
       size([(m:Match)-[:WITH]->(n) WHERE m.personId = $person
             AND m.status IN ['PROPOSED', 'ACCEPTED'] | m]) AS paired
"""
# Volunteers picked by id, whatever their state (the rules are applied by matching/, and a
# missing row means the volunteer has gone), and every volunteer of the county (the
# benchmark's brute-force baseline).
VOLUNTEERS_BY_ID = f"""
MATCH (n:Person) WHERE n.id IN $ids AND n.volunteer = true
RETURN properties(n) AS props{read_links(PERSON_LINKS)}, {PAIRINGS}
"""
ALL_VOLUNTEERS = f"""
MATCH (n:Person) WHERE n.volunteer = true
RETURN properties(n) AS props{read_links(PERSON_LINKS)}, {PAIRINGS}
"""
VOLUNTEER_RECORDS = f"""
MATCH (n:Person) WHERE n.volunteer = true
RETURN properties(n) AS props{read_links(PERSON_LINKS)}
"""
INTEREST_COUNTS = """
MATCH (:Person)-[:ENJOYS]->(i:Interest)
RETURN i.id AS id, count(*) AS people
"""
PEOPLE = "MATCH (p:Person) RETURN count(p) AS n"


def candidate(row: dict[str, Any]) -> BuddyCandidate:
    return BuddyCandidate(
        person=person_of(row),
        active_buddies=row["active"],
        declined_by_person=row["declined"] > 0,
        already_buddy=row["paired"] > 0,
    )


def volunteers(store: Store, person_id: str, ids: list[str] | None) -> list[BuddyCandidate]:
    """Volunteers with these ids (None: all of them), with their pairings to the person."""
    if ids is None:
        rows = store.read(lambda tx: tx.run(ALL_VOLUNTEERS, person=person_id).data())
    else:
        rows = store.read(lambda tx: tx.run(VOLUNTEERS_BY_ID, person=person_id, ids=ids).data())
    return [candidate(r) for r in rows]


def all_volunteers(store: Store) -> list[Person]:
    """Every volunteer, without pairings: what the in-memory copy starts from."""
    rows = store.read(lambda tx: tx.run(VOLUNTEER_RECORDS).data())
    return [person_of(r) for r in rows]


def interest_shares(store: Store) -> dict[str, float]:
    """For each interest, the share of people who enjoy it: how common a passion is."""

    def work(tx: ManagedTransaction) -> dict[str, float]:
        total = tx.run(PEOPLE).single()["n"] or 1
        return {r["id"]: r["people"] / total for r in tx.run(INTEREST_COUNTS)}

    return store.read(work)
