"""The public directory as Open Referral UK 3.0 (UK profile) objects, read for one request.

An ORUK service is the activities that share a source service (``orukService``), or one
Kith activity; a service at location is an activity held at a venue. Ids are the source ids
of imported records and stable UUIDs for Kith's own (``graph.catalogue.public_id``), so an
export loaded into another Kith exports the same again. Only groups, activities, venues and
taxonomy terms are read: never a person.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from graph import catalogue
from graph.catalogue import CatalogueTerm, Listing, public_id
from graph.directory import groups_by_id
from kith.domain import (
    AccessNeed,
    Activity,
    Audience,
    Group,
    ListingStatus,
    Place,
    TermKind,
    Venue,
    Weekday,
)
from kith.errors import NotFound
from kith.service import Kith
from matching.eligibility import describe
from matching.geo import bounding_box, distance_km
from matching.taxonomy import Taxonomy
from matching.text import relevance

T = TypeVar("T")
VERSION = "3.0"
PROFILE = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/openapi.json"
ORUK_STATUS = {  # service.status in the UK profile (schema/service.json); loaders/oruk_map.py
    ListingStatus.ACTIVE: "active",  # reads them back
    ListingStatus.TEMPORARILY_CLOSED: "temporarily closed",
    ListingStatus.CLOSED: "inactive",
}
KITH_VOCABULARIES = (TermKind.INTEREST, TermKind.CONDITION, TermKind.NEED)
AGES = {Audience.ADULTS: (18.0, None), Audience.OLDER_ADULTS: (50.0, None),
        Audience.CHILDREN: (None, 17.0)}  # fmt: skip
ACCESS_TEXT = {AccessNeed.STEP_FREE: "Step-free access", AccessNeed.HEARING_LOOP: "Hearing loop",
               AccessNeed.ACCESSIBLE_TOILET: "Accessible toilet"}  # fmt: skip


@dataclass
class Query:
    """A list request's filters, checked; all that are given must hold (AND)."""

    search: str | None = None
    taxonomy_id: str | None = None
    taxonomy_term_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: Weekday | None = None
    start_time: str | None = None
    end_time: str | None = None
    near: Place | None = None
    proximity_m: float | None = None
    page: int = 1
    per_page: int = 50


@dataclass
class Vocabularies:
    """Every public taxonomy term with its ORUK view, and the taxonomies they belong to."""

    terms: dict[str, CatalogueTerm]
    stored: list[dict[str, Any]]
    taxonomy: Taxonomy = field(init=False)

    def __post_init__(self) -> None:
        self.taxonomy = Taxonomy([t.term for t in self.terms.values()])

    @classmethod
    def read(cls, kith: Kith) -> Vocabularies:
        terms = {t.term.id: t for t in catalogue.terms_with_extra(kith.store)}
        return cls(terms, catalogue.vocabularies(kith.store))

    def public_terms(self) -> list[CatalogueTerm]:
        found = [t for t in self.terms.values() if t.term.kind in KITH_VOCABULARIES]
        return sorted(found, key=lambda t: (taxonomy_name(t), t.term.name, t.term.id))

    def covered(self, query: Query) -> set[str] | None:
        """Term ids the taxonomy filters allow (narrower terms included), or None for all."""
        sets = []
        if query.taxonomy_term_id:
            chosen = [t for t in self.public_terms() if term_id(t) == query.taxonomy_term_id]
            sets.append({n for t in chosen for n in self.taxonomy.narrower(t.term.kind, t.term.id)})
        if query.taxonomy_id:
            sets.append(
                {t.term.id for t in self.public_terms() if taxonomy_id(t) == query.taxonomy_id}
            )
        return set.intersection(*sets) if sets else None

    def words(self, ids: list[str]) -> list[str]:
        return [self.terms[i].term.name for i in ids if i in self.terms]


# Reading and filtering ----------------------------------------------------------------------


def service_key(listing: Listing) -> str:
    return key_of(listing.activity.id, listing.extra.get("orukService"))


def key_of(activity_id: str, source_service: str | None) -> str:
    """The ORUK id of the service an activity belongs to."""
    return public_id(
        "service", catalogue.graph_id(source_service) if source_service else activity_id
    )


