"""Sign-in lockout: after ``attempts`` failures for one sign-in name within ``window_s``, that
name is locked for ``lock_s``, whether or not an account has it (so a lock says nothing about
which names exist).

The counts are kept in the store (graph/signins.py), not in one process's memory: with several
workers, or several servers behind a load balancer, an attacker would otherwise get five tries
per process, and a restart would forget a lock. Names are kept only as a hash: people type
passwords into the name box.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from graph import signins
from graph.signins import Attempts
from graph.store import Store


@dataclass(frozen=True)
class Lockout:
    store: Store
    attempts: int = 5
    window_s: float = 15 * 60
    lock_s: float = 15 * 60
    clock: Callable[[], float] = time.time

    def seconds_locked(self, name: str) -> float:
        """How long ``name`` stays locked (0 when it may try now)."""
        return self.left_of(signins.read(self.store, self.key(name)))

    def failed(self, name: str) -> float:
        """Count a failure; returns how long the name is now locked (0 when not)."""
        forget_before = self.clock() - max(self.window_s, self.lock_s)
        now = signins.change(self.store, self.key(name), self.count_failure,
                             int(forget_before * 1000))  # fmt: skip
        return self.left_of(now)

    def count_failure(self, before: Attempts) -> Attempts:
        now = self.clock()
        recent = (*(t for t in before.failures if t > now - self.window_s), now)
        if len(recent) >= self.attempts:
            return Attempts((), now + self.lock_s)
        return Attempts(recent, before.locked_until)

    def attempts_left(self, name: str) -> int:
        now = self.clock()
        failures = signins.read(self.store, self.key(name)).failures
        return self.attempts - sum(1 for t in failures if t > now - self.window_s)

    def succeeded(self, name: str) -> None:
        signins.forget(self.store, self.key(name))

    def left_of(self, attempts: Attempts) -> float:
        return max(0.0, attempts.locked_until - self.clock())

    @staticmethod
    def key(name: str) -> str:
        folded = (name or "").strip().lower()
        return "signin-" + hashlib.sha256(folded.encode()).hexdigest()[:32]
