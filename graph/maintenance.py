"""Whole-graph operations: counting and clearing (tests, and restores into an empty store)."""

from __future__ import annotations

from .store import Store


def counts(store: Store) -> dict[str, int]:
    """Nodes and relationships in the graph."""

    def work(tx) -> dict[str, int]:  # type: ignore[no-untyped-def]
        nodes = tx.run("MATCH (n) RETURN count(n) AS c").single()["c"]
        edges = tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
        return {"nodes": nodes, "relationships": edges}

    return store.read(work)


def clear(store: Store) -> None:
    """Delete every node and relationship (the schema stays)."""
    store.write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


TAXONOMY_LABELS = ("Interest", "Skill", "Condition", "Need", "Language")
# What every process writes or keeps on its own, before anyone has recorded anything: the
# starter taxonomy, settings (graph/setup.py) and failed sign-ins.
SET_UP_LABELS = (*TAXONOMY_LABELS, "Setting", "SignInAttempts")
RECORDS = "MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $set_up) RETURN count(n) AS c"


def records(store: Store) -> int:
    """Nodes other than set-up ones: what makes a store not empty."""
    return store.read(lambda tx: tx.run(RECORDS, set_up=list(SET_UP_LABELS)).single()["c"])