def read_listings(
    kith: Kith, query: Query, vocab: Vocabularies
) -> list[tuple[Listing, float | None]]:
    """Activities matching every filter, each with its distance in km from the searched place;
    the bounding box of a proximity search is applied in the graph."""
    near = query.near
    box = None
    if near and query.proximity_m:
        box = bounding_box(near.latitude, near.longitude, query.proximity_m / 1000)
    covered = vocab.covered(query)
    out = []
    for listing in catalogue.listings(kith.store, box):
        distance = distance_from(near, listing)
        if matches(listing, query, covered, distance, vocab):
            out.append((listing, distance))
    return out


def distance_from(near: Place | None, listing: Listing) -> float | None:
    if near is None or listing.latitude is None or listing.longitude is None:
        return None
    return distance_km((near.latitude, near.longitude), (listing.latitude, listing.longitude))


def matches(
    listing: Listing, query: Query, covered: set[str] | None, distance: float | None,
    vocab: Vocabularies,
) -> bool:  # fmt: skip
    """Every filter the query gives holds (ORUK combines them with AND); the ages are those
    the service states, so a service that states none matches no age filter."""
    a = listing.activity
    low, high = ages(listing)
    checks = (
        covered is None or bool(covered & {*a.interests, *a.supports}),
        query.minimum_age is None or (low is not None and low >= query.minimum_age),
        query.maximum_age is None or (high is not None and high <= query.maximum_age),
        not query.proximity_m or (distance is not None and distance * 1000 <= query.proximity_m),
        at_times(a, query),
        not query.search or relevance(query.search, searchable(a, vocab)) > 0,
    )
    return all(checks)


def at_times(activity: Activity, query: Query) -> bool:
    """Some session on the day, starting no earlier and ending no later than asked."""
    if not (query.day or query.start_time or query.end_time):
        return True
    return any(
        (not query.day or s.day is query.day)
        and (not query.start_time or s.start >= query.start_time)
        and (not query.end_time or (s.end is not None and s.end <= query.end_time))
        for s in activity.sessions
    )


def searchable(activity: Activity, vocab: Vocabularies) -> list[str]:
    return [activity.name, activity.description or "",
            *vocab.words([*activity.interests, *activity.supports])]  # fmt: skip


def ages(listing: Listing) -> tuple[float | None, float | None]:
    """The ages a service states (its eligibility, else as imported), else those its audience
    implies: ORUK / HSDS 3.0 ``minimum_age`` and ``maximum_age``, inclusive."""
    e = listing.activity.eligibility
    if e.min_age is not None or e.max_age is not None:
        return e.min_age, e.max_age
    low, high = listing.extra.get("minimumAge"), listing.extra.get("maximumAge")
    if low is None and high is None:
        return AGES.get(listing.activity.audience, (None, None))
    return low, high


def eligibility_text(listing: Listing) -> str | None:
    """HSDS 3.0 ``eligibility_description`` (the UK profile allows it as an extra member): the
    text a service was imported with, else who a Kith activity is for in words. It is the only
    place ORUK can say a service is for women or men; an imported one keeps its own text, so
    a round trip gives back what came in."""
    if listing.extra.get("orukService"):
        return listing.extra.get("orukEligibility")
    said = describe(listing.activity.eligibility)
    return said[0].upper() + said[1:] if said else None


# Pages -----------------------------------------------------------------------------------------


def page(items: list[T], query: Query, shape: Callable[[list[T]], list[dict]]) -> dict[str, Any]:
    """The ORUK ``Page`` envelope around one page of ``items``."""
    pages = math.ceil(len(items) / query.per_page)
    start = (query.page - 1) * query.per_page
    chunk = items[start : start + query.per_page]
    return {
        "total_items": len(items), "total_pages": pages, "page_number": query.page,
        "size": len(chunk), "first_page": query.page == 1, "last_page": query.page >= pages,
        "empty": not chunk, "contents": shape(chunk),
    }  # fmt: skip


