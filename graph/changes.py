"""What changed in the graph since a moment: the questions that keep in-memory copies of the
graph (kith/memory/mirror.py) up to date.

Every upsert stamps a node's ``updatedAt`` with the store's clock (graph/nodes.py), and
``schema.INDEXES`` indexes it, so "changed since" is an index range scan; a label's node count
is kept by both engines and costs about a millisecond however big the graph is. Labels and
conditions come from fixed tables in code, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import ManagedTransaction

from .store import Store

NEVER = 2**62  # a moment after every stamp: asks for the clock and counts alone


@dataclass(frozen=True)
class Watch:
    """The nodes of a label, of which a copy keeps those meeting ``kept``, a fixed condition on
    ``n`` (never built from input). Changes are reported for the whole label, so that a node
    that stops meeting the condition is seen too."""

    label: str
    kept: str = "true"

    @property
    def whole(self) -> bool:
        """True when every node of the label is kept, so the label's count is the copy's."""
        return self.kept == "true"


@dataclass(frozen=True)
class Changes:
    """The store's clock when asked, each label's size, and the stamp of every node changed at
    or after the moment asked about, by label and id."""

    now: int
    counts: dict[str, int]
    stamps: dict[str, dict[str, int]]


def since(store: Store, watches: tuple[Watch, ...], moment: int) -> Changes:
    """Everything the watches see changed at or after ``moment`` (store milliseconds), in one
    read transaction."""

    def work(tx: ManagedTransaction) -> Changes:
        now = tx.run("RETURN timestamp() AS now").single()["now"]
        stamps = {w.label: changed(tx, w, moment) for w in watches}
        return Changes(now, count_all(tx, watches), stamps)

    return store.read(work)


def counts(store: Store, watches: tuple[Watch, ...]) -> dict[str, int]:
    """How many nodes each watched label has."""
    return store.read(lambda tx: count_all(tx, watches))


def count_all(tx: ManagedTransaction, watches: tuple[Watch, ...]) -> dict[str, int]:
    query = "MATCH (n:{label}) RETURN count(n) AS n"
    return {w.label: tx.run(query.format(label=w.label)).single()["n"] for w in watches}


def changed(tx: ManagedTransaction, watch: Watch, moment: int) -> dict[str, int]:
    query = f"""
    MATCH (n:{watch.label}) WHERE n.updatedAt >= $moment
    RETURN n.id AS id, n.updatedAt AS at
    """
    return {r["id"]: r["at"] for r in tx.run(query, moment=moment)}


def ids(store: Store, watch: Watch) -> set[str]:
    """The ids of every node a copy keeps: what it is reconciled with after a deletion."""
    query = f"MATCH (n:{watch.label}) WHERE {watch.kept} RETURN n.id AS id"
    return set(store.read(lambda tx: tx.run(query).value()))
