"""Accounts and the hashes of their tokens."""

from __future__ import annotations

from .store import Store

CREATE = "CREATE (a:Account) SET a = $props, a.tokenHash = $hash"
BY_HASH = "MATCH (a:Account {tokenHash: $hash}) RETURN properties(a) AS a"
ALL = "MATCH (a:Account) RETURN properties(a) AS a ORDER BY a.createdAt, a.name"
REVOKE = "MATCH (a:Account {id: $id}) SET a.revoked = true RETURN properties(a) AS a"


def _public(row: dict | None) -> dict | None:
    """An account's properties without its token hash, which never leaves graph/."""
    if row is None:
        return None
    return {k: v for k, v in row.items() if k != "tokenHash"}


def create(store: Store, props: dict, token_hash: str) -> None:
    store.write(lambda tx: tx.run(CREATE, props=props, hash=token_hash).consume())


def by_token_hash(store: Store, token_hash: str) -> dict | None:
    record = store.read(lambda tx: tx.run(BY_HASH, hash=token_hash).single())
    return _public(record["a"]) if record else None


def all_accounts(store: Store) -> list[dict]:
    return [_public(r["a"]) for r in store.read(lambda tx: tx.run(ALL).data())]


def revoke(store: Store, account_id: str) -> dict | None:
    record = store.write(lambda tx: tx.run(REVOKE, id=account_id).single())
    return _public(record["a"]) if record else None
