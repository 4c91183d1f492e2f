"""Batch upsert and read of one node kind with its links: the shape every repository shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from neo4j import ManagedTransaction

from .links import Link, gather, read_links, replace_links
from .store import Store

BATCH = 2000


def upsert_query(label: str) -> str:
    return f"""
    UNWIND $rows AS r
    MERGE (n:{label} {{id: r.id}})
    ON CREATE SET n.createdAt = timestamp()
    SET n += r.props, n.updatedAt = timestamp()
    """


def upsert_rows(
    tx: ManagedTransaction, label: str, links: tuple[Link, ...], rows: list[dict[str, Any]],
    existing: set[str] | None = None,
) -> set[str]:  # fmt: skip
    """Write nodes (``{"id", "props", <link fields>}``) and replace their links; a node twice
    in ``rows`` is written as its last row says. Returns the ids that were there before
    (``existing``, when the caller has just read them in this transaction)."""
    rows = list({r["id"]: r for r in rows}.values())
    if existing is None:
        ids = [r["id"] for r in rows]
        existing = set(tx.run(existing_query(label), ids=ids).value())
    tx.run(upsert_query(label), rows=[{"id": r["id"], "props": r["props"]} for r in rows]).consume()
    replace_links(tx, links, rows, existing)
    return existing


def existing_query(label: str) -> str:
    return f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id"


def upsert_all(
    store: Store, label: str, links: tuple[Link, ...], rows: Iterable[dict[str, Any]]
) -> int:
    """Upsert in batches of ``BATCH``, one transaction each; returns how many were written."""
    written, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            store.write(lambda tx, b=batch: upsert_rows(tx, label, links, b))
            written, batch = written + len(batch), []
    if batch:
        store.write(lambda tx: upsert_rows(tx, label, links, batch))
        written += len(batch)
    return written


def read_by_ids(
    store: Store,
    label: str,
    links: tuple[Link, ...],
    ids: list[str],
    build: Callable[[dict[str, Any], dict[str, Any]], Any],
) -> dict[str, Any]:
    """The nodes with these ids, built into domain objects, keyed by id (missing ids absent)."""
    query = f"""
    MATCH (n:{label}) WHERE n.id IN $ids
    RETURN properties(n) AS props{read_links(links)}
    """

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        return {
            r["props"]["id"]: build(r["props"], gather(links, r))
            for r in (rec.data() for rec in tx.run(query, ids=ids))
        }

    return store.read(work)


def count(store: Store, label: str) -> int:
    return store.read(lambda tx: tx.run(f"MATCH (n:{label}) RETURN count(n) AS c").single()["c"])
