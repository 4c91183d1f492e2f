"""Outreach lists: reaching people before a crisis rather than waiting for a referral — those
aged 85 or more who live alone, with no buddy, no activity and nobody in touch for a month
(Derby's "Your Life, Your Choice" offers every older person aged 85+ a winter plan).

A coordinator gives the criteria; the list is everyone meeting all of them, the longest
without contact first (never contacted before anyone), each with why they are on it. Someone
whose latest consent to being contacted (``CONTACT``, kith.people.record_consent) is a no is
never listed, whatever the criteria. Age is the age reached this year, from the birth year,
which is all Kith holds. Each person listed, on a page or in a download, is an audited read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from graph import outreach as repo
from matching.geo import bounding_box, distance_km

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import Person, Place, age_band
from .errors import InvalidInput
from .service import MAX_PAGE, MAX_RADIUS_KM, SEARCH_RADIUS_KM, Kith, checked_radius, offset_of

MOST_DAYS = 3650
CSV_COLUMNS = ("Name", "Postcode", "Age band", "Last contact", "Why listed")


@dataclass(frozen=True)
class Criteria:
    """What a coordinator asked for; None (or False, for the two "without") is no condition."""

    min_age: int | None = None
    lives_alone: bool | None = None
    without_buddy: bool = False
    without_activity: bool = False
    no_contact_for_days: int | None = None
    near: Place | None = None
    radius_km: float | None = None


@dataclass(frozen=True)
class Listed:
    """One person on the list, with the few details a phone round needs and why they are on it."""

    person_id: str
    name: str
    postcode: str | None
    birth_year: int | None
    last_contact_at: str | None
    reasons: list[str]


@dataclass
class OutreachPage:
    entries: list[tuple[Person, Listed]]
    total: int
    offset: int
    has_next: bool


def checked(criteria: Criteria) -> Criteria:
    """The criteria, each in range, or an error naming the one that is not."""
    if criteria.min_age is not None and not 0 <= criteria.min_age <= 120:
        raise InvalidInput("minAge", "must be between 0 and 120")
    days = criteria.no_contact_for_days
    if days is not None and not 1 <= days <= MOST_DAYS:
        raise InvalidInput("noContactForDays", f"must be between 1 and {MOST_DAYS}")
    if criteria.near is None:
        if criteria.radius_km is not None:
            raise InvalidInput("radiusKm", "must come with a place to measure from")
        return criteria
    radius = checked_radius(criteria.radius_km, SEARCH_RADIUS_KM, MAX_RADIUS_KM)
    return Criteria(criteria.min_age, criteria.lives_alone, criteria.without_buddy,
                    criteria.without_activity, days, criteria.near, radius)  # fmt: skip


def matching(kith: Kith, criteria: Criteria, now: datetime) -> list[Listed]:
    """Everyone meeting the criteria (checked), never contacted first, then the longest since;
    read in a few queries whatever the number of people, and not audited: the callers audit
    those they show."""
    near, radius = criteria.near, criteria.radius_km or 0.0
    days = criteria.no_contact_for_days
    rows = repo.candidates(
        kith.store,
        box=bounding_box(near.latitude, near.longitude, radius) if near else None,
        born_by=now.year - criteria.min_age if criteria.min_age is not None else None,
        lives_alone=criteria.lives_alone,
        contact_before=stamp(now - timedelta(days=days)) if days else None,
    )
    distances = {r["id"]: distance_km((near.latitude, near.longitude), (r["lat"], r["lon"]))
                 for r in rows if near}  # fmt: skip
    rows = [r for r in rows if not near or distances[r["id"]] <= radius]
    ids = [r["id"] for r in rows]
    out = set(repo.refused_contact(kith.store, ids)) if ids else set()
    if criteria.without_buddy and ids:
        out |= repo.paired(kith.store, ids)
    if criteria.without_activity and ids:
        out |= repo.attending(kith.store, ids)
    listed = [Listed(r["id"], r["name"], r.get("postcode"), r.get("birthYear"),
                     r.get("lastContactAt"), reasons(criteria, r, distances.get(r["id"]), now))
              for r in rows if r["id"] not in out]  # fmt: skip
    listed.sort(key=lambda p: (p.last_contact_at or "", p.name, p.person_id))
    return listed


def stamp(moment: datetime) -> str:
    """A time as contacts store it (ISO in UTC, to the millisecond), so that texts compare."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def reasons(criteria: Criteria, row: dict, distance: float | None, now: datetime) -> list[str]:
    """Why someone is listed, one phrase per criterion asked."""
    said = []
    if criteria.min_age is not None:
        said.append(f"aged {now.year - row['birthYear']} this year")
    if criteria.lives_alone is not None:
        said.append("lives alone" if criteria.lives_alone else "does not live alone")
    if criteria.without_buddy:
        said.append("no buddy")
    if criteria.without_activity:
        said.append("no activity now")
    if criteria.no_contact_for_days is not None:
        said.append(since_contact(row.get("lastContactAt"), now))
    if distance is not None:
        said.append(f"lives {distance:.1f} km away")
    return said


def since_contact(last: str | None, now: datetime) -> str:
    if last is None:
        return "no contact recorded"
    days = (now - datetime.fromisoformat(last)).days
    return f"last contact {days} day{'' if days == 1 else 's'} ago"


def listing(
    kith: Kith, actor: Account | None, criteria: Criteria, first: int = 20,
    after: str | None = None,
) -> OutreachPage:  # fmt: skip
    """A page of the outreach list, for a coordinator; each person on it an audited read."""
    actor = require(actor, Role.COORDINATOR)
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    offset = offset_of(after)
    everyone = matching(kith, checked(criteria), datetime.now(UTC))
    shown = everyone[offset : offset + first]
    found = people.read(kith, actor, [p.person_id for p in shown])
    entries = [(person, p) for p in shown if isinstance(person := found[p.person_id], Person)]
    return OutreachPage(entries, len(everyone), offset, offset + first < len(everyone))


def download(kith: Kith, actor: Account | None, criteria: Criteria) -> str:
    """The whole list as CSV for a phone round: name, postcode, age band, last contact (a day)
    and why listed — no more than the round needs. Audited as a read of each person in it."""
    actor = require(actor, Role.COORDINATOR)
    everyone = matching(kith, checked(criteria), datetime.now(UTC))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in everyone:
        last = p.last_contact_at[:10] if p.last_contact_at else "never"
        writer.writerow([cell(p.name), p.postcode or "", age_band(p.birth_year) or "", last,
                         "; ".join(p.reasons)])  # fmt: skip
    if everyone:
        audit.record(kith.store, actor, "outreach.download", [p.person_id for p in everyone])
    return out.getvalue()


def cell(value: str) -> str:
    """A value a spreadsheet will show as text, not run as a formula: OWASP's "CSV Injection"
    advice, a leading ' before = + - @ tab or carriage return (a name is typed by anyone who
    refers themselves)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
