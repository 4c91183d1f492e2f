"""A person's winter plan: one ``(:WinterPlan)-[:FOR]->(:Person)`` node with the needs it
covers, who to call and what to do if their carer falls ill, and a ``NAMES`` edge to each
person it names — a helper, with the needs they cover, or whoever steps in for the carer.

The named parts live on the edges (``needs``, ``stepsIn``, ``place`` for their order), so that
erasing a helper takes their part with them and a merge of two records moves it with the
other edges (graph/merges.py). Each earlier version is one JSON text in ``history`` (neither
engine stores a map), its named parts a list in it. As with plans, a merge may leave a person
two: the one changed last is theirs, and the next change is written over it.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import ManagedTransaction

from .store import Store

# The plan's own properties of a version; its named parts are ``named`` ([{id, needs, stepsIn}]).
VERSION_KEYS = ("needs", "contacts", "ifCarerIsIll", "updatedAt", "updatedBy")

LATEST = """
MATCH (wp:WinterPlan)-[:FOR]->(p:Person)
WHERE p.id IN $ids
RETURN p.id AS person, properties(wp) AS plan
ORDER BY wp.updatedAt DESC, wp.id
"""
NAMED = """
MATCH (wp:WinterPlan)-[n:NAMES]->(h:Person)
WHERE wp.id IN $plans
RETURN wp.id AS plan, h.id AS id, n.needs AS needs, n.stepsIn AS stepsIn
ORDER BY n.place
"""
# The people whose plans name someone: which of those plans is each person's own is decided
# by LATEST, as a merge may have left an older one naming them too.
NAMING = """
MATCH (wp:WinterPlan)-[:NAMES]->(:Person {id: $id})
MATCH (wp)-[:FOR]->(p:Person)
RETURN DISTINCT p.id AS person
"""
CARERS = "MATCH (c:Person)-[:CARES_FOR]->(:Person {id: $id}) RETURN c.id AS id ORDER BY c.id"
SET_VERSION = ", ".join(f"wp.{k} = ${k}" for k in VERSION_KEYS)
CREATE = f"""
MATCH (p:Person {{id: $person}})
CREATE (wp:WinterPlan {{id: $id}})-[:FOR]->(p)
SET {SET_VERSION}, wp.history = $history, p.updatedAt = timestamp()
RETURN wp.id AS id
"""
REPLACE = f"""
MATCH (wp:WinterPlan {{id: $id}})-[:FOR]->(p:Person)
SET {SET_VERSION}, wp.history = $history, p.updatedAt = timestamp()
"""
UNNAME = "MATCH (:WinterPlan {id: $id})-[n:NAMES]->(:Person) DELETE n"
NAME = """
UNWIND $named AS part
MATCH (wp:WinterPlan {id: $id}), (h:Person {id: part.id})
CREATE (wp)-[:NAMES {needs: part.needs, stepsIn: part.stepsIn, place: part.place}]->(h)
"""


def latest(store: Store, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each person's winter plan (the one changed last), by person id, for those who have one:
    its properties, ``history`` read from its JSON texts, and ``named`` from its edges."""
    return store.read(lambda tx: latest_in(tx, person_ids))


def latest_in(tx: ManagedTransaction, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in tx.run(LATEST, ids=person_ids).data():
        found.setdefault(row["person"], row["plan"])
    by_plan: dict[str, list[dict[str, Any]]] = {plan["id"]: [] for plan in found.values()}
    for row in tx.run(NAMED, plans=list(by_plan)).data() if by_plan else []:
        by_plan[row["plan"]].append({"id": row["id"], "needs": list(row["needs"] or []),
                                     "stepsIn": bool(row["stepsIn"])})  # fmt: skip
    return {person: {**plan, "history": [json.loads(t) for t in plan.get("history") or []],
                     "named": by_plan[plan["id"]]}
            for person, plan in found.items()}  # fmt: skip


def naming(store: Store, person_id: str) -> list[str]:
    """The people whose winter plans (their own, or one a merge left) name this person."""
    rows = store.read(lambda tx: tx.run(NAMING, id=person_id).data())
    return sorted(r["person"] for r in rows)


def carers(store: Store, person_id: str) -> list[str]:
    """Who cares for this person (whose ``caresFor`` includes them)."""
    return [r["id"] for r in store.read(lambda tx: tx.run(CARERS, id=person_id).data())]


def save(store: Store, person_id: str, new_id: str, version: dict[str, Any]) -> bool:
    """Make ``version`` (VERSION_KEYS and ``named``) the person's winter plan, keeping the one
    it replaces in the history; read and written in one transaction. False when the person is
    not held."""
    stored = {k: version[k] for k in VERSION_KEYS}
    named = [{**part, "place": n} for n, part in enumerate(version["named"])]

    def work(tx: ManagedTransaction) -> bool:
        current = latest_in(tx, [person_id]).get(person_id)
        if current is None:
            made = tx.run(CREATE, person=person_id, id=new_id, history=[], **stored).single()
            if made is None:
                return False
            plan_id = new_id
        else:
            plan_id = current["id"]
            earlier = json.dumps({k: current.get(k) for k in (*VERSION_KEYS, "named")},
                                 sort_keys=True)  # fmt: skip
            history = [*(json.dumps(h, sort_keys=True) for h in current["history"]), earlier]
            tx.run(REPLACE, id=plan_id, history=history, **stored).consume()
            tx.run(UNNAME, id=plan_id).consume()
        tx.run(NAME, id=plan_id, named=named).consume()
        return True

    return store.write(work)
