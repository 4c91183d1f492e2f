"""Two records of one person made one: the people a coordinator may want to merge, and the
merge itself, which moves every edge and every reference to the record that goes onto the
record that stays, in one transaction.

Edges are moved whatever their type (a person gains edge types as Kith grows), but Cypher
cannot take a relationship type or label as a parameter, so each is checked against the
schema's labels and a plain name pattern before it is put into a statement.
"""

from __future__ import annotations

import re

from neo4j import ManagedTransaction

from kith.errors import NotFound

from .schema import NODE_LABELS
from .store import Store

# People who share a birth year and postcode, in groups: the only ones who may be one person
# held twice (a typo in a name). Nobody without both is offered.
SHARING = """
MATCH (p:Person) WHERE p.birthYear IS NOT NULL AND p.postcode IS NOT NULL
WITH p.birthYear AS year, p.postcode AS postcode, collect([p.id, p.name]) AS people
WHERE size(people) > 1
RETURN people
"""
APART = "MATCH (a:Person)-[:NOT_SAME_AS]-(b:Person) RETURN a.id AS a, b.id AS b"
KEEP_APART = """
MATCH (a:Person {id: $a}), (b:Person {id: $b})
MERGE (a)-[:NOT_SAME_AS]->(b)
RETURN count(a) AS n
"""
BOTH = "MATCH (p:Person) WHERE p.id IN [$keep, $drop] RETURN p.id AS id, properties(p) AS props"
EDGES = """
MATCH (d:Person {id: $drop})-[r]-(o)
WHERE o.id <> $keep
RETURN type(r) AS type, startNode(r) = d AS out, labels(o) AS labels, o.id AS other,
       properties(r) AS props
"""
# An edge the kept record already has (the same type, to the same node) stands; else a copy.
MOVE_OUT = """
MATCH (k:Person {{id: $keep}}), (o:{label} {{id: $other}})
OPTIONAL MATCH (k)-[e:{type}]->(o)
WITH k, o, e WHERE e IS NULL
CREATE (k)-[n:{type}]->(o) SET n = $props
"""
MOVE_IN = """
MATCH (k:Person {{id: $keep}}), (o:{label} {{id: $other}})
OPTIONAL MATCH (o)-[e:{type}]->(k)
WITH k, o, e WHERE e IS NULL
CREATE (o)-[n:{type}]->(k) SET n = $props
"""
REFERENCES = [
    "MATCH (m:Match) WHERE m.personId = $drop SET m.personId = $keep",
    "MATCH (m:Match) WHERE m.buddyId = $drop SET m.buddyId = $keep",
    "MATCH (a:Account) WHERE a.personId = $drop SET a.personId = $keep",
]
FILL = "MATCH (k:Person {id: $keep}) SET k += $fill, k.updatedAt = timestamp()"
DROP = "MATCH (d:Person {id: $drop}) DETACH DELETE d"
NAME = re.compile(r"^[A-Z][A-Z_]*$")


def sharing_place_and_year(store: Store) -> list[list[tuple[str, str]]]:
    """Groups of people (id, name) who share a birth year and postcode."""
    rows = store.read(lambda tx: tx.run(SHARING).data())
    return [[(i, n) for i, n in row["people"]] for row in rows]


def kept_apart(store: Store) -> set[frozenset[str]]:
    """The pairs a coordinator has said are two people."""
    rows = store.read(lambda tx: tx.run(APART).data())
    return {frozenset((r["a"], r["b"])) for r in rows}


def keep_apart(store: Store, a: str, b: str) -> bool:
    """Record that these two are different people; False when either is not held."""
    return store.write(lambda tx: tx.run(KEEP_APART, a=a, b=b).single()["n"]) > 0


def merge(store: Store, keep: str, drop: str) -> None:
    """Move everything of ``drop`` onto ``keep`` and remove ``drop``: its edges (those ``keep``
    has already stand as they are), the ids that name it, and any property ``keep`` lacks."""

    def work(tx: ManagedTransaction) -> None:
        held = {r["id"]: r["props"] for r in tx.run(BOTH, keep=keep, drop=drop).data()}
        for person_id in (keep, drop):
            if person_id not in held:
                raise NotFound(f"no person {person_id}")
        for edge in tx.run(EDGES, keep=keep, drop=drop).data():
            move_edge(tx, keep, edge)
        for statement in REFERENCES:
            tx.run(statement, keep=keep, drop=drop).consume()
        fill = {k: v for k, v in held[drop].items() if held[keep].get(k) is None and k != "id"}
        tx.run(FILL, keep=keep, fill=fill).consume()
        tx.run(DROP, drop=drop).consume()

    store.write(work)


def move_edge(tx: ManagedTransaction, keep: str, edge: dict) -> None:
    label = next((x for x in edge["labels"] if x in NODE_LABELS), None)
    if label is None or not NAME.match(edge["type"]):
        raise ValueError(f"cannot move an edge {edge['type']} to {edge['labels']}")
    statement = (MOVE_OUT if edge["out"] else MOVE_IN).format(label=label, type=edge["type"])
    tx.run(statement, keep=keep, other=edge["other"], props=edge["props"]).consume()
