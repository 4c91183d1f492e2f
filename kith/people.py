"""Service functions for people and volunteers: validated, authorised and audited.

Inputs arrive as plain dicts (the GraphQL inputs as dataclasses.asdict, or a form's fields)
with API.md's meanings; every value is checked here, where it enters, and free-text terms are
normalised to the taxonomy with a note of what each became.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from graph import people as repo
from graph import referrals as referrals_repo

from . import accounts, audit
from .access import per_person, require
from .accounts import Account, Role
from .domain import (
    AccessNeed,
    Availability,
    DayPart,
    Gender,
    Person,
    PracticalNeed,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    TermKind,
    VolunteerProfile,
    Weekday,
    plain,
)
from .errors import InvalidInput, NotFound
from .places import full_postcode
from .service import Kith

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
MAX_TERMS = 30
CONSENT_PURPOSES = ("MATCHING", "CONTACT", "DATA_SHARING")
URGENCIES = ("ROUTINE", "SOON", "URGENT")  # the first is the default


@dataclass(frozen=True)
class Normalised:
    """What one free-text term became: ``field`` as named in the API."""

    field: str
    given: str
    term_id: str
    term_name: str


@dataclass
class PersonResult:
    person: Person
    normalised: list[Normalised]
    token: str | None = None
    referral: Referral | None = None
    created: bool = True  # False when the referral had been sent before (the same identifier)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# validation ----------------------------------------------------------------------------


def text(value: Any, field: str, max_length: int = 200, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "is required")
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    value = value.strip()
    if len(value) > max_length or "\x00" in value:
        raise InvalidInput(field, f"must be at most {max_length} characters of text")
    return value


def number(value: Any, field: str, low: float, high: float) -> Any:
    if value is not None and not low <= value <= high:
        raise InvalidInput(field, f"must be between {low:g} and {high:g}")
    return value


def terms(
    kith: Kith, kinds: tuple[TermKind, ...], values: list[str] | None, field: str,
    notes: list[Normalised],
) -> list[str]:  # fmt: skip
    """Term ids for free-text values, each noted; an unknown value is an error naming it."""
    if not values:
        return []
    if len(values) > MAX_TERMS:
        raise InvalidInput(field, f"at most {MAX_TERMS} items")
    out: list[str] = []
    for value in values:
        given = text(value, field, 100, required=True) or ""
        term = kith.term(kinds, given, field)
        notes.append(Normalised(field, given, term.id, term.name))
        if term.id not in out:
            out.append(term.id)
    return out


# Every slot of the week in order: sorting by this avoids rebuilding the enums' lists per row.
WEEK = {(day.value, part.value): Availability(day, part) for day in Weekday for part in DayPart}
WEEK_ORDER = {slot: i for i, slot in enumerate(WEEK)}


def availability(values: list[dict] | None) -> list[Availability]:
    """Distinct slots in the order of the week; an unknown day or part is named."""
    slots = {(plain(v["day"]), plain(v["part"])) for v in values or []}
    unknown = sorted(f"{day} {part}" for day, part in slots - WEEK.keys())
    if unknown:
        raise InvalidInput("availability", f"{unknown[0]!r} is not a day and a part of day")
    return [WEEK[slot] for slot in sorted(slots, key=WEEK_ORDER.__getitem__)]


def place_of(kith: Kith, value: dict | None, required: bool) -> tuple[float, float, str | None]:
    if value is None:
        if required:
            raise InvalidInput("place", "is required")
        return None  # type: ignore[return-value]
    place = kith.place(value.get("postcode"), value.get("latitude"), value.get("longitude"))
    return place.latitude, place.longitude, place.postcode


def apply_form(kith: Kith, person: Person, form: dict, notes: list[Normalised]) -> Person:
    """The person with every field the form gives (absent or None fields left as they were)."""
    changes: dict[str, Any] = {}
    if "name" in form and form["name"] is not None:
        changes["name"] = text(form["name"], "name", required=True)
    if form.get("birth_year") is not None:
        changes["birth_year"] = number(form["birth_year"], "birthYear", 1900, date.today().year)
    if form.get("gender") is not None:
        changes["gender"] = Gender(form["gender"])
    if form.get("place") is not None:
        lat, lon, postcode = place_of(kith, form["place"], required=True)
        changes.update(latitude=lat, longitude=lon, postcode=postcode)
    for field, api, kinds in (
        ("interests", "interests", (TermKind.INTEREST,)),
        ("strengths", "strengths", (TermKind.SKILL,)),
        ("conditions", "conditions", (TermKind.CONDITION,)),
        ("needs", "needs", (TermKind.NEED,)),
        ("languages", "languages", (TermKind.LANGUAGE,)),
        ("lived_experience", "livedExperience", (TermKind.CONDITION,)),
    ):
        if form.get(field) is not None:
            target = "conditions" if field == "lived_experience" else field
            changes[target] = terms(kith, kinds, form[field], api, notes)
    if form.get("cares_for") is not None:
        changes["cares_for"] = [text(i, "caresFor", 100, required=True) for i in form["cares_for"]]
    if form.get("availability") is not None:
        changes["availability"] = availability(form["availability"])
    if form.get("access_needs") is not None:
        changes["access_needs"] = sorted({AccessNeed(n) for n in form["access_needs"]},
                                         key=lambda n: n.value)  # fmt: skip
    if form.get("preferences") is not None:
        gender = form["preferences"].get("buddy_gender")
        changes["buddy_gender"] = Gender(gender) if gender else None
    if form.get("consent_to_matching") is not None:
        changes["consent_to_matching"] = bool(form["consent_to_matching"])
    if form.get("lives_alone") is not None:
        changes["lives_alone"] = bool(form["lives_alone"])
    return replace(person, **changes)


def contact_details(form: dict) -> tuple[str | None, str | None]:
    """The e-mail address and phone number a form gives, each checked when given."""
    email = text(form.get("email"), "email", 254)
    if email and not EMAIL.match(email):
        raise InvalidInput("email", f"{email!r} is not an e-mail address")
    phone = text(form.get("phone"), "phone", 20)
    if phone and not PHONE.match(phone):
        raise InvalidInput("phone", f"{phone!r} is not a phone number")
    return email, phone


def practical_needs(given: list | None) -> list[PracticalNeed]:
    """The practical needs a volunteer helps with, once each and in the enum's order."""
    names = {getattr(g, "value", g) for g in given or []}
    if wrong := sorted(map(str, names - {n.value for n in PracticalNeed})):
        raise InvalidInput("helps", f"{wrong[0]!r} is not a practical need")
    return [n for n in PracticalNeed if n.value in names]


