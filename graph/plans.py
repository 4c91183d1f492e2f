"""A person's plan: one ``(:Plan)-[:FOR]->(:Person)`` node holding what matters to them, their
goals and a review date, with every earlier version kept in ``history``.

Neither engine stores a map, so the goals are one JSON text (``[{id, text, status, steps}]``)
and each earlier version is a JSON text in the ``history`` list. A merge of two records moves
both of their plans onto the one kept (graph/merges.py), so a person may have two: the one
changed last is theirs, and the next change is written over it.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import ManagedTransaction

from .store import Store

# What a plan's version holds, as property names: the latest version is the node's own
# properties, an earlier one a JSON text of the same names in ``history`` (its goals a list).
VERSION_KEYS = ("whatMatters", "goals", "reviewOn", "updatedAt", "updatedBy")

LATEST = """
MATCH (pl:Plan)-[:FOR]->(p:Person)
WHERE p.id IN $ids
RETURN p.id AS person, properties(pl) AS plan
ORDER BY pl.updatedAt DESC, pl.id
"""
# Each property set on its own: a value left out (null) then goes, where ``+=`` would keep it.
SET_VERSION = ", ".join(f"pl.{k} = ${k}" for k in VERSION_KEYS)
CREATE = f"""
MATCH (p:Person {{id: $person}})
CREATE (pl:Plan {{id: $id}})-[:FOR]->(p)
SET {SET_VERSION}, pl.history = $history, p.updatedAt = timestamp()
RETURN pl.id AS id
"""
REPLACE = f"""
MATCH (pl:Plan {{id: $id}})-[:FOR]->(p:Person)
SET {SET_VERSION}, pl.history = $history, p.updatedAt = timestamp()
"""


def latest(store: Store, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each person's plan (the one changed last), by person id, for those who have one:
    ``goals`` and ``history`` as read back from their JSON texts."""
    rows = store.read(lambda tx: tx.run(LATEST, ids=person_ids).data())
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        found.setdefault(row["person"], decoded(row["plan"]))
    return found


def decoded(props: dict[str, Any]) -> dict[str, Any]:
    """A plan node's properties with its JSON texts read: goals, and each earlier version."""
    history = [json.loads(text) for text in props.get("history") or []]
    return {**props, "goals": json.loads(props.get("goals") or "[]"), "history": history}


def save(store: Store, person_id: str, new_id: str, version: dict[str, Any]) -> bool:
    """Make ``version`` (VERSION_KEYS, goals a list) the person's plan, keeping the one it
    replaces in the history; read and written in one transaction. False when the person is
    not held."""
    stored = {**version, "goals": json.dumps(version["goals"], sort_keys=True)}

    def work(tx: ManagedTransaction) -> bool:
        current = tx.run(LATEST, ids=[person_id]).data()
        if not current:
            made = tx.run(CREATE, person=person_id, id=new_id, history=[], **stored).single()
            return made is not None
        plan = decoded(current[0]["plan"])
        earlier = json.dumps({k: plan.get(k) for k in VERSION_KEYS}, sort_keys=True)
        history = [*(current[0]["plan"].get("history") or []), earlier]
        tx.run(REPLACE, id=plan["id"], history=history, **stored).consume()
        return True

    return store.write(work)
