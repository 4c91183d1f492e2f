"""What every Kith process writes when it opens a store, besides the schema: the starter
taxonomy and the pages' session key, each settled against other processes starting at the same
moment (graph/races.py). Both are kept as ``Setting`` nodes: the key itself, and a fingerprint
of the taxonomy last written, so that a process starting on a store that has it writes
nothing (workers starting together otherwise rewrote 1,300 terms each, and deadlocked)."""

from __future__ import annotations

import hashlib
import secrets

from neo4j import ManagedTransaction

from kith.domain import Term

from . import taxonomy
from .races import settled
from .store import Store

SESSION_KEY = "web-session-key"
TAXONOMY = "starter-taxonomy"
READ_SETTING = "MATCH (s:Setting {id: $id}) RETURN s.value AS value"
CREATE_SETTING = "CREATE (s:Setting {id: $id, value: $value, createdAt: timestamp()})"
WRITE_SETTING = """
MERGE (s:Setting {id: $id})
ON CREATE SET s.createdAt = timestamp()
SET s.value = $value, s.updatedAt = timestamp()
"""


def setting(tx: ManagedTransaction, name: str) -> str | None:
    found = tx.run(READ_SETTING, id=name).single()
    return found["value"] if found else None


def starter_taxonomy(store: Store, terms: list[Term]) -> None:
    """The taxonomy Kith ships, created or brought up to date unless it already is."""
    fingerprint = hashlib.sha256(repr(sorted(map(repr, terms))).encode()).hexdigest()
    if store.read(lambda tx: setting(tx, TAXONOMY)) == fingerprint:
        return

    def work(tx: ManagedTransaction) -> None:
        taxonomy.write_terms(tx, terms)
        tx.run(WRITE_SETTING, id=TAXONOMY, value=fingerprint).consume()

    settled(lambda: store.write(work), "the taxonomy")


def session_key(store: Store) -> str:
    """The key that signs the pages' session cookies: made by the first process to ask, kept in
    the graph, so that every worker and every server on one store (embedded, or Neo4j behind a
    load balancer) accepts the sessions the others started, and a restart keeps them."""

    def work(tx: ManagedTransaction) -> str:
        if found := setting(tx, SESSION_KEY):
            return found
        value = secrets.token_urlsafe(48)
        tx.run(CREATE_SETTING, id=SESSION_KEY, value=value).consume()
        return value

    return settled(lambda: store.write(work), "the session key")
