"""Outgoing relationships of a node kind, written and read the same way for every kind.

An upsert replaces a node's links of each kind with the given ones, in the same transaction as
the node itself; a link to a target that does not exist fails the whole transaction, so
nothing is left half-written.
"""

from __future__ import annotations

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
        return f"""
        UNWIND $pairs AS p
        MATCH (s:{self.source} {{id: p.source}})
        MATCH (t:{self.target} {{id: p.target}})
        MERGE (s)-[:{self.rel}]->(t)
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
    records skips those queries."""
    ids = [r["id"] for r in rows if r["id"] in existing]
    for link in links:
        if ids:
            tx.run(link.delete_query, ids=ids).consume()
        pairs = [
            {"source": r["id"], "target": target}
            for r in rows
            for target in _targets(r.get(link.field))
        ]
        if not pairs:
            continue
        linked = tx.run(link.create_query, pairs=pairs).single()["linked"]
        if linked < len(pairs) and not _partial_ok(links, link):
            missing = _missing(tx, link, pairs)
            raise InvalidInput(link.field, f"no {link.target.lower()} with id {missing}")


def _targets(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _partial_ok(links: tuple[Link, ...], link: Link) -> bool:
    """One field spread over several target kinds (supports: conditions or needs) is checked
    by the caller, who knows which kind each id is; here a miss in one kind is expected."""
    return sum(1 for other in links if other.field == link.field) > 1


def _missing(tx: ManagedTransaction, link: Link, pairs: list[dict[str, str]]) -> str:
    wanted = sorted({p["target"] for p in pairs})
    found = tx.run(
        f"MATCH (t:{link.target}) WHERE t.id IN $ids RETURN t.id AS id", ids=wanted
    ).value()
    return ", ".join(repr(t) for t in wanted if t not in set(found))


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
