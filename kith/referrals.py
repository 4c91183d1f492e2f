"""A prescriber's own referrals: who they referred, when and why, where each referral has got
and where each person is now — whether they have a buddy, and which activities they go to —
and, once a referral is closed, a short summary of what it offered, to print for the practice.

Prescribers only: coordinators see everyone through the directory. Every person listed is
read through kith.people and kith.attendance, so each read is authorised and audited (ids
only), as any other read of a person is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph import referrals as repo

from . import attendance, audit, matches, people, referral_states, wellbeing
from .access import require
from .accounts import Account, Role
from .domain import (
    Activity,
    Attendance,
    Match,
    MatchStatus,
    Person,
    Referral,
    ReferralStatus,
    Venue,
)
from .errors import NotFound
from .service import Kith

LIVE = (MatchStatus.ACCEPTED, MatchStatus.PROPOSED)
BUDDY = "a volunteer buddy"  # all a summary says of who the buddy is (see ``Summary``)


@dataclass
class Going:
    """An activity the person goes to, where it is held, since when and, once they have
    stopped, until when."""

    activity: Activity
    venue: Venue | None
    since: date
    until: date | None = None


@dataclass
class Summary:
    """What a closed referral offered the person, for whoever may see the referral: the
    activities they took up between the referral and its closing, by name (the directory's,
    public), ``buddy``, ``BUDDY`` when a volunteer buddy was agreed in that time, and
    ``wellbeing``, each score measured at a baseline and again since, with its change.

    The buddy is never named, not even by first name. A buddy is another person with a record
    of their own, which a prescriber may not read (kith/access.py); their name is not the
    referred person's to pass on, a first name with a street is often enough to tell who a
    neighbour is, and the practice needs to know that someone was found, not who. The
    person can say who their buddy is themselves."""

    outcome: ReferralStatus
    closed_on: date
    activities: list[Going]
    buddy: str | None
    wellbeing: list[wellbeing.Change] = field(default_factory=list)  # measured again since


@dataclass
class Referred:
    """One person the prescriber referred, their latest referral by this prescriber, and where
    they are now. ``buddy`` is ACCEPTED when they have a buddy, PROPOSED when one has been
    proposed, else None (a buddy's name is not the prescriber's to see). ``coordinator`` is
    the name of the coordinator who took the referral on, once one has."""

    person: Person
    referral: Referral
    buddy: MatchStatus | None = None
    going: list[Going] = field(default_factory=list)
    coordinator: str | None = None
    summary: Summary | None = None  # once the referral is closed

    @property
    def accepted_on(self) -> date | None:
        return day_of(self.referral.accepted_at)

    @property
    def first_contact_on(self) -> date | None:
        return day_of(self.referral.first_contact_at)


def day_of(moment: str | None) -> date | None:
    return date.fromisoformat(moment[:10]) if moment else None


def mine(kith: Kith, actor: Account | None) -> list[Referred]:
    """The people this prescriber referred, newest referral first."""
    actor = require(actor, Role.PRESCRIBER)
    latest: dict[str, Referral] = {}
    for referral in repo.made_by(kith.store, actor.id):  # newest first
        latest.setdefault(referral.person_id, referral)
    return described(kith, actor, latest)


def one(kith: Kith, actor: Account | None, referral_id: str) -> Referred:
    """One of this prescriber's referrals as "My referrals" shows it (to print it for the
    practice); anyone else's is not found, as ``referral_states.get`` says."""
    actor = require(actor, Role.PRESCRIBER)
    referral = referral_states.get(kith, actor, referral_id)
    if referral.referrer_id != actor.id:  # an admin's, who sees every referral
        raise NotFound(f"no referral {referral_id}")
    found = described(kith, actor, {referral.person_id: referral})
    if not found:
        raise NotFound(f"no referral {referral_id}")
    return found[0]


