"""A prescriber's own referrals: who they referred, when and why, and where each person is
now — whether they have a buddy, and which activities they go to.

Prescribers only: coordinators see everyone through the directory. Every person listed is
read through kith.people and kith.attendance, so each read is authorised and audited (ids
only), as any other read of a person is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph import referrals as repo

from . import attendance, matches, people, referral_states
from .access import require
from .accounts import Account, Role
from .domain import Activity, MatchStatus, Person, Referral, Venue
from .service import Kith

LIVE = (MatchStatus.ACCEPTED, MatchStatus.PROPOSED)


@dataclass
class Going:
    """An activity the person goes to now, where it is held, and since when."""

    activity: Activity
    venue: Venue | None
    since: date


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


def mine(kith: Kith, actor: Account | None) -> list[Referred]:
    """The people this prescriber referred, newest referral first."""
    actor = require(actor, Role.PRESCRIBER)
    latest: dict[str, Referral] = {}
    for referral in repo.made_by(kith.store, actor.id):  # newest first
        latest.setdefault(referral.person_id, referral)
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
    return [
        Referred(
            person=found[i],  # type: ignore[arg-type]
            referral=latest[i],
            buddy=buddies.get(i),
            going=[Going(activities[s.activity_id], venues.get(activities[s.activity_id].venue_id
                                                               or ""), s.since)
                   for s in current.get(i, []) if s.activity_id in activities],
            coordinator=names.get(latest[i].coordinator_id or ""),
        )
        for i in shown
    ]  # fmt: skip


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
