"""What every Kith process writes when it opens a store, besides the schema: the starter
taxonomy and the pages' session key, each settled against other processes starting at the same
moment (graph/races.py)."""

from __future__ import annotations

import secrets

from neo4j import ManagedTransaction

from kith.domain import Term

from . import taxonomy
from .races import settled
from .store import Store

SESSION_KEY = "web-session"
READ_SECRET = "MATCH (s:Secret {id: $id}) RETURN s.value AS value"
CREATE_SECRET = "CREATE (s:Secret {id: $id, value: $value, createdAt: timestamp()})"


def starter_taxonomy(store: Store, terms: list[Term]) -> None:
    """The taxonomy Kith ships, created or brought up to date."""
    settled(lambda: taxonomy.upsert_terms(store, terms), "the taxonomy")


def session_key(store: Store) -> str:
    """The key that signs the pages' session cookies: made by the first process to ask, kept in
    the graph, so that every worker and every server on one store (embedded, or Neo4j behind a
    load balancer) accepts the sessions the others started, and a restart keeps them."""

    def work(tx: ManagedTransaction) -> str:
        found = tx.run(READ_SECRET, id=SESSION_KEY).single()
        if found:
            return found["value"]
        value = secrets.token_urlsafe(48)
        tx.run(CREATE_SECRET, id=SESSION_KEY, value=value).consume()
        return value

    return settled(lambda: store.write(work), "the session key")
