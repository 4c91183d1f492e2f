"""Group commit: small writes of one kind from many threads at once, in shared transactions.

Every request that reads a person writes audit events (kith/audit.py). One write transaction
each cost a few milliseconds of the store's time and of this process's, and under 20 concurrent
clients they queued for the process's write lock (graph/store.py). Here a thread that finds no
write under way writes what is waiting; threads that arrive meanwhile add their rows to the next
write, which one of them makes for all of them once this one is done. Every caller returns only
once its rows are committed, or raises the error that stopped them, so nothing is acknowledged
that is not stored. A batch stands or falls whole, which suits rows the code makes (audit events
are), never rows from input.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Batch:
    rows: list[dict] = field(default_factory=list)
    done: bool = False
    error: BaseException | None = None


class GroupCommit:
    """Rows for ``write``, a function that stores a list of rows in one transaction."""

    def __init__(self, write: Callable[[list[dict]], None]) -> None:
        self.write = write
        self.changed = threading.Condition()
        self.waiting: Batch | None = None  # the batch rows are added to
        self.busy = False  # a write is under way

    def add(self, rows: list[dict]) -> None:
        """Store ``rows`` with whatever else is waiting; returns once they are committed."""
        with self.changed:
            batch = self.waiting = self.waiting or Batch()
            batch.rows.extend(rows)
            while self.busy and not batch.done:
                self.changed.wait()
            if not batch.done:  # nobody is writing: this thread writes the batch
                self.busy, self.waiting = True, None
        if not batch.done:
            self.lead(batch)
        if batch.error is not None:
            raise batch.error

    def lead(self, batch: Batch) -> None:
        try:
            self.write(batch.rows)
        except BaseException as exc:  # every waiter of the batch raises it
            batch.error = exc
        finally:
            with self.changed:
                batch.done, self.busy = True, False
                self.changed.notify_all()
