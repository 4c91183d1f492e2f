"""A referral's life, RECEIVED to closed: who may see a referral and who may move it on.

A coordinator sees and moves every referral. A prescriber sees the referrals they made, and
may only withdraw them. Anyone else sees none. A referral someone may not see is "not found"
rather than "forbidden", so that its id, which travels in letters and messages, does not
confirm that it exists. Each change is written over the version read (a change made
meanwhile makes this one a conflict, not a lost update), added to the history and audited
with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from graph import accounts as accounts_repo
from graph import referrals as repo

from . import audit, unmet
from .access import require
from .accounts import Account, Role, from_row
from .domain import Referral, ReferralEvent, ReferralStatus
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .people import text
from .service import MAX_PAGE, Kith, offset_of

S = ReferralStatus
OUTCOMES = (S.COMPLETED, S.DID_NOT_ENGAGE, S.WITHDRAWN)
# The states each change may start from; closing as WITHDRAWN may also come early.
ACCEPT_FROM = (S.RECEIVED,)
DECLINE_FROM = (S.RECEIVED,)
CONTACT_FROM = (S.ACCEPTED, S.IN_PROGRESS)
CLOSE_FROM = {S.COMPLETED: (S.IN_PROGRESS,), S.DID_NOT_ENGAGE: (S.IN_PROGRESS,),
              S.WITHDRAWN: (S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS)}  # fmt: skip
CLOCK_SKEW = timedelta(minutes=5)  # a contact "now" on a device a little ahead of the server


@dataclass(frozen=True)
class ReferralPage:
    referrals: list[Referral]
    total: int
    offset: int
    has_next: bool


def visible_to(actor: Account, referral: Referral) -> bool:
    return actor.sees_everyone or referral.referrer_id == actor.id


def get(kith: Kith, actor: Account | None, referral_id: str) -> Referral:
    """The referral, if the actor may see it; audited."""
    actor = require(actor, Role.COORDINATOR, Role.PRESCRIBER)
    found = repo.by_ids(kith.store, [referral_id]).get(referral_id)
    if found is None or not visible_to(actor, found):
        audit.record(kith.store, actor, "referral.read", [referral_id], outcome="denied")
        raise NotFound(f"no referral {referral_id}")
    audit.record(kith.store, actor, "referral.read", [referral_id])
    return found


def listing(
    kith: Kith, actor: Account | None, statuses: list[ReferralStatus] | None,
    assigned_to_me: bool, first: int, after: str | None,
) -> ReferralPage:  # fmt: skip
    """A page of the referrals the actor may see, newest first: every one for a coordinator,
    their own for a prescriber; audited."""
    actor = require(actor, Role.COORDINATOR, Role.PRESCRIBER)
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    offset = offset_of(after)
    every = repo.every(kith.store) if actor.sees_everyone else repo.made_by(kith.store, actor.id)
    wanted = [r for r in every if (not statuses or r.status in statuses)
              and (not assigned_to_me or r.coordinator_id == actor.id)]  # fmt: skip
    page = wanted[offset : offset + first]
    if page:
        audit.record(kith.store, actor, "referral.read", [r.id for r in page])
    return ReferralPage(page, len(wanted), offset, offset + first < len(wanted))


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, list[Referral]]:
    """For each person, oldest first, the referrals the actor may see: every one for a
    coordinator, their own for a prescriber, none for anyone else; audited."""
    out: dict[str, list[Referral]] = {i: [] for i in person_ids}
    if actor is None or not (actor.sees_everyone or actor.role is Role.PRESCRIBER):
        return out
    shown = [r for r in repo.for_people(kith.store, person_ids) if visible_to(actor, r)]
    for referral in shown:
        out[referral.person_id].append(referral)
    if shown:
        audit.record(kith.store, actor, "referral.read", [r.id for r in shown])
    return out


def accounts_named(kith: Kith, ids: list[str]) -> dict[str, Account]:
    """The accounts a referral names (referrer, coordinator, who made each change)."""
    rows = {i: accounts_repo.by_id(kith.store, i) for i in ids}
    return {i: from_row(row) for i, row in rows.items() if row}


def move(
    kith: Kith, actor: Account, referral: Referral, to: ReferralStatus,
    allowed: tuple[ReferralStatus, ...], note: str | None = None, **changes: object,
) -> Referral:  # fmt: skip
    """The referral moved to ``to`` with ``changes``, its history and the audit trail told, or
    a conflict naming the state it is in."""
    if referral.status not in allowed:
        raise Conflict(f"referral {referral.id} is {referral.status.value}: it cannot become "
                       f"{to.value}")  # fmt: skip
    event = ReferralEvent(audit.now(), actor.id, referral.status, to, note)
    after = replace(referral, status=to, history=[*referral.history, event],
                    version=referral.version + 1, **changes)  # type: ignore[arg-type]  # fmt: skip
    if not repo.change(kith.store, referral, after):
        raise Conflict(f"referral {referral.id} changed meanwhile: read it again")
    audit.record(kith.store, actor, f"referral.{to.value.lower()}", [referral.id])
    return after


def accept(
    kith: Kith, actor: Account | None, referral_id: str, coordinator_id: str | None
) -> Referral:
    """A coordinator takes the referral on, naming who will (themself unless they say)."""
    actor = require(actor, Role.COORDINATOR)
    coordinator = named_coordinator(kith, coordinator_id) if coordinator_id else actor
    referral = get(kith, actor, referral_id)
    return move(kith, actor, referral, S.ACCEPTED, ACCEPT_FROM, accepted_at=audit.now(),
                coordinator_id=coordinator.id)  # fmt: skip


def named_coordinator(kith: Kith, account_id: str) -> Account:
    row = accounts_repo.by_id(kith.store, account_id)
    if row is None or row.get("revoked") or row.get("role") != Role.COORDINATOR.value:
        raise InvalidInput("coordinatorId", f"{account_id} is not a coordinator's account")
    return from_row(row)


def decline(kith: Kith, actor: Account | None, referral_id: str, reason: str) -> Referral:
    actor = require(actor, Role.COORDINATOR)
    why = text(reason, "reason", 1000, required=True)
    referral = get(kith, actor, referral_id)
    declined = move(kith, actor, referral, S.DECLINED, DECLINE_FROM, why, decline_reason=why,
                    closed_at=audit.now())  # fmt: skip
    unmet.referral_closed(kith, declined)
    return declined


def record_contact(
    kith: Kith, actor: Account | None, referral_id: str, at: datetime | None, note: str | None
) -> Referral:
    """A contact with the person: the first one starts the work (IN_PROGRESS)."""
    actor = require(actor, Role.COORDINATOR)
    when = contact_time(at)
    said = text(note, "note", 1000)
    referral = get(kith, actor, referral_id)
    first = referral.first_contact_at or when
    return move(kith, actor, referral, S.IN_PROGRESS, CONTACT_FROM, said or f"contact at {when}",
                first_contact_at=first)  # fmt: skip


def contact_time(at: datetime | None) -> str:
    now = datetime.now(UTC)
    when = now if at is None else (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)
    if when > now + CLOCK_SKEW:
        raise InvalidInput("at", "must not be in the future")
    return when.isoformat(timespec="milliseconds")


def close(
    kith: Kith, actor: Account | None, referral_id: str, outcome: ReferralStatus,
    note: str | None,
) -> Referral:  # fmt: skip
    """Close with an outcome; a prescriber may only withdraw a referral of their own."""
    actor = require(actor, Role.COORDINATOR, Role.PRESCRIBER)
    if outcome not in OUTCOMES:
        names = ", ".join(o.value for o in OUTCOMES)
        raise InvalidInput("outcome", f"{outcome.value} is not an outcome: one of {names}")
    said = text(note, "note", 1000)
    referral = get(kith, actor, referral_id)
    if not actor.sees_everyone and outcome is not S.WITHDRAWN:
        raise Forbidden("a prescriber may only withdraw a referral")
    closed = move(kith, actor, referral, outcome, CLOSE_FROM[outcome], said,
                  closed_at=audit.now())  # fmt: skip
    unmet.referral_closed(kith, closed)
    return closed
