"""What organisers keep: the activities their groups run, and whether a coordinator trusts
them to change those listings without approval (an account's ``trusted`` property)."""

from __future__ import annotations

from .store import Store

RUN_BY = """
MATCH (n:Activity)-[:RUN_BY]->(g:Group) WHERE g.id IN $groups
RETURN n.id AS id ORDER BY n.name, n.id
"""
TRUST = """
MATCH (a:Account {id: $id}) SET a.trusted = $trusted
RETURN a.id AS id
"""


def activities_run_by(store: Store, group_ids: list[str]) -> list[str]:
    """The ids of the activities these groups run, by name."""
    return store.read(lambda tx: tx.run(RUN_BY, groups=group_ids).value())


def set_trusted(store: Store, account_id: str, trusted: bool) -> bool:
    """Mark an account trusted or not; False when there is no such account."""
    row = store.write(lambda tx: tx.run(TRUST, id=account_id, trusted=trusted).single())
    return row is not None
