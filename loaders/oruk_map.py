"""Open Referral UK records as Kith graph rows: the mapping rules, for v3 and v1 alike.

organization → Group; service at a location, with its schedules → Activity, one per location
however many service_at_locations name it (a service without a location → one Activity
without a venue); status → ListingStatus ("defunct": removed); assured_date → when it was
last reviewed; location + address → Venue; taxonomy term → a term
of its own that keeps its source id and vocabulary, placed under the Kith term of the same
name (Need, Condition or Interest; else an Interest standing alone); taxonomy → Vocabulary;
cost options → cost (the lowest); accessibility → venue flags; languages → Kith languages.
v1 names are read too: ``regular_schedules``, ``service_taxonomys``/``link_taxonomy``,
``eligibility``, ``physical_addresses``, ``accessibility_for_disabilities``.

A record that is wrong (no id, a bad date, time, day, amount or age) is skipped whole, with
where and why; one that is only incomplete (invalid coordinates, an unknown language or
reference) loads without the missing part, and says so.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from graph import records
from graph.catalogue import NAMESPACE, NodeRow, graph_id
from graph.directory import activity_row
from kith.domain import (
    Activity,
    Audience,
    Eligibility,
    ListingStatus,
    Session,
    TermKind,
    Venue,
    Weekday,
)
from kith.errors import InvalidInput
from kith.places import Postcodes, normalise_postcode
from matching.eligibility import MAX_AGE
from matching.taxonomy import Taxonomy
from matching.text import fold

RETIRED = ("defunct",)
LISTING_STATUS = {  # HSDS 3.0 / ORUK service.status (uk-profile schema/service.json) -> Kith's
    "active": ListingStatus.ACTIVE,
    "temporarily closed": ListingStatus.TEMPORARILY_CLOSED,
    "inactive": ListingStatus.CLOSED,  # not running: listed as closed, never suggested
}
STATUSES = (*LISTING_STATUS, *RETIRED)
DAYS = {"MO": Weekday.MONDAY, "TU": Weekday.TUESDAY, "WE": Weekday.WEDNESDAY,
        "TH": Weekday.THURSDAY, "FR": Weekday.FRIDAY, "SA": Weekday.SATURDAY,
        "SU": Weekday.SUNDAY}  # fmt: skip
BYDAY = re.compile(r"^[+-]?\d{0,2}([A-Z]{2})$")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")
SCHEDULE_DATES = ("valid_from", "valid_to", "dtstart", "until")
SERVICE_DATES = ("assured_date", "last_modified")
CSV_LINE = re.compile(r": line \d+$")
CLASSIFY_ORDER = (TermKind.NEED, TermKind.CONDITION, TermKind.INTEREST)
OLDER_FROM = 50
ADULT_FROM = 18
ACCESS = {  # venue flag: words in an accessibility text that mean it
    "step_free": r"\b(wheelchair|step ?free|level access|ramps?|lifts?)\b",
    "hearing_loop": r"\b(hearing loop|induction loops?|loop system|t ?coil)\b",
    "accessible_toilet": r"\b(accessible|disabled) (toilets?|wc|loos?|bathrooms?)\b|changing pl",
    "parking": r"\b(parking|car park|blue badge)\b",
}
AUDIENCE_WORDS = (
    (Audience.OLDER_ADULTS, r"older|senior|elderly|retired"),
    (Audience.CHILDREN, r"child|young|youth|teen"),
    (Audience.FAMILIES, r"famil|parent"),
    (Audience.ADULTS, r"adult"),
)
KIND_KEYS = {  # keys that tell one kind of ORUK object from another
    "service": {"status", "service_at_locations", "schedules", "regular_schedules",
                "cost_options", "organization", "organization_id", "fees", "minimum_age",
                "maximum_age", "eligibilitys", "service_taxonomys", "accreditations",
                "assured_date", "program_id", "service_areas", "application_process"},
    "organization": {"services", "organization_identifiers", "website", "logo", "legal_status",
                     "tax_status", "tax_id", "year_incorporated", "parent_organization_id",
                     "programs"},
    "location": {"location_type", "latitude", "longitude", "addresses", "physical_addresses",
                 "postal_addresses", "accessibility", "accessibility_for_disabilities",
                 "transportation", "external_identifier", "external_identifier_type"},
    "taxonomy": {"taxonomy_terms", "version"},
    "taxonomy_term": {"taxonomy", "taxonomy_id", "parent_id", "term_uri", "code",
                      "vocabulary", "taxonomy_detail", "term", "parent_name"},
}  # fmt: skip


class BadRecord(Exception):
    """A record that cannot be loaded; ``where`` is the part of the file at fault."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file: where, in which record, why, and what the loader did."""

    where: str
    record: str
    reason: str
    action: str


