"""Failed sign-ins per sign-in name, for the lockout rule of kith/lockout.py: one node per name
(by a hash of it), so that every process serving the store counts the same failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from neo4j import ManagedTransaction

from .store import Store

READ = """
MATCH (s:SignInAttempts {id: $id})
RETURN s.failures AS failures, s.lockedUntil AS lockedUntil
"""
WRITE = """
MERGE (s:SignInAttempts {id: $id})
SET s.failures = $failures, s.lockedUntil = $lockedUntil, s.updatedAt = timestamp()
"""
FORGET = "MATCH (s:SignInAttempts {id: $id}) DELETE s"
# Names nobody has got wrong for a while: a few at a time, so that an attacker trying many
# names cannot grow the graph without bound, and no single sign-in pays for many.
PRUNE = """
MATCH (s:SignInAttempts) WHERE s.updatedAt < $before
WITH s LIMIT 20
DELETE s
"""


@dataclass(frozen=True)
class Attempts:
    """A name's recent failures (epoch seconds) and when its lock lifts (0: not locked)."""

    failures: tuple[float, ...] = ()
    locked_until: float = 0.0


def read(store: Store, key: str) -> Attempts:
    return store.read(lambda tx: _read(tx, key))


def _read(tx: ManagedTransaction, key: str) -> Attempts:
    row = tx.run(READ, id=key).single()
    if row is None:
        return Attempts()
    return Attempts(tuple(row["failures"] or ()), row["lockedUntil"] or 0.0)


def change(
    store: Store, key: str, rule: Callable[[Attempts], Attempts], forget_before_ms: int
) -> Attempts:
    """Apply ``rule`` to a name's attempts in one transaction (so two processes counting a
    failure at once cannot lose one), and forget a few names untouched since the cut-off."""

    def work(tx: ManagedTransaction) -> Attempts:
        now = rule(_read(tx, key))
        tx.run(WRITE, id=key, failures=list(now.failures), lockedUntil=now.locked_until).consume()
        tx.run(PRUNE, before=forget_before_ms).consume()
        return now

    return store.write(work)


def forget(store: Store, key: str) -> None:
    store.write(lambda tx: tx.run(FORGET, id=key).consume())
