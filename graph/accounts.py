"""Accounts, the hashes of their bearer tokens, and their web sign-in (a name and a password
hash). Neither hash ever leaves graph/ except the password hash, to the one function that
checks a password."""

from __future__ import annotations

from neo4j import ManagedTransaction

from .store import Store

CREATE = "CREATE (a:Account) SET a = $props, a.tokenHash = $hash, a.passwordHash = $password"
BY_HASH = "MATCH (a:Account {tokenHash: $hash}) RETURN properties(a) AS a"
BY_ID = "MATCH (a:Account {id: $id}) RETURN properties(a) AS a"
BY_LOGIN = "MATCH (a:Account {login: $login}) RETURN properties(a) AS a"
LOGIN_TAKEN = "MATCH (a:Account {login: $login}) WHERE a.id <> $id RETURN count(a) AS n"
SET_SIGN_IN = """
MATCH (a:Account {id: $id}) SET a.login = $login, a.passwordHash = $password
RETURN properties(a) AS a
"""
ALL = "MATCH (a:Account) RETURN properties(a) AS a ORDER BY a.createdAt, a.name"
REVOKE = "MATCH (a:Account {id: $id}) SET a.revoked = true RETURN properties(a) AS a"
SECRETS = ("tokenHash", "passwordHash")


def _public(row: dict | None) -> dict | None:
    """An account's properties without its hashes."""
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in SECRETS}


def _login_taken(tx: ManagedTransaction, login: str | None, account_id: str) -> bool:
    if not login:
        return False
    return tx.run(LOGIN_TAKEN, login=login, id=account_id).single()["n"] > 0


def create(store: Store, props: dict, token_hash: str, password_hash: str | None = None) -> None:
    """Write a new account; raises ``LoginTaken`` (writing nothing) when another account
    signs in with its name."""

    def work(tx: ManagedTransaction) -> None:
        if _login_taken(tx, props.get("login"), props["id"]):
            raise LoginTaken(props["login"])
        tx.run(CREATE, props=props, hash=token_hash, password=password_hash).consume()

    store.write(work)


def set_sign_in(store: Store, account_id: str, login: str, password_hash: str) -> dict | None:
    """Give an account a sign-in name and password hash. None when there is no such account;
    raises ``LoginTaken`` when another account has the name."""

    def work(tx: ManagedTransaction) -> dict | None:
        if _login_taken(tx, login, account_id):
            raise LoginTaken(login)
        record = tx.run(SET_SIGN_IN, id=account_id, login=login, password=password_hash).single()
        return _public(record["a"]) if record else None

    return store.write(work)


class LoginTaken(Exception):
    """Another account already signs in with this name."""


def by_token_hash(store: Store, token_hash: str) -> dict | None:
    record = store.read(lambda tx: tx.run(BY_HASH, hash=token_hash).single())
    return _public(record["a"]) if record else None


def by_id(store: Store, account_id: str) -> dict | None:
    record = store.read(lambda tx: tx.run(BY_ID, id=account_id).single())
    return _public(record["a"]) if record else None


def by_login(store: Store, login: str) -> tuple[dict, str | None] | None:
    """The account signing in with ``login`` and its password hash, to check a password."""
    record = store.read(lambda tx: tx.run(BY_LOGIN, login=login).single())
    if record is None:
        return None
    return _public(record["a"]) or {}, record["a"].get("passwordHash")


def all_accounts(store: Store) -> list[dict]:
    return [_public(r["a"]) for r in store.read(lambda tx: tx.run(ALL).data())]


def revoke(store: Store, account_id: str) -> dict | None:
    record = store.write(lambda tx: tx.run(REVOKE, id=account_id).single())
    return _public(record["a"]) if record else None
