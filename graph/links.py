"""Outgoing relationships of a node kind, written and read the same way for every kind.

An upsert replaces a node's links of each kind with the given ones, in the same transaction as
the node itself; a link to a target that does not exist fails the whole transaction, so
nothing is left half-written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from kith.errors import InvalidInput

from .store import Rows

PROPERTY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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

    def gather_clause(self, n: int, carried: str) -> str:
        """Part of ``create_query``: this kind's targets in the batch (``$targets<n>``, sorted),
        collected once into ``t<n>`` in the same order, rather than looked up once per link."""
        return f"""
        MATCH (x{n}:{self.target}) WHERE x{n}.id IN $targets{n}
        WITH {carried}x{n} ORDER BY x{n}.id
        WITH {carried}collect(x{n}) AS t{n}"""

    def foreach_clause(self, n: int) -> str:
        """Part of ``create_query``: node ``n``'s links of this kind, to the collected targets
        at the row's positions ``r.at<n>``."""
        return f"FOREACH (t IN [i IN r.at{n} | t{n}[i]] | CREATE (n)-[:{self.rel}]->(t))"

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
            linked = tx.run(link.create_query, rows=Rows(wanted[link.field])).single()["linked"]
            made[link.field] += linked
    for field, some in wanted.items():
        if made[field] < sum(len(w["targets"]) for w in some):
            kinds = [link for link in links if link.field == field]
            labels = " or ".join(link.target.lower() for link in kinds)
            targets = {t for w in some for t in w["targets"]}
            raise InvalidInput(field, f"no {labels} with id {_missing(tx, kinds, targets)}")


def create_query(label: str, links: tuple[Link, ...], keys: list[str]) -> str:
    """One statement that creates new nodes with all their links. Each kind's targets are found
    once for the whole batch and each link picks its target by position, so a batch costs a few
    index lookups per target rather than one per link and one per source per kind. Properties
    (``keys`` of ``r.props``; a null one is not stored) are given in the CREATE itself: a SET
    afterwards would write and index every node twice. It creates nothing unless every target
    was found in the expected order (see ``create_rows``)."""
    if not all(PROPERTY.match(key) for key in keys):
        raise ValueError(f"not property names: {keys}")
    props = "".join(f"{key}: r.props.{key}, " for key in keys)
    gathered = "".join(
        link.gather_clause(n, "".join(f"t{i}, " for i in range(n))) for n, link in enumerate(links)
    )
    found = " AND ".join(f"[x IN t{n} | x.id] = $targets{n}" for n in range(len(links)))
    foreach = "\n".join(link.foreach_clause(n) for n, link in enumerate(links))
    return f"""{gathered}
    {f"WITH * WHERE {found}" if links else ""}
    UNWIND $rows AS r
    CREATE (n:{label} {{id: r.id, {props}createdAt: timestamp(), updatedAt: timestamp()}})
    {foreach}
    RETURN count(n) AS created
    """


def create_rows(tx: ManagedTransaction, label: str, links: tuple[Link, ...],
                rows: list[dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Create nodes that do not exist yet, with their links, in one statement. Returns the rows
    left for the caller to write the slower way: those linking to another node of this batch
    (a carer and the person cared for), or, having written nothing, all of them when some
    target is missing (the slower way names it) or a field's targets are of two kinds."""
    if any(sum(link.field == other.field for other in links) > 1 for link in links):
        return rows  # a field whose targets are of two kinds: positions cannot be known
    fresh = {r["id"] for r in rows}
    own = [link for link in links if link.target == label]
    later = {r["id"] for r in rows for link in own if fresh & set(_targets(r.get(link.field)))}
    ready = [r for r in rows if r["id"] not in later]
    if not ready:
        return rows
    per_row = [[_targets(r.get(link.field)) for link in links] for r in ready]
    wanted = [sorted({t for row in per_row for t in row[n]}) for n in range(len(links))]
    kept = [n for n, ids in enumerate(wanted) if ids]  # MATCH finds nothing in []
    links, targets = tuple(links[n] for n in kept), [wanted[n] for n in kept]
    where = [{t: i for i, t in enumerate(ids)} for ids in targets]
    batch = Rows(
        {"id": r["id"], "props": r["props"],
         **{f"at{i}": [where[i][t] for t in row[n]] for i, n in enumerate(kept)}}
        for r, row in zip(ready, per_row, strict=True)
    )  # fmt: skip
    params = {f"targets{n}": ids for n, ids in enumerate(targets)}
    keys = sorted({key for r in ready for key in r["props"]} - {"id", "createdAt", "updatedAt"})
    query = create_query(label, links, keys)
    created = tx.run(query, rows=batch, **params).single()["created"]
    return [r for r in rows if r["id"] in later] if created == len(ready) else rows


def _sources(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Each row that links somewhere through ``field``: its id and distinct targets."""
    found = ((r["id"], _targets(r.get(field))) for r in rows)
    return [{"source": source, "targets": targets} for source, targets in found if targets]


def _targets(value: Any) -> list[str]:
    """A link field's distinct target ids, in order."""
    if not value:
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
