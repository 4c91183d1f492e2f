"""Accounts, roles, bearer tokens and web sign-in.

A token is 32 random bytes shown once; only its SHA-256 is stored. A slow password hash would
add nothing for a secret this long, and a plain hash lets every request find its account by an
indexed lookup. A password is chosen by a person, so it gets a slow one: argon2id, with
argon2-cffi's recommended parameters.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph import accounts as repo
from graph.store import Store

from .errors import InvalidInput, NotFound, Unauthenticated

TOKEN_PREFIX = "kith_"
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200
WRONG = "the sign-in name or password is wrong"
HASHER = PasswordHasher()
TOKEN_SECONDS = 5.0  # how long a process trusts a bearer token it has checked (``Recent``)


class Role(Enum):
    COORDINATOR = "COORDINATOR"
    PRESCRIBER = "PRESCRIBER"
    VOLUNTEER = "VOLUNTEER"
    ADMIN = "ADMIN"
    ORGANISER = "ORGANISER"  # keeps their own groups' listings (issue 17)


@dataclass(frozen=True)
class Account:
    """Who is asking. ``person_id`` is a volunteer's own record; ``group_ids`` the groups an
    organiser keeps, and ``trusted`` an organiser whose changes go live without approval."""

    id: str
    name: str
    role: Role
    person_id: str | None = None
    created_at: str = ""
    revoked: bool = False
    login: str | None = None
    group_ids: tuple[str, ...] = ()
    trusted: bool = False

    @property
    def sees_everyone(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    def keeps(self, group_id: str | None) -> bool:
        """True when this account may keep the listings of ``group_id``: a coordinator or
        admin any group's, an organiser only their own groups'."""
        if self.sees_everyone:
            return True
        return self.role is Role.ORGANISER and group_id is not None and group_id in self.group_ids


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add(
    store: Store, name: str, role: Role, person_id: str | None = None,
    login: str | None = None, password: str | None = None, group_ids: tuple[str, ...] = (),
) -> tuple[Account, str]:  # fmt: skip
    """A new account and its token (the only time the token exists outside the caller), able
    to sign in to the pages too when given a sign-in name and password."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("name", "must be 1 to 100 characters")
    if (login is None) != (password is None):
        raise InvalidInput("password" if login else "login", "give a sign-in name and password")
    login = check_login(login) if login is not None else None
    hashed = HASHER.hash(check_password(password)) if password is not None else None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = Account(
        id=f"acct-{uuid.uuid4().hex[:12]}", name=name, role=role, person_id=person_id,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"), login=login,
        group_ids=tuple(group_ids),
    )  # fmt: skip
    try:
        repo.create(store, account_row(account), token_hash(token), hashed)
    except repo.LoginTaken:
        raise taken(account.login) from None
    return account, token


def account_row(account: Account) -> dict:
    return {
        "id": account.id, "name": account.name, "role": account.role.value,
        "personId": account.person_id, "createdAt": account.created_at,
        "revoked": account.revoked, "login": account.login,
        "groupIds": list(account.group_ids), "trusted": account.trusted,
    }  # fmt: skip


def from_row(row: dict) -> Account:
    return Account(row["id"], row["name"], Role(row["role"]), row.get("personId"),
                   row.get("createdAt") or "", bool(row.get("revoked")),
                   row.get("login"), tuple(row.get("groupIds") or ()),
                   bool(row.get("trusted")))  # fmt: skip


# web sign-in ---------------------------------------------------------------------------


def check_login(login: str | None) -> str:
    """A sign-in name as stored: trimmed and lower-case, so "Jo.Smith" and "jo.smith" are one."""
    cleaned = (login or "").strip().lower()
    if not cleaned:
        raise InvalidInput("login", "is required")
    if not LOGIN.match(cleaned):
        raise InvalidInput(
            "login", "must be 3 to 64 letters, digits or . _ @ -, starting with a letter or digit"
        )
    return cleaned


def check_password(password: str | None) -> str:
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("password", f"must be at most {MAX_PASSWORD} characters")
    return password


def taken(login: str | None) -> InvalidInput:
    return InvalidInput("login", f"{login!r} is taken: choose another sign-in name")


