"""Audit events: who did what to which record, when, and whether it was allowed."""

from __future__ import annotations

from .store import Store

RECORD = """
UNWIND $events AS e
CREATE (a:AuditEvent) SET a = e
"""
RECENT = """
MATCH (a:AuditEvent) WHERE a.at >= $since
RETURN properties(a) AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""
ABOUT = """
MATCH (a:AuditEvent {subject: $subject})
RETURN properties(a) AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


def record(store: Store, events: list[dict]) -> None:
    if events:
        store.write(lambda tx: tx.run(RECORD, events=events).consume())


def recent(store: Store, since: str, limit: int) -> list[dict]:
    return [r["a"] for r in store.read(lambda tx: tx.run(RECENT, since=since, limit=limit).data())]


def about(store: Store, subject: str, limit: int) -> list[dict]:
    rows = store.read(lambda tx: tx.run(ABOUT, subject=subject, limit=limit).data())
    return [r["a"] for r in rows]