def services_page(kith: Kith, query: Query) -> dict[str, Any]:
    vocab = Vocabularies.read(kith)
    found: dict[str, list[Listing]] = {}
    for listing, _ in read_listings(kith, query, vocab):
        found.setdefault(service_key(listing), []).append(listing)
    services = sorted(found.values(), key=lambda s: (s[0].activity.name, service_key(s[0])))
    return page(services, query, lambda chunk: Shaper.read(kith, chunk, vocab).services(chunk))


def service(kith: Kith, service_id: str) -> dict[str, Any]:
    """One service, fully nested: all its activities, wherever they are held."""
    ids = [a for a, source in catalogue.service_keys(kith.store) if key_of(a, source) == service_id]
    listings = catalogue.listings(kith.store, ids=ids) if ids else []
    if not listings:
        raise NotFound(f"no service with id {service_id}")
    return Shaper.read(kith, [listings], Vocabularies.read(kith)).service_full(listings)


def service_at_locations_page(kith: Kith, query: Query) -> dict[str, Any]:
    vocab = Vocabularies.read(kith)
    held = [(x, d) for x, d in read_listings(kith, query, vocab) if x.activity.venue_id]
    far = 1e9
    held.sort(key=lambda p: (p[1] if p[1] is not None else far, p[0].activity.name,
                             p[0].activity.id))  # fmt: skip
    listings = [x for x, _ in held]
    return page(listings, query, lambda chunk: Shaper.read(kith, [chunk], vocab).places(chunk))


def taxonomies_page(kith: Kith, query: Query) -> dict[str, Any]:
    vocab = Vocabularies.read(kith)
    return page(taxonomies(vocab), query, lambda chunk: chunk)


def taxonomy_terms_page(kith: Kith, query: Query) -> dict[str, Any]:
    vocab = Vocabularies.read(kith)
    terms = [t for t in vocab.public_terms()
             if (not query.taxonomy_id or taxonomy_id(t) == query.taxonomy_id)
             and (not query.search or relevance(query.search, [t.term.name]) > 0)]  # fmt: skip
    return page(terms, query, lambda chunk: [term(t) for t in chunk])


# Taxonomies --------------------------------------------------------------------------------


def term_id(t: CatalogueTerm) -> str:
    return public_id("taxonomy_term", t.term.id)


def taxonomy_name(t: CatalogueTerm) -> str:
    return t.extra.get("vocabulary") or kith_vocabulary(t.term.kind)


def kith_vocabulary(kind: TermKind) -> str:
    return f"Kith {kind.value.lower()}s"


def taxonomy_id(t: CatalogueTerm) -> str:
    if t.extra.get("orukTaxonomyId"):
        return public_id("taxonomy", catalogue.graph_id(t.extra["orukTaxonomyId"]))
    if t.extra.get("vocabulary"):
        return public_id("taxonomy", f"vocabulary:{t.extra['vocabulary']}")
    return public_id("taxonomy", f"kith:{t.term.kind.value}")


def term(t: CatalogueTerm) -> dict[str, Any]:
    """A term as ORUK shows it. Its parent is in its own taxonomy: the source parent of an
    imported term (not the Kith term it was placed under), the broader term of Kith's own."""
    parent = t.extra.get("orukParent")
    if not t.extra.get("orukId") and t.term.broader:
        parent = public_id("taxonomy_term", t.term.broader)
    elif parent:
        parent = public_id("taxonomy_term", catalogue.graph_id(parent))
    return compact({
        "id": term_id(t), "name": t.term.name, "description": t.extra.get("description")
        or t.term.name, "parent_id": parent, "taxonomy": taxonomy_name(t),
        "taxonomy_id": taxonomy_id(t),
    })  # fmt: skip