@dataclass
class Known:
    """What a reference may point at: ids the file defines or the graph already holds."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    terms: dict[str, TermKind] = field(default_factory=dict)
    stored: set[str] = field(default_factory=set)


@dataclass
class Context:
    """What mapping needs. On the first pass ``known`` is None: references are only collected
    (in ``wanted``), so that the second pass can check each against the file and the graph."""

    taxonomy: Taxonomy
    postcodes: Postcodes
    known: Known | None = None
    wanted: set[tuple[str, str]] = field(default_factory=set)
    meanings: dict[tuple[TermKind | None, str], Any] = field(default_factory=dict)

    def classify(self, name: str) -> tuple[TermKind, str | None]:
        """``classify``, remembered: a file names the same terms over and over."""
        if (None, name) not in self.meanings:
            self.meanings[(None, name)] = classify(self.taxonomy, name)
        return self.meanings[(None, name)]

    def language(self, name: str) -> str | None:
        """The Kith language a name means, remembered."""
        key = (TermKind.LANGUAGE, name)
        if key not in self.meanings:
            term = self.taxonomy.normalise(TermKind.LANGUAGE, name)
            self.meanings[key] = term.id if term else None
        return self.meanings[key]


@dataclass
class Mapped:
    """The rows of one record, and what else the loader must do or report."""

    rows: list[NodeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    retired: list[str] = field(default_factory=list)
    located: list[str] = field(default_factory=list)


@dataclass
class Recorder:
    """Collects one record's rows and warnings, and resolves its references."""

    ctx: Context
    record: str
    out: Mapped = field(default_factory=Mapped)

    def warn(self, where: str, reason: str, action: str) -> None:
        self.out.problems.append(Problem(where, self.record, reason, action))

    def ref(self, label: str, source_id: str, where: str) -> str | None:
        """The graph id a reference means, or None (with a warning) when nothing has it."""
        gid = graph_id(source_id)
        known = self.ctx.known
        if known is None:
            self.ctx.wanted.add((label, gid))
            return gid
        if gid in known.ids.get(label, set()):
            return gid
        what = {"Group": "organization", "Venue": "location"}[label]
        reason = f"{what} {source_id} was not loaded and is not in the graph"
        self.warn(where, reason, "loaded without it")
        return None

    def term_ref(self, source_id: str, where: str) -> tuple[TermKind, str] | None:
        gid = graph_id(source_id)
        if self.ctx.known is None:
            self.ctx.wanted.add(("term", gid))
            return None
        kind = self.ctx.known.terms.get(gid)
        if kind is None:
            reason = f"taxonomy term {source_id} was not loaded and is not in the graph"
            self.warn(where, reason, "loaded without it")
            return None
        return kind, gid


# Recognising records ------------------------------------------------------------------------


