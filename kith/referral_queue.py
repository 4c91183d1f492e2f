"""The coordinator's queue of referrals: which to take on next, and how long each has waited.

New referrals (RECEIVED) come first, the most urgent first and, within an urgency, the one
that has waited longest: that is the order a coordinator should pick them up in. Then those
being worked on (ACCEPTED, IN_PROGRESS) in the same order, then the closed ones, the most
recently closed first. A queue may hold hundreds, so it is shown a page at a time, and only
the page shown is read as a read of those referrals and people (audited, ids only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from graph import referrals as repo

from . import accounts, audit, contacts, people, referral_states, wellbeing
from .access import require
from .accounts import Account, Role
from .domain import Person, Referral, ReferralStatus
from .errors import InvalidInput
from .service import Kith

S = ReferralStatus
LIVE = (S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS)
URGENCY_RANK = {u: i for i, u in enumerate(reversed(people.URGENCIES))}  # URGENT first
PAGE_SIZE = 20


@dataclass(frozen=True)
class Actions:
    """What a coordinator may do next with a referral, by the rules of kith.referral_states,
    so that a page offers only the moves the service would allow."""

    accept: bool
    decline: bool
    contact: bool
    outcomes: tuple[ReferralStatus, ...]


@dataclass(frozen=True)
class Row:
    """One referral in the queue, with the name of the person it is for (None: no longer
    held), how long it has waited and who took it on."""

    referral: Referral
    person: Person | None
    waited: str
    coordinator: str | None
    actions: Actions


@dataclass(frozen=True)
class QueuePage:
    rows: list[Row]
    total: int
    page: int
    pages: int


def rank(referral: Referral) -> tuple[int, int, str, str]:
    group = 0 if referral.status is S.RECEIVED else 1
    urgency = URGENCY_RANK.get(referral.urgency, len(URGENCY_RANK))
    return group, urgency, referral.received_at, referral.id


def ordered(referrals: list[Referral]) -> list[Referral]:
    """The queue's order: new, then being worked on (each by urgency, then oldest first),
    then closed, the most recently closed first."""
    live = sorted((r for r in referrals if r.status in LIVE), key=rank)
    closed = sorted((r for r in referrals if r.status not in LIVE),
                    key=lambda r: (r.closed_at or r.received_at, r.id), reverse=True)  # fmt: skip
    return live + closed


def moment(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def waited(referral: Referral, now: datetime) -> timedelta:
    """How long the referral waited to be taken on (or turned down, or withdrawn): until now
    while nobody has."""
    end = referral.accepted_at or referral.closed_at
    return (moment(end) if end else now) - moment(referral.received_at)


def how_long(wait: timedelta) -> str:
    """A wait as a person says it: "under an hour", "5 hours", "1 day", "3 days", "2 weeks"."""
    hours = int(wait.total_seconds() // 3600)
    if hours < 1:
        return "under an hour"
    if hours < 24:
        return plural(hours, "hour")
    return plural(wait.days, "day") if wait.days < 14 else plural(wait.days // 7, "week")


def plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def actions(referral: Referral) -> Actions:
    status = referral.status
    return Actions(
        accept=status in referral_states.ACCEPT_FROM,
        decline=status in referral_states.DECLINE_FROM,
        contact=status in referral_states.CONTACT_FROM,
        outcomes=tuple(o for o, starts in referral_states.CLOSE_FROM.items() if status in starts),
    )


def queue(
    kith: Kith, actor: Account | None, assigned_to_me: bool = False, page: int = 1,
    size: int = PAGE_SIZE,
) -> QueuePage:  # fmt: skip
    """One page of the queue, for a coordinator: every referral, or those assigned to them."""
    actor = require(actor, Role.COORDINATOR)
    if page < 1:
        raise InvalidInput("page", "must be 1 or more")
    every = repo.every(kith.store)
    wanted = ordered([r for r in every if not assigned_to_me or r.coordinator_id == actor.id])
    shown = wanted[(page - 1) * size : page * size]
    return QueuePage(rows(kith, actor, shown), len(wanted), page,
                     max(1, math.ceil(len(wanted) / size)))  # fmt: skip


def rows(kith: Kith, actor: Account, shown: list[Referral]) -> list[Row]:
    """The page's referrals with their people (read as any read is) and coordinators."""
    if not shown:
        return []
    audit.record(kith.store, actor, "referral.read", [r.id for r in shown])
    found = people.read(kith, actor, sorted({r.person_id for r in shown}))
    taken = sorted({r.coordinator_id for r in shown if r.coordinator_id})
    names = {i: a.name for i, a in referral_states.accounts_named(kith, taken).items()}
    now = datetime.now(UTC)
    return [
        Row(r, p if isinstance(p := found.get(r.person_id), Person) else None,
            how_long(waited(r, now)), names.get(r.coordinator_id or ""), actions(r))
        for r in shown
    ]  # fmt: skip


def coordinators(kith: Kith, actor: Account | None) -> list[Account]:
    """The coordinators a referral may be given to (live accounts), by name: whom a
    coordinator may name when accepting a referral for a colleague."""
    require(actor, Role.COORDINATOR)
    found = [
        a for a in accounts.listing(kith.store) if a.role is Role.COORDINATOR and not a.revoked
    ]
    return sorted(found, key=lambda a: (a.name.casefold(), a.id))


@dataclass(frozen=True)
class Due:
    """Someone to get back to, for the queue: who, what is due, and since when."""

    person: Person
    what: str
    due_on: date


def follow_ups(kith: Kith, actor: Account | None, today: date) -> list[Due]:
    """The people whose wellbeing follow-up is due by ``today``, longest overdue first."""
    due = wellbeing.follow_ups_due(kith, actor, today)
    return named(kith, actor, [(f.person_id, ", ".join(f.measures), f.due_on) for f in due])


def check_ins(kith: Kith, actor: Account | None, today: date) -> list[Due]:
    """The people whose check-in is due by ``today``, longest overdue first."""
    due = contacts.check_ins_due(kith, actor, today)
    return named(kith, actor, [(c.person_id, f"every {c.every_days} days", c.due_on)
                               for c in due])  # fmt: skip


def named(kith: Kith, actor: Account | None, due: list[tuple[str, str, date]]) -> list[Due]:
    """Each one due with their record (an audited read), leaving out anyone gone meanwhile."""
    found = people.read(kith, actor, [person_id for person_id, _, _ in due])
    return [Due(found[i], what, on) for i, what, on in due if isinstance(found[i], Person)]
