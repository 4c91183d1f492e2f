"""Referrals as GraphQL types: the record, its history and the connection that pages them.

The person a referral is for is read through the authorising, auditing loader, except in the
answer to ``referPerson``, which shows the person exactly as they were sent (``shown``)."""

from __future__ import annotations

import datetime

import strawberry

from kith import domain, referral_states, referrals
from kith.referral_states import ReferralPage
from kith.service import cursor

from ..context import Info
from .directory import Activity
from .inputs import ReferralSource, ReferralStatus, Urgency
from .people import Account, Person, account, load_people, wrap
from .search import PageInfo
from .wellbeing import WellbeingChange


async def load_account(info: Info, account_id: str | None) -> Account | None:
    if account_id is None:
        return None
    c = info.context
    named = c.loader("account", lambda ids: referral_states.accounts_named(c.kith, ids))
    found = await named.load(account_id)
    return account(found) if found else None


def coordinating(info: Info) -> bool:
    actor = info.context.actor
    return actor is not None and actor.sees_everyone


def moment(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None


@strawberry.type(description="One change of a referral: who, when, from which state to which.")
class ReferralEvent:
    record: strawberry.Private[domain.ReferralEvent]

    @strawberry.field
    def at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.record.at)

    @strawberry.field
    async def by(self, info: Info) -> Account | None:
        return await load_account(info, self.record.by)

    @strawberry.field(name="from", description="Null for the referral's arrival.")
    def old(self) -> ReferralStatus | None:  # type: ignore[valid-type]
        return self.record.old

    @strawberry.field
    def to(self) -> ReferralStatus:  # type: ignore[valid-type]
        return self.record.new

    @strawberry.field
    def note(self) -> str | None:
        return self.record.note


@strawberry.type(
    description="An activity a referred person took up, and when they started and stopped."
)
class OfferedActivity:
    activity: Activity
    since: datetime.date
    until: datetime.date | None = strawberry.field(description="Null while they still go.")


@strawberry.type(
    description="What a closed referral offered: the activities the person took up between the "
    "referral and its closing, and whether a volunteer buddy was agreed in that time (never who)."
)
class ReferralSummary:
    outcome: ReferralStatus  # type: ignore[valid-type]
    closed_on: datetime.date
    activities: list[OfferedActivity]
    buddy: str | None = strawberry.field(
        description=f'Says "{referrals.BUDDY}" when a buddy was agreed: a buddy is never named.'
    )
    wellbeing: list[WellbeingChange] = strawberry.field(
        description="Each score measured at a baseline and again since, with the change."
    )


def summary_of(found: referrals.Summary) -> ReferralSummary:
    return ReferralSummary(
        outcome=found.outcome, closed_on=found.closed_on, buddy=found.buddy,
        wellbeing=[WellbeingChange(record=c) for c in found.wellbeing],
        activities=[OfferedActivity(activity=Activity(record=g.activity), since=g.since,
                                    until=g.until) for g in found.activities],
    )  # fmt: skip


@strawberry.type(description="A referral of one person to Kith, and where it has got.")
class Referral:
    record: strawberry.Private[domain.Referral]
    shown: strawberry.Private[domain.Person | None] = None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    async def person(self, info: Info) -> Person:
        if self.shown is not None:
            return wrap(self.shown)
        return (await load_people(info, [self.record.person_id]))[0]

    @strawberry.field
    def source(self) -> ReferralSource:  # type: ignore[valid-type]
        return self.record.source

    @strawberry.field
    def reason(self) -> str:
        return self.record.reason

    @strawberry.field(description="ROUTINE, SOON or URGENT.")
    def urgency(self) -> Urgency:  # type: ignore[valid-type]
        return Urgency(self.record.urgency)

    @strawberry.field
    def status(self) -> ReferralStatus:  # type: ignore[valid-type]
        return self.record.status

    @strawberry.field(description="The account that made the referral.")
    async def referrer(self, info: Info) -> Account | None:
        return await load_account(info, self.record.referrer_id)

    @strawberry.field(description="The coordinator named when the referral was accepted.")
    async def coordinator(self, info: Info) -> Account | None:
        return await load_account(info, self.record.coordinator_id)

    @strawberry.field
    def received_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.record.received_at)

    @strawberry.field
    def accepted_at(self) -> datetime.datetime | None:
        return moment(self.record.accepted_at)

    @strawberry.field
    def first_contact_at(self) -> datetime.datetime | None:
        return moment(self.record.first_contact_at)

    @strawberry.field
    def closed_at(self) -> datetime.datetime | None:
        return moment(self.record.closed_at)

    @strawberry.field
    def decline_reason(self) -> str | None:
        return self.record.decline_reason

    @strawberry.field(description="Every change, oldest first.")
    def history(self) -> list[ReferralEvent]:
        return [ReferralEvent(record=e) for e in self.record.history]

    @strawberry.field(description="A self-referral's reference (coordinators only).")
    def reference(self, info: Info) -> str | None:
        return self.record.reference if coordinating(info) else None

    @strawberry.field(description="How a self-referrer asked to be contacted (coordinators only).")
    def contact(self, info: Info) -> str | None:
        return self.record.contact if coordinating(info) else None

    @strawberry.field(description="Once the referral is closed, what it offered; null before.")
    async def summary(self, info: Info) -> ReferralSummary | None:
        c = info.context
        found = await c.call(referrals.summary, c.kith, c.actor, self.record)
        return summary_of(found) if found else None


@strawberry.type
class ReferralEdge:
    cursor: str
    node: Referral


@strawberry.type
class ReferralConnection:
    edges: list[ReferralEdge]
    page_info: PageInfo
    total_count: int


def connection(page: ReferralPage) -> ReferralConnection:
    edges = [ReferralEdge(cursor=cursor(page.offset + i), node=Referral(record=r))
             for i, r in enumerate(page.referrals)]  # fmt: skip
    end = edges[-1].cursor if edges else None
    return ReferralConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=page.total,
    )  # fmt: skip
