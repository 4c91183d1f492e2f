"""Audit events: who did what to which record, when, and whether it was allowed."""

from __future__ import annotations

import threading
import weakref

from .group_commit import GroupCommit
from .store import Store

# Each property named: ArcadeDB's store spent two and a half times the CPU on ``SET a = e``
# (measured side by side for issue 18), and every request that reads a person writes events.
RECORD = """
UNWIND $events AS e
CREATE (:AuditEvent {id: e.id, at: e.at, actor: e.actor, role: e.role, action: e.action,
                     subject: e.subject, outcome: e.outcome})
"""
RECENT = """
MATCH (a:AuditEvent) WHERE a.at >= $since
RETURN properties(a) AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""
ABOUT = """
MATCH (a:AuditEvent {subject: $subject})
RETURN properties(a) AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


WRITERS: weakref.WeakKeyDictionary[Store, GroupCommit] = weakref.WeakKeyDictionary()
MAKING = threading.Lock()


def record(store: Store, events: list[dict]) -> None:
    """Store ``events``, in one transaction with those other threads record at the same time
    (graph/group_commit.py); returns once they are committed."""
    if events:
        writer(store).add(events)


def writer(store: Store) -> GroupCommit:
    """The store's audit writer (it holds the store weakly, so that a closed store goes)."""
    with MAKING:
        if store not in WRITERS:
            held = weakref.ref(store)
            WRITERS[store] = GroupCommit(lambda rows: write(held(), rows))  # type: ignore[arg-type]
        return WRITERS[store]


def write(store: Store, events: list[dict]) -> None:
    store.write(lambda tx: tx.run(RECORD, events=events).consume())


def recent(store: Store, since: str, limit: int) -> list[dict]:
    return [r["a"] for r in store.read(lambda tx: tx.run(RECENT, since=since, limit=limit).data())]


def about(store: Store, subject: str, limit: int) -> list[dict]:
    rows = store.read(lambda tx: tx.run(ABOUT, subject=subject, limit=limit).data())
    return [r["a"] for r in rows]
