"""Accounts, roles and bearer tokens.

A token is 32 random bytes shown once; only its SHA-256 is stored. A slow password hash would
add nothing for a secret this long, and a plain hash lets every request find its account by an
indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from graph import accounts as repo
from graph.store import Store

from .errors import InvalidInput, NotFound, Unauthenticated

TOKEN_PREFIX = "kith_"


class Role(Enum):
    COORDINATOR = "COORDINATOR"
    PRESCRIBER = "PRESCRIBER"
    VOLUNTEER = "VOLUNTEER"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Account:
    """Who is asking. ``person_id`` is a volunteer's own record."""

    id: str
    name: str
    role: Role
    person_id: str | None = None
    created_at: str = ""
    revoked: bool = False

    @property
    def sees_everyone(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add(store: Store, name: str, role: Role, person_id: str | None = None) -> tuple[Account, str]:
    """A new account and its token (the only time the token exists outside the caller)."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("name", "must be 1 to 100 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = Account(
        id=f"acct-{uuid.uuid4().hex[:12]}", name=name, role=role, person_id=person_id,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )  # fmt: skip
    repo.create(store, account_row(account), token_hash(token))
    return account, token


def account_row(account: Account) -> dict:
    return {
        "id": account.id, "name": account.name, "role": account.role.value,
        "personId": account.person_id, "createdAt": account.created_at,
        "revoked": account.revoked,
    }  # fmt: skip


def from_row(row: dict) -> Account:
    return Account(row["id"], row["name"], Role(row["role"]), row.get("personId"),
                   row.get("createdAt") or "", bool(row.get("revoked")))  # fmt: skip


def authenticate(store: Store, token: str) -> Account:
    """The live account a bearer token belongs to, or ``Unauthenticated``."""
    row = repo.by_token_hash(store, token_hash(token.strip()))
    if row is None or row.get("revoked"):
        raise Unauthenticated("the bearer token is not valid")
    return from_row(row)


def listing(store: Store) -> list[Account]:
    return [from_row(r) for r in repo.all_accounts(store)]


def revoke(store: Store, account_id: str) -> Account:
    row = repo.revoke(store, account_id)
    if row is None:
        raise NotFound(f"no account {account_id}")
    return from_row(row)