def kind_of(d: Any) -> str | None:
    """Which ORUK object ``d`` is, by the keys only that kind has; None when it is none."""
    if not isinstance(d, dict) or not d.get("id"):
        return None
    if isinstance(d.get("service"), dict):
        return "service_at_location"
    scores = {kind: len(keys & d.keys()) for kind, keys in KIND_KEYS.items()}
    best = max(scores.values())
    winners = [k for k, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


def split(kind: str, d: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """One object as the records it holds, so that a bad service does not take its
    organization (or a bad term its taxonomy) with it."""
    if kind == "service_at_location":
        place = {k: v for k, v in d.items() if k != "service"}
        yield "service", {**d["service"], "service_at_locations": [place]}, where
        return
    key, child, defaults = SPLITS.get(kind, ("", "", {}))
    items = d.get(key) or []
    if not isinstance(items, list):
        yield kind, {**d, "_error": f"its {key} is not a list"}, where
        return
    yield kind, {k: v for k, v in d.items() if k != key}, where
    inherited = {name: d.get(source) for name, source in defaults.items()}
    for i, item in enumerate(items):
        record = {**inherited, **item} if isinstance(item, dict) else {"_error": "is not an object"}
        yield child, record, f"{where}.{key}[{i}]"


# kind: (the key of the records it holds, their kind, {their field: the holder's field})
SPLITS = {
    "organization": ("services", "service", {"organization_id": "id"}),
    "taxonomy": ("taxonomy_terms", "taxonomy_term", {"taxonomy_id": "id", "taxonomy": "name"}),
}


# Mapping --------------------------------------------------------------------------------------


def map_record(kind: str, d: dict[str, Any], where: str, ctx: Context) -> Mapped:
    """The graph rows of one record (see ``split``), or the reason it is skipped."""
    rec = Recorder(ctx, f"{kind.replace('_', ' ')} {d.get('id') or '(no id)'}")
    try:
        MAPPERS[kind](d, where, rec)
    except BadRecord as bad:
        return Mapped(problems=[Problem(bad.where, rec.record, bad.reason, "skipped")], skipped=1)
    return rec.out


def map_service(d: dict[str, Any], where: str, rec: Recorder) -> None:
    sid = required(d, "id", where)
    name = required(d, "name", where)
    status = (text(d.get("status")) or "active").lower()
    if status in RETIRED:
        rec.out.retired.append(sid)
        rec.out.skipped += 1
        rec.warn(where, f"its status is {status}", "not listed; an earlier copy is removed")
        return
    if status not in STATUSES:
        rec.warn(at(where, "status"), f"{status!r} is not an ORUK status", "loaded as active")
        status = "active"
    for key in SERVICE_DATES:
        check_date(d.get(key), at(where, key))
    base, extra = service_activity(d, sid, name, status, where, rec)
    schedules = [
        schedule(s, w, rec) for s, w in children(d, where, "schedules", "regular_schedules")
    ]
    places = list(children(d, where, "service_at_locations"))
    if not places:
        sessions = sessions_at(set(), schedules)
        rec.out.rows.append(
            activity_node(replace(base, id=graph_id(sid), sessions=sessions), extra)
        )
        return
    rec.out.located.append(sid)
    at_venue: dict[str, list[Placed]] = {}
    for place, w in places:
        placed = place_of(place, w, extra, rec)
        at_venue.setdefault(placed.venue or placed.id, []).append(placed)
    for same in at_venue.values():
        rec.out.rows.append(activity_at(base, extra, same, schedules))


def service_activity(
    d: dict[str, Any], sid: str, name: str, status: str, where: str, rec: Recorder
) -> tuple[Activity, dict[str, Any]]:
    """What every activity of a service shares, and its ORUK extras."""
    low, high = ages(d, where)
    terms = service_terms(d, where, rec)
    activity = Activity(
        id="", name=name, venue_id="", description=text(d.get("description")),
        group_id=organization_of(d, where, rec), cost=cost(d, where),
        audience=audience(d, low, high), interests=terms[TermKind.INTEREST],
        supports=sorted(terms[TermKind.NEED] + terms[TermKind.CONDITION]),
        languages=languages(d, where, rec), eligibility=eligibility(low, high),
        status=LISTING_STATUS[status], last_reviewed_on=assured(d),
    )  # fmt: skip
    extra = {"orukService": sid, "orukUrl": text(d.get("url")),
             "orukEmail": text(d.get("email")), "minimumAge": low, "maximumAge": high,
             "orukEligibility": text(d.get("eligibility_description"))}  # fmt: skip
    return activity, extra


def assured(d: dict[str, Any]) -> date | None:
    """``assured_date``, "the date that the information about the service was last checked"
    (UK profile, schema/service.json), is when the listing was last reviewed."""
    value = text(d.get("assured_date"))
    return date.fromisoformat(value[:10]) if value else None


@dataclass(frozen=True)
class Placed:
    """One service_at_location: its id, the venue it names and its own schedules."""

    id: str
    venue: str | None
    schedules: list[tuple[str | None, list[Session]]]


def place_of(place: dict[str, Any], where: str, extra: dict[str, Any], rec: Recorder) -> Placed:
    location = place.get("location")
    if isinstance(location, dict):
        venue: str | None = map_location(location, f"{where}.location", rec)
    else:
        venue = rec.ref("Venue", required(place, "location_id", where), where)
    place_id = text(place.get("id")) or str(
        uuid.uuid5(NAMESPACE, f"{extra['orukService']}@{venue}"))  # fmt: skip
    own = [schedule(s, w, rec) for s, w in children(place, where, "schedules", "regular_schedules")]
    return Placed(place_id, venue, own)


def activity_at(
    base: Activity,
    extra: dict[str, Any],
    same: list[Placed],
    schedules: list[tuple[str | None, list[Session]]],
) -> NodeRow:
    """The one activity of a service at one location, however many service_at_locations name
    that location (a feed may give each schedule its own): the sessions of all of them, else
    the service's. Its id is the first of theirs, so that the file's order does not matter."""
    ids = {p.id for p in same}
    own = [s for p in same for s in p.schedules]
    sessions = sessions_at(ids, schedules + own)
    activity = replace(base, id=graph_id(min(ids)), venue_id=same[0].venue or "",
                       sessions=sessions)  # fmt: skip
    return activity_node(activity, extra)


def activity_node(activity: Activity, extra: dict[str, Any]) -> NodeRow:
    row = activity_row(activity)
    links = {k: row[k] for k in ("group", "interests", "supports", "languages")}
    return NodeRow("Activity", activity.id, {**row["props"], **extra},
                   {**links, "venue": activity.venue_id or None})  # fmt: skip


def sessions_at(
    at_ids: set[str], schedules: list[tuple[str | None, list[Session]]]
) -> list[Session]:
    """The sessions of schedules for these service-at-locations, else those for the service."""
    own = [s for owner, sessions in schedules if owner in at_ids for s in sessions]
    chosen = own or [s for owner, sessions in schedules if not owner for s in sessions]
    return sorted(set(chosen), key=lambda s: (list(Weekday).index(s.day), s.start, s.end or ""))


def schedule(s: dict[str, Any], where: str, rec: Recorder) -> tuple[str | None, list[Session]]:
    """A schedule's weekly sessions, with the service-at-location it belongs to, if any."""
    reject_flagged(s, where)
    for key in SCHEDULE_DATES:
        check_date(s.get(key), at(where, key))
    start = clock(s.get("opens_at"), at(where, "opens_at"))
    end = clock(s.get("closes_at"), at(where, "closes_at"))
    days = weekdays(s, where)
    owner = text(s.get("service_at_location_id"))
    if days and not start:
        rec.warn(where, "it has days but no opening time", "its days are left out")
        return owner, []
    return owner, [Session(day, start, end) for day in days if start]


def weekdays(s: dict[str, Any], where: str) -> list[Weekday]:
    """Days from ``byday`` ("MO,TU", "1MO"), v1's ``weekday`` (1 = Monday, or a name), or
    every day for a daily schedule without either."""
    if text(s.get("weekday")):
        return [weekday(text(s.get("weekday")) or "", at(where, "weekday"))]
    codes = [c.strip().upper() for c in (text(s.get("byday")) or "").split(",") if c.strip()]
    days = []
    for code in codes:
        found = BYDAY.match(code)
        if not found or found.group(1) not in DAYS:
            raise BadRecord(at(where, "byday"), f"{code!r} is not a day (MO, TU, ... SU)")
        days.append(DAYS[found.group(1)])
    if not days and (text(s.get("freq")) or "").upper() == "DAILY":
        return list(Weekday)
    return days


def weekday(value: str, where: str) -> Weekday:
    if value.isdigit() and 1 <= int(value) <= 7:
        return list(Weekday)[int(value) - 1]
    for day in Weekday:
        if value.upper() in (day.value, day.value[:2], day.value[:3]):
            return day
    raise BadRecord(where, f"{value!r} is not a day of the week")


def map_location(d: dict[str, Any], where: str, rec: Recorder) -> str:
    where = d.get("_where") or where
    lid = required(d, "id", where)
    gid = graph_id(lid)
    address = first_address(d, where)
    name = text(d.get("name")) or text(address.get("address_1")) or f"Location {lid}"
    raw_postcode = text(address.get("postal_code"))
    postcode = uk_postcode(raw_postcode) or raw_postcode
    latitude, longitude = position(d, where, rec, postcode)
    texts = [text(a.get(k)) or "" for a, _ in children(d, where, "accessibility",
             "accessibility_for_disabilities") for k in ("description", "details",
             "accessibility")]  # fmt: skip
    venue = Venue(gid, name, address_text(address), postcode, latitude, longitude,
                  **access_flags(" ".join(texts)))  # fmt: skip
    extra = {"orukStateProvince": text(address.get("state_province")),
             "orukCountry": text(address.get("country"))}  # fmt: skip
    rec.out.rows.append(NodeRow("Venue", gid, {**records.venue_props(venue), **extra}))
    return gid


def first_address(d: dict[str, Any], where: str) -> dict[str, Any]:
    """The physical address when there is one, else the first (v1 keeps them apart)."""
    found = [a for a, _ in children(d, where, "addresses", "physical_addresses",
                                    "postal_addresses")]  # fmt: skip
    physical = [a for a in found if (text(a.get("address_type")) or "physical") == "physical"]
    return (physical or found or [{}])[0]


def address_text(a: dict[str, Any]) -> str | None:
    parts = [text(a.get(k)) for k in ("address_1", "address_2", "address_3", "address_4", "city")]
    return ", ".join(p for p in parts if p) or None


def position(
    d: dict[str, Any], where: str, rec: Recorder, postcode: str | None
) -> tuple[float | None, float | None]:
    """The location's coordinates when valid; else its UK postcode's centroid, if known."""
    lat, lon = d.get("latitude"), d.get("longitude")
    if blank(lat) and blank(lon):
        return from_postcode(rec, postcode)
    problem = coordinate_problem(lat, -90, 90, "latitude") or coordinate_problem(
        lon, -180, 180, "longitude")  # fmt: skip
    if problem is None:
        return float(lat), float(lon)
    found = from_postcode(rec, postcode)
    action = (
        "position taken from its postcode" if found[0] is not None else "loaded without a position"
    )
    rec.warn(where, problem, action)
    return found


def coordinate_problem(value: Any, low: float, high: float, name: str) -> str | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return f"{name} {value!r} is not a number"
    return None if low <= number <= high else f"{name} {value} is not between {low} and {high}"


def from_postcode(rec: Recorder, postcode: str | None) -> tuple[float | None, float | None]:
    try:
        place = rec.ctx.postcodes.resolve(postcode or "")
    except InvalidInput:
        return None, None
    return place.latitude, place.longitude


def uk_postcode(text_: str | None) -> str | None:
    try:
        return normalise_postcode(text_ or "")
    except InvalidInput:
        return None


def access_flags(words: str) -> dict[str, bool | None]:
    """Venue flags an accessibility text states; None where it says nothing."""
    folded = fold(words)
    return {flag: True if re.search(pattern, folded) else None for flag, pattern in ACCESS.items()}


def map_organization(d: dict[str, Any], where: str, rec: Recorder) -> str:
    oid = required(d, "id", where)
    gid = graph_id(oid)
    props = {"name": required(d, "name", where), "description": text(d.get("description")),
             "website": text(d.get("website")) or text(d.get("url"))}  # fmt: skip
    rec.out.rows.append(NodeRow("Group", gid, props))
    return gid


def organization_of(d: dict[str, Any], where: str, rec: Recorder) -> str | None:
    embedded = d.get("organization")
    if isinstance(embedded, dict):
        return map_organization(embedded, f"{where}.organization", rec)
    oid = text(d.get("organization_id"))
    return rec.ref("Group", oid, at(where, "organization_id")) if oid else None


def map_vocabulary(d: dict[str, Any], where: str, rec: Recorder) -> None:
    tid = required(d, "id", where)
    props = {"name": required(d, "name", where), "description": text(d.get("description")),
             "uri": text(d.get("uri")), "version": text(d.get("version")),
             "orukId": tid}  # fmt: skip
    rec.out.rows.append(NodeRow("Vocabulary", graph_id(tid), props))


def map_term(d: dict[str, Any], where: str, rec: Recorder) -> tuple[TermKind, str]:
    """A source term as a term of its own, under the Kith term its name means (if any)."""
    where = d.get("_where") or where
    reject_flagged(d, where)
    tid = required(d, "id", where)
    name = text(d.get("name")) or required(d, "term", where)
    detail = d.get("taxonomy_detail") if isinstance(d.get("taxonomy_detail"), dict) else {}
    if detail.get("id") and detail.get("name"):
        map_vocabulary(detail, f"{where}.taxonomy_detail", rec)
    kind, broader = rec.ctx.classify(name)
    props = {
        "name": name, "synonyms": [], "description": text(d.get("description")), "orukId": tid,
        "vocabulary": text(d.get("taxonomy")) or text(detail.get("name"))
        or text(d.get("vocabulary")),
        "orukTaxonomyId": text(d.get("taxonomy_id")) or text(detail.get("id")),
        "orukParent": text(d.get("parent_id")),
    }  # fmt: skip
    rec.out.rows.append(NodeRow(kind.value, graph_id(tid), props, {"broader": broader}))
    return kind, graph_id(tid)


def classify(taxonomy: Taxonomy, name: str) -> tuple[TermKind, str | None]:
    """The vocabulary a source term belongs in, and the Kith term it sits under."""
    for kind in CLASSIFY_ORDER:
        term = taxonomy.normalise(kind, name)
        if term:
            return kind, term.id
    return TermKind.INTEREST, None


def service_terms(d: dict[str, Any], where: str, rec: Recorder) -> dict[TermKind, list[str]]:
    """Term ids by vocabulary from v3 attributes, v1 service_taxonomys or taxonomy_ids."""
    found: dict[TermKind, set[str]] = {k: set() for k in CLASSIFY_ORDER}
    for a, w in children(d, where, "attributes", "service_taxonomys"):
        reject_flagged(a, w)
        term = a.get("taxonomy_term") or a.get("taxonomy")
        if isinstance(term, dict):
            kind, gid = map_term(term, f"{w}.taxonomy_term", rec)
            found[kind].add(gid)
        elif ref := text(a.get("taxonomy_term_id")):
            add_ref(found, rec.term_ref(ref, w))
    for ref in (text(d.get("taxonomy_ids")) or "").split(","):
        if ref.strip():
            add_ref(found, rec.term_ref(ref.strip(), at(where, "taxonomy_ids")))
    return {kind: sorted(ids) for kind, ids in found.items()}


def add_ref(found: dict[TermKind, set[str]], ref: tuple[TermKind, str] | None) -> None:
    if ref and ref[0] in found:
        found[ref[0]].add(ref[1])


def languages(d: dict[str, Any], where: str, rec: Recorder) -> list[str]:
    out = set()
    for lang, w in children(d, where, "languages"):
        name = text(lang.get("name")) or text(lang.get("language"))
        if not name:
            continue
        language = rec.ctx.language(name)
        if language:
            out.add(language)
        else:
            rec.warn(w, f"language {name!r} is not one Kith knows", "left out")
    return sorted(out)


def cost(d: dict[str, Any], where: str) -> float | None:
    """The lowest amount of the service's cost options (what someone may pay), if any."""
    amounts = []
    for option, w in children(d, where, "cost_options"):
        reject_flagged(option, w)
        for key in ("valid_from", "valid_to"):
            check_date(option.get(key), at(w, key))
        amount = number(option.get("amount"), at(w, "amount"))
        if amount is not None:
            amounts.append(amount)
    return min(amounts) if amounts else None


def ages(d: dict[str, Any], where: str) -> tuple[float | None, float | None]:
    """Minimum and maximum age, from the service or (v1) its eligibility."""
    sources = [(d, where), *children(d, where, "eligibilitys", "eligibility")]
    low = next((n for s, w in sources if (n := age(s, w, "minimum_age")) is not None), None)
    high = next((n for s, w in sources if (n := age(s, w, "maximum_age")) is not None), None)
    if low is not None and high is not None and low > high:
        raise BadRecord(where, f"minimum_age {low:g} is above maximum_age {high:g}")
    return low, high


def eligibility(low: float | None, high: float | None) -> Eligibility:
    """Who a service is for, as far as ORUK / HSDS 3.0 structure it: ``minimum_age`` and
    ``maximum_age`` (inclusive) in whole years, a fraction rounded inwards and a maximum past
    120 read as none. Gender is not structured there (only ``eligibility_description``, kept
    as text), so an imported service is open to every gender."""
    low_years = None if low is None else min(math.ceil(low), MAX_AGE)
    high_years = None if high is None or high > MAX_AGE else math.floor(high)
    return Eligibility((), low_years, high_years)


def age(d: dict[str, Any], where: str, key: str) -> float | None:
    reject_flagged(d, where)
    value = number(d.get(key), at(where, key))
    if value is not None and not 0 <= value <= 130:
        raise BadRecord(at(where, key), f"{value:g} is not an age")
    return value


def audience(d: dict[str, Any], low: float | None, high: float | None) -> Audience:
    """Who a service is for: by its ages, else by the words of its v1 eligibility."""
    if high is not None and high < ADULT_FROM:
        return Audience.CHILDREN
    if low is not None:
        return Audience.OLDER_ADULTS if low >= OLDER_FROM else (
            Audience.ADULTS if low >= ADULT_FROM else Audience.ALL)  # fmt: skip
    words = " ".join(text(e.get("eligibility")) or "" for e, _ in
                     children(d, "", "eligibilitys", "eligibility")).lower()  # fmt: skip
    return next((a for a, pattern in AUDIENCE_WORDS if re.search(pattern, words)), Audience.ALL)


# Values ----------------------------------------------------------------------------------------


def children(d: dict[str, Any], where: str, *keys: str) -> Iterator[tuple[dict[str, Any], str]]:
    """The objects listed under any of ``keys``, each with where it is in the file."""
    for key in keys:
        value = d.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise BadRecord(at(where, key), "is not a list")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise BadRecord(f"{where}.{key}[{i}]", "is not an object")
            yield item, item.get("_where") or f"{where}.{key}[{i}]"


def at(where: str, key: str) -> str:
    """Where a field is: a column of a CSV line, or a member in a JSON path."""
    return f"{where}, column {key}" if CSV_LINE.search(where) else f"{where}.{key}"


def reject_flagged(d: dict[str, Any], where: str) -> None:
    """A row the reader found broken (``_error``) spoils the record that holds it."""
    if d.get("_error"):
        raise BadRecord(where, d["_error"])


def text(value: Any) -> str | None:
    """A value as trimmed text; None for nothing or blank."""
    if value is None or isinstance(value, dict | list):
        return None
    out = str(value).strip()
    return out or None


def blank(value: Any) -> bool:
    return text(value) is None


def required(d: dict[str, Any], key: str, where: str) -> str:
    reject_flagged(d, where)
    value = text(d.get(key))
    if value is None:
        raise BadRecord(where, f"it has no {key}")
    return value


def number(value: Any, where: str) -> float | None:
    if blank(value):
        return None
    try:
        return float(str(value).strip().lstrip("£"))
    except ValueError:
        raise BadRecord(where, f"{value!r} is not a number") from None


def check_date(value: Any, where: str) -> None:
    """A date (YYYY-MM-DD) or date-time, or nothing; anything else spoils the record."""
    if blank(value):
        return
    given = str(value).strip()
    try:
        (date.fromisoformat if len(given) == 10 else datetime.fromisoformat)(given)
    except ValueError:
        raise BadRecord(where, f"{given!r} is not a date (YYYY-MM-DD)") from None


def clock(value: Any, where: str) -> str | None:
    """A time of day as Kith keeps it ("HH:MM"), from "10:00", "10:00:00" or "10:00:00Z"."""
    if blank(value):
        return None
    found = CLOCK.match(str(value).strip())
    if not found:
        raise BadRecord(where, f"{value!r} is not a time of day (HH:MM)")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


MAPPERS: dict[str, Callable[[dict[str, Any], str, Recorder], Any]] = {
    "service": map_service,
    "organization": map_organization,
    "location": map_location,
    "taxonomy": map_vocabulary,
    "taxonomy_term": map_term,
}
