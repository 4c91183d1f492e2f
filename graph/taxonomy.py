"""Taxonomy terms and their BROADER edges."""

from __future__ import annotations

from neo4j import ManagedTransaction

from kith.domain import Term, TermKind

from .store import Store

UPSERT_TERMS = {
    kind: f"""
    UNWIND $rows AS r
    MERGE (t:{kind.value} {{id: r.id}})
    ON CREATE SET t.createdAt = timestamp()
    SET t.name = r.name, t.synonyms = r.synonyms, t.updatedAt = timestamp()
    """
    for kind in TermKind
}
LINK_BROADER = {
    kind: f"""
    UNWIND $rows AS r
    MATCH (t:{kind.value} {{id: r.id}})
    MATCH (b:{kind.value} {{id: r.broader}})
    MERGE (t)-[:BROADER]->(b)
    """
    for kind in TermKind
}
READ_TERMS = {
    kind: f"""
    MATCH (t:{kind.value})
    OPTIONAL MATCH (t)-[:BROADER]->(b)
    RETURN t.id AS id, t.name AS name, t.synonyms AS synonyms, b.id AS broader
    """
    for kind in TermKind
}


def upsert_terms(store: Store, terms: list[Term]) -> None:
    """Create or update terms and their BROADER edges, all in one transaction."""
    store.write(lambda tx: write_terms(tx, terms))


def write_terms(tx: ManagedTransaction, terms: list[Term]) -> None:
    for kind in TermKind:
        rows = [
            {"id": t.id, "name": t.name, "synonyms": list(t.synonyms), "broader": t.broader}
            for t in terms
            if t.kind is kind
        ]
        if rows:
            tx.run(UPSERT_TERMS[kind], rows=rows).consume()
            linked = [r for r in rows if r["broader"]]
            tx.run(LINK_BROADER[kind], rows=linked).consume()


def read_terms(store: Store) -> list[Term]:
    """Every term of every vocabulary."""

    def work(tx: ManagedTransaction) -> list[Term]:
        return [
            Term(kind, r["id"], r["name"], tuple(r["synonyms"] or ()), r["broader"])
            for kind in TermKind
            for r in tx.run(READ_TERMS[kind])
        ]

    return store.read(work)
