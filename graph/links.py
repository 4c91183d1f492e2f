"""Outgoing relationships of a node kind, written and read the same way for every kind.

An upsert replaces a node's links of each kind with the given ones, in the same transaction as
the node itself; a link to a target that does not exist fails the whole transaction, so
nothing is left half-written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from kith.errors import InvalidInput


@dataclass(frozen=True)
class Link:
    """``(source)-[rel]->(target)``, carried in the domain object's ``field`` (ids)."""

    source: str
    rel: str
    target: str
    field: str
    single: bool = False

    @property
    def delete_query(self) -> str:
        return f"""
        UNWIND $ids AS id
        MATCH (s:{self.source} {{id: id}})-[e:{self.rel}]->(:{self.target})
        DELETE e
        """

    @property
    def create_query(self) -> str:
        # CREATE, not MERGE: the node's old links of this kind were deleted first, and each
        # row's targets are distinct; the source is found once per row, not once per link.
        return f"""
        UNWIND $rows AS r
        MATCH (s:{self.source} {{id: r.source}})
        UNWIND r.targets AS target
        MATCH (t:{self.target} {{id: target}})
        CREATE (s)-[:{self.rel}]->(t)
        RETURN count(*) AS linked
        """

    @property
    def read_expression(self) -> str:
        return f"[(n)-[:{self.rel}]->(t:{self.target}) | t.id]"


def replace_links(
    tx: ManagedTransaction, links: tuple[Link, ...], rows: list[dict[str, Any]],
    existing: set[str],
) -> None:  # fmt: skip
    """Make each row's links exactly those listed in it (``row[link.field]``). Only nodes that
    ``existing`` says were there before can have old links to remove: a bulk load of new
    records skips those queries. A target that does not exist fails the batch, naming it."""
    ids = [r["id"] for r in rows if r["id"] in existing]
    wanted = {field: _sources(rows, field) for field in dict.fromkeys(lk.field for lk in links)}
    made: Counter[str] = Counter()
    for link in links:
        if ids:
            tx.run(link.delete_query, ids=ids).consume()
        if wanted[link.field]:
            linked = tx.run(link.create_query, rows=wanted[link.field]).single()["linked"]
            made[link.field] += linked
    for field, some in wanted.items():
        if made[field] < sum(len(w["targets"]) for w in some):
            kinds = [link for link in links if link.field == field]
            labels = " or ".join(link.target.lower() for link in kinds)
            targets = {t for w in some for t in w["targets"]}
            raise InvalidInput(field, f"no {labels} with id {_missing(tx, kinds, targets)}")


def _sources(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Each row that links somewhere through ``field``: its id and distinct targets."""
    found = ((r["id"], _targets(r.get(field))) for r in rows)
    return [{"source": source, "targets": targets} for source, targets in found if targets]


def _targets(value: Any) -> list[str]:
    """A link field's distinct target ids, in order."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(dict.fromkeys(value))


def _missing(tx: ManagedTransaction, kinds: list[Link], targets: set[str]) -> str:
    """The targets that no node of any of these kinds has, quoted, for the error."""
    found: set[str] = set()
    for link in kinds:
        query = f"MATCH (t:{link.target}) WHERE t.id IN $ids RETURN t.id AS id"
        found.update(tx.run(query, ids=sorted(targets)).value())
    return ", ".join(repr(t) for t in sorted(targets - found))


def read_links(links: tuple[Link, ...]) -> str:
    """RETURN items (each after a comma) giving each link kind's target ids, for node ``n``."""
    return "".join(f", {link.read_expression} AS {link.rel}_{link.target}" for link in links)


def gather(links: tuple[Link, ...], record: dict[str, Any]) -> dict[str, Any]:
    """The link ids of one record, by domain field, sorted (a single link: its id or None)."""
    out: dict[str, Any] = {}
    for link in links:
        ids = sorted(record.get(f"{link.rel}_{link.target}") or [])
        if link.single:
            out[link.field] = ids[0] if ids else None
        else:
            out[link.field] = sorted([*out.get(link.field, []), *ids])
    return out