def volunteer_profile(kith: Kith, form: dict, notes: list[Normalised]) -> VolunteerProfile:
    email, phone = contact_details(form)
    roles = [text(r, "roles", 50, required=True) or "" for r in form.get("roles") or []][:10]
    return VolunteerProfile(
        skills=terms(kith, (TermKind.SKILL,), form.get("skills"), "skills", notes),
        max_travel_km=number(form.get("max_travel_km"), "maxTravelKm", 0.1, 50),
        capacity=number(form.get("capacity"), "capacity", 1, 10),
        roles=roles, email=email, phone=phone, approved=False,
        helps=practical_needs(form.get("helps")),
    )  # fmt: skip


# reading -------------------------------------------------------------------------------


def read(kith: Kith, actor: Account | None, ids: list[str]) -> dict[str, Person | Exception]:
    """The people asked for, each the record or the error the actor gets for it; audited."""

    def fetch(allowed: list[str]) -> dict[str, Person]:
        found = repo.people_by_id(kith.store, allowed)
        if found and actor is not None and actor.role is Role.PRESCRIBER:
            return as_sent(kith, actor, found)
        return found

    out = per_person(kith.store, actor, ids, "person.read", fetch)
    return {i: out.get(i) or NotFound(f"no person {i}") for i in ids}


def as_sent(kith: Kith, actor: Account, found: dict[str, Person]) -> dict[str, Person]:
    """Each person as this prescriber's latest referral sent them: a record other referrals
    joined holds what others sent and recorded, which is not the prescriber's to learn. (A
    person referred before referrals kept what they sent had a record of their own.)"""
    sent = referrals_repo.sent_by(kith.store, actor.id, list(found))
    return {i: sent.get(i, person) for i, person in found.items()}


def pending_volunteers(kith: Kith, actor: Account | None) -> list[Person]:
    """Volunteers waiting for approval, for a coordinator; each one shown is an audited read."""
    actor = require(actor, Role.COORDINATOR)
    waiting = repo.unapproved_volunteers(kith.store)
    if waiting:
        audit.record(kith.store, actor, "person.read", [p.id for p in waiting])
    return waiting


def get(kith: Kith, actor: Account | None, person_id: str) -> Person:
    result = read(kith, actor, [person_id])[person_id]
    if isinstance(result, Exception):
        raise result
    return result


# writing -------------------------------------------------------------------------------


