"""A coordinator's page about one person: their record, their plan, their wellbeing over time,
their buddies, the activities they go to, what Kith suggests for them and why, and the buttons
that act on it. Every person shown is read through kith.people (authorised and audited), as
the API reads them; a prescriber sees the plan and wellbeing of someone they referred, and
nothing to change them with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import attendance, contacts, matches, measures, people, plans, suggestions, wellbeing
from kith.access import readable
from kith.accounts import Account
from kith.domain import Activity, Match, MatchStatus, Person, Suggestion, TermKind, Venue
from kith.errors import Conflict, Forbidden, InvalidInput, NotFound
from kith.measures import Measure
from kith.service import Kith

from . import winter_plans as winter
from .forms import day, text
from .render import page, see_other

RECORD_TERMS = (
    ("Strengths", TermKind.SKILL, "strengths"), ("Interests", TermKind.INTEREST, "interests"),
    ("Lives with", TermKind.CONDITION, "conditions"), ("Needs", TermKind.NEED, "needs"),
    ("Languages", TermKind.LANGUAGE, "languages"),
)  # fmt: skip
T = TypeVar("T")
BUTTONS = {MatchStatus.ACCEPTED: "Accepted", MatchStatus.DECLINED: "Declined",
           MatchStatus.ENDED: "Ended"}  # fmt: skip


@dataclass
class Pairing:
    """One of the person's matches, with the other person's name (or why it is not shown)."""

    match: Match
    other_id: str
    other_name: str | None  # None: the actor may not see them (a volunteer, to a prescriber)


@dataclass
class PersonView:
    person: Person
    terms: list[tuple[str, list[str]]]
    skills: list[str]
    cares_for: list[tuple[str, str | None]]
    consents: list[dict]
    pairings: list[Pairing]
    buddies: list[Suggestion] | None  # None: this actor may not ask for buddies or pair people
    going: list[tuple[Activity, date, Venue | None]]  # what they go to now, and since when
    activities: list[tuple[Suggestion, Venue | None]]
    plan: plans.Plan | None
    wellbeing: Wellbeing
    may_write: bool  # a coordinator's page: the plan and measure forms are shown
    winter: winter.Section


@dataclass
class Chart:
    """One measure's scores over time: the table the page shows, which its chart is drawn
    from (web/static/wellbeing-chart.js), so that both always hold the same figures."""

    measure: Measure
    low: float
    high: float
    scores: list[str]
    rows: list[wellbeing.WellbeingRecord]


@dataclass
class Wellbeing:
    summary: list[wellbeing.Change]
    due: dict[str, date]  # measure: when the follow-up of a baseline not yet followed is due
    charts: list[Chart]
    recorded: set[str]  # measures taken at least once: their next one is likely a follow-up


def score_range(m: Measure) -> tuple[float, float]:
    """The lowest and highest score: ONS4 scores are the answers, the others' sums of them."""
    if m.name == "ONS4":
        return m.low, m.high
    return len(m.questions) * m.low, len(m.questions) * m.high


def wellbeing_of(kith: Kith, records: list[wellbeing.WellbeingRecord]) -> Wellbeing:
    summary = wellbeing.summary(records)
    charts = []
    for name, m in measures.MEASURES.items():
        rows = [r for r in records if r.measure == name]
        if rows:
            charts.append(Chart(m, *score_range(m), list(m.score_names), rows))
    due = {c.measure: wellbeing.due_on(kith, c.baseline_on) for c in summary if c.change is None}
    return Wellbeing(summary, due, charts, {r.measure for r in records})


def allowed(found: T | Exception) -> T:
    """A value an ``of_people`` gave for one person, unless it is the refusal."""
    if isinstance(found, Exception):
        raise found
    return found


def names_of(kith: Kith, actor: Account, ids: set[str]) -> dict[str, str | None]:
    """Names of people by id, read as the actor (someone no longer there shows as their id).
    Someone the actor may not see — a buddy, to the prescriber who referred the person — gets
    no name and is not asked for, so showing the page records no refused read."""
    allowed = readable(kith.store, actor, sorted(ids)) if ids else set()
    found = people.read(kith, actor, sorted(allowed)) if allowed else {}
    return {i: (p.name if isinstance(p := found.get(i), Person) else i) if i in allowed else None
            for i in ids}  # fmt: skip


def buddy_suggestions(kith: Kith, actor: Account, person_id: str) -> list[Suggestion] | None:
    try:
        return suggestions.buddies(kith, actor, person_id)
    except Forbidden:
        return None


