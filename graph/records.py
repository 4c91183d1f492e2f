"""Turning graph rows into domain objects and back: the one place that knows property names.

Property values are strings, numbers, booleans and lists of strings, which both engines store
alike: neither stores a map, and Neo4j 5 refuses a list that holds a null or mixed types (which
ArcadeDB would keep). So a session is one ``"DAY|start|end"`` text, a day's availability
``"DAY|PART"``, a date ISO text, and an absent value is left out rather than put in a list.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kith.domain import (
    AccessNeed,
    Activity,
    Audience,
    Availability,
    DayPart,
    Eligibility,
    Gender,
    Group,
    ListingStatus,
    Person,
    PracticalNeed,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    Session,
    Venue,
    VolunteerProfile,
    Weekday,
)


def venue_props(v: Venue) -> dict[str, Any]:
    return {
        "name": v.name, "address": v.address, "postcode": v.postcode, "lat": v.latitude,
        "lon": v.longitude, "stepFree": v.step_free, "hearingLoop": v.hearing_loop,
        "accessibleToilet": v.accessible_toilet, "parking": v.parking,
    }  # fmt: skip


def venue_from(p: dict[str, Any]) -> Venue:
    return Venue(
        id=p["id"], name=p["name"], address=p.get("address"), postcode=p.get("postcode"),
        latitude=p.get("lat"), longitude=p.get("lon"), step_free=p.get("stepFree"),
        hearing_loop=p.get("hearingLoop"), accessible_toilet=p.get("accessibleToilet"),
        parking=p.get("parking"),
    )  # fmt: skip


def group_props(g: Group) -> dict[str, Any]:
    return {"name": g.name, "description": g.description, "website": g.website,
            "lastReviewedOn": day_text(g.last_reviewed_on)}  # fmt: skip


def group_from(p: dict[str, Any]) -> Group:
    return Group(p["id"], p["name"], p.get("description"), p.get("website"),
                 day_from(p.get("lastReviewedOn")))  # fmt: skip


def day_text(d: date | None) -> str | None:
    return d.isoformat() if d else None


def day_from(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def session_text(s: Session) -> str:
    return f"{s.day.value}|{s.start}|{s.end or ''}"


def session_from(text: str) -> Session:
    day, start, end = text.split("|")
    return Session(Weekday(day), start, end or None)


def activity_props(a: Activity) -> dict[str, Any]:
    return {
        "name": a.name, "description": a.description, "cost": a.cost, "free": a.free,
        "audience": a.audience.value, "sessions": [session_text(s) for s in a.sessions],
        "days": sorted({s.day.value for s in a.sessions}),
        **eligibility_props(a.eligibility), "status": a.status.value,
        "lastReviewedOn": day_text(a.last_reviewed_on), "reminders": a.reminders,
    }  # fmt: skip


def eligibility_props(e: Eligibility) -> dict[str, Any]:
    """Who an activity is for, as node properties (an empty list is open to every gender)."""
    return {"eligibleGenders": [g.value for g in e.genders], "minAge": e.min_age,
            "maxAge": e.max_age}  # fmt: skip


def eligibility_from(p: dict[str, Any]) -> Eligibility:
    genders = tuple(Gender(g) for g in p.get("eligibleGenders") or [])
    return Eligibility(genders, p.get("minAge"), p.get("maxAge"))


def activity_from(p: dict[str, Any], links: dict[str, Any]) -> Activity:
    """An activity from its node's properties and the ids of what it links to."""
    return Activity(
        id=p["id"], name=p["name"], venue_id=links["venue"], description=p.get("description"),
        group_id=links.get("group"), sessions=[session_from(s) for s in p.get("sessions") or []],
        cost=p.get("cost"), audience=Audience(p.get("audience") or "ALL"),
        interests=links.get("interests") or [], supports=links.get("supports") or [],
        languages=links.get("languages") or [], eligibility=eligibility_from(p),
        status=ListingStatus(p.get("status") or "ACTIVE"),
        last_reviewed_on=day_from(p.get("lastReviewedOn")), reminders=p.get("reminders") or 0,
    )  # fmt: skip


def availability_text(a: Availability) -> str:
    return f"{a.day.value}|{a.part.value}"


def availability_from(text: str) -> Availability:
    day, part = text.split("|")
    return Availability(Weekday(day), DayPart(part))


def person_props(p: Person) -> dict[str, Any]:
    """Node properties of a person; volunteer fields are null on people who do not volunteer."""
    v = p.volunteer
    return {
        "name": p.name, "lat": p.latitude, "lon": p.longitude, "postcode": p.postcode,
        "birthYear": p.birth_year, "gender": p.gender.value if p.gender else None,
        "availability": [availability_text(a) for a in p.availability],
        "accessNeeds": [n.value for n in p.access_needs],
        "buddyGender": p.buddy_gender.value if p.buddy_gender else None,
        "consentToMatching": p.consent_to_matching, "volunteer": v is not None,
        "livesAlone": p.lives_alone,  # lastContactAt: written by graph/contacts.py alone
        "maxTravelKm": v.max_travel_km if v else None, "capacity": v.capacity if v else None,
        "dbsCheckedOn": day_text(v.dbs_checked_on) if v else None,
        "approved": v.approved if v else None, "roles": v.roles if v else None,
        "email": v.email if v else None, "phone": v.phone if v else None,
        "helps": [n.value for n in v.helps] if v else None,
    }  # fmt: skip


