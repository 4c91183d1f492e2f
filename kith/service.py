"""The service functions both doors (GraphQL and the pages) call: one place for the rules.

``Kith`` holds what a request needs (the store, the taxonomy in memory, the postcode index)
and is built once per app from its settings.
"""

from __future__ import annotations

import base64
import binascii
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, TypeVar

from graph import directory
from graph import people as people_repo
from graph import postcodes as postcodes_repo
from graph import setup as graph_setup
from graph import taxonomy as taxonomy_repo
from graph.store import Store, connect
from loaders.taxonomy import read_taxonomy
from matching.geo import bounding_box
from matching.search import SearchFilters, order, rank, rank_people, via_activities
from matching.taxonomy import Taxonomy
from matching.text import fold
from matching.weights import Weights

from . import audit, unmet
from .accounts import Account, Recent
from .domain import Activity, EntryKind, Group, Hit, Person, Place, Term, TermKind, Venue, Weekday
from .errors import Forbidden, InvalidInput
from .memory.nearby import Box, Directory, mirror_directory, mirror_volunteers
from .places import Postcodes, Remembered, nominatim
from .settings import Settings

T = TypeVar("T")
MAX_PAGE = 100
MAX_RADIUS_KM = 100.0
SEARCH_RADIUS_KM = 5.0
MAX_TEXT = 200
PUBLIC_KINDS = frozenset({EntryKind.GROUP, EntryKind.ACTIVITY, EntryKind.VENUE})
PEOPLE_KINDS = frozenset({EntryKind.PERSON, EntryKind.VOLUNTEER})


def checked_radius(radius_km: float | None, default: float, most: float) -> float:
    """A radius in km as asked for: ``default`` when none was given (a null counts as left
    out), else more than 0 and at most ``most``, or an error naming ``radiusKm``."""
    radius = default if radius_km is None else radius_km
    if not 0 < radius <= most:
        raise InvalidInput("radiusKm", f"must be more than 0 and at most {most:g}")
    return radius


@dataclass
class SearchRequest:
    """A directory search as a client asked for it, before validation."""

    text: str | None = None
    near: Place | None = None
    radius_km: float | None = SEARCH_RADIUS_KM  # None: the default
    kinds: list[EntryKind] | None = None
    interests: list[str] | None = None
    supports: list[str] | None = None
    day: Weekday | None = None
    free_only: bool = False
    step_free: bool = False
    language: str | None = None
    first: int = 20
    after: str | None = None


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total


def cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def offset_of(after: str | None) -> int:
    """The position after a cursor, or a clear error for one this service did not issue."""
    if after is None:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(after.encode()).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number) + 1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput("after", "is not a cursor from an earlier page")