def view(kith: Kith, actor: Account, person_id: str) -> PersonView:
    """Everything the page shows, gathered in one go off the event loop."""
    person = people.get(kith, actor, person_id)
    pairs = matches.of_people(kith, [person_id])
    others = {m.buddy_id if m.person_id == person_id else m.person_id for m in pairs}
    named = names_of(kith, actor, others | set(person.cares_for))
    going = attendance.attending(kith, actor, person_id)
    found = suggestions.for_person(kith, actor, person_id)
    venues = kith.venues([s.target.venue_id for s in found]  # type: ignore[union-attr]
                         + [a.venue_id for a, _ in going])  # fmt: skip
    tax = kith.taxonomy
    return PersonView(
        person=person,
        terms=[(label, [tax.name(kind, i) for i in getattr(person, attr)])
               for label, kind, attr in RECORD_TERMS],
        skills=[tax.name(TermKind.SKILL, i) for i in (person.volunteer.skills
                                                      if person.volunteer else [])],
        cares_for=[(i, named[i]) for i in person.cares_for],
        consents=people.consents(kith, actor, person_id),
        pairings=[Pairing(m, o, named[o]) for m in pairs
                  for o in [m.buddy_id if m.person_id == person_id else m.person_id]],
        buddies=buddy_suggestions(kith, actor, person_id),
        going=[(a, since, venues.get(a.venue_id)) for a, since in going],
        activities=[(s, venues.get(s.target.venue_id)) for s in found],  # type: ignore[union-attr]
        plan=allowed(plans.of_people(kith, actor, [person_id])[person_id]),
        wellbeing=wellbeing_of(kith, allowed(wellbeing.of_people(kith, actor,
                                                                 [person_id])[person_id])),
        may_write=actor.sees_everyone,
        winter=winter.section(kith, actor, person),
    )  # fmt: skip


async def person_page(request: Request) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    shown = await run_in_threadpool(view, kith, actor, request.path_params["person_id"])
    touch = await run_in_threadpool(contacts.in_touch, kith, actor, shown.person.id)
    steps = {status: sorted(after, key=list(MatchStatus).index)
             for status, after in matches.NEXT.items()}  # fmt: skip
    return page(request, "person.html", view=shown, next_steps=steps, buttons=BUTTONS,
                measures=measures.MEASURES.values(), statuses=list(plans.GoalStatus),
                today=date.today(), touch=touch)  # fmt: skip


def back_to(person_id: str) -> str:
    return f"/people/{quote(person_id, safe='')}"


async def act(
    request: Request, person_id: str, done: str, call: Callable[..., object], *args: object
) -> Response:
    """Run a service call for the person page and go back to it, saying what happened; a
    refusal the coordinator can act on (a form sent twice among them) is said there too.
    Messages live in the session cookie, so they name no person and no activity."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    try:
        await run_in_threadpool(call, kith, actor, *args)
    except (InvalidInput, Conflict, NotFound) as error:
        return see_other(back_to(person_id), request, f"Not done: {error}", failed=True)
    return see_other(back_to(person_id), request, done)


async def propose(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Buddy proposed: record the outcome below.",
                     matches.propose, person_id, text(form, "buddy_id"))  # fmt: skip


async def record_outcome(request: Request, form: FormData) -> Response:
    """Accept, decline or end a pairing; the form says which person's page to go back to."""
    status = text(form, "status")
    if status not in MatchStatus.__members__:
        raise InvalidInput("status", f"{status!r} is not a match status")
    return await act(request, text(form, "person_id"), f"Pairing {status.lower()}.",
                     matches.update, request.path_params["match_id"], MatchStatus[status],
                     text(form, "note") or None)  # fmt: skip


async def consent(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    given = text(form, "given") == "yes"
    done = "Consent to matching recorded." if given else "Withdrawal of consent recorded."
    return await act(request, person_id, done, people.record_consent, person_id, "MATCHING",
                     given)  # fmt: skip


async def attend(request: Request, form: FormData) -> Response:
    """Record that the person now goes to an activity (usually one suggested on the page)."""
    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Recorded: they go there now.", attendance.attend,
                     person_id, text(form, "activity_id"))  # fmt: skip


async def stop_going(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Recorded: they no longer go there.", attendance.stop,
                     person_id, text(form, "activity_id"))  # fmt: skip


async def save_plan(request: Request, form: FormData) -> Response:
    """The plan as the form gives it: a goal whose text was emptied is taken out."""
    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Plan saved.", plan_from_form, person_id, form)


def plan_from_form(kith: Kith, actor: Account, person_id: str, form: FormData) -> Person:
    rows = zip(form.getlist("goal_id"), form.getlist("goal_text"), form.getlist("goal_status"),
               form.getlist("goal_steps"), strict=False)  # fmt: skip
    goals = [
        {"id": str(goal_id) or None, "text": str(goal), "status": str(status),
         "steps": [s.strip() for s in str(steps).splitlines() if s.strip()]}
        for goal_id, goal, status, steps in rows if str(goal).strip()
    ]  # fmt: skip
    plan = {"what_matters": text(form, "what_matters"), "goals": goals,
            "review_on": day(text(form, "review_on"), "reviewOn")}  # fmt: skip
    return plans.set_plan(kith, actor, person_id, plan)


async def record_measure(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    name, timepoint = text(form, "measure"), text(form, "timepoint")
    done = f"Recorded: {name} {timepoint.lower().replace('_', '-')}."
    return await act(request, person_id, done, measure_from_form, person_id, form)


def measure_from_form(
    kith: Kith, actor: Account, person_id: str, form: FormData
) -> tuple[wellbeing.WellbeingRecord, Person]:
    """A measure's answers as the form gives them (``answer-1`` onwards), each one required."""
    m = measures.measure(text(form, "measure"))
    answers = []
    for n in range(1, len(m.questions) + 1):
        given = text(form, f"answer-{n}")
        if not given.isdigit():
            raise InvalidInput("answers", f"question {n} has no answer")
        answers.append(int(given))
    taken = {"measure": m.name, "timepoint": text(form, "timepoint"), "answers": answers,
             "taken_on": day(text(form, "taken_on"), "takenOn")}  # fmt: skip
    return wellbeing.record(kith, actor, person_id, taken)
