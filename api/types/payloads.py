"""What each mutation returns: the record it touched, and what free text became."""

from __future__ import annotations

import strawberry

from kith import domain
from kith.people import Normalised

from .directory import Activity, Group, Venue
from .people import Match, Person, Volunteer, wrap
from .referrals import Referral


@strawberry.type(description="What one free-text term was normalised to.")
class Normalisation:
    field: str
    given: str
    term_id: strawberry.ID
    term_name: str


def normalisations(notes: list[Normalised]) -> list[Normalisation]:
    return [Normalisation(field=n.field, given=n.given, term_id=strawberry.ID(n.term_id),
                          term_name=n.term_name) for n in notes]  # fmt: skip


@strawberry.type
class PersonPayload:
    person: Person
    normalised: list[Normalisation]

    @strawberry.field(description="The same record with its volunteer details, if they volunteer.")
    def volunteer(self) -> Volunteer | None:
        return self.person if isinstance(self.person, Volunteer) else None


def person_payload(person: domain.Person) -> PersonPayload:
    """The answer of a mutation that changed a person and normalised no free text."""
    return PersonPayload(person=wrap(person), normalised=[])


@strawberry.type
class VolunteerPayload:
    volunteer: Volunteer
    normalised: list[Normalisation]
    token: str | None = strawberry.field(
        description="On registration only: the volunteer's own bearer token, shown once."
    )


@strawberry.type(description="The referral touched and the person it is for.")
class ReferralPayload:
    referral: Referral
    person: Person
    normalised: list[Normalisation] = strawberry.field(
        description="From referPerson: what the free-text terms sent became (else empty)."
    )


@strawberry.type
class MatchPayload:
    match: Match


@strawberry.type
class GroupPayload:
    group: Group


@strawberry.type
class VenuePayload:
    venue: Venue


@strawberry.type
class ActivityPayload:
    activity: Activity
    normalised: list[Normalisation]


@strawberry.type
class DeletePayload:
    id: strawberry.ID
    deleted: bool
