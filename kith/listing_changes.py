"""Organisers keep their own groups' listings: sessions, cost, description and status.

An organiser's change waits for a coordinator unless a coordinator trusts them; a coordinator's
(or a trusted organiser's) is applied at once. A waiting change holds the fields it proposes
and those fields as the live listing had them then, so that the queue shows each difference
from the live version, and a coordinator can tell when the listing has moved on since. When
an organiser proposes again for a listing, their newer proposal replaces their older pending
one: the queue holds what they want now, not their drafts. Whatever is applied becomes a new
version (kith/listing_versions.py). Organisers never see anyone's records here: a change names
only the accounts that made and decided it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import Any

from graph import listing_changes as repo

from . import accounts, audit, listing_versions
from .access import require
from .accounts import Account, Role
from .curation import cost, sessions
from .domain import Activity, ListingStatus
from .errors import InvalidInput, NotFound
from .listing_reviews import kept
from .people import new_id, text
from .schedule_words import in_words
from .service import MAX_PAGE, Kith, offset_of

EDITABLE = ("sessions", "cost", "description", "status")
MAX_NOTE = 500
STATUS_WORDS = {ListingStatus.ACTIVE: "Active", ListingStatus.TEMPORARILY_CLOSED:
                "Temporarily closed", ListingStatus.CLOSED: "Closed"}  # fmt: skip


class ChangeState(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    REPLACED = "REPLACED"  # by its organiser's newer proposal for the same listing


class Outcome(Enum):
    APPLIED = "APPLIED"
    PENDING = "PENDING"


@dataclass(frozen=True)
class Difference:
    field: str
    live: str
    proposed: str


@dataclass(frozen=True)
class ListingChange:
    id: str
    activity_id: str
    activity: Activity | None
    proposed: dict[str, Any]
    was: dict[str, Any]
    against_version: int
    at: str
    by_id: str
    by_name: str
    state: ChangeState
    decided_at: str | None = None
    decided_by: str | None = None
    note: str | None = None

    def differences(self) -> list[Difference]:
        """Each field proposed, as the live listing has it now and as proposed."""
        live = fields_of(self.activity) if self.activity else self.was
        return [Difference(f, describe(f, live[f]), describe(f, self.proposed[f]))
                for f in EDITABLE if f in self.proposed]  # fmt: skip

    @property
    def stale(self) -> bool:
        """True when the live listing has changed in these fields since this was proposed."""
        return self.activity is not None and any(
            getattr(self.activity, f) != v for f, v in self.was.items()
        )


@dataclass(frozen=True)
class Update:
    outcome: Outcome
    activity: Activity
    change: ListingChange | None


@dataclass(frozen=True)
class ChangePage:
    changes: list[ListingChange]
    total: int
    offset: int
    has_next: bool


def describe(field: str, value: Any) -> str:
    """A field's value as a person reads it: "Tuesdays 10:00–12:00", "£1.50", "free"."""
    if field == "sessions":
        return in_words(value) or "none"
    if field == "cost":
        return "not given" if value is None else "free" if value == 0 else f"£{value:.2f}"
    if field == "status":
        return STATUS_WORDS[value]
    return value or "none"


def fields_of(activity: Activity) -> dict[str, Any]:
    return {f: getattr(activity, f) for f in EDITABLE}


def checked(form: dict[str, Any]) -> dict[str, Any]:
    """The fields given (a key left out is not changed; ``cost`` or ``description`` given as
    None clears it), checked as a coordinator's are."""
    out: dict[str, Any] = {}
    if "sessions" in form:
        out["sessions"] = sessions(form["sessions"] or [])
    if "cost" in form:
        out["cost"] = cost(form["cost"])
    if "description" in form:
        out["description"] = text(form["description"], "description", 4000)
    if "status" in form:
        if form["status"] not in ListingStatus.__members__ and not isinstance(
            form["status"], ListingStatus
        ):
            raise InvalidInput("status", "choose ACTIVE, TEMPORARILY_CLOSED or CLOSED")
        out["status"] = ListingStatus(getattr(form["status"], "value", form["status"]))
    return out


