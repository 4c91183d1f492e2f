"""Plain domain objects shared by every layer: graph/ returns them, matching/ scores them,
api/ and web/ show them. They hold no behaviour that needs the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any


class Choice(Enum):
    """An enum whose members hash by identity, as they compare. Enum's own ``__hash__`` hashes
    the name in Python: matching and loading use members as set items and dict keys millions of
    times a run, and this one is the interpreter's own."""

    __hash__ = object.__hash__


class TermKind(Choice):
    """Taxonomy vocabularies; the value is the node label in the graph."""

    INTEREST = "Interest"
    SKILL = "Skill"
    CONDITION = "Condition"
    NEED = "Need"
    LANGUAGE = "Language"


class Weekday(Choice):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


class DayPart(Choice):
    MORNING = "MORNING"
    AFTERNOON = "AFTERNOON"
    EVENING = "EVENING"


class Gender(Choice):
    FEMALE = "FEMALE"
    MALE = "MALE"
    NON_BINARY = "NON_BINARY"
    UNDISCLOSED = "UNDISCLOSED"


class Audience(Choice):
    ADULTS = "ADULTS"
    OLDER_ADULTS = "OLDER_ADULTS"
    CHILDREN = "CHILDREN"
    FAMILIES = "FAMILIES"
    ALL = "ALL"


class AccessNeed(Choice):
    STEP_FREE = "STEP_FREE"
    HEARING_LOOP = "HEARING_LOOP"
    ACCESSIBLE_TOILET = "ACCESSIBLE_TOILET"


class EntryKind(Choice):
    """What a directory search can return; people and volunteers only to coordinators."""

    GROUP = "GROUP"
    ACTIVITY = "ACTIVITY"
    VENUE = "VENUE"
    VOLUNTEER = "VOLUNTEER"
    PERSON = "PERSON"


@dataclass(frozen=True)
class Term:
    """A taxonomy term; ``broader`` is the id of its parent term of the same kind."""

    kind: TermKind
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    broader: str | None = None


@dataclass(frozen=True)
class Place:
    """A point on the map, with the postcode it came from when there was one."""

    latitude: float
    longitude: float
    postcode: str | None = None


@dataclass
class Venue:
    id: str
    name: str
    address: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool | None = None
    hearing_loop: bool | None = None
    accessible_toilet: bool | None = None
    parking: bool | None = None


class ListingStatus(Choice):
    """Whether a listing is running (issue 17): a closed one, for a while or for good, is never
    suggested, and search shows it as closed."""

    ACTIVE = "ACTIVE"
    TEMPORARILY_CLOSED = "TEMPORARILY_CLOSED"
    CLOSED = "CLOSED"


@dataclass
class Group:
    id: str
    name: str
    description: str | None = None
    website: str | None = None
    last_reviewed_on: date | None = None


@dataclass(frozen=True)
class Session:
    """One weekly session of an activity; times are "HH:MM" in local time."""

    day: Weekday
    start: str
    end: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """Who an activity is for (issue 17): the genders it is for and the ages, inclusive; none
    given is open to all. ORUK / HSDS 3.0 carry the ages as ``minimum_age`` and ``maximum_age``
    on a service and the rest only as free text (``eligibility_description``)."""

    genders: tuple[Gender, ...] = ()
    min_age: int | None = None
    max_age: int | None = None

    @property
    def open(self) -> bool:
        return not self.genders and self.min_age is None and self.max_age is None


@dataclass
class Activity:
    """A regular activity held at a venue; taxonomy links are term ids."""

    id: str
    name: str
    venue_id: str
    description: str | None = None
    group_id: str | None = None
    sessions: list[Session] = field(default_factory=list)
    cost: float | None = None
    audience: Audience = Audience.ALL
    interests: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    eligibility: Eligibility = field(default_factory=Eligibility)
    status: ListingStatus = ListingStatus.ACTIVE
    last_reviewed_on: date | None = None
    reminders: int = 0
    """Review reminders sent since the last review (kith/reminders.py): three unanswered make
    the listing long overdue, as ALISS does."""

    @property
    def free(self) -> bool:
        """Free only when known to cost nothing: an unknown cost is not "free"."""
        return self.cost == 0


@dataclass(frozen=True)
class Availability:
    day: Weekday
    part: DayPart


class PracticalNeed(Choice):
    """Practical help a volunteer may give (issue 16): a prescription or shopping fetched,
    someone looked in on, a lift, a path cleared of snow."""

    PRESCRIPTIONS = "PRESCRIPTIONS"
    SHOPPING = "SHOPPING"
    CHECK_IN = "CHECK_IN"
    LIFTS = "LIFTS"
    SNOW_CLEARING = "SNOW_CLEARING"


@dataclass
class VolunteerProfile:
    """What a person who volunteers offers; present only on people who registered to help."""

    skills: list[str] = field(default_factory=list)
    max_travel_km: float = 5.0
    capacity: int = 1
    dbs_checked_on: date | None = None
    approved: bool = False
    roles: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    helps: list[PracticalNeed] = field(default_factory=list)


@dataclass
class Person:
    """Someone a coordinator supports, or a volunteer (a volunteer is a person too)."""

    id: str
    name: str
    latitude: float | None = None
    longitude: float | None = None
    postcode: str | None = None
    birth_year: int | None = None
    gender: Gender | None = None
    interests: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    cares_for: list[str] = field(default_factory=list)
    availability: list[Availability] = field(default_factory=list)
    access_needs: list[AccessNeed] = field(default_factory=list)
    buddy_gender: Gender | None = None
    consent_to_matching: bool = False
    volunteer: VolunteerProfile | None = None
    lives_alone: bool | None = None
    last_contact_at: str | None = None  # the latest recorded contact (kith/contacts.py)

    @property
    def is_volunteer(self) -> bool:
        return self.volunteer is not None


