"""Checks that no record is half-written: what a crash must never leave behind."""

from __future__ import annotations

from .store import Store

# Each query counts records that break an invariant every write keeps.
CHECKS = {
    "activities without a venue": (
        "MATCH (a:Activity) WHERE size([(a)-[:HELD_AT]->(v:Venue) | v]) <> 1 RETURN count(a) AS n"
    ),
    "nodes without an id": "MATCH (n) WHERE n.id IS NULL RETURN count(n) AS n",
    "referrals without a person": (
        "MATCH (r:Referral) WHERE size([(r)-[:FOR]->(p:Person) | p]) <> 1 RETURN count(r) AS n"
    ),
    "matches without both people": (
        "MATCH (m:Match) WHERE size([(m)-[:FOR|WITH]->(p:Person) | p]) <> 2 RETURN count(m) AS n"
    ),
}


def problems(store: Store) -> dict[str, int]:
    """Each broken invariant with how many records break it (empty when all is well)."""

    def work(tx) -> dict[str, int]:  # type: ignore[no-untyped-def]
        found = {name: tx.run(query).single()["n"] for name, query in CHECKS.items()}
        return {name: n for name, n in found.items() if n}

    return store.read(work)
