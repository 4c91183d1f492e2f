"""Contacts with a person and their check-in cadence.

A contact is one ``(:Contact {id, kind, at, note, by})-[:WITH]->(:Person)`` node, made on any
person (a referral's contacts stay on the referral). The person carries the time of the latest
as ``lastContactAt``, and a cadence as ``checkInEveryDays`` with ``checkInFrom`` (the day it was
set: when a check-in falls due for someone nobody has been in touch with yet). These three are
written here alone, never by a save of the record (graph/records.py leaves them out), so an
edit of the person never turns them back. Erasing the person deletes their contacts
(graph/people.py ``ERASE``).
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from .store import Store

ADD = """
MATCH (p:Person {id: $person})
CREATE (c:Contact {id: $id, kind: $kind, at: $at, by: $by})-[:WITH]->(p)
SET c.note = $note, p.updatedAt = timestamp()
RETURN c.id AS id
"""
# The latest of all the person's contacts, so a contact recorded late for an earlier day
# does not move lastContactAt back (ISO texts in UTC sort as the times do).
LATEST = """
MATCH (c:Contact)-[:WITH]->(p:Person {id: $person})
WITH p, max(c.at) AS latest
SET p.lastContactAt = latest
"""
OF_PEOPLE = """
MATCH (c:Contact)-[:WITH]->(p:Person)
WHERE p.id IN $ids
RETURN p.id AS person, properties(c) AS contact
ORDER BY c.at DESC, c.id
"""
SET_CHECK_IN = """
MATCH (p:Person {id: $person})
SET p.checkInEveryDays = $days, p.checkInFrom = $since, p.updatedAt = timestamp()
RETURN count(p) AS n
"""
CHECK_INS = """
MATCH (p:Person) WHERE p.checkInEveryDays IS NOT NULL
RETURN p.id AS person, p.checkInEveryDays AS days, p.checkInFrom AS since,
       p.lastContactAt AS last
"""
CHECK_INS_OF = """
MATCH (p:Person) WHERE p.id IN $ids AND p.checkInEveryDays IS NOT NULL
RETURN p.id AS person, p.checkInEveryDays AS days, p.checkInFrom AS since,
       p.lastContactAt AS last
"""


def add(store: Store, person_id: str, contact: dict[str, Any]) -> bool:
    """Record a contact (``id, kind, at, note, by``) and the person's latest contact time, in
    one transaction. False when the person is not held (nothing is written then)."""

    def work(tx: ManagedTransaction) -> bool:
        if tx.run(ADD, person=person_id, **contact).single() is None:
            return False
        tx.run(LATEST, person=person_id).consume()
        return True

    return store.write(work)


def of_people(store: Store, person_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each person's contacts, newest first (an empty list for someone with none)."""
    found: dict[str, list[dict[str, Any]]] = {i: [] for i in person_ids}
    for row in store.read(lambda tx: tx.run(OF_PEOPLE, ids=person_ids).data()):
        found[row["person"]].append(row["contact"])
    return found


def set_check_in(store: Store, person_id: str, days: int | None, since: str | None) -> bool:
    """Set (or, with None, clear) the person's cadence; False when the person is not held."""
    found = store.write(
        lambda tx: tx.run(SET_CHECK_IN, person=person_id, days=days, since=since).single()["n"]
    )
    return found > 0


def check_ins(store: Store, person_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Cadences (``person, days, since, last``) of these people, or of everyone who has one."""
    if person_ids is None:
        return store.read(lambda tx: tx.run(CHECK_INS).data())
    return store.read(lambda tx: tx.run(CHECK_INS_OF, ids=person_ids).data())