class Kith:
    """The service: built from settings, shared by the GraphQL API, the pages and the CLI."""

    def __init__(self, store: Store, taxonomy: Taxonomy, postcodes: Postcodes) -> None:
        self.store = store
        self.taxonomy = taxonomy
        self.postcodes = postcodes
        self.cache: dict[str, tuple[float, Any]] = {}
        self.signed_in = Recent()
        self.directory_mirror = mirror_directory(store, lambda: self.taxonomy)
        self.volunteer_mirror = mirror_volunteers(store, self.people_version)

    def cached(self, key: str, seconds: float, compute: Callable[[], T]) -> T:
        """A value computed at most once per ``seconds`` (cleared when people change)."""
        hit = self.cache.get(key)
        if hit and time.monotonic() - hit[0] < seconds:
            return hit[1]
        value = compute()
        self.cache[key] = (time.monotonic(), value)
        return value

    @cached_property
    def weights(self) -> Weights:
        """The matching model, with this deployment's review cycle (``KITH_REVIEW_MONTHS``)."""
        return Weights(review_months=self.store.settings.review_months)

    def people_version(self) -> object:
        """A token that changes whenever this process writes people (``cache`` is cleared)."""
        return self.cached("people-version", math.inf, object)

    @classmethod
    def open(cls, settings: Settings, setup: bool = True) -> Kith:
        """Connect (starting the embedded store if needed), apply the schema and load the
        starter taxonomy, safe while other processes do the same; a helper process joining a
        running Kith skips the ``setup``."""
        store = connect(settings, apply_schema=setup)
        if setup:
            graph_setup.starter_taxonomy(store, read_taxonomy())
        loaded = Remembered(partial(postcodes_repo.find, store),
                            partial(postcodes_repo.find_many, store))  # fmt: skip
        ua = settings.geocoder_user_agent
        postcodes = Postcodes.shipped(loaded, nominatim(ua) if ua else None)
        return cls(store, Taxonomy(taxonomy_repo.read_terms(store)), postcodes)

    def session_key(self) -> str:
        """The key that signs the pages' session cookies, kept in the store so that every
        process serving it agrees (made on first use; the pages read it once per app)."""
        return graph_setup.session_key(self.store)

    def close(self) -> None:
        self.store.close()

    def health(self) -> dict:
        return self.store.ping()

    # places -----------------------------------------------------------------------------

    def place(self, postcode: str | None, latitude: float | None, longitude: float | None) -> Place:
        """A PlaceInput made real: a postcode, or a latitude with a longitude, in range."""
        if postcode and latitude is None and longitude is None:
            return self.postcodes.resolve(postcode)
        if postcode or latitude is None or longitude is None:
            raise InvalidInput("place", "give either a postcode, or latitude and longitude")
        if not -90 <= latitude <= 90:
            raise InvalidInput("latitude", f"{latitude} is not between -90 and 90")
        if not -180 <= longitude <= 180:
            raise InvalidInput("longitude", f"{longitude} is not between -180 and 180")
        return Place(latitude, longitude)

    # taxonomy ---------------------------------------------------------------------------

    def term(self, kinds: tuple[TermKind, ...], text: str, field: str) -> Term:
        """The taxonomy term free text means, trying each kind in turn, or an error naming it."""
        term = self.taxonomy.meaning(kinds, text)
        if term is None:
            wanted = " or ".join(k.value.lower() for k in kinds)
            raise InvalidInput(field, f"{text!r} is not a known {wanted}")
        return term

    def covered(self, kinds: tuple[TermKind, ...], texts: list[str], field: str) -> set[str]:
        """Term ids the texts mean, with every narrower term beneath them."""
        out: set[str] = set()
        for text in texts:
            term = self.term(kinds, text, field)
            out |= self.taxonomy.narrower(term.kind, term.id)
        return out

    def terms(self, kind: TermKind, prefix: str | None = None) -> list[Term]:
        """A vocabulary's terms by name, those whose name or synonym starts with ``prefix``."""
        wanted = fold(prefix or "")
        found = [
            t for t in self.taxonomy.terms[kind].values()
            if not wanted or any(fold(w).startswith(wanted) for w in (t.name, *t.synonyms))
        ]  # fmt: skip
        return sorted(found, key=lambda t: t.name)

    # search -----------------------------------------------------------------------------

    def search(self, request: SearchRequest, actor: Account | None = None) -> SearchPage:
        """A page of the directory, best matches first; people only for coordinators, and each
        person shown is an audited read."""
        filters = self.search_filters(request, bool(actor and actor.sees_everyone))
        offset = offset_of(request.after)
        box = bounding_box(filters.near.latitude, filters.near.longitude, filters.radius_km) \
            if filters.near else None  # fmt: skip
        hits = self.directory_hits(filters, box)
        if not hits and filters.near and filters.kinds & PUBLIC_KINDS:
            unmet.note(self, unmet.Kind.SEARCH, filters.near)
        if filters.kinds & PEOPLE_KINDS:
            candidates = people_repo.people_in(self.store, box)
            hits = sorted(hits + rank_people(filters, candidates, self.taxonomy), key=order)
        page = SearchPage(hits[offset : offset + request.first], len(hits), offset)
        shown = [h.entry.id for h in page.hits if isinstance(h.entry, Person)]
        if shown:
            audit.record(self.store, actor, "person.search", shown)
        return page

    def directory_hits(self, filters: SearchFilters, box: Box | None) -> list[Hit]:
        """Matching activities, venues and groups, from the in-memory directory: a group is
        read only when one of its activities is in the box, unless its name alone may match."""
        here = self.directory_mirror.current()
        among = here.text.matching(filters.text) if filters.text else None
        activities = here.activities_in(box, among)
        venues = here.venues_in(box) if EntryKind.VENUE in filters.kinds else []
        groups = searched_groups(filters, here, activities) if EntryKind.GROUP in filters.kinds \
            else []  # fmt: skip
        return rank(filters, activities, venues, groups, self.taxonomy)

    def search_filters(self, request: SearchRequest, may_see_people: bool) -> SearchFilters:
        """Check every argument of a search and turn its words into taxonomy ids."""
        kinds = frozenset(request.kinds) if request.kinds else PUBLIC_KINDS
        if kinds - PUBLIC_KINDS and not may_see_people:
            raise Forbidden("only coordinators may search people and volunteers")
        if not 1 <= request.first <= MAX_PAGE:
            raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
        radius = checked_radius(request.radius_km, SEARCH_RADIUS_KM, MAX_RADIUS_KM)
        text = (request.text or "").strip() or None
        if text and len(text) > MAX_TEXT:
            raise InvalidInput("text", f"is longer than {MAX_TEXT} characters")
        language = None
        if request.language:
            language = self.term((TermKind.LANGUAGE,), request.language, "language").id
        return SearchFilters(
            text=text, near=request.near, radius_km=radius, kinds=kinds,
            interests=self.covered((TermKind.INTEREST,), request.interests or [], "interests"),
            supports=self.covered(
                (TermKind.CONDITION, TermKind.NEED), request.supports or [], "supports"),
            day=request.day, free_only=request.free_only, step_free=request.step_free,
            language=language, weights=self.weights,
        )  # fmt: skip

    # directory records ------------------------------------------------------------------

    def venues(self, ids: list[str]) -> dict[str, Venue]:
        return directory.venues_by_id(self.store, ids)

    def groups(self, ids: list[str]) -> dict[str, Group]:
        return directory.groups_by_id(self.store, ids)

    def activities(self, ids: list[str]) -> dict[str, Activity]:
        return directory.activities_by_id(self.store, ids)


def searched_groups(
    filters: SearchFilters, here: Directory, activities: list[tuple[Activity, Venue]]
) -> list[Group]:
    """The groups a search can find: all when a name alone may match, else those running one
    of the activities it looks at."""
    if not via_activities(filters):
        return list(here.groups.values())
    ids = {a.group_id for a, _ in activities if a.group_id}
    return [here.groups[i] for i in ids if i in here.groups]
