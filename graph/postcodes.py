"""Postcodes an operator loaded (``kith load postcodes``): ``Postcode {id, lat, lon}`` nodes.

They live in the store, not in a file beside one process, so that every Kith process sees
them and a restart keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from neo4j import ManagedTransaction

from kith.places import Point

from .nodes import BATCH
from .store import Store

KNOWN = "MATCH (p:Postcode) WHERE p.id IN $ids RETURN p.id AS id, p.lat AS lat, p.lon AS lon"
UPSERT = """
UNWIND $rows AS r
MERGE (p:Postcode {id: r.id})
SET p.lat = r.lat, p.lon = r.lon
"""


@dataclass
class Written:
    """What an upsert did: nodes created, nodes moved, and points the store already had."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Written) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def upsert(store: Store, points: Iterable[tuple[str, float, float]]) -> Written:
    """Write (postcode, latitude, longitude) points in batches of ``BATCH``, one transaction
    each. Points the store already holds are not written again, so a reload changes nothing."""
    written, batch = Written(), {}
    for code, lat, lon in points:
        batch[code] = (lat, lon)  # a postcode twice in a batch: the later row wins
        if len(batch) == BATCH:
            written.add(store.write(lambda tx, b=batch: _upsert_batch(tx, b)))
            batch = {}
    if batch:
        written.add(store.write(lambda tx: _upsert_batch(tx, batch)))
    return written


def _upsert_batch(tx: ManagedTransaction, batch: dict[str, Point]) -> Written:
    known = {r["id"]: (r["lat"], r["lon"]) for r in tx.run(KNOWN, ids=list(batch))}
    rows = [
        {"id": code, "lat": lat, "lon": lon}
        for code, (lat, lon) in batch.items()
        if known.get(code) != (lat, lon)
    ]
    if rows:
        tx.run(UPSERT, rows=rows).consume()
    created = sum(1 for r in rows if r["id"] not in known)
    return Written(created, len(rows) - created, len(batch) - len(rows))


def find(store: Store, code: str) -> Point | None:
    """The loaded point of a normalised full postcode ("DE22 3AB"), if one was loaded."""
    return find_many(store, [code]).get(code)


def find_many(store: Store, codes: list[str]) -> dict[str, Point]:
    """The loaded points of these normalised full postcodes, in one round trip."""
    rows = store.read(lambda tx: tx.run(KNOWN, ids=codes).data())
    return {r["id"]: (r["lat"], r["lon"]) for r in rows}
