"""Outreach lists, contacts and check-ins as GraphQL types: a person's contacts and cadence are
read through one authorising, auditing loader each per request (kith/contacts.py)."""

from __future__ import annotations

import datetime

import strawberry

from kith import contacts, outreach
from kith.domain import Place
from kith.service import cursor

from ..context import Info
from .people import Person, wrap
from .search import PageInfo, PlaceInput

ContactKind = strawberry.enum(contacts.ContactKind)


@strawberry.type(description="A phone call, visit or message with the person (coordinators).")
class Contact:
    record: strawberry.Private[contacts.Contact]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def kind(self) -> ContactKind:  # type: ignore[valid-type]
        return self.record.kind

    @strawberry.field
    def at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.record.at)

    @strawberry.field
    def note(self) -> str | None:
        return self.record.note


@strawberry.input(description="A contact: when (now if left out; never in the future), a note.")
class ContactInput:
    kind: ContactKind  # type: ignore[valid-type]
    at: datetime.datetime | None = None
    note: str | None = None


@strawberry.input(
    description="Who to reach: every condition given must hold; minAge is the age reached "
    "this year, from the birth year; withoutBuddy means no proposed or agreed pairing; "
    "withoutActivity no activity gone to now; noContactForDays no contact recorded for that "
    "long, or ever; near with radiusKm (default 5) where they live."
)
class OutreachInput:
    min_age: int | None = None
    lives_alone: bool | None = None
    without_buddy: bool | None = None
    without_activity: bool | None = None
    no_contact_for_days: int | None = None
    near: PlaceInput | None = None
    radius_km: float | None = None


@strawberry.type
class PersonEdge:
    cursor: str
    node: Person
    reasons: list[str] = strawberry.field(description="Why they are on the list.")


@strawberry.type
class PersonConnection:
    edges: list[PersonEdge]
    page_info: PageInfo
    total_count: int


def connection(page: outreach.OutreachPage) -> PersonConnection:
    edges = [PersonEdge(cursor=cursor(page.offset + i), node=wrap(person), reasons=p.reasons)
             for i, (person, p) in enumerate(page.entries)]  # fmt: skip
    end = edges[-1].cursor if edges else None
    return PersonConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=page.total,
    )  # fmt: skip


async def contacts_of(info: Info, person_id: str) -> list[Contact]:
    c = info.context
    loader = c.loader("contacts", lambda ids: contacts.of_people(c.kith, c.actor, ids))
    return [Contact(record=r) for r in await loader.load(person_id)]


async def check_in_of(info: Info, person_id: str) -> contacts.CheckIn | None:
    c = info.context
    loader = c.loader("check-in", lambda ids: contacts.check_ins_of(c.kith, c.actor, ids))
    return await loader.load(person_id)


def criteria(given: OutreachInput, near: Place | None) -> outreach.Criteria:
    """The service's criteria from the input, its place already resolved."""
    return outreach.Criteria(
        min_age=given.min_age, lives_alone=given.lives_alone,
        without_buddy=bool(given.without_buddy), without_activity=bool(given.without_activity),
        no_contact_for_days=given.no_contact_for_days, near=near, radius_km=given.radius_km,
    )  # fmt: skip