def check_sign_in(store: Store, login: str | None, password: str | None) -> str:
    """The cleaned sign-in name, if it and the password would be accepted now: lets a caller
    refuse before writing anything else (a volunteer's record, say)."""
    cleaned = check_login(login)
    check_password(password)
    if repo.by_login(store, cleaned) is not None:
        raise taken(cleaned)
    return cleaned


def set_sign_in(store: Store, account_id: str, login: str, password: str) -> Account:
    """Give an account a sign-in name and a new password (replacing any it had)."""
    cleaned, hashed = check_login(login), HASHER.hash(check_password(password))
    try:
        row = repo.set_sign_in(store, account_id, cleaned, hashed)
    except repo.LoginTaken:
        raise taken(cleaned) from None
    if row is None:
        raise NotFound(f"no account {account_id}")
    return from_row(row)


def ensure_sign_in(
    store: Store, name: str, role: Role, login: str, password: str,
    group_ids: tuple[str, ...] = (),
) -> Account:  # fmt: skip
    """The account signing in as ``login``, made if missing (keeping ``group_ids``, for an
    organiser), with this password from now on: for demo and first-run accounts that a command
    sets up again each time it runs."""
    found = repo.by_login(store, check_login(login))
    if found is None:
        return add(store, name, role, login=login, password=password, group_ids=group_ids)[0]
    return set_sign_in(store, found[0]["id"], login, password)


@cache
def _decoy_hash() -> str:
    """A hash to check unknown names against, so that they take as long to refuse as a
    wrong password and the time taken does not reveal which names exist."""
    return HASHER.hash(secrets.token_urlsafe(16))


def sign_in(store: Store, login: str, password: str) -> Account:
    """The live account whose sign-in name and password these are, or ``Unauthenticated``."""
    found = repo.by_login(store, (login or "").strip().lower())
    row, hashed = found if found else ({}, None)
    try:
        HASHER.verify(hashed or _decoy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        raise Unauthenticated(WRONG) from None
    if not row or row.get("revoked"):
        raise Unauthenticated(WRONG)
    return from_row(row)


def by_id(store: Store, account_id: str) -> Account:
    """The live account with this id (a signed-in session's), or ``Unauthenticated``."""
    row = repo.by_id(store, account_id)
    if row is None or row.get("revoked"):
        raise Unauthenticated("this account has been removed: sign in again")
    return from_row(row)


def authenticate(store: Store, token: str) -> Account:
    """The live account a bearer token belongs to, or ``Unauthenticated``."""
    row = repo.by_token_hash(store, token_hash(token.strip()))
    if row is None or row.get("revoked"):
        raise Unauthenticated("the bearer token is not valid")
    return from_row(row)


class Recent:
    """Accounts found by bearer token in the last ``seconds``, by the token's hash: a client
    sends its token with every request, and reading the account each time was one of the few
    round trips every request made. A token revoked (``kith users revoke``, in any process) is
    refused within ``seconds``; a token not found is never remembered, so a new account works
    at once. At most ``most`` are kept (the oldest go first)."""

    def __init__(self, seconds: float = TOKEN_SECONDS, most: int = 10_000) -> None:
        self.seconds, self.most = seconds, most
        self.found: dict[str, tuple[float, Account]] = {}
        self.lock = threading.Lock()

    def cached(self, token: str) -> Account | None:
        """The account of ``token`` if found within ``seconds``, without asking the store."""
        hit = self.found.get(token_hash(token.strip()))
        return hit[1] if hit and time.monotonic() - hit[0] < self.seconds else None

    def authenticate(self, store: Store, token: str) -> Account:
        """``authenticate``, remembered for ``seconds``."""
        account = authenticate(store, token)
        with self.lock:
            if len(self.found) >= self.most:
                del self.found[next(iter(self.found))]
            self.found[token_hash(token.strip())] = (time.monotonic(), account)
        return account


def listing(store: Store) -> list[Account]:
    return [from_row(r) for r in repo.all_accounts(store)]


def revoke(store: Store, account_id: str) -> Account:
    row = repo.revoke(store, account_id)
    if row is None:
        raise NotFound(f"no account {account_id}")
    return from_row(row)
