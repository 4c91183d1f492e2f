"""Groups, venues, activities and taxonomy terms as GraphQL types."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from kith import domain
from kith.domain import TermKind
from kith.listing_reviews import due

from ..context import Info

if TYPE_CHECKING:
    from .people import Gender

Weekday = strawberry.enum(domain.Weekday)
ListingStatus = strawberry.enum(domain.ListingStatus)
Audience = strawberry.enum(domain.Audience)
TermKindEnum = strawberry.enum(domain.TermKind, name="TermKind")


@strawberry.type(
    description="Who an activity is for: genders (none listed: any) and ages, inclusive "
    "(ORUK / HSDS minimum_age, maximum_age)."
)
class Eligibility:
    genders: list[Annotated[Gender, strawberry.lazy("api.types.people")]]
    min_age: int | None
    max_age: int | None


@strawberry.type(description="A taxonomy term: an interest, skill, condition, need or language.")
class Term:
    id: strawberry.ID
    name: str
    kind: TermKindEnum  # type: ignore[valid-type]
    synonyms: list[str]
    broader_id: strawberry.Private[str | None]

    @strawberry.field(description="The broader term this one sits under, if any.")
    def broader(self, info: Info) -> Term | None:
        parent = info.context.kith.taxonomy.get(self.kind, self.broader_id or "")
        return term(parent) if parent else None


def term(t: domain.Term) -> Term:
    return Term(id=strawberry.ID(t.id), name=t.name, kind=t.kind, synonyms=list(t.synonyms),
                broader_id=t.broader)  # fmt: skip


def terms(info: Info, kinds: tuple[TermKind, ...], ids: list[str]) -> list[Term]:
    """Terms for ids, looked up in each kind in turn (an activity supports conditions or needs)."""
    taxonomy = info.context.kith.taxonomy
    found = (next((t for k in kinds if (t := taxonomy.get(k, i))), None) for i in ids)
    return [term(t) for t in found if t]


@strawberry.type(description="A place where activities happen, with its access features.")
class Venue(domain.Venue):
    id: strawberry.ID


@strawberry.type(description="A community group or organisation that runs activities.")
class Group(domain.Group):
    id: strawberry.ID


@strawberry.type(description="One weekly session of an activity; times are HH:MM, local time.")
class Session:
    day: Weekday  # type: ignore[valid-type]
    start: str
    end: str | None


def venue(v: domain.Venue | None) -> Venue | None:
    return Venue(**asdict(v)) if v else None


def group(g: domain.Group | None) -> Group | None:
    return Group(**asdict(g)) if g else None


@strawberry.type(description="A regular activity: where and when it meets, what it is about.")
class Activity:
    record: strawberry.Private[domain.Activity]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def description(self) -> str | None:
        return self.record.description

    @strawberry.field
    def cost(self) -> float | None:
        return self.record.cost

    @strawberry.field(description="True when it costs nothing to take part.")
    def free(self) -> bool:
        return self.record.free

    @strawberry.field
    def audience(self) -> Audience:  # type: ignore[valid-type]
        return self.record.audience

    @strawberry.field(description="Who may come; null when it is open to all.")
    def eligibility(self) -> Eligibility | None:
        e = self.record.eligibility
        if e.open:
            return None
        return Eligibility(genders=list(e.genders), min_age=e.min_age, max_age=e.max_age)

    @strawberry.field(
        description="ACTIVE, or closed for now or for good: a closed listing is "
        "never suggested, and search shows it as closed, after the open ones."
    )
    def status(self) -> ListingStatus:  # type: ignore[valid-type]
        return self.record.status

    @strawberry.field(description="When its organiser or a coordinator last said it is right.")
    def last_reviewed_on(self) -> date | None:
        return self.record.last_reviewed_on

    @strawberry.field(
        description="True once its review cycle has passed since the last review "
        "(KITH_REVIEW_MONTHS, 6 by default), or when it never was reviewed."
    )
    def review_due(self, info: Info) -> bool:
        return due(info.context.kith, self.record)

    @strawberry.field
    def schedule(self) -> list[Session]:
        return [Session(day=s.day, start=s.start, end=s.end) for s in self.record.sessions]

    @strawberry.field
    async def group(self, info: Info) -> Group | None:
        if not self.record.group_id:
            return None
        kith = info.context.kith
        return group(await info.context.loader("group", kith.groups).load(self.record.group_id))

    @strawberry.field
    async def venue(self, info: Info) -> Venue | None:
        kith = info.context.kith
        return venue(await info.context.loader("venue", kith.venues).load(self.record.venue_id))

    @strawberry.field
    def interests(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.INTEREST,), self.record.interests)

    @strawberry.field(description="Conditions and needs this activity supports.")
    def supports(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.CONDITION, TermKind.NEED), self.record.supports)

    @strawberry.field(description="Languages the activity is run in (taxonomy names).")
    def languages(self, info: Info) -> list[str]:
        return [t.name for t in terms(info, (TermKind.LANGUAGE,), self.record.languages)]


def activity(a: domain.Activity | None) -> Activity | None:
    return Activity(record=a) if a else None
