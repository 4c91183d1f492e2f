"""The audit trail of person records: every read and write, allowed or refused.

Events hold ids, never names or health details, so that the trail itself is not a second copy
of special-category data and survives erasure of the person.
"""

from __future__ import annotations

import uuid
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


def record(
    store: Store, actor: Account | None, action: str, subjects: list[str], outcome: str = "allowed"
) -> None:
    """One event per subject, written in one transaction."""
    at = now()
    events = [
        {"id": uuid.uuid4().hex, "at": at, "actor": actor.id if actor else "public",
         "role": actor.role.value if actor else "PUBLIC", "action": action, "subject": s,
         "outcome": outcome}
        for s in subjects
    ]  # fmt: skip
    repo.record(store, events)


def recent(store: Store, since: str = "", limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.recent(store, since, limit)]


def about(store: Store, subject: str, limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.about(store, subject, limit)]
