"""Keeping the directory up to date: groups, venues and activities, by coordinators and admins.

An ``id`` given by the caller is their stable identifier: upserting it again updates the record.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from graph import directory
from matching.eligibility import MAX_AGE

from . import listing_versions
from .access import require
from .accounts import Account, Role
from .domain import (
    Activity,
    Audience,
    Eligibility,
    Gender,
    Group,
    ListingStatus,
    Session,
    TermKind,
    Venue,
    Weekday,
)
from .errors import InvalidInput
from .people import Normalised, new_id, terms, text
from .service import Kith

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$")
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
URL = re.compile(r"^https?://[^\s]+$")


def record_id(value: str | None, prefix: str) -> str:
    if value is None:
        return new_id(prefix)
    if not ID.match(value):
        raise InvalidInput("id", "use up to 100 letters, digits and : . _ -")
    return value


def upsert_group(kith: Kith, actor: Account | None, form: dict) -> Group:
    require(actor, Role.COORDINATOR)
    website = text(form.get("website"), "website", 500)
    if website and not URL.match(website):
        raise InvalidInput("website", "must be an http(s) address")
    group = Group(record_id(form.get("id"), "g"), text(form.get("name"), "name", required=True),
                  text(form.get("description"), "description", 4000), website,
                  date.today())  # fmt: skip
    directory.upsert_groups(kith.store, [group])
    return group


def upsert_venue(kith: Kith, actor: Account | None, form: dict) -> Venue:
    require(actor, Role.COORDINATOR)
    place = form.get("place") or {}
    point = kith.place(place.get("postcode"), place.get("latitude"), place.get("longitude"))
    venue = Venue(
        id=record_id(form.get("id"), "v"), name=text(form.get("name"), "name", required=True),
        address=text(form.get("address"), "address", 500), postcode=point.postcode,
        latitude=point.latitude, longitude=point.longitude, step_free=form.get("step_free"),
        hearing_loop=form.get("hearing_loop"), accessible_toilet=form.get("accessible_toilet"),
    )  # fmt: skip
    directory.upsert_venues(kith.store, [venue])
    return venue


def sessions(values: list[dict]) -> list[Session]:
    if not values:
        raise InvalidInput("sessions", "give at least one weekly session")
    out = []
    for value in values[:20]:
        for field in ("start", "end"):
            if value.get(field) is not None and not TIME.match(str(value[field])):
                raise InvalidInput(f"sessions.{field}", f"{value[field]!r} is not a time (HH:MM)")
        out.append(Session(Weekday(value["day"]), value["start"], value.get("end")))
    return out


def cost(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1000:
        raise InvalidInput("cost", "must be between 0 and 1000 pounds")
    return value


def upsert_activity(
    kith: Kith, actor: Account | None, form: dict
) -> tuple[Activity, list[Normalised]]:
    """An activity at an existing venue (and group); its terms normalised to the taxonomy.
    Saving it is reviewing it: its review cycle starts again."""
    require(actor, Role.COORDINATOR)
    notes: list[Normalised] = []
    activity = Activity(
        id=record_id(form.get("id"), "a"), name=text(form.get("name"), "name", required=True),
        venue_id=text(form.get("venue_id"), "venueId", 100, required=True) or "",
        description=text(form.get("description"), "description", 4000),
        group_id=text(form.get("group_id"), "groupId", 100),
        sessions=sessions(form.get("sessions") or []), cost=cost(form.get("cost")),
        audience=Audience(form.get("audience") or "ALL"),
        eligibility=eligibility(form.get("eligibility")),
        status=ListingStatus(form.get("status") or "ACTIVE"), last_reviewed_on=date.today(),
        **term_fields(kith, form, notes),
    )  # fmt: skip
    try:
        listing_versions.save(kith, actor, activity)
    except InvalidInput as error:  # the venue or group named does not exist
        raise InvalidInput({"venue": "venueId", "group": "groupId"}.get(error.field, error.field),
                           error.reason) from None  # fmt: skip
    return activity, notes


def eligibility(value: dict | None) -> Eligibility:
    """Who an activity is for, checked (ORUK / HSDS 3.0 ``minimum_age`` and ``maximum_age``
    are inclusive whole years); none given is open to all."""
    value = value or {}
    genders = [Gender(g) for g in value.get("genders") or []]
    low, high = value.get("min_age"), value.get("max_age")
    if Gender.UNDISCLOSED in genders:
        raise InvalidInput("eligibility.genders", "UNDISCLOSED is a person's answer, not a group")
    for field, age in (("minAge", low), ("maxAge", high)):
        if age is not None and not 0 <= age <= MAX_AGE:
            raise InvalidInput(f"eligibility.{field}", f"must be from 0 to {MAX_AGE} years")
    if low is not None and high is not None and low > high:
        raise InvalidInput("eligibility.minAge", f"{low} is above maxAge {high}")
    return Eligibility(tuple(sorted(set(genders), key=lambda g: g.value)), low, high)


def term_fields(kith: Kith, form: dict, notes: list[Normalised]) -> dict[str, Any]:
    supports = (TermKind.CONDITION, TermKind.NEED)
    return {
        "interests": terms(kith, (TermKind.INTEREST,), form.get("interests"), "interests", notes),
        "supports": terms(kith, supports, form.get("supports"), "supports", notes),
        "languages": terms(kith, (TermKind.LANGUAGE,), form.get("languages"), "languages", notes),
    }