@dataclass
class Hit:
    """One search result: the entry, how far it is from the searched place, and its rank score;
    for an activity, the other listings of it that it stands for (matching/listings.py)."""

    entry: Venue | Group | Activity | Person
    score: float
    distance_km: float | None = None
    also: tuple[Activity, ...] = ()


class MatchStatus(Choice):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ENDED = "ENDED"


class ReasonCode(Choice):
    SHARED_INTEREST = "SHARED_INTEREST"
    RELATED_INTEREST = "RELATED_INTEREST"
    LIVED_EXPERIENCE = "LIVED_EXPERIENCE"
    SUPPORTS_NEED = "SUPPORTS_NEED"
    LANGUAGE = "LANGUAGE"
    NEARBY = "NEARBY"
    AVAILABILITY = "AVAILABILITY"
    ACCESSIBLE = "ACCESSIBLE"
    FREE = "FREE"
    CARER_WELCOME = "CARER_WELCOME"
    PREFERENCE = "PREFERENCE"
    PRACTICAL_HELP = "PRACTICAL_HELP"
    ELIGIBILITY = "ELIGIBILITY"
    REVIEWED = "REVIEWED"


@dataclass(frozen=True)
class Reason:
    """One human reason behind a suggestion; the weights of a suggestion's reasons add up to
    its score."""

    code: ReasonCode
    text: str
    weight: float


@dataclass
class BuddyCandidate:
    """A volunteer as buddy retrieval found them, with what the hard rules need to know."""

    person: Person
    active_buddies: int = 0
    declined_by_person: bool = False
    already_buddy: bool = False


@dataclass
class ActivityCandidate:
    """An activity near a person, with its venue (for distance and access)."""

    activity: Activity
    venue: Venue


@dataclass
class Suggestion:
    """A ranked suggestion (a buddy ``Person`` or an ``Activity``) with its reasons, worded
    when first read (``why`` may be the function that words them): a scorer weighs many
    candidates to show a few, and wording the reasons of every one was a third of its work."""

    target: Person | Activity
    score: float
    distance_km: float | None
    why: list[Reason] | Callable[[], list[Reason]] = field(repr=False)

    @property
    def reasons(self) -> list[Reason]:
        if callable(self.why):
            self.why = self.why()
        return self.why


@dataclass
class Match:
    """A proposed or agreed buddy pairing, with its status history (oldest first)."""

    id: str
    person_id: str
    buddy_id: str
    status: MatchStatus
    history: list[tuple[MatchStatus, str, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Attendance:
    """A spell of someone going to an activity: current while ``until`` is None."""

    person_id: str
    activity_id: str
    since: date
    until: date | None = None


def age_band(birth_year: int | None) -> str | None:
    """A decade band ("70-79") of the age this year: enough for matching and for a phone round,
    less than a date of birth."""
    if birth_year is None:
        return None
    age = date.today().year - birth_year
    low = max(18, age // 10 * 10) if age >= 18 else 0
    return f"{low}-{low + 9}" if age >= 18 else "under 18"


def plain(value: Any) -> Any:
    """Enums by value and dates as ISO text, in dicts and lists too: what JSON can carry (the
    subject access export), and what the API's enum members and a form's text share."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class ReferralStatus(Choice):
    RECEIVED = "RECEIVED"
    ACCEPTED = "ACCEPTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    DECLINED = "DECLINED"
    DID_NOT_ENGAGE = "DID_NOT_ENGAGE"
    WITHDRAWN = "WITHDRAWN"


class ReferralSource(Choice):
    GP = "GP"
    SELF = "SELF"
    SOCIAL_CARE = "SOCIAL_CARE"
    HOSPITAL = "HOSPITAL"
    VOLUNTARY_SECTOR = "VOLUNTARY_SECTOR"
    OTHER = "OTHER"


@dataclass(frozen=True)
class ReferralEvent:
    """One change of a referral: when, by which account, from which state to which (``old`` is
    None for its arrival), and the note given with it."""

    at: str
    by: str | None
    old: ReferralStatus | None
    new: ReferralStatus
    note: str | None = None


@dataclass(frozen=True)
class Referral:
    """A referral of one person to Kith and where it has got; times are ISO texts, UTC.
    ``version`` counts the changes written, so that two changes made at once cannot both
    succeed from the same state."""

    id: str
    person_id: str
    reason: str
    urgency: str  # ROUTINE, SOON or URGENT
    source: ReferralSource
    status: ReferralStatus
    received_at: str
    referrer_id: str | None = None
    coordinator_id: str | None = None
    accepted_at: str | None = None
    first_contact_at: str | None = None
    closed_at: str | None = None
    decline_reason: str | None = None
    history: list[ReferralEvent] = field(default_factory=list)
    version: int = 0
    # The person as the referrer sent them: what a prescriber is shown of a record that other
    # referrals may have joined (None on referrals made before it was kept).
    sent: Person | None = None
    # The sender's own id for it (a FHIR ServiceRequest identifier), so a message sent twice
    # is one referral.
    identifier: str | None = None
    # A self-referral's reference, the one thing its sender is told, so that a coordinator can
    # find it when they call; and how they asked to be contacted.
    reference: str | None = None
    contact: str | None = None

    @property
    def on(self) -> date:
        return date.fromisoformat(self.received_at[:10])


def name_key(name: str) -> str:
    """A name as compared when telling whether two referrals are for one person: case and
    spacing do not count ("  ivy  JONES" is "Ivy Jones")."""
    return " ".join(name.split()).casefold()
