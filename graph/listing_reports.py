"""What the public says is wrong with a listing, kept for coordinators to put right.

A report is one ``(:ListingReport {id, problem, note, at, open, resolvedAt, resolvedBy,
resolution})-[:ABOUT]->(:Activity)`` node. It holds nothing about who sent it: not a name, not
the client's address (the rate limit keeps only a hash of that, in graph/signins.py).
"""

from __future__ import annotations

from typing import Any

from .store import Store

ADD = """
MATCH (a:Activity {id: $activity})
CREATE (r:ListingReport {id: $id, problem: $problem, at: $at, open: true})-[:ABOUT]->(a)
SET r.note = $note
RETURN r.id AS id
"""
# Newest first; a report whose activity has gone (deleted with its edges) is not listed.
EVERY = """
MATCH (r:ListingReport)-[:ABOUT]->(a:Activity)
WHERE $open IS NULL OR r.open = $open
RETURN properties(r) AS report, a.id AS activity
ORDER BY r.at DESC, r.id
"""
RESOLVE = """
MATCH (r:ListingReport {id: $id})-[:ABOUT]->(a:Activity)
WHERE r.open = true
SET r.open = false, r.resolvedAt = $at, r.resolvedBy = $by, r.resolution = $resolution
RETURN properties(r) AS report, a.id AS activity
"""
ONE = """
MATCH (r:ListingReport {id: $id})-[:ABOUT]->(a:Activity)
RETURN properties(r) AS report, a.id AS activity
"""


def add(store: Store, activity_id: str, report: dict[str, Any]) -> bool:
    """Keep a report (``id, problem, note, at``) about the activity; False when the activity
    is not held (nothing is written then)."""
    found = store.write(lambda tx: tx.run(ADD, activity=activity_id, **report).single())
    return found is not None


def every(store: Store, open: bool | None) -> list[dict[str, Any]]:
    """Reports (open ones, resolved ones, or with None all), newest first, each as its
    properties with ``activity`` (the activity's id)."""
    rows = store.read(lambda tx: tx.run(EVERY, open=open).data())
    return [{**row["report"], "activity": row["activity"]} for row in rows]


def one(store: Store, report_id: str) -> dict[str, Any] | None:
    row = store.read(lambda tx: tx.run(ONE, id=report_id).single())
    return {**row["report"], "activity": row["activity"]} if row else None


def resolve(store: Store, report_id: str, change: dict[str, Any]) -> dict[str, Any] | None:
    """Close an open report (``at, by, resolution``); None when no open report has that id."""
    row = store.write(lambda tx: tx.run(RESOLVE, id=report_id, **change).single())
    return {**row["report"], "activity": row["activity"]} if row else None
