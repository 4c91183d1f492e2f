"""The audit trail of person records: every read and write, allowed or refused.

Events hold ids, never names or health details, so that the trail itself is not a second copy
of special-category data and survives erasure of the person.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

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


P = ParamSpec("P")
R = TypeVar("R")
GATHERED: ContextVar[list[dict] | None] = ContextVar("audit_gathered", default=None)


@contextmanager
def one_write(store: Store) -> Iterator[None]:
    """Within the block, the events recorded are gathered and written in one transaction as
    it ends, whether or not it raised: a buddy suggestion reads the person, then shows
    volunteers, and each commit cost it a round trip of milliseconds. Nothing leaves the block
    before its trail is committed. (Nested, the outermost block writes.)"""
    if GATHERED.get() is not None:
        yield
        return
    gathered: list[dict] = []
    token = GATHERED.set(gathered)
    try:
        yield
    finally:
        GATHERED.reset(token)
        repo.record(store, gathered)


def written_once(fn: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """A service function ``fn(kith, ...)`` whose audit events are written in ``one_write``."""

    @functools.wraps(fn)
    def audited(kith: Any, *args: P.args, **kwargs: P.kwargs) -> R:
        with one_write(kith.store):
            return fn(kith, *args, **kwargs)

    return audited


def record(
    store: Store, actor: Account | None, action: str, subjects: list[str], outcome: str = "allowed"
) -> None:
    """One event per subject, written in one transaction (gathered, inside ``one_write``)."""
    at = now()
    events = [
        {"id": uuid.uuid4().hex, "at": at, "actor": actor.id if actor else "public",
         "role": actor.role.value if actor else "PUBLIC", "action": action, "subject": s,
         "outcome": outcome}
        for s in subjects
    ]  # fmt: skip
    gathered = GATHERED.get()
    if gathered is None:
        repo.record(store, events)
    else:
        gathered.extend(events)


def recent(store: Store, since: str = "", limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.recent(store, since, limit)]


def about(store: Store, subject: str, limit: int = 100) -> list[AuditEvent]:
    return [AuditEvent(**e) for e in repo.about(store, subject, limit)]
