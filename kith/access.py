"""Who may read and change which records: the rules of API.md in one place.

The public sees the directory only; a volunteer sees and edits their own record; a prescriber
sees the people they referred; coordinators and admins see everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from graph import people as people_repo
from graph.store import Store

from . import audit
from .accounts import Account, Role
from .errors import Forbidden, Unauthenticated

T = TypeVar("T")


def require(actor: Account | None, *roles: Role) -> Account:
    """The actor, if signed in with one of ``roles`` (admins may do anything)."""
    if actor is None:
        raise Unauthenticated("sign in: this needs a bearer token")
    if actor.role is not Role.ADMIN and actor.role not in roles:
        wanted = " or ".join(r.value.lower() for r in roles)
        raise Forbidden(f"only a {wanted} may do this")
    return actor


def readable(store: Store, actor: Account | None, person_ids: list[str]) -> set[str]:
    """Which of these people the actor may see."""
    if actor is None or not person_ids:
        return set()
    if actor.sees_everyone:
        return set(person_ids)
    if actor.role is Role.PRESCRIBER:
        return people_repo.referred_by(store, actor.id, person_ids)
    if actor.role is Role.VOLUNTEER and actor.person_id in person_ids:
        return {actor.person_id}
    return set()


def per_person(
    store: Store, actor: Account | None, person_ids: list[str], action: str,
    fetch: Callable[[list[str]], dict[str, T]],
) -> dict[str, T | Exception]:  # fmt: skip
    """What ``fetch`` finds for each of these people the actor may read, and a refusal for each
    they may not: one check, one read and one audit (``action``, ids only, the refused as
    denied) for them all, so a list that shows many people reads them as one."""
    allowed = readable(store, actor, person_ids)
    denied = [i for i in person_ids if i not in allowed]
    if denied:
        audit.record(store, actor, action, denied, outcome="denied")
    found = fetch(sorted(allowed)) if allowed else {}
    if found:
        audit.record(store, actor, action, sorted(found))
    out: dict[str, T | Exception] = {i: Forbidden(f"you may not see person {i}") for i in denied}
    out.update(found)
    return out
