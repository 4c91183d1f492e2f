"""Winter plans and carer emergency plans as GraphQL types: ``Person.winterPlan`` read through
one authorising, auditing loader per request (``kith.winter_plans.of_people``), and what a
helper sees of the plans naming them (``myHelping``)."""

from __future__ import annotations

import datetime

import strawberry

from kith import winter_plans

from ..context import Info
from .people import Person, PracticalNeed, load_people


@strawberry.type(description="A named helper and the practical needs they cover.")
class WinterHelper:
    record: strawberry.Private[winter_plans.Helper]

    @strawberry.field(description="The helper's person id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.person_id)

    @strawberry.field
    def needs(self) -> list[PracticalNeed]:  # type: ignore[valid-type]
        return self.record.needs

    @strawberry.field(description="The helper's record, for those who may read it.")
    async def person(self, info: Info) -> Person:
        return (await load_people(info, [self.record.person_id]))[0]


@strawberry.type(
    description="The person's winter plan: the practical needs it covers, who to call, the "
    "named helpers, and for someone a carer looks after, what to do if the carer falls ill."
)
class WinterPlan:
    record: strawberry.Private[winter_plans.WinterPlan]

    @strawberry.field
    def needs(self) -> list[PracticalNeed]:  # type: ignore[valid-type]
        return self.record.needs

    @strawberry.field
    def helpers(self) -> list[WinterHelper]:
        return [WinterHelper(record=h) for h in self.record.helpers]

    @strawberry.field(description="Who to call, as written (a name and a number).")
    def contacts(self) -> list[str]:
        return self.record.contacts

    @strawberry.field(description="If the carer falls ill: what whoever steps in must know.")
    def if_carer_is_ill(self) -> str | None:
        return self.record.if_carer_is_ill

    @strawberry.field(description="Who steps in when the carer cannot.")
    async def steps_in(self, info: Info) -> Person | None:
        found = self.record.steps_in
        return (await load_people(info, [found]))[0] if found else None

    @strawberry.field
    def updated_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.record.updated_at)


@strawberry.type(
    description="A plan naming the signed-in volunteer, as they see it: the person's name and "
    "postcode, whom to call, and their own part — nothing else of the person's record."
)
class Helping:
    record: strawberry.Private[winter_plans.HelpingPart]

    @strawberry.field
    def person_id(self) -> strawberry.ID:
        return strawberry.ID(self.record.person_id)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def postcode(self) -> str | None:
        return self.record.postcode

    @strawberry.field(description="The needs this helper covers.")
    def needs(self) -> list[PracticalNeed]:  # type: ignore[valid-type]
        return self.record.needs

    @strawberry.field
    def contacts(self) -> list[str]:
        return self.record.contacts

    @strawberry.field(description="True when they step in if the person's carer falls ill.")
    def steps_in(self) -> bool:
        return self.record.steps_in

    @strawberry.field(description="What to do if the carer falls ill: for whoever steps in.")
    def if_carer_is_ill(self) -> str | None:
        return self.record.if_carer_is_ill


@strawberry.input(description="Which of the plan's needs one helper covers.")
class HelperNeedInput:
    helper_id: strawberry.ID
    needs: list[PracticalNeed]  # type: ignore[valid-type]


@strawberry.input(
    description="The whole plan: what is left out is no longer in it. A helper in helpers "
    "without an entry in helperNeeds covers every need of the plan; helpers must be approved "
    "volunteers. ifCarerIsIll and stepsIn only for someone a carer looks after."
)
class WinterPlanInput:
    needs: list[PracticalNeed] | None = None  # type: ignore[valid-type]
    helpers: list[strawberry.ID] | None = None
    contacts: list[str] | None = None
    if_carer_is_ill: str | None = None
    helper_needs: list[HelperNeedInput] | None = None
    steps_in: strawberry.ID | None = strawberry.field(
        default=None, description="Who steps in if the carer falls ill (a person's id)."
    )


async def winter_plan_of(info: Info, person_id: str) -> WinterPlan | None:
    c = info.context
    loader = c.loader("winterPlan", lambda ids: winter_plans.of_people(c.kith, c.actor, ids))
    found = await loader.load(person_id)
    return WinterPlan(record=found) if found else None
