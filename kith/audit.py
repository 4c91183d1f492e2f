"""The audit trail of person records: every read and write, allowed or refused.

Events hold ids, never names or health details, so that the trail itself is not a second copy
of special-category data and survives erasure of the person.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from graph import audit as repo
from graph.store import Store

from .accounts import Account


@dataclass(frozen=True)
class AuditEvent:
    id: str
    at: str
    actor: str
    role: str
    action: str
    subject: str
    outcome: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


PENDING: ContextVar[list[Future[None]] | None] = ContextVar("audit_pending", default=None)
WRITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="kith-audit")


@contextmanager
def overlapping() -> Iterator[list[Future[None]]]:
    """Within the block, ``record`` returns at once and its events are committed while the
    work goes on; the futures it yields say when each batch is. Whoever opens the block must
    wait for them before anything read leaves (api/audited.py does, for every request): a
    suggestion need not wait a commit to go on scoring, but its answer waits for it."""
    pending: list[Future[None]] = []
    token = PENDING.set(pending)
    try:
        yield pending
    finally:
        PENDING.reset(token)


def record(
    store: Store, actor: Account | None, action: str, subjects: list[str], outcome: str = "allowed"
) -> None:
    """One event per subject, written in one transaction (committed before this returns,
    unless an ``overlapping`` block is open)."""
    at = now()
    events = [
        {"id": uuid.uuid4().hex, "at": at, "actor": actor.id if actor else "public",
         "role": actor.role.value if actor else "PUBLIC", "action": action, "subject": s,
         "outcome": outcome}
        for s in subjects
    ]  # fmt: skip
    pending = PENDING.get()
    if pending is None:
        repo.record(store, events)
    else:
        pending.append(WRITERS.submit(repo.record, store, events))


def recent(store: Store, since: str = "", limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.recent(store, since, limit)]


def about(store: Store, subject: str, limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.about(store, subject, limit)]
