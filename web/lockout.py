"""Sign-in lockout: after ``attempts`` failures for one sign-in name within ``window_s``, that
name is locked for ``lock_s``, whether or not an account has it (so a lock says nothing about
which names exist).

Kept in the serving process's memory: a restart forgets it, which costs an attacker a restart
they cannot cause, and the store is not written on every wrong password.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_NAMES = 10_000  # names with recent failures kept at most; the stalest are dropped first


@dataclass
class Lockout:
    attempts: int = 5
    window_s: float = 15 * 60
    lock_s: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=dict)
    locked: dict[str, float] = field(default_factory=dict)

    def seconds_locked(self, name: str) -> float:
        """How long ``name`` stays locked (0 when it may try now)."""
        until = self.locked.get(self.key(name), 0.0)
        return max(0.0, until - self.clock())

    def failed(self, name: str) -> float:
        """Count a failure; returns how long the name is now locked (0 when not)."""
        key, now = self.key(name), self.clock()
        recent = self.failures.setdefault(key, deque())
        recent.append(now)
        while recent and recent[0] <= now - self.window_s:
            recent.popleft()
        if len(recent) >= self.attempts:
            self.locked[key] = now + self.lock_s
            recent.clear()
        self.forget_stale()
        return self.seconds_locked(name)

    def attempts_left(self, name: str) -> int:
        return self.attempts - len(self.failures.get(self.key(name), ()))

    def succeeded(self, name: str) -> None:
        self.failures.pop(self.key(name), None)

    def forget_stale(self) -> None:
        """Bound the memory an attacker trying many names can use."""
        while len(self.failures) > MAX_NAMES:
            del self.failures[next(iter(self.failures))]
        now = self.clock()
        for key in [k for k, until in self.locked.items() if until <= now]:
            del self.locked[key]

    @staticmethod
    def key(name: str) -> str:
        return (name or "").strip().lower()
