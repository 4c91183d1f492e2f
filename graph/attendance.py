"""Who goes to which activity: one ``(Person)-[:ATTENDS]->(Activity)`` edge per pair.

The edge carries ``since`` (ISO date) and, once the person stops, ``until``: an ended edge is
kept rather than deleted, so that a subject access export can say what someone went to and
when. Going again after stopping reopens the same edge and keeps the earlier spell in ``past``
("since/until" texts), so there is never more than one edge per pair. Erasing the person
(graph/people.py ``erase``, a DETACH DELETE) takes every edge with them.

Recording and ending stamp the person's ``updatedAt``: a change to what someone goes to is a
change to their record, for retention review too.
"""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from kith.domain import Attendance

from .store import Store

RECORD = """
MATCH (p:Person {id: $person}), (a:Activity {id: $activity})
MERGE (p)-[r:ATTENDS]->(a)
ON CREATE SET r.since = $today
SET p.updatedAt = timestamp()
RETURN r.since AS since, r.until AS until, r.past AS past
"""
REOPEN = """
MATCH (:Person {id: $person})-[r:ATTENDS]->(:Activity {id: $activity})
SET r.since = $today, r.past = $past
REMOVE r.until
"""
END = """
MATCH (p:Person {id: $person})-[r:ATTENDS]->(:Activity {id: $activity})
WHERE r.until IS NULL
SET r.until = $today, p.updatedAt = timestamp()
RETURN count(r) AS n
"""
CURRENT = """
MATCH (p:Person)-[r:ATTENDS]->(a:Activity)
WHERE p.id IN $ids AND r.until IS NULL
RETURN p.id AS person, a.id AS activity, r.since AS since
ORDER BY r.since, a.id
"""
HISTORY = """
MATCH (:Person {id: $person})-[r:ATTENDS]->(a:Activity)
RETURN a.id AS activity, r.since AS since, r.until AS until, r.past AS past
ORDER BY a.id
"""


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def record(store: Store, person_id: str, activity_id: str, today: date) -> date | None:
    """The person goes to the activity from ``today``; if they already do, nothing changes.
    Returns when their current spell began, or None when the person or activity is missing."""

    def work(tx: ManagedTransaction) -> date | None:
        found = tx.run(RECORD, person=person_id, activity=activity_id,
                       today=today.isoformat()).single()  # fmt: skip
        if found is None:
            return None
        if found["until"] is None:
            return day(found["since"])
        past = [*(found["past"] or []), f"{found['since']}/{found['until']}"]
        tx.run(REOPEN, person=person_id, activity=activity_id, today=today.isoformat(),
               past=past).consume()  # fmt: skip
        return today

    return store.write(work)


def end(store: Store, person_id: str, activity_id: str, today: date) -> bool:
    """The person no longer goes: their current spell ends ``today``. False when they were not
    going (nothing is written then)."""

    def work(tx: ManagedTransaction) -> int:
        found = tx.run(END, person=person_id, activity=activity_id, today=today.isoformat())
        return found.single()["n"]

    return store.write(work) > 0


def current(store: Store, person_ids: list[str]) -> dict[str, list[Attendance]]:
    """What each person goes to now, longest-standing first (everyone asked for is a key)."""
    rows = store.read(lambda tx: tx.run(CURRENT, ids=person_ids).data())
    out: dict[str, list[Attendance]] = {i: [] for i in person_ids}
    for r in rows:
        since = date.fromisoformat(r["since"])
        out[r["person"]].append(Attendance(r["person"], r["activity"], since))
    return out


def history(store: Store, person_id: str) -> list[Attendance]:
    """Every spell of going, current and ended, by activity then oldest first: for export."""
    rows = store.read(lambda tx: tx.run(HISTORY, person=person_id).data())
    spells: list[Attendance] = []
    for r in rows:
        for text in r["past"] or []:
            since, _, until = text.partition("/")
            spells.append(Attendance(person_id, r["activity"], date.fromisoformat(since),
                                     date.fromisoformat(until)))  # fmt: skip
        spells.append(Attendance(person_id, r["activity"], date.fromisoformat(r["since"]),
                                 day(r["until"])))  # fmt: skip
    return spells