def taxonomies(vocab: Vocabularies) -> list[dict[str, Any]]:
    """Kith's vocabularies, the ones loaded from ORUK, and those only named on their terms."""
    found = {
        public_id("taxonomy", v["id"]): compact({
            "id": public_id("taxonomy", v["id"]), "name": v["name"],
            "description": v.get("description") or v["name"], "uri": v.get("uri"),
            "version": v.get("version")})
        for v in vocab.stored
    }  # fmt: skip
    for t in vocab.public_terms():
        name = taxonomy_name(t)
        found.setdefault(taxonomy_id(t), {"id": taxonomy_id(t), "name": name, "description": name})
    for kind in KITH_VOCABULARIES:
        key = public_id("taxonomy", f"kith:{kind.value}")
        name = kith_vocabulary(kind)
        found.setdefault(key, {"id": key, "name": name, "description": f"{name} ({kind.value})"})
    return sorted(found.values(), key=lambda v: (v["name"], v["id"]))


# Shaping ---------------------------------------------------------------------------------------


@dataclass
class Shaper:
    """Turns a page of activities into ORUK objects, with the venues, groups and terms they
    link to (read once for the page)."""

    venues: dict[str, tuple[Venue, dict[str, Any]]]
    groups: dict[str, Group]
    vocab: Vocabularies

    @classmethod
    def read(cls, kith: Kith, services: list[list[Listing]], vocab: Vocabularies) -> Shaper:
        activities = [x.activity for s in services for x in s]
        venues = sorted({a.venue_id for a in activities if a.venue_id})
        groups = sorted({a.group_id for a in activities if a.group_id})
        return cls(catalogue.venues_with_extra(kith.store, venues),
                   groups_by_id(kith.store, groups), vocab)  # fmt: skip

    def services(self, chunk: list[list[Listing]]) -> list[dict[str, Any]]:
        return [self.service_list(s) for s in chunk]

    def places(self, chunk: list[Listing]) -> list[dict[str, Any]]:
        return [self.place(x) for x in chunk]

    def service_list(self, listings: list[Listing]) -> dict[str, Any]:
        """A service's one-to-one fields (from its first listing; changed when any of them last
        changed), with its organization."""
        listing = listings[0]
        a, extra = listing.activity, listing.extra
        low, high = ages(listing)
        group = self.groups.get(a.group_id or "")
        return compact({
            "id": service_key(listing), "name": a.name, "description": a.description,
            "url": web(extra.get("orukUrl")), "email": email(extra.get("orukEmail")),
            "status": ORUK_STATUS[a.status], "minimum_age": low, "maximum_age": high,
            "assured_date": a.last_reviewed_on.isoformat() if a.last_reviewed_on else None,
            "last_modified": last_modified(listings),
            "eligibility_description": eligibility_text(listing),
            "organization": organization(group) if group else None,
        })  # fmt: skip

    def service_full(self, listings: list[Listing]) -> dict[str, Any]:
        first = listings[0]
        sid, a = service_key(first), first.activity
        held = sorted(
            (x for x in listings if x.activity.venue_id in self.venues),
            key=lambda x: public_id("service_at_location", x.activity.id),
        )
        unheld = [x for x in listings if x not in held]
        return compact({
            **self.service_list(listings),
            "schedules": [s for x in [*held, *unheld] for s in schedules(x, sid, x in held)],
            "service_at_locations": [self.at_location(x, sid) for x in held],
            "languages": [self.language(sid, lang) for lang in a.languages],
            "cost_options": cost_options(first, sid),
            "attributes": sorted((self.attribute(sid, t) for t in [*a.interests, *a.supports]
                                  if t in self.vocab.terms), key=lambda x: x["id"]),
        })  # fmt: skip

    def at_location(self, listing: Listing, sid: str) -> dict[str, Any]:
        venue, extra = self.venues[listing.activity.venue_id]
        sal = public_id("service_at_location", listing.activity.id)
        return {"id": sal, "service_id": sid, "location_id": public_id("location", venue.id),
                "location": location(venue, extra, nested=True)}  # fmt: skip

    def place(self, listing: Listing) -> dict[str, Any]:
        """A service at location, one-to-one fields, with its location and service."""
        venue, extra = self.venues[listing.activity.venue_id]
        sid = service_key(listing)
        return {"id": public_id("service_at_location", listing.activity.id), "service_id": sid,
                "location_id": public_id("location", venue.id),
                "location": location(venue, extra, nested=False),
                "service": self.service_list([listing])}  # fmt: skip

    def language(self, sid: str, lang: str) -> dict[str, Any]:
        name = self.vocab.terms[lang].term.name if lang in self.vocab.terms else lang
        return {"id": public_id("language", f"{sid}/{name}"), "service_id": sid, "name": name}

    def attribute(self, sid: str, term_key: str) -> dict[str, Any]:
        t = self.vocab.terms[term_key]
        return {"id": public_id("attribute", f"{sid}/{term_id(t)}"), "link_id": sid,
                "link_type": "service", "taxonomy_term_id": term_id(t),
                "taxonomy_term": term(t)}  # fmt: skip


