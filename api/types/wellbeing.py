"""Wellbeing measures as GraphQL types: the records, their scores, the change from baseline,
and whose follow-up is due. A person's records are read through one authorising, auditing
loader per request (``kith.wellbeing.of_people``)."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry

from kith import measures, wellbeing

from ..context import Info
from .people import Person, load_people

WellbeingMeasure = strawberry.enum(
    Enum("WellbeingMeasure", {name: name for name in measures.MEASURES}),  # type: ignore[misc]
    description="; ".join(m.title for m in measures.MEASURES.values()),
)
Timepoint = strawberry.enum(wellbeing.Timepoint)
Verdict = strawberry.enum(wellbeing.Verdict)


@strawberry.type
class Score:
    name: str
    value: float


@strawberry.type(description="One time a person answered a measure's questions.")
class WellbeingRecord:
    record: strawberry.Private[wellbeing.WellbeingRecord]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def measure(self) -> WellbeingMeasure:  # type: ignore[valid-type]
        return WellbeingMeasure[self.record.measure]

    @strawberry.field
    def timepoint(self) -> Timepoint:  # type: ignore[valid-type]
        return self.record.timepoint

    @strawberry.field
    def taken_on(self) -> datetime.date:
        return self.record.taken_on

    @strawberry.field
    def answers(self) -> list[int]:
        return self.record.answers

    @strawberry.field(
        description="ONS4: lifeSatisfaction, worthwhile, happiness, anxiety (0-10 each, never "
        "summed); SWEMWBS: wellbeing, the metric score of the raw total; UCLA3: loneliness "
        "(3-9)."
    )
    def scores(self) -> list[Score]:
        return [Score(name=n, value=v) for n, v in self.record.scores]

    @strawberry.field(description="A baseline's follow-up due date (KITH_FOLLOW_UP_WEEKS on).")
    def follow_up_due(self, info: Info) -> datetime.date | None:
        if self.record.timepoint is not wellbeing.Timepoint.BASELINE:
            return None
        return wellbeing.due_on(info.context.kith, self.record.taken_on)


@strawberry.type(
    description="One score from the latest baseline to the latest record since: change is "
    "latest minus baseline (null until a later record), and verdict says whether that is "
    "better, read with the score's direction (a fall in anxiety or loneliness is BETTER)."
)
class WellbeingChange:
    record: strawberry.Private[wellbeing.Change]

    @strawberry.field
    def measure(self) -> WellbeingMeasure:  # type: ignore[valid-type]
        return WellbeingMeasure[self.record.measure]

    @strawberry.field
    def score(self) -> str:
        return self.record.score

    @strawberry.field
    def baseline(self) -> float:
        return self.record.baseline

    @strawberry.field
    def baseline_on(self) -> datetime.date:
        return self.record.baseline_on

    @strawberry.field(description="Null until a measure is taken after the baseline.")
    def latest(self) -> float | None:
        return self.record.latest

    @strawberry.field
    def latest_on(self) -> datetime.date | None:
        return self.record.latest_on

    @strawberry.field
    def change(self) -> float | None:
        return self.record.change

    @strawberry.field
    def higher_is_better(self) -> bool:
        return self.record.higher_is_better

    @strawberry.field
    def verdict(self) -> Verdict | None:  # type: ignore[valid-type]
        return self.record.verdict


@strawberry.input(description="A measure taken: one answer per question, in order.")
class WellbeingInput:
    measure: WellbeingMeasure  # type: ignore[valid-type]
    timepoint: Timepoint  # type: ignore[valid-type]
    answers: list[int]
    taken_on: datetime.date | None = strawberry.field(
        default=None, description="The day the questions were answered; today if left out."
    )


@strawberry.type
class WellbeingPayload:
    record: WellbeingRecord
    person: Person


@strawberry.type(description="Someone whose wellbeing follow-up is due.")
class FollowUp:
    record: strawberry.Private[wellbeing.FollowUp]

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return (await load_people(info, [self.record.person_id]))[0]

    @strawberry.field(description="The measures whose baseline has no follow-up yet.")
    def measures(self) -> list[WellbeingMeasure]:  # type: ignore[valid-type]
        return [WellbeingMeasure[m] for m in self.record.measures]

    @strawberry.field
    def baseline_on(self) -> datetime.date:
        return self.record.baseline_on

    @strawberry.field
    def due_on(self) -> datetime.date:
        return self.record.due_on


async def records_of(info: Info, person_id: str) -> list[wellbeing.WellbeingRecord]:
    c = info.context
    loader = c.loader("wellbeing", lambda ids: wellbeing.of_people(c.kith, c.actor, ids))
    return await loader.load(person_id)
