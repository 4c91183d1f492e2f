"""A coordinator's page about one person: their record, their buddies, the activities they go
to, what Kith suggests for them and why, and the buttons that act on it. Every person shown is
read through kith.people (authorised and audited), as the API reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import attendance, matches, people, suggestions
from kith.access import readable
from kith.accounts import Account
from kith.domain import Activity, Match, MatchStatus, Person, Suggestion, TermKind, Venue
from kith.errors import Conflict, Forbidden, InvalidInput, NotFound
from kith.service import Kith

from .forms import text
from .render import page, see_other

RECORD_TERMS = (
    ("Strengths", TermKind.SKILL, "strengths"), ("Interests", TermKind.INTEREST, "interests"),
    ("Lives with", TermKind.CONDITION, "conditions"), ("Needs", TermKind.NEED, "needs"),
    ("Languages", TermKind.LANGUAGE, "languages"),
)  # fmt: skip
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
    )  # fmt: skip


async def person_page(request: Request) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    shown = await run_in_threadpool(view, kith, actor, request.path_params["person_id"])
    steps = {status: sorted(after, key=list(MatchStatus).index)
             for status, after in matches.NEXT.items()}  # fmt: skip
    return page(request, "person.html", view=shown, next_steps=steps, buttons=BUTTONS)


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
