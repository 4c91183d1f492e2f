"""Who may read and change which records: the rules of API.md in one place.

The public sees the directory only; a volunteer sees and edits their own record; a prescriber
sees the people they referred; coordinators and admins see everyone.
"""

from __future__ import annotations

from graph import people as people_repo
from graph.store import Store

from .accounts import Account, Role
from .errors import Forbidden, Unauthenticated


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