def save(kith: Kith, person: Person) -> None:
    """Write a person; what is derived from everyone (interest rarity) is then recomputed."""
    repo.upsert_people(kith.store, [person])
    kith.cache.clear()


def add(kith: Kith, actor: Account | None, form: dict) -> PersonResult:
    """A coordinator adds someone they support."""
    actor = require(actor, Role.COORDINATOR)
    notes: list[Normalised] = []
    person = new_person(kith, form, notes)
    save(kith, person)
    audit.record(kith.store, actor, "person.create", [person.id])
    return PersonResult(person, notes)


def new_person(kith: Kith, form: dict, notes: list[Normalised]) -> Person:
    if form.get("consent_to_matching") is None:
        raise InvalidInput("consentToMatching", "is required")
    if form.get("place") is None:
        raise InvalidInput("place", "is required")
    text(form.get("name"), "name", required=True)
    return apply_form(kith, Person(id=new_id("p"), name=""), form, notes)


def update(kith: Kith, actor: Account | None, person_id: str, patch: dict) -> PersonResult:
    """Coordinators update anyone; a volunteer updates their own record."""
    actor = require(actor, Role.COORDINATOR, Role.VOLUNTEER)
    person = get(kith, actor, person_id)
    notes: list[Normalised] = []
    updated = apply_form(kith, person, patch, notes)
    if person.volunteer and any(k in patch and patch[k] is not None for k in VOLUNTEER_FIELDS):
        updated.volunteer = patch_volunteer(kith, person.volunteer, patch, notes)
    save(kith, updated)
    audit.record(kith.store, actor, "person.update", [person_id])
    return PersonResult(updated, notes)


VOLUNTEER_FIELDS = ("skills", "max_travel_km", "capacity", "roles", "email", "phone", "helps")


def patch_volunteer(
    kith: Kith, current: VolunteerProfile, patch: dict, notes: list[Normalised]
) -> VolunteerProfile:
    merged = {
        "skills": current.skills, "max_travel_km": current.max_travel_km,
        "capacity": current.capacity, "roles": current.roles, "email": current.email,
        "phone": current.phone, "helps": current.helps,
    }  # fmt: skip
    merged.update({k: patch[k] for k in VOLUNTEER_FIELDS if patch.get(k) is not None})
    fresh = volunteer_profile(kith, merged, notes)
    return replace(fresh, approved=current.approved, dbs_checked_on=current.dbs_checked_on)


def register_volunteer(
    kith: Kith, actor: Account | None, form: dict, login: str | None = None,
    password: str | None = None,
) -> PersonResult:  # fmt: skip
    """Anyone may offer to volunteer; they start unapproved and get an account for their own
    record: a bearer token, and a sign-in to the pages when they chose a name and password.
    The sign-in is checked before anything is written; if the name is taken in the meantime,
    the new record is removed again, so nobody is left without a way in."""
    for field, api in (("max_travel_km", "maxTravelKm"), ("capacity", "capacity")):
        if form.get(field) is None:
            raise InvalidInput(api, "is required")
    if login is not None or password is not None:
        accounts.check_sign_in(kith.store, login, password)
    notes: list[Normalised] = []
    person = new_person(kith, form, notes)
    person.volunteer = volunteer_profile(kith, form, notes)
    save(kith, person)
    try:
        _, token = accounts.add(kith.store, person.name, Role.VOLUNTEER, person_id=person.id,
                                login=login, password=password)  # fmt: skip
    except InvalidInput:
        repo.erase(kith.store, person.id)
        raise
    audit.record(kith.store, actor, "volunteer.register", [person.id])
    return PersonResult(person, notes, token)


def approve_volunteer(
    kith: Kith, actor: Account | None, person_id: str, dbs_checked_on: date | None
) -> Person:
    actor = require(actor, Role.COORDINATOR)
    person = get(kith, actor, person_id)
    if person.volunteer is None:
        raise InvalidInput("id", f"{person_id} has not registered as a volunteer")
    if dbs_checked_on and not date(2000, 1, 1) <= dbs_checked_on <= date.today():
        raise InvalidInput("dbsCheckedOn", "must be a past date")
    person.volunteer = replace(
        person.volunteer,
        approved=True,
        dbs_checked_on=dbs_checked_on or person.volunteer.dbs_checked_on,
    )
    save(kith, person)  # fmt: skip
    audit.record(kith.store, actor, "volunteer.approve", [person_id])
    return person


