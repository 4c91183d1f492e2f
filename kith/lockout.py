"""Limits on repeated attempts, counted in the store (graph/signins.py), not in one process's
memory: with several workers, or several servers behind a load balancer, an attacker would
otherwise get the limit once per process, and a restart would forget it.

- Sign-in lockout: after ``attempts`` failures for one sign-in name within ``window_s``, that
  name is locked for ``lock_s``, whether or not an account has it (so a lock says nothing
  about which names exist).
- Rate limits: at most ``most`` requests of one kind from one client address within
  ``window_s`` (self-referrals: kith/self_referral.py).

Names and addresses are kept only as a hash: people type passwords into the name box, and an
address is personal data. (A hash of an address keeps it out of plain sight only, as every
address can be tried; its count is forgotten an hour or so after its last use.)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from graph import signins
from graph.signins import Attempts
from graph.store import Store


def hashed(kind: str, text: str) -> str:
    """The store's key for ``text`` among attempts of ``kind``."""
    return f"{kind}-" + hashlib.sha256(text.encode()).hexdigest()[:32]


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
        recent = (*(t for t in before.times if t > now - self.window_s), now)
        if len(recent) >= self.attempts:
            return Attempts((), now + self.lock_s)
        return Attempts(recent, before.locked_until)

    def attempts_left(self, name: str) -> int:
        now = self.clock()
        failures = signins.read(self.store, self.key(name)).times
        return self.attempts - sum(1 for t in failures if t > now - self.window_s)

    def succeeded(self, name: str) -> None:
        signins.forget(self.store, self.key(name))

    def left_of(self, attempts: Attempts) -> float:
        return max(0.0, attempts.locked_until - self.clock())

    @staticmethod
    def key(name: str) -> str:
        return hashed("signin", (name or "").strip().lower())


@dataclass(frozen=True)
class RateLimit:
    """At most ``most`` requests of ``kind`` per client address in any ``window_s``."""

    store: Store
    kind: str
    most: int
    window_s: float
    clock: Callable[[], float] = time.time

    def take(self, address: str) -> float:
        """Count a request from ``address`` if the limit allows it, and answer 0; else count
        nothing and answer how many seconds until it would be allowed."""
        forget_before = self.clock() - self.window_s
        after = signins.change(self.store, hashed(self.kind, address), self.count,
                               int(forget_before * 1000))  # fmt: skip
        return max(0.0, after.locked_until - self.clock())

    def count(self, before: Attempts) -> Attempts:
        now = self.clock()
        recent = tuple(t for t in before.times if t > now - self.window_s)
        if len(recent) >= self.most:  # refused until the oldest leaves the window
            return Attempts(recent, min(recent) + self.window_s)
        return Attempts((*recent, now))
