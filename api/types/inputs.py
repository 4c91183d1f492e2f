"""The inputs of API.md's mutations. Services take them as dicts (``dataclasses.asdict``)."""

from __future__ import annotations

from enum import Enum

import strawberry

from kith import domain

from .directory import Audience, ListingStatus, Weekday
from .people import AccessNeed, DayPart, Gender, PracticalNeed
from .search import PlaceInput


@strawberry.enum
class Urgency(Enum):
    ROUTINE = "ROUTINE"
    SOON = "SOON"
    URGENT = "URGENT"


ReferralStatus = strawberry.enum(domain.ReferralStatus)
ReferralSource = strawberry.enum(domain.ReferralSource)


@strawberry.enum
class ConsentPurpose(Enum):
    MATCHING = "MATCHING"
    CONTACT = "CONTACT"
    DATA_SHARING = "DATA_SHARING"


@strawberry.input
class AvailabilityInput:
    day: Weekday  # type: ignore[valid-type]
    part: DayPart  # type: ignore[valid-type]


@strawberry.input
class PreferencesInput:
    buddy_gender: Gender | None = None  # type: ignore[valid-type]


@strawberry.input(description="Interests, strengths, conditions and languages are free text.")
class PersonInput:
    name: str
    place: PlaceInput
    consent_to_matching: bool
    birth_year: int | None = None
    gender: Gender | None = None  # type: ignore[valid-type]
    interests: list[str] | None = None
    strengths: list[str] | None = None
    conditions: list[str] | None = None
    needs: list[str] | None = None
    languages: list[str] | None = None
    cares_for: list[strawberry.ID] | None = None
    availability: list[AvailabilityInput] | None = None
    access_needs: list[AccessNeed] | None = None  # type: ignore[valid-type]
    preferences: PreferencesInput | None = None
    lives_alone: bool | None = None


@strawberry.input(description="Only the fields given change; volunteer fields for volunteers.")
class PersonPatch:
    name: str | None = None
    place: PlaceInput | None = None
    consent_to_matching: bool | None = None
    birth_year: int | None = None
    gender: Gender | None = None  # type: ignore[valid-type]
    interests: list[str] | None = None
    strengths: list[str] | None = None
    conditions: list[str] | None = None
    needs: list[str] | None = None
    languages: list[str] | None = None
    cares_for: list[strawberry.ID] | None = None
    availability: list[AvailabilityInput] | None = None
    access_needs: list[AccessNeed] | None = None  # type: ignore[valid-type]
    preferences: PreferencesInput | None = None
    lives_alone: bool | None = None
    skills: list[str] | None = None
    max_travel_km: float | None = None
    capacity: int | None = None
    roles: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    helps: list[PracticalNeed] | None = None  # type: ignore[valid-type]


@strawberry.input
class VolunteerInput:
    name: str
    place: PlaceInput
    max_travel_km: float
    capacity: int
    consent_to_matching: bool
    birth_year: int | None = None
    gender: Gender | None = None  # type: ignore[valid-type]
    email: str | None = None
    phone: str | None = None
    interests: list[str] | None = None
    skills: list[str] | None = None
    languages: list[str] | None = None
    lived_experience: list[str] | None = strawberry.field(
        default=None, description="Conditions the volunteer lives with and will share."
    )
    availability: list[AvailabilityInput] | None = None
    roles: list[str] | None = None
    helps: list[PracticalNeed] | None = None  # type: ignore[valid-type]


@strawberry.input
class ReferralInput:
    person: PersonInput
    reason: str
    urgency: Urgency | None = Urgency.ROUTINE
    source: ReferralSource | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Where the referral comes from: GP for a prescriber's."
    )


@strawberry.input
class GroupInput:
    name: str
    id: strawberry.ID | None = None
    description: str | None = None
    website: str | None = None


@strawberry.input
class VenueInput:
    name: str
    place: PlaceInput
    id: strawberry.ID | None = None
    address: str | None = None
    step_free: bool | None = None
    hearing_loop: bool | None = None
    accessible_toilet: bool | None = None


@strawberry.input
class SessionInput:
    day: Weekday  # type: ignore[valid-type]
    start: str = strawberry.field(description='"HH:MM"')
    end: str | None = None


@strawberry.input(description="Who an activity is for; none given: open to all.")
class EligibilityInput:
    genders: list[Gender] | None = None  # type: ignore[valid-type]
    min_age: int | None = None
    max_age: int | None = None


@strawberry.input
class ActivityInput:
    name: str
    venue_id: strawberry.ID
    sessions: list[SessionInput]
    id: strawberry.ID | None = None
    description: str | None = None
    group_id: strawberry.ID | None = None
    cost: float | None = None
    interests: list[str] | None = None
    supports: list[str] | None = None
    languages: list[str] | None = None
    audience: Audience | None = None  # type: ignore[valid-type]
    eligibility: EligibilityInput | None = None
    status: ListingStatus | None = None  # type: ignore[valid-type]