def described(kith: Kith, actor: Account, latest: dict[str, Referral]) -> list[Referred]:
    """Each person with their referral (one each, in this order) and where they are now."""
    if not latest:
        return []
    ids = list(latest)
    found = people.read(kith, actor, ids)
    shown = [i for i in ids if isinstance(found[i], Person)]
    if not shown:
        return []
    buddies = buddy_status(kith, shown)
    spells = attendance.of_people(kith, actor, shown)
    current = {i: s for i, s in spells.items() if isinstance(s, list)}
    activities = kith.activities(sorted({s.activity_id for ss in current.values() for s in ss}))
    venues = kith.venues(sorted({a.venue_id for a in activities.values() if a.venue_id}))
    taken = sorted({r.coordinator_id for r in latest.values() if r.coordinator_id})
    names = {i: a.name for i, a in referral_states.accounts_named(kith, taken).items()}
    closed = offered(kith, actor, [latest[i] for i in shown if latest[i].closed_at])
    return [
        Referred(
            person=found[i],  # type: ignore[arg-type]
            referral=latest[i],
            buddy=buddies.get(i),
            going=[going(s, activities, venues) for s in current.get(i, [])
                   if s.activity_id in activities],
            coordinator=names.get(latest[i].coordinator_id or ""),
            summary=closed.get(latest[i].id),
        )
        for i in shown
    ]  # fmt: skip


def going(spell: Attendance, activities: dict[str, Activity], venues: dict[str, Venue]) -> Going:
    activity = activities[spell.activity_id]
    return Going(activity, venues.get(activity.venue_id), spell.since, spell.until)


def buddy_status(kith: Kith, person_ids: list[str]) -> dict[str, MatchStatus]:
    """For each person with a live pairing, the furthest it has got: ACCEPTED before PROPOSED."""
    out: dict[str, MatchStatus] = {}
    wanted = set(person_ids)
    for m in matches.of_people(kith, person_ids):
        if m.status not in LIVE:
            continue
        for side in {m.person_id, m.buddy_id} & wanted:
            if out.get(side) is not MatchStatus.ACCEPTED:
                out[side] = m.status
    return out


def summary(kith: Kith, actor: Account | None, referral: Referral) -> Summary | None:
    """What the referral offered, once it is closed (None before), for whoever may see it: a
    coordinator, or the prescriber who made it (anyone else: not found). The person is read
    as any read of them is: authorised and audited."""
    actor = require(actor, Role.COORDINATOR, Role.PRESCRIBER)
    if not referral_states.visible_to(actor, referral):
        raise NotFound(f"no referral {referral.id}")
    if referral.closed_at is None:
        return None
    people.get(kith, actor, referral.person_id)
    return offered(kith, actor, [referral])[referral.id]


def offered(kith: Kith, actor: Account, closed: list[Referral]) -> dict[str, Summary]:
    """The summary of each closed referral, whose person the actor has just read."""
    if not closed:
        return {}
    ids = sorted({r.person_id for r in closed})
    spells = {i: attendance.history(kith, i) for i in ids}
    audit.record(kith.store, actor, "attendance.read", ids)
    pairings = matches.of_people(kith, ids)
    measured = wellbeing.of_people(kith, actor, ids)
    activities = kith.activities(sorted({s.activity_id for ss in spells.values() for s in ss}))
    venues = kith.venues(sorted({a.venue_id for a in activities.values() if a.venue_id}))
    out: dict[str, Summary] = {}
    for r in closed:
        start, end = r.on, day_of(r.closed_at) or r.on
        taken = [going(s, activities, venues) for s in spells[r.person_id]
                 if start <= s.since <= end and s.activity_id in activities]  # fmt: skip
        agreed = any(buddy_agreed(m, r) for m in pairings if m.person_id == r.person_id)
        out[r.id] = Summary(r.status, end, sorted(taken, key=lambda g: (g.since, g.activity.name)),
                            BUDDY if agreed else None, changes(measured[r.person_id]))  # fmt: skip
    return out


def changes(records: list[wellbeing.WellbeingRecord] | Exception) -> list[wellbeing.Change]:
    """Each score measured at a baseline and again since: the change the referral saw."""
    if isinstance(records, Exception):
        return []
    return [c for c in wellbeing.summary(records) if c.latest is not None]


def buddy_agreed(match: Match, referral: Referral) -> bool:
    """Whether the pairing was agreed while the referral was open (until now, if it is)."""
    end = referral.closed_at or audit.now()
    return any(status is MatchStatus.ACCEPTED and referral.received_at <= at <= end
               for status, at, _ in match.history)  # fmt: skip