def person_from(p: dict[str, Any], links: dict[str, list[str]]) -> Person:
    """A person from node properties and the term / person ids it links to."""
    volunteer = None
    if p.get("volunteer"):
        volunteer = VolunteerProfile(
            skills=links.get("skills") or [],
            max_travel_km=p.get("maxTravelKm") or 0.0, capacity=p.get("capacity") or 0,
            dbs_checked_on=day_from(p.get("dbsCheckedOn")),
            approved=bool(p.get("approved")), roles=p.get("roles") or [],
            email=p.get("email"), phone=p.get("phone"),
            helps=[PracticalNeed(n) for n in p.get("helps") or []],
        )  # fmt: skip
    return Person(
        id=p["id"], name=p["name"], latitude=p.get("lat"), longitude=p.get("lon"),
        postcode=p.get("postcode"), birth_year=p.get("birthYear"),
        gender=Gender(p["gender"]) if p.get("gender") else None,
        interests=links.get("interests") or [], strengths=links.get("strengths") or [],
        conditions=links.get("conditions") or [], needs=links.get("needs") or [],
        languages=links.get("languages") or [], cares_for=links.get("caresFor") or [],
        availability=[availability_from(a) for a in p.get("availability") or []],
        access_needs=[AccessNeed(n) for n in p.get("accessNeeds") or []],
        buddy_gender=Gender(p["buddyGender"]) if p.get("buddyGender") else None,
        consent_to_matching=bool(p.get("consentToMatching")), volunteer=volunteer,
        lives_alone=p.get("livesAlone"), last_contact_at=p.get("lastContactAt"),
    )  # fmt: skip


def event_text(e: ReferralEvent) -> str:
    """``"at|by|from|to|note"``; the note comes last, so a "|" inside it is kept."""
    old = e.old.value if e.old else ""
    return f"{e.at}|{e.by or ''}|{old}|{e.new.value}|{e.note or ''}"


def event_from(text: str) -> ReferralEvent:
    at, by, old, new, note = text.split("|", 4)
    old_status = ReferralStatus(old) if old else None
    return ReferralEvent(at, by or None, old_status, ReferralStatus(new), note or None)


def referral_props(r: Referral) -> dict[str, Any]:
    """A referral's own properties; ``at`` and ``by`` keep the names referrals had before they
    had a life, which read as RECEIVED (``referral_from``)."""
    return {
        "id": r.id, "reason": r.reason, "urgency": r.urgency, "at": r.received_at,
        "by": r.referrer_id, "source": r.source.value, "status": r.status.value,
        "acceptedAt": r.accepted_at, "firstContactAt": r.first_contact_at,
        "closedAt": r.closed_at, "declineReason": r.decline_reason,
        "history": [event_text(e) for e in r.history], "version": r.version,
        "sent": snapshot(r.sent) if r.sent else None, "identifier": r.identifier,
        "reference": r.reference, "contact": r.contact,
    }  # fmt: skip


def snapshot(p: Person) -> str:
    """A person as one JSON text (neither engine stores a map): their properties and the
    terms they link to, as sent with a referral."""
    links = {"interests": p.interests, "strengths": p.strengths, "conditions": p.conditions,
             "needs": p.needs, "languages": p.languages,
             "skills": p.volunteer.skills if p.volunteer else []}  # fmt: skip
    return json.dumps({"props": person_props(p), "links": links}, sort_keys=True)


def from_snapshot(text: str, person_id: str) -> Person:
    """The person a snapshot holds, their terms sorted as a record read from links is."""
    sent = json.loads(text)
    links = {field: sorted(ids) for field, ids in sent["links"].items()}
    return person_from({**sent["props"], "id": person_id}, links)


def referral_from(p: dict[str, Any], person: str, coordinator: str | None) -> Referral:
    """A referral from its node; one stored before referrals had states (only ``id``,
    ``reason``, ``urgency``, ``at`` and ``by``) is a prescriber's, RECEIVED, its arrival its
    history."""
    history = [event_from(t) for t in p.get("history") or []]
    if not history:
        history = [ReferralEvent(p["at"], p.get("by"), None, ReferralStatus.RECEIVED)]
    return Referral(
        id=p["id"], person_id=person, reason=p.get("reason") or "",
        urgency=p.get("urgency") or "ROUTINE",
        source=ReferralSource(p.get("source") or "GP"),
        status=ReferralStatus(p.get("status") or "RECEIVED"), received_at=p["at"],
        referrer_id=p.get("by"), coordinator_id=coordinator,
        accepted_at=p.get("acceptedAt"), first_contact_at=p.get("firstContactAt"),
        closed_at=p.get("closedAt"), decline_reason=p.get("declineReason"),
        history=history, version=p.get("version") or 0,
        sent=from_snapshot(p["sent"], person) if p.get("sent") else None,
        identifier=p.get("identifier"),
        reference=p.get("reference"), contact=p.get("contact"),
    )  # fmt: skip
