"""Recent attempts per key, for the limits that must hold across every process serving the
store (kith/lockout.py): failed sign-ins per sign-in name, self-referrals per client address.
One node per key, so that every process counts the same attempts. A key is its kind, a dash
and a hash (``signin-…``, ``selfrefer-…``); the nodes keep the label ``SignInAttempts`` they
were first made for, which the schema and the set-up labels name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from neo4j import ManagedTransaction

from .store import Store

# ``failures`` is the property's name from when only failed sign-ins were counted.
READ = """
MATCH (s:SignInAttempts {id: $id})
RETURN s.failures AS times, s.lockedUntil AS lockedUntil
"""
WRITE = """
MERGE (s:SignInAttempts {id: $id})
SET s.failures = $times, s.lockedUntil = $lockedUntil, s.updatedAt = timestamp()
"""
FORGET = "MATCH (s:SignInAttempts {id: $id}) DELETE s"
# Keys of one kind untouched for a while: a few at a time, so that an attacker trying many
# names or addresses cannot grow the graph without bound, and no single attempt pays for
# many. Only the kind's own: each kind forgets after its own window.
PRUNE = """
MATCH (s:SignInAttempts) WHERE s.updatedAt < $before AND s.id STARTS WITH $kind
WITH s LIMIT 20
DELETE s
"""


@dataclass(frozen=True)
class Attempts:
    """A key's recent attempts (epoch seconds) and until when it is refused (0: it is not)."""

    times: tuple[float, ...] = ()
    locked_until: float = 0.0


def read(store: Store, key: str) -> Attempts:
    return store.read(lambda tx: _read(tx, key))


def _read(tx: ManagedTransaction, key: str) -> Attempts:
    row = tx.run(READ, id=key).single()
    if row is None:
        return Attempts()
    return Attempts(tuple(row["times"] or ()), row["lockedUntil"] or 0.0)


def change(
    store: Store, key: str, rule: Callable[[Attempts], Attempts], forget_before_ms: int
) -> Attempts:
    """Apply ``rule`` to a key's attempts in one transaction (so two processes counting at
    once cannot lose one), and forget a few keys of its kind untouched since the cut-off."""
    kind = key.partition("-")[0] + "-"

    def work(tx: ManagedTransaction) -> Attempts:
        now = rule(_read(tx, key))
        tx.run(WRITE, id=key, times=list(now.times), lockedUntil=now.locked_until).consume()
        tx.run(PRUNE, before=forget_before_ms, kind=kind).consume()
        return now

    return store.write(work)


def forget(store: Store, key: str) -> None:
    store.write(lambda tx: tx.run(FORGET, id=key).consume())
