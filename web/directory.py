"""The directory search page (public; coordinators also find people) and the taxonomy terms
that the forms suggest as people type."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from kith import listing_reviews, people, suggestions
from kith.accounts import Account
from kith.domain import Activity, EntryKind, Person, Place, TermKind, Venue, Weekday
from kith.errors import InvalidInput
from kith.service import (
    PEOPLE_KINDS,
    PUBLIC_KINDS,
    SEARCH_RADIUS_KM,
    Kith,
    SearchPage,
    SearchRequest,
    cursor,
)

from .forms import FormState, decimal
from .render import page
from .security import TILES

PAGE_SIZE = 20
MAX_SUGGESTED_TERMS = 20
KIND_ORDER = list(EntryKind)
KIND_LABELS = {EntryKind.GROUP: "Groups", EntryKind.ACTIVITY: "Activities",
               EntryKind.VENUE: "Venues", EntryKind.VOLUNTEER: "Volunteers",
               EntryKind.PERSON: "People"}  # fmt: skip


@dataclass
class Query:
    """The search form as typed (strings, so that it can be shown again as it was)."""

    text: str = ""
    postcode: str = ""
    person: str = ""
    radius: str = "5"
    interests: str = ""
    day: str = ""
    language: str = ""
    free: bool = False
    step_free: bool = False
    show: list[str] = field(default_factory=list)
    after: str | None = None

    @classmethod
    def of(cls, params: QueryParams) -> Query:
        get = lambda name, default="": params.get(name, default).strip()[:200]  # noqa: E731
        return cls(
            text=get("text"), postcode=get("postcode"), person=get("person"),
            radius=get("radius", "5") or "5", interests=get("interests"), day=get("day"),
            language=get("language"), free=params.get("free") == "yes",
            step_free=params.get("step_free") == "yes", show=params.getlist("show"),
            after=params.get("after") or None,
        )  # fmt: skip

    @property
    def asked(self) -> bool:
        """Whether a search was asked for (else the page shows the empty form)."""
        return any((self.text, self.postcode, self.person, self.interests, self.day,
                    self.language, self.free, self.step_free))  # fmt: skip

    def link(self, **changes: object) -> str:
        """This search as a URL, with some values changed (the next page, say)."""
        q = replace(self, **changes)  # type: ignore[arg-type]
        pairs = [(k, v) for k, v in vars(q).items() if k not in ("free", "step_free", "show")]
        pairs += [("free", "yes")] * q.free + [("step_free", "yes")] * q.step_free
        pairs += [("show", s) for s in q.show]
        return "/?" + urlencode([(k, v) for k, v in pairs if v])


@dataclass
class Results:
    page: SearchPage
    venues: dict[str, Venue]
    near: Place | None
    person: Person | None
    radius_km: float
    next_link: str | None = None
    due: set[str] = field(default_factory=set)
    """Activities found whose review is due: shown to coordinators only."""


def kinds_for(actor: Account | None) -> list[EntryKind]:
    """What this actor may ask the search for: people only for those who see everyone."""
    allowed = PUBLIC_KINDS | (PEOPLE_KINDS if actor and actor.sees_everyone else frozenset())
    return sorted(allowed, key=KIND_ORDER.index)


def search_request(q: Query, near: Place | None) -> SearchRequest:
    if q.day and q.day not in Weekday.__members__:
        raise InvalidInput("day", f"{q.day!r} is not a day of the week")
    unknown = [s for s in q.show if s not in EntryKind.__members__]
    if unknown:
        raise InvalidInput("show", f"{unknown[0]!r} is not something the directory lists")
    return SearchRequest(
        text=q.text or None, near=near, radius_km=decimal(q.radius, "radiusKm") or SEARCH_RADIUS_KM,
        kinds=[EntryKind[s] for s in q.show] or None,
        interests=[q.interests] if q.interests else None, day=Weekday[q.day] if q.day else None,
        free_only=q.free, step_free=q.step_free, language=q.language or None,
        first=PAGE_SIZE, after=q.after,
    )  # fmt: skip


def find(kith: Kith, actor: Account | None, q: Query) -> Results:
    """Run the search: near a person's home (read as the actor, so audited) or a postcode."""
    person = people.get(kith, actor, q.person) if q.person else None
    near = suggestions.located(person) if person else None
    if near is None and q.postcode:
        near = kith.place(q.postcode, None, None)
    request = search_request(q, near)
    found = kith.search(request, actor)
    venue_ids = [h.entry.venue_id for h in found.hits if isinstance(h.entry, Activity)]
    results = Results(found, kith.venues(venue_ids), near, person, request.radius_km)
    if actor and actor.sees_everyone:
        results.due = {
            h.entry.id
            for h in found.hits
            if isinstance(h.entry, Activity) and listing_reviews.due(kith, h.entry)
        }
    if found.has_next:
        results.next_link = q.link(after=cursor(found.offset + len(found.hits) - 1))
    return results


def map_data(results: Results) -> dict[str, object]:
    """The venues of the results, each with what was found there, for the map's markers."""
    markers: dict[str, dict[str, object]] = {}
    for hit in results.page.hits:
        entry = hit.entry
        venue = results.venues.get(entry.venue_id) if isinstance(entry, Activity) else entry
        if not isinstance(venue, Venue) or venue.latitude is None or venue.longitude is None:
            continue
        marker = markers.setdefault(venue.id, {"name": venue.name, "lat": venue.latitude,
                                               "lon": venue.longitude, "found": []})  # fmt: skip
        if isinstance(entry, Activity):
            marker["found"].append(entry.name)  # type: ignore[union-attr]
    near = results.near
    return {
        "centre": [near.latitude, near.longitude] if near else None,
        "radiusKm": results.radius_km if near else None,
        "markers": list(markers.values()),
        "tiles": f"{TILES}/{{z}}/{{x}}/{{y}}.png",
    }


async def directory(request: Request) -> Response:
    """One search box with filters; results as a list and on a map."""
    kith, actor = request.app.state.kith, request.scope.get("actor")
    q = Query.of(request.query_params)
    kinds = kinds_for(actor)
    if not q.asked and not q.show:
        q.show = [k.name for k in kinds]
    state, results = FormState(), None
    if q.asked:
        try:
            results = await run_in_threadpool(find, kith, actor, q)
        except InvalidInput as error:
            state.fail(error)
    return page(
        request, "directory.html", 400 if state.errors else 200, q=q, state=state,
        results=results, map=map_data(results) if results else None,
        kinds=[(k.name, KIND_LABELS[k]) for k in kinds],
        days=list(Weekday), languages=[t.name for t in kith.terms(TermKind.LANGUAGE)],
    )  # fmt: skip


async def terms(request: Request) -> Response:
    """Taxonomy terms starting with what was typed, for the forms' suggestions."""
    kind = request.query_params.get("kind", "").upper()
    if kind not in TermKind.__members__:
        return JSONResponse({"error": "kind: give one of " + ", ".join(TermKind.__members__)}, 400)
    prefix = request.query_params.get("prefix", "")[:50]
    found = request.app.state.kith.terms(TermKind[kind], prefix)[:MAX_SUGGESTED_TERMS]
    return JSONResponse([t.name for t in found])


async def find_here(request: Request) -> Response:
    """``/people/`` and ``/activities/`` on their own (a record's address cut short): people
    and activities are found by searching the directory, so that is where they lead."""
    return RedirectResponse("/", status_code=307)
