"""Unmet needs, counted without personal data: one ``UnmetNeed {id, kind, outcode, month,
count}`` node per kind of request, outward postcode and month, its count raised by one each
time such a request finds nothing suitable."""

from __future__ import annotations

from .races import settled
from .store import Store

# Neo4j takes the node's write lock before ``u.count`` is read in the SET, so increments made
# at once are not lost; ArcadeDB refuses the later of two concurrent changes, which is retried.
NOTE = """
MERGE (u:UnmetNeed {id: $id})
ON CREATE SET u.kind = $kind, u.outcode = $outcode, u.month = $month, u.count = 0
SET u.count = u.count + 1
"""
BETWEEN = """
MATCH (u:UnmetNeed) WHERE u.month >= $first AND u.month <= $last
RETURN u.kind AS kind, u.outcode AS outcode, u.month AS month, u.count AS count
ORDER BY u.outcode, u.kind, u.month
"""


def note(store: Store, kind: str, outcode: str, month: str) -> None:
    """One more unmet need of ``kind`` in ``outcode`` ("DE22") in ``month`` ("2026-11"); two
    processes making the same counter at once settle on one (graph/races.py)."""
    params = {"id": f"{kind}|{outcode}|{month}", "kind": kind, "outcode": outcode, "month": month}
    settled(lambda: store.write(lambda tx: tx.run(NOTE, **params).consume()), "an unmet need")


def between(store: Store, first: str, last: str) -> list[dict]:
    """Every counter of the months ``first`` to ``last`` ("2026-01"), both included."""
    return store.read(lambda tx: tx.run(BETWEEN, first=first, last=last).data())
