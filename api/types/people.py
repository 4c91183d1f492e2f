"""People, volunteers, matches and accounts as GraphQL types.

Every person reached through the API — at the top or nested — is loaded through one
dataloader that authorises and audits the read (``kith.people.read``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from kith import accounts, attendance, domain, matches, people, referral_states, wellbeing
from kith.domain import TermKind

from ..context import Info
from .directory import Activity, Term, Weekday, terms
from .plans import Plan, plan_of

if TYPE_CHECKING:
    from .outreach import Contact
    from .referrals import Referral
    from .wellbeing import WellbeingChange, WellbeingRecord
    from .winter_plans import WinterPlan

Gender = strawberry.enum(domain.Gender)
DayPart = strawberry.enum(domain.DayPart)
AccessNeed = strawberry.enum(domain.AccessNeed)
MatchStatus = strawberry.enum(domain.MatchStatus)
PracticalNeed = strawberry.enum(domain.PracticalNeed)


@strawberry.type
class AvailabilitySlot:
    day: Weekday  # type: ignore[valid-type]
    part: DayPart  # type: ignore[valid-type]


@strawberry.type
class Preferences:
    buddy_gender: Gender | None  # type: ignore[valid-type]


async def load_people(info: Info, ids: list[str]) -> list[Person]:
    """People by id through the authorising, auditing loader (a refusal raises)."""
    context = info.context
    loader = context.loader("person", lambda batch: people.read(context.kith, context.actor, batch))
    return [wrap(p) for p in await loader.load_many(ids)]


@strawberry.type(description="Someone a coordinator supports (special-category data).")
class Person:
    record: strawberry.Private[domain.Person]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description='A decade band such as "70-79", from the birth year.')
    def age_band(self) -> str | None:
        return domain.age_band(self.record.birth_year)

    @strawberry.field
    def gender(self) -> Gender | None:  # type: ignore[valid-type]
        return self.record.gender

    @strawberry.field
    def postcode(self) -> str | None:
        return self.record.postcode

    @strawberry.field(description="Languages the person speaks (taxonomy names).")
    def languages(self, info: Info) -> list[str]:
        return [t.name for t in terms(info, (TermKind.LANGUAGE,), self.record.languages)]

    @strawberry.field
    def interests(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.INTEREST,), self.record.interests)

    @strawberry.field(description="What the person is good at: skills they can share.")
    def strengths(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.SKILL,), self.record.strengths)

    @strawberry.field(description="Conditions the person lives with (lived experience).")
    def conditions(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.CONDITION,), self.record.conditions)

    @strawberry.field
    def needs(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.NEED,), self.record.needs)

    @strawberry.field
    def availability(self) -> list[AvailabilitySlot]:
        return [AvailabilitySlot(day=a.day, part=a.part) for a in self.record.availability]

    @strawberry.field
    def access_needs(self) -> list[AccessNeed]:  # type: ignore[valid-type]
        return list(self.record.access_needs)

    @strawberry.field
    def preferences(self) -> Preferences:
        return Preferences(buddy_gender=self.record.buddy_gender)

    @strawberry.field
    def consent_to_matching(self) -> bool:
        return self.record.consent_to_matching

    @strawberry.field
    def is_volunteer(self) -> bool:
        return self.record.is_volunteer

    @strawberry.field(description="The people this person cares for.")
    async def cares_for(self, info: Info) -> list[Person]:
        return await load_people(info, self.record.cares_for)

    @strawberry.field(description="Buddy pairings, proposed, agreed or past.")
    async def buddies(self, info: Info) -> list[Match]:
        found = await info.context.call(matches.of_people, info.context.kith, [self.record.id])
        return [Match(record=m) for m in found]

    @strawberry.field(
        description="Referrals for this person, oldest first: every one for a coordinator, "
        "their own for a prescriber, none for anyone else."
    )
    async def referrals(
        self, info: Info
    ) -> list[Annotated[Referral, strawberry.lazy("api.types.referrals")]]:
        from .referrals import Referral  # here: that module builds on this one

        c = info.context
        made = c.loader("referrals", lambda ids: referral_states.of_people(c.kith, c.actor, ids))
        return [Referral(record=r) for r in await made.load(self.record.id)]

    @strawberry.field(description="Activities the person goes to now, longest-standing first.")
    async def activities(self, info: Info) -> list[Attendance]:
        c = info.context
        going = c.loader("attendance", lambda ids: attendance.of_people(c.kith, c.actor, ids))
        spells: list[domain.Attendance] = await going.load(self.record.id)
        found = await c.loader("activity", c.kith.activities).load_many(
            [s.activity_id for s in spells]
        )
        return [Attendance(activity=Activity(record=a), since=s.since)
                for s, a in zip(spells, found, strict=True) if a is not None]  # fmt: skip

    @strawberry.field(description="The person's single plan; null until one is written.")
    async def plan(self, info: Info) -> Plan | None:
        return await plan_of(info, self.record.id)

    @strawberry.field(description="Winter and carer emergency plan; null until one is written.")
    async def winter_plan(
        self, info: Info
    ) -> Annotated[WinterPlan, strawberry.lazy("api.types.winter_plans")] | None:
        from .winter_plans import winter_plan_of  # here: that module builds on this one

        return await winter_plan_of(info, self.record.id)

    @strawberry.field(description="Wellbeing measures taken, oldest first, with their scores.")
    async def wellbeing(
        self, info: Info
    ) -> list[Annotated[WellbeingRecord, strawberry.lazy("api.types.wellbeing")]]:
        from .wellbeing import WellbeingRecord, records_of  # here: that module builds on this one

        return [WellbeingRecord(record=r) for r in await records_of(info, self.record.id)]

    @strawberry.field(
        description="Per measure and score: the latest baseline, the latest since, the change."
    )
    async def wellbeing_summary(
        self, info: Info
    ) -> list[Annotated[WellbeingChange, strawberry.lazy("api.types.wellbeing")]]:
        from .wellbeing import WellbeingChange, records_of

        found = wellbeing.summary(await records_of(info, self.record.id))
        return [WellbeingChange(record=c) for c in found]

    @strawberry.field
    def lives_alone(self) -> bool | None:
        return self.record.lives_alone

    @strawberry.field(description="When someone was last in touch: the latest contact recorded.")
    def last_contact_at(self) -> datetime.datetime | None:
        at = self.record.last_contact_at
        return datetime.datetime.fromisoformat(at) if at else None

    @strawberry.field(description="Contacts with the person, newest first (coordinators only).")
    async def contacts(
        self, info: Info
    ) -> list[Annotated[Contact, strawberry.lazy("api.types.outreach")]]:
        from .outreach import contacts_of  # here: that module builds on this one

        return await contacts_of(info, self.record.id)

    @strawberry.field(description="How often, in days, someone should be in touch (or null).")
    async def check_in_every_days(self, info: Info) -> int | None:
        from .outreach import check_in_of

        return getattr(await check_in_of(info, self.record.id), "every_days", None)

    @strawberry.field(description="When the next check-in is due (coordinators only).")
    async def check_in_due(self, info: Info) -> datetime.date | None:
        from .outreach import check_in_of

        return getattr(await check_in_of(info, self.record.id), "due_on", None)


@strawberry.type(description="An activity a person goes to, and the day they started.")
class Attendance:
    activity: Activity
    since: datetime.date


@strawberry.type(description="A person who offers their time; they are a Person too.")
class Volunteer(Person):
    @strawberry.field
    def skills(self, info: Info) -> list[Term]:
        return terms(info, (TermKind.SKILL,), self.profile.skills)

    @strawberry.field
    def max_travel_km(self) -> float:
        return self.profile.max_travel_km

    @strawberry.field(description="How many people they can buddy at once.")
    def capacity(self) -> int:
        return self.profile.capacity

    @strawberry.field
    def dbs_checked_on(self) -> datetime.date | None:
        return self.profile.dbs_checked_on

    @strawberry.field
    def approved(self) -> bool:
        return self.profile.approved

    @strawberry.field
    def roles(self) -> list[str]:
        return self.profile.roles

    @strawberry.field
    def email(self) -> str | None:
        return self.profile.email

    @strawberry.field
    def phone(self) -> str | None:
        return self.profile.phone

    @strawberry.field(description="The practical help they offer (prescriptions, lifts...).")
    def helps(self) -> list[PracticalNeed]:  # type: ignore[valid-type]
        return self.profile.helps

    @property
    def profile(self) -> domain.VolunteerProfile:
        assert self.record.volunteer is not None
        return self.record.volunteer


def wrap(record: domain.Person) -> Person:
    """A volunteer's record as a Volunteer (which is also a Person), anyone else's as a Person."""
    return Volunteer(record=record) if record.volunteer else Person(record=record)


PersonOrVolunteer = Annotated[Person | Volunteer, strawberry.union("PersonOrVolunteer")]


@strawberry.type
class MatchEvent:
    status: MatchStatus  # type: ignore[valid-type]
    at: str
    note: str | None


@strawberry.type(description="A proposed or agreed buddy pairing, with its history.")
class Match:
    record: strawberry.Private[domain.Match]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def status(self) -> MatchStatus:  # type: ignore[valid-type]
        return self.record.status

    @strawberry.field
    def history(self) -> list[MatchEvent]:
        return [MatchEvent(status=s, at=at, note=n) for s, at, n in self.record.history]

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return (await load_people(info, [self.record.person_id]))[0]

    @strawberry.field
    async def buddy(self, info: Info) -> Person:
        return (await load_people(info, [self.record.buddy_id]))[0]


Role = strawberry.enum(accounts.Role)


@strawberry.type(description="The signed-in account.")
class Account:
    id: strawberry.ID
    name: str
    role: Role  # type: ignore[valid-type]
    person_id: strawberry.ID | None


def account(a: accounts.Account) -> Account:
    return Account(id=strawberry.ID(a.id), name=a.name, role=a.role,
                   person_id=strawberry.ID(a.person_id) if a.person_id else None)  # fmt: skip
