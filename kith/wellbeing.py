"""Wellbeing measured over time: recording a questionnaire's answers at BASELINE or FOLLOW_UP,
reading them back with their scores, the change from baseline to latest, and whose follow-up
is due.

Coordinators record. Whoever may read the person reads their records (kith/access.py): a
prescriber those of the people they referred and no one else's. Scores come from the answers
(kith/measures.py), never stored. Each baseline sets a follow-up due ``KITH_FOLLOW_UP_WEEKS``
(12 unless set) after it was taken, and is due until a follow-up of the same measure is taken.
Every read and record is audited, ids only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from graph import wellbeing as repo

from . import audit, measures, people
from .access import per_person, require
from .accounts import Account, Role
from .domain import Person, plain
from .errors import InvalidInput, NotFound
from .service import Kith

EARLIEST = date(2000, 1, 1)


class Timepoint(Enum):
    BASELINE = "BASELINE"
    FOLLOW_UP = "FOLLOW_UP"


@dataclass(frozen=True)
class WellbeingRecord:
    id: str
    person_id: str
    measure: str
    timepoint: Timepoint
    taken_on: date
    answers: list[int]
    at: str
    by: str | None

    @property
    def scores(self) -> list[tuple[str, float]]:
        return measures.scores(self.measure, self.answers)


class Verdict(Enum):
    """Which way a score moved, read with the measure's direction (``Measure.better``): a fall
    in ONS4 anxiety or UCLA3 loneliness is BETTER."""

    BETTER = "BETTER"
    WORSE = "WORSE"
    SAME = "SAME"


@dataclass(frozen=True)
class Change:
    """One score of one measure: at the latest baseline, at the latest record taken after it
    (None until there is one), and the difference, latest minus baseline."""

    measure: str
    score: str
    baseline: float
    baseline_on: date
    latest: float | None
    latest_on: date | None
    higher_is_better: bool

    @property
    def change(self) -> float | None:
        return None if self.latest is None else self.latest - self.baseline

    @property
    def verdict(self) -> Verdict | None:
        if self.change is None:
            return None
        if self.change == 0:
            return Verdict.SAME
        return Verdict.BETTER if (self.change > 0) == self.higher_is_better else Verdict.WORSE


@dataclass(frozen=True)
class FollowUp:
    """Someone whose follow-up is due: the measures to take again, the day of the earliest
    baseline among them, and when its follow-up fell due."""

    person_id: str
    measures: list[str]
    baseline_on: date
    due_on: date


def record_of(person_id: str, p: dict[str, Any]) -> WellbeingRecord:
    return WellbeingRecord(
        id=p["id"], person_id=person_id, measure=p["measure"], timepoint=Timepoint(p["timepoint"]),
        taken_on=date.fromisoformat(p["takenOn"]), answers=list(p["answers"]), at=p["at"],
        by=p.get("by"),
    )  # fmt: skip


def due_on(kith: Kith, baseline_on: date) -> date:
    """When the follow-up of a baseline taken on ``baseline_on`` falls due."""
    return baseline_on + timedelta(weeks=kith.store.settings.follow_up_weeks)


# recording -----------------------------------------------------------------------------


def record(
    kith: Kith, actor: Account | None, person_id: str, form: dict
) -> tuple[WellbeingRecord, Person]:
    """A coordinator records a measure taken (WellbeingInput as a dict: measure, timepoint,
    answers, taken_on, today unless given). Anything wrong is refused naming it, and nothing
    is written."""
    actor = require(actor, Role.COORDINATOR)
    measure = measures.measure(plain(form.get("measure")))
    answers = measures.checked(measure, form.get("answers") or [])
    timepoint = timepoint_of(form.get("timepoint"))
    taken_on = taken(form.get("taken_on"))
    person = people.get(kith, actor, person_id)
    earlier = repo.of_people(kith.store, [person_id])[person_id]
    if timepoint is Timepoint.FOLLOW_UP and not any(
        r["measure"] == measure.name and r["timepoint"] == Timepoint.BASELINE.value
        and r["takenOn"] <= taken_on.isoformat() for r in earlier
    ):  # fmt: skip
        raise InvalidInput("timepoint", f"a follow-up of {measure.name} needs a baseline of it "
                                        "taken on or before that day: record the baseline "
                                        "first")  # fmt: skip
    props = {"id": people.new_id("wb"), "measure": measure.name, "timepoint": timepoint.value,
             "takenOn": taken_on.isoformat(), "answers": answers, "at": audit.now(),
             "by": actor.id}  # fmt: skip
    if not repo.record(kith.store, person_id, props):
        raise NotFound(f"no person {person_id}")  # erased between the read and the write
    audit.record(kith.store, actor, "wellbeing.record", [person_id])
    return record_of(person_id, props), person


def timepoint_of(value: Any) -> Timepoint:
    given = plain(value)
    if given not in Timepoint.__members__:
        raise InvalidInput("timepoint", f"must be one of {', '.join(Timepoint.__members__)}")
    return Timepoint(given)


def taken(value: date | None) -> date:
    """The day a measure was taken: today unless given; never in the future."""
    today = date.today()
    when = value or today
    if when > today:
        raise InvalidInput("takenOn", f"{when.isoformat()} is in the future: give the day the "
                                      "questions were answered")  # fmt: skip
    if when < EARLIEST:
        raise InvalidInput("takenOn", f"must be on or after {EARLIEST.isoformat()}")
    return when


# reading -------------------------------------------------------------------------------


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, list[WellbeingRecord] | Exception]:
    """Each person's records, oldest first, or the refusal the actor gets for them: one
    check, one read and one audit for a list that has read the people already."""

    def fetch(ids: list[str]) -> dict[str, list[WellbeingRecord]]:
        found = repo.of_people(kith.store, ids)
        return {i: [record_of(i, r) for r in rows] for i, rows in found.items()}

    return per_person(kith.store, actor, person_ids, "wellbeing.read", fetch)


def records(kith: Kith, actor: Account | None, person_id: str) -> list[WellbeingRecord]:
    """The person's records, oldest first, if the actor may read the person."""
    people.get(kith, actor, person_id)
    found = of_people(kith, actor, [person_id])[person_id]
    if isinstance(found, Exception):
        raise found
    return found


