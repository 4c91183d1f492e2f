"""Wellbeing measures as they were answered: one ``(:WellbeingRecord)-[:OF]->(:Person)`` node
per time a person answered a questionnaire, holding the measure's name, BASELINE or FOLLOW_UP,
the day it was taken (ISO date text), the answers (a list of whole numbers), and when and by
which account it was recorded. Scores are not stored: they follow from the answers
(kith/measures.py), so a corrected conversion table corrects every record.
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from .store import Store

RECORD = """
MATCH (p:Person {id: $person})
CREATE (w:WellbeingRecord {id: $id, measure: $measure, timepoint: $timepoint, takenOn: $takenOn,
                           answers: $answers, at: $at, by: $by})-[:OF]->(p)
SET p.updatedAt = timestamp()
RETURN w.id AS id
"""
OF_PEOPLE = """
MATCH (w:WellbeingRecord)-[:OF]->(p:Person)
WHERE p.id IN $ids
RETURN p.id AS person, properties(w) AS record
ORDER BY w.takenOn, w.at, w.id
"""
# Every record's when and what, without the answers: enough to tell whose follow-up is due.
TIMELINE = """
MATCH (w:WellbeingRecord)-[:OF]->(p:Person)
RETURN p.id AS person, w.measure AS measure, w.timepoint AS timepoint, w.takenOn AS takenOn
ORDER BY w.takenOn
"""


def record(store: Store, person_id: str, props: dict[str, Any]) -> bool:
    """Write one record (``id``, ``measure``, ``timepoint``, ``takenOn``, ``answers``, ``at``,
    ``by``) of the person; False when the person is not held (nothing is written then)."""

    def work(tx: ManagedTransaction) -> bool:
        return tx.run(RECORD, person=person_id, **props).single() is not None

    return store.write(work)


def of_people(store: Store, person_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each person's records, oldest first (everyone asked for is a key)."""
    rows = store.read(lambda tx: tx.run(OF_PEOPLE, ids=person_ids).data())
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in person_ids}
    for row in rows:
        out[row["person"]].append(row["record"])
    return out


def timeline(store: Store) -> list[dict[str, Any]]:
    """Every record's person, measure, timepoint and day, oldest first."""
    return store.read(lambda tx: tx.run(TIMELINE).data())
