"""A person's plan as GraphQL types, read through one authorising, auditing loader per request
(``kith.plans.of_people``)."""

from __future__ import annotations

import datetime

import strawberry

from kith import plans

from ..context import Info

GoalStatus = strawberry.enum(plans.GoalStatus)


@strawberry.type(description="One of the person's goals, with the steps towards it.")
class Goal:
    id: strawberry.ID
    text: str
    status: GoalStatus  # type: ignore[valid-type]
    steps: list[str]


@strawberry.type(
    description="The person's single plan: what matters to them in their own words, their "
    "goals, and when to review it."
)
class Plan:
    record: strawberry.Private[plans.Plan]

    @strawberry.field
    def what_matters(self) -> str | None:
        return self.record.what_matters

    @strawberry.field
    def goals(self) -> list[Goal]:
        return [Goal(id=strawberry.ID(g.id), text=g.text, status=g.status, steps=g.steps)
                for g in self.record.goals]  # fmt: skip

    @strawberry.field
    def review_on(self) -> datetime.date | None:
        return self.record.review_on

    @strawberry.field
    def updated_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.record.updated_at)


@strawberry.input(description="A goal: with the id of one in the plan to change it, else new.")
class GoalInput:
    text: str
    id: strawberry.ID | None = None
    status: GoalStatus = plans.GoalStatus.OPEN  # type: ignore[valid-type]
    steps: list[str] | None = None


@strawberry.input(description="The whole plan: what is left out is no longer in it.")
class PlanInput:
    what_matters: str | None = None
    goals: list[GoalInput] | None = None
    review_on: datetime.date | None = None


async def plan_of(info: Info, person_id: str) -> Plan | None:
    c = info.context
    loader = c.loader("plan", lambda ids: plans.of_people(c.kith, c.actor, ids))
    found = await loader.load(person_id)
    return Plan(record=found) if found else None
