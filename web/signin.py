"""Signing in to the pages and out again: a session cookie names the account; a bearer token is
for the API. Repeated failures lock a sign-in name for a while (kith/lockout.py)."""

from __future__ import annotations

import math

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kith import accounts
from kith.accounts import Account, Role
from kith.errors import Unauthenticated
from kith.lockout import Lockout
from kith.service import Kith

from .render import page, see_other
from .security import csrf_token

SESSION_KEY = "account"


class SessionActor:
    """Puts the signed-in account in ``scope["actor"]``, as ``BearerAuth`` does for a token,
    so that every page hands the service the same kind of actor the API does. An account
    revoked since sign-in ends the session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("actor") is None:
            session = scope["session"]
            account_id = session.get(SESSION_KEY)
            if account_id:
                store = scope["app"].state.kith.store
                try:
                    scope["actor"] = await run_in_threadpool(accounts.by_id, store, account_id)
                except Unauthenticated:
                    session.clear()
        await self.app(scope, receive, send)


HOMES = {
    Role.VOLUNTEER: "/my-record",
    Role.PRESCRIBER: "/referrals",
    Role.ORGANISER: "/my-listings",
}


def home_of(actor: Account) -> str:
    """Where a person lands after signing in: a volunteer at their own record, a prescriber at
    their referrals, everyone else at the directory."""
    return HOMES.get(actor.role, "/")


def safe_next(target: str | None) -> str | None:
    """A place on this site to go back to, never another site ("//evil", "https://...")."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


def start_session(request: Request, actor: Account) -> None:
    """A fresh session for the account: nothing carried over from before sign-in, a new CSRF
    token, so a session planted before sign-in is worth nothing after it."""
    request.session.clear()
    request.session[SESSION_KEY] = actor.id
    csrf_token(request)


async def sign_in_page(request: Request) -> Response:
    return page(request, "sign_in.html", next=safe_next(request.query_params.get("next")),
                login="", error=None)  # fmt: skip


async def sign_in(request: Request, form: FormData) -> Response:
    """Check the name and password unless the name is locked; count failures."""
    login, password = str(form.get("login", "")), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    outcome = await run_in_threadpool(attempt, request.app.state.kith, login, password)
    if isinstance(outcome, Account):
        start_session(request, outcome)
        return see_other(target or home_of(outcome))
    error, status = outcome
    return page(request, "sign_in.html", status, next=target, login=login, error=error)


def attempt(kith: Kith, login: str, password: str) -> Account | tuple[str, int]:
    """The account, or what to tell the person and the status to answer with."""
    store, lockout = kith.store, Lockout(kith.store)
    if locked := lockout.seconds_locked(login):
        return locked_message(locked), 429
    try:
        actor = accounts.sign_in(store, login, password)
    except Unauthenticated as wrong:
        if locked := lockout.failed(login):
            return locked_message(locked), 429
        left = lockout.attempts_left(login)
        return (f"Sorry, {wrong}. {left} more {'try' if left == 1 else 'tries'} before this "
                "sign-in name is locked for a while.", 401)  # fmt: skip
    lockout.succeeded(login)
    return actor


def locked_message(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    return (f"Too many wrong passwords: signing in with this name is locked for {minutes} more "
            f"minute{'s' if minutes != 1 else ''}. Try again then, or ask a coordinator to "
            "reset your password.")  # fmt: skip


async def sign_out(request: Request, form: FormData) -> Response:
    request.session.clear()
    return see_other("/", request, "You have signed out.")