def last_modified(listings: list[Listing]) -> str | None:
    """ "The datetime when the service, or any related information about the service, has
    changed. Should have millisecond accuracy" (UK profile, schema/service.json): the newest
    ``updatedAt`` of its activities, in UTC."""
    stamps = [x.updated_at for x in listings if x.updated_at is not None]
    if not stamps:
        return None
    moment = datetime.fromtimestamp(max(stamps) / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organization(group: Group) -> dict[str, Any]:
    return compact({"id": public_id("organization", group.id), "name": group.name,
                    "description": group.description or group.name,
                    "website": web(group.website)})  # fmt: skip


def location(venue: Venue, extra: dict[str, Any], nested: bool) -> dict[str, Any]:
    out = compact({"id": public_id("location", venue.id), "location_type": "physical",
                   "name": venue.name, "latitude": venue.latitude,
                   "longitude": venue.longitude})  # fmt: skip
    if nested:
        out["addresses"] = addresses(venue, extra)
        out["accessibility"] = accessibility(venue)
    return out


def addresses(venue: Venue, extra: dict[str, Any]) -> list[dict[str, Any]]:
    """The venue's address; its last part is the town (Kith keeps one line)."""
    if not venue.address and not venue.postcode:
        return []
    street, _, city = (venue.address or venue.name).rpartition(", ")
    lid = public_id("location", venue.id)
    return [{"id": public_id("address", lid), "location_id": lid,
             "address_1": street or city, "city": city if street else "",
             "state_province": extra.get("orukStateProvince") or "",
             "postal_code": venue.postcode or "", "country": extra.get("orukCountry") or "GB",
             "address_type": "physical"}]  # fmt: skip


def accessibility(venue: Venue) -> list[dict[str, Any]]:
    flags = {AccessNeed.STEP_FREE: venue.step_free, AccessNeed.HEARING_LOOP: venue.hearing_loop,
             AccessNeed.ACCESSIBLE_TOILET: venue.accessible_toilet}  # fmt: skip
    texts = [ACCESS_TEXT[need] for need, on in flags.items() if on]
    texts += ["Parking"] if venue.parking else []
    lid = public_id("location", venue.id)
    return [{"id": public_id("accessibility", f"{lid}/{text}"), "location_id": lid,
             "description": text} for text in texts]  # fmt: skip


def schedules(listing: Listing, sid: str, held: bool) -> list[dict[str, Any]]:
    """The activity's weekly sessions; ids follow its public id, so they survive a round trip."""
    a = listing.activity
    sal = public_id("service_at_location", a.id) if held else None
    return [compact({
        "id": public_id("schedule", f"{sal or sid}#{i}"), "service_id": sid,
        "service_at_location_id": sal, "freq": "WEEKLY", "interval": 1, "byday": s.day.value[:2],
        "opens_at": f"{s.start}:00", "closes_at": f"{s.end}:00" if s.end else None,
    }) for i, s in enumerate(a.sessions)]  # fmt: skip


def cost_options(listing: Listing, sid: str) -> list[dict[str, Any]]:
    cost = listing.activity.cost
    if cost is None:
        return []
    return [{"id": public_id("cost_option", sid), "service_id": sid,
             "amount": cost, "option": "Free" if cost == 0 else "Per session"}]  # fmt: skip


def web(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def email(address: str | None) -> str | None:
    return address if address and "@" in address.strip("@") else None


def compact(d: dict[str, Any]) -> dict[str, Any]:
    """Without absent values: ORUK fields are optional, never null."""
    return {k: v for k, v in d.items() if v is not None}