def refer(
    kith: Kith, actor: Account | None, form: dict, reason: str, urgency: str,
    source: str | None = None, identifier: str | None = None,
) -> PersonResult:  # fmt: skip
    """A referral, for someone Kith already holds (the same name, birth year and full
    postcode, compared normalised: tell it once) or else for a new person written with it.
    Whoever sent it gets back the person as they sent it, under the id they are held by, so
    the answer shows nothing the sender did not know; what they read of that person later is
    also only what they sent (``read``). The same ``identifier`` from the same sender again
    (a message sent twice) is the referral made the first time, not a second one."""
    actor = require(actor, Role.PRESCRIBER, Role.COORDINATOR)
    notes: list[Normalised] = []
    person = new_person(kith, form, notes)
    referral = new_referral(actor, person, reason, urgency, source, identifier)
    joinable = bool(person.birth_year and person.postcode and full_postcode(person.postcode))
    person_id, created = referrals_repo.add(kith.store, person, referral, join=joinable)
    if not created:  # the id is the sender's own (sent_id), so the referral is theirs to see
        audit.record(kith.store, actor, "referral.read", [referral.id])
        first = referrals_repo.by_ids(kith.store, [referral.id])[referral.id]
        return PersonResult(replace(person, id=person_id), notes, referral=first, created=False)
    kith.cache.clear()
    audit.record(kith.store, actor, "person.refer", [person_id])
    audit.record(kith.store, actor, "referral.receive", [referral.id])
    return PersonResult(replace(person, id=person_id), notes,
                        referral=replace(referral, person_id=person_id))  # fmt: skip


def new_referral(
    actor: Account, person: Person, reason: str, urgency: str, source: str | None,
    identifier: str | None,
) -> Referral:  # fmt: skip
    """A RECEIVED referral from checked input, keeping the person as sent; a prescriber's
    comes from a GP unless they say. One with an identifier takes its id from the sender and
    the identifier, so that the same message sent twice has the same id."""
    if urgency not in URGENCIES:
        raise InvalidInput("urgency", f"must be one of {', '.join(URGENCIES)}")
    default = ReferralSource.GP if actor.role is Role.PRESCRIBER else ReferralSource.OTHER
    if source is not None and source not in ReferralSource.__members__:
        raise InvalidInput("source", f"must be one of {', '.join(ReferralSource.__members__)}")
    said = text(identifier, "identifier", 500)
    at = audit.now()
    return Referral(
        id=sent_id(actor, said) if said else new_id("ref"), person_id=person.id,
        reason=text(reason, "reason", 1000, required=True) or "", urgency=urgency,
        source=ReferralSource(source) if source else default, status=ReferralStatus.RECEIVED,
        received_at=at, referrer_id=actor.id,
        history=[ReferralEvent(at, actor.id, None, ReferralStatus.RECEIVED)], sent=person,
        identifier=said,
    )  # fmt: skip


def sent_id(actor: Account, identifier: str) -> str:
    """The id of a referral an account sent under its own identifier (a hash: an id travels
    in messages, and must not carry what the identifier says)."""
    return "ref-" + hashlib.sha256(f"{actor.id}\n{identifier}".encode()).hexdigest()[:24]


def record_consent(
    kith: Kith, actor: Account | None, person_id: str, purpose: str, given: bool
) -> Person:
    """Consent per purpose, kept as a history; the latest matching consent is the one used."""
    actor = require(actor, Role.COORDINATOR, Role.PRESCRIBER, Role.VOLUNTEER)
    get(kith, actor, person_id)
    if purpose not in CONSENT_PURPOSES:
        raise InvalidInput("purpose", f"must be one of {', '.join(CONSENT_PURPOSES)}")
    consent = {"id": new_id("consent"), "purpose": purpose, "given": given, "at": audit.now(),
               "by": actor.id}  # fmt: skip
    repo.record_consent(kith.store, person_id, consent)
    audit.record(kith.store, actor, "consent.record", [person_id])
    return get(kith, actor, person_id)


def consents(kith: Kith, actor: Account | None, person_id: str) -> list[dict]:
    """The person's consents; a prescriber sees those they recorded (as with all they read)."""
    get(kith, actor, person_id)
    given = repo.consents(kith.store, person_id)
    if actor is not None and actor.role is Role.PRESCRIBER:
        return [c for c in given if c.get("by") == actor.id]
    return given


def forget(kith: Kith, actor: Account | None, person_id: str) -> None:
    """Erase a person and every edge; only an audit event without personal data remains."""
    actor = require(actor, Role.COORDINATOR)
    if not repo.exists(kith.store, person_id):
        raise NotFound(f"no person {person_id}")
    repo.erase(kith.store, person_id)
    kith.cache.clear()
    audit.record(kith.store, actor, "person.erase", [person_id])