def summary(records: list[WellbeingRecord]) -> list[Change]:
    """Per measure (in MEASURES' order) and score: the latest baseline, the latest record
    taken after it, and the change between them. Records come oldest first."""
    out: list[Change] = []
    for name, m in measures.MEASURES.items():
        mine = [r for r in records if r.measure == name]
        starts = [i for i, r in enumerate(mine) if r.timepoint is Timepoint.BASELINE]
        if not starts:
            continue
        base, since = mine[starts[-1]], mine[starts[-1] + 1 :]
        latest = since[-1].scores if since else [(n, None) for n in m.score_names]
        for (score, before), (_, now), better in zip(base.scores, latest, m.better, strict=True):
            out.append(Change(name, score, before, base.taken_on, now,
                              since[-1].taken_on if since else None, better > 0))  # fmt: skip
    return out


def follow_ups_due(kith: Kith, actor: Account | None, on: date) -> list[FollowUp]:
    """People whose latest baseline of a measure has no follow-up of it yet and fell due on
    or before ``on``, the longest overdue first: for a coordinator; each one listed is an
    audited read."""
    actor = require(actor, Role.COORDINATOR)
    baselines: dict[tuple[str, str], date] = {}  # (person, measure): the latest baseline
    follow_ups: dict[tuple[str, str], date] = {}  # (person, measure): the latest follow-up
    for row in repo.timeline(kith.store):  # oldest first, so the latest is kept
        taken_on = date.fromisoformat(row["takenOn"])
        kept = baselines if row["timepoint"] == Timepoint.BASELINE.value else follow_ups
        kept[(row["person"], row["measure"])] = taken_on
    due: dict[str, list[tuple[str, date]]] = {}  # person: (measure, baseline) still open
    for (person_id, measure), baseline_on in baselines.items():
        followed = follow_ups.get((person_id, measure))
        if due_on(kith, baseline_on) <= on and (followed is None or followed < baseline_on):
            due.setdefault(person_id, []).append((measure, baseline_on))
    found = [
        FollowUp(person_id, sorted(m for m, _ in open_), first, due_on(kith, first))
        for person_id, open_ in due.items()
        for first in [min(b for _, b in open_)]
    ]
    found.sort(key=lambda f: (f.due_on, f.person_id))
    if found:
        audit.record(kith.store, actor, "wellbeing.read", [f.person_id for f in found])
    return found


def held(kith: Kith, person_id: str) -> list[dict[str, Any]]:
    """Every record with its scores, of a person the caller may read: for export."""
    found = [record_of(person_id, r) for r in repo.of_people(kith.store, [person_id])[person_id]]
    return [{**plain(asdict(r)), "scores": dict(r.scores)} for r in found]
