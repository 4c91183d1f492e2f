"""Batch upsert and read of one node kind with its links: the shape every repository shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from neo4j import ManagedTransaction

from .links import Link, create_rows, gather, read_links, replace_links
from .store import Rows, Store

BATCH = 2_000


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
) -> None:  # fmt: skip
    """Write nodes (``{"id", "props", <link fields>}``) and replace their links; a node twice
    in ``rows`` is written as its last row says; new nodes are created with their links in one
    statement (``create_rows``). ``existing``: the ids that were there before, when the caller
    has just read them in this transaction."""
    rows = list({r["id"]: r for r in rows}.values())
    if not links:
        tx.run(upsert_query(label), rows=rows_of(rows)).consume()
        return
    if existing is None:
        existing = set(tx.run(existing_query(label), ids=[r["id"] for r in rows]).value())
    new = [r for r in rows if r["id"] not in existing]
    if new:
        rows = [r for r in rows if r["id"] in existing] + create_rows(tx, label, links, new)
    if rows:
        tx.run(upsert_query(label), rows=rows_of(rows)).consume()
        replace_links(tx, links, rows, existing)


def rows_of(rows: list[dict[str, Any]]) -> Rows:
    """Just the node part of rows (their links are written by other statements)."""
    return Rows({"id": r["id"], "props": r["props"]} for r in rows)


def upsert_changed(
    tx: ManagedTransaction, label: str, links: tuple[Link, ...], rows: list[dict[str, Any]],
    prop: str,
) -> tuple[set[str], set[str]]:  # fmt: skip
    """A loader's rows, each carrying a fingerprint of its content in ``props[prop]``: those
    whose stored fingerprint is the same are skipped, the rest written. Returns (ids updated,
    ids unchanged); the others were created."""
    query = f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, n.{prop} AS stored"
    stored = {r["id"]: r["stored"] for r in tx.run(query, ids=[r["id"] for r in rows])}
    changed = [r for r in rows if stored.get(r["id"]) != r["props"][prop]]
    unchanged = {r["id"] for r in rows} - {r["id"] for r in changed}
    if changed:
        upsert_rows(tx, label, links, changed, existing=set(stored))
    return set(stored) - unchanged, unchanged


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