def update(kith: Kith, actor: Account | None, activity_id: str, form: dict[str, Any]) -> Update:
    """Change a listing one keeps: applied at once for a coordinator or a trusted organiser,
    else kept for a coordinator's approval (the live listing unchanged until then)."""
    live = kept(kith, actor, activity_id)
    assert actor is not None  # kept() refuses the public
    wanted = {f: v for f, v in checked(form).items() if getattr(live, f) != v}
    if not wanted:
        raise InvalidInput("input", "nothing differs from the live listing: change its "
                           "sessions, cost, description or status")  # fmt: skip
    # Trust is read afresh: a bearer token's account may be up to accounts.TOKEN_SECONDS old.
    if actor.sees_everyone or accounts.by_id(kith.store, actor.id).trusted:
        done = listing_versions.change(kith, actor, live.id, "CHANGED", **wanted)
        return Update(Outcome.APPLIED, done, None)
    proposal = {"id": new_id("lc"), "byId": actor.id, "byName": actor.name,
                "proposed": wanted, "was": {f: getattr(live, f) for f in wanted}}  # fmt: skip
    if repo.propose(kith.store, live.id, proposal) is None:
        raise NotFound(f"no activity {activity_id}")
    return Update(Outcome.PENDING, live, one(kith, proposal["id"]))


def listing(
    kith: Kith, actor: Account | None, open: bool | None, first: int, after: str | None
) -> ChangePage:
    """A page of changes, newest first (pending ones unless asked otherwise): every one for a
    coordinator, their own for an organiser."""
    account = require(actor, Role.COORDINATOR, Role.ORGANISER)
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    offset = offset_of(after)
    rows = repo.every(kith.store, open, None if account.sees_everyone else account.id)
    page = rows[offset : offset + first]
    return ChangePage(changes_of(kith, page), len(rows), offset, offset + first < len(rows))


def approve(kith: Kith, actor: Account | None, change_id: str) -> ListingChange:
    """Apply a pending change to the live listing, as a new version (audited)."""
    actor = require(actor, Role.COORDINATOR)
    apply = partial(applied, change=one(kith, change_id))
    return decided(kith, actor, change_id, ChangeState.APPROVED, None, apply)


def reject(kith: Kith, actor: Account | None, change_id: str, note: object) -> ListingChange:
    """Turn a pending change down, saying why (its organiser sees the note); audited."""
    actor = require(actor, Role.COORDINATOR)
    said = text(note, "note", MAX_NOTE)
    one(kith, change_id)
    return decided(kith, actor, change_id, ChangeState.REJECTED, said, None)


def applied(held: Activity | None, change: ListingChange) -> Activity:
    if held is None:
        raise NotFound(f"no activity {change.activity_id}")
    return listing_versions.reviewed(held, **change.proposed)


def decided(
    kith: Kith, actor: Account, change_id: str, state: ChangeState, note: str | None,
    apply: Callable[[Activity | None], Activity] | None,
) -> ListingChange:  # fmt: skip
    row = repo.decide(kith.store, change_id, state.value, listing_versions.author(actor), note,
                      apply)  # fmt: skip
    if row is None:
        raise NotFound(f"no listing change {change_id}")
    audit.record(kith.store, actor, f"listing_change.{state.value.lower()}", [change_id])
    return changes_of(kith, [row])[0]


def one(kith: Kith, change_id: str) -> ListingChange:
    row = repo.one(kith.store, change_id)
    if row is None:
        raise NotFound(f"no listing change {change_id}")
    return changes_of(kith, [row])[0]


def changes_of(kith: Kith, rows: list[dict[str, Any]]) -> list[ListingChange]:
    activities = kith.activities(sorted({r["activity"] for r in rows}))
    return [
        ListingChange(
            id=r["id"], activity_id=r["activity"], activity=activities.get(r["activity"]),
            proposed=r["proposed"], was=r["was"], against_version=r["againstVersion"],
            at=r["at"], by_id=r["byId"], by_name=r["byName"], state=ChangeState(r["state"]),
            decided_at=r.get("decidedAt"), decided_by=r.get("decidedBy"), note=r.get("note"),
        )
        for r in rows
    ]  # fmt: skip
