"""A year of the demo service's work, so that a new user's /reports, Referrals queue and person
pages show something real on `make run`: a quarter of the demo's people referred at some point
in the last twelve months, from the usual mix of sources; each referral as far on as its age
makes plausible (new ones waiting, most older ones completed, some declined or not engaging);
for those contacted a plan, baseline measures (ONS4 and UCLA3, SWEMWBS for some) and, twelve
weeks on, a follow-up that has usually improved; and for some an activity or a volunteer buddy
taken up within weeks; and the unmet needs such a year leaves.

Written back-dated, straight into the graph (the services stamp everything "now"), under ids made
from each person's, so `kith demo` run again adds nothing. Seeded: the same world every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from graph import matches as matches_repo
from graph import plans as plans_repo
from graph import referrals as referrals_repo
from graph import unmet as unmet_repo
from graph import wellbeing as wellbeing_repo
from graph.attendance import record as record_attendance
from kith.accounts import Account
from kith.domain import (
    Activity,
    Match,
    MatchStatus,
    Person,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    Venue,
)  # fmt: skip
from kith.measures import MEASURES
from kith.service import Kith
from matching.geo import distance_km

S = ReferralStatus
SHARE = 0.25  # of the demo's people who do not volunteer
SOURCES = ((ReferralSource.GP, 60), (ReferralSource.SELF, 12), (ReferralSource.SOCIAL_CARE, 10),
           (ReferralSource.VOLUNTARY_SECTOR, 8), (ReferralSource.HOSPITAL, 6),
           (ReferralSource.OTHER, 4))  # fmt: skip
URGENCY = (("ROUTINE", 70), ("SOON", 22), ("URGENT", 8))
REASONS = (
    "Lonely since a bereavement; used to be very sociable.",
    "Low mood after retiring; would like something to get up for.",
    "Recently moved here and knows nobody.",
    "Carer for a partner and rarely gets out.",
    "Anxious about going out since a fall.",
    "Recovering from an operation; wants to rebuild confidence.",
    "Long-term pain; the GP thinks company and gentle activity would help.",
)
WHAT_MATTERS = (
    "Having a reason to leave the house and people who notice if I'm not there.",
    "Feeling useful again, and seeing my grandchildren more.",
    "Getting my confidence back so I can go out on my own.",
    "Doing something I enjoy every week, not just appointments.",
)
GOALS = (
    ("Go to a group near home", ["Look at the directory together", "Go along the first time"]),
    ("Walk to the shops on my own", ["Short walk with a buddy", "Walk there and back alone"]),
    ("Meet someone for a cup of tea each week", ["Agree a day", "Swap phone numbers"]),
)


@dataclass
class Story:
    """What happened to one referral, as days: None where it did not get that far."""

    received: date
    status: ReferralStatus
    accepted: date | None = None
    contacted: date | None = None
    closed: date | None = None
    events: list[tuple[date, ReferralStatus]] = field(default_factory=list)


def pick(rng: random.Random, weighted: tuple) -> object:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def story(rng: random.Random, today: date) -> Story:
    """A referral received in the last year, taken as far as its age makes plausible."""
    received = today - timedelta(days=rng.randint(2, 360))
    told = Story(received, S.RECEIVED, events=[(received, S.RECEIVED)])
    age = (today - received).days
    if age < 14 and rng.random() < 0.7:
        return told
    if rng.random() < 0.05:  # not the right service
        return ended(told, received + timedelta(days=rng.randint(1, 5)), S.DECLINED)
    told.accepted = min(today, received + timedelta(days=rng.randint(1, 7)))
    told.status = S.ACCEPTED
    told.events.append((told.accepted, S.ACCEPTED))
    contacted = told.accepted + timedelta(days=rng.randint(0, 10))
    if contacted >= today:
        return told
    told.contacted, told.status = contacted, S.IN_PROGRESS
    told.events.append((contacted, S.IN_PROGRESS))
    closing = contacted + timedelta(days=rng.randint(90, 160))
    if closing >= today:
        return told
    outcome = pick(rng, ((S.COMPLETED, 80), (S.DID_NOT_ENGAGE, 12), (S.WITHDRAWN, 8)))
    return ended(told, closing, outcome)  # type: ignore[arg-type]


def ended(told: Story, on: date, outcome: ReferralStatus) -> Story:
    told.closed, told.status = on, outcome
    told.events.append((on, outcome))
    return told


def moment(day: date, hour: int = 10) -> str:
    return datetime.combine(day, time(hour), UTC).isoformat(timespec="milliseconds")


def referral_of(
    rng: random.Random, person: Person, told: Story, coordinator: Account, prescriber: Account
) -> Referral:
    source: ReferralSource = pick(rng, SOURCES)  # type: ignore[assignment]
    sender = {ReferralSource.GP: prescriber.id, ReferralSource.SELF: None}.get(
        source, coordinator.id
    )  # a self-referral has no sender; others than a GP's were entered by the coordinator
    before = [None, *[to for _, to in told.events[:-1]]]
    history = [ReferralEvent(moment(day), sender if to is S.RECEIVED else coordinator.id, was, to)
               for (day, to), was in zip(told.events, before, strict=True)]  # fmt: skip
    return Referral(
        id=f"ref-demo-{person.id}", person_id=person.id, reason=rng.choice(REASONS),
        urgency=str(pick(rng, URGENCY)), source=source, status=told.status,
        received_at=moment(told.received), referrer_id=sender,
        coordinator_id=coordinator.id if told.accepted else None,
        accepted_at=moment(told.accepted) if told.accepted else None,
        first_contact_at=moment(told.contacted) if told.contacted else None,
        closed_at=moment(told.closed) if told.closed else None,
        decline_reason="Debt advice was what was needed: passed to Citizens Advice."
        if told.status is S.DECLINED else None,
        history=history, version=len(history) - 1, sent=person,
    )  # fmt: skip


def answers(rng: random.Random, measure: str, lift: float) -> list[int]:
    """Plausible answers for someone referred (low wellbeing, lonely), better by ``lift``."""
    m = MEASURES[measure]
    middle = {"ONS4": (4, 5, 4, 6), "SWEMWBS": (2.3,) * 7, "UCLA3": (2.4,) * 3}[measure]
    ups = m.better if len(m.better) == len(m.questions) else m.better * len(m.questions)
    spread = m.high - m.low
    return [max(m.low, min(m.high, round(rng.gauss(centre + lift * spread / 10 * up, spread / 8))))
            for up, centre in zip(ups, middle, strict=True)]  # fmt: skip


def measured(
    kith: Kith, rng: random.Random, person: Person, told: Story, by: str, today: date
) -> None:
    """Baselines at the first contact and, for most, a follow-up twelve weeks on."""
    assert told.contacted is not None
    chosen = ["ONS4", "UCLA3"] + (["SWEMWBS"] if rng.random() < 0.4 else [])
    follow_up = told.contacted + timedelta(weeks=12, days=rng.randint(0, 14))
    followed = follow_up < today and told.status is not S.DID_NOT_ENGAGE and rng.random() < 0.85
    lift = rng.gauss(1.5, 1.2)
    for name in chosen:
        taken = [("BASELINE", told.contacted, 0.0)] + ([("FOLLOW_UP", follow_up, lift)]
                                                       if followed else [])  # fmt: skip
        for timepoint, day, gain in taken:
            wellbeing_repo.record(kith.store, person.id, {
                "id": f"wb-demo-{person.id}-{name}-{timepoint}", "measure": name,
                "timepoint": timepoint, "takenOn": day.isoformat(),
                "answers": answers(rng, name, gain), "at": moment(day, 11), "by": by,
            })  # fmt: skip


def planned(kith: Kith, rng: random.Random, person: Person, told: Story, by: str) -> None:
    assert told.contacted is not None
    goals = [{"id": f"goal-demo-{person.id}-{i}", "text": text, "steps": steps,
              "status": "MET" if told.status is S.COMPLETED and i == 0 else "OPEN"}
             for i, (text, steps) in enumerate(rng.sample(GOALS, rng.randint(1, 2)))]  # fmt: skip
    plans_repo.save(kith.store, person.id, f"plan-demo-{person.id}", {
        "whatMatters": rng.choice(WHAT_MATTERS), "goals": goals,
        "reviewOn": (told.contacted + timedelta(weeks=12)).isoformat(),
        "updatedAt": moment(told.contacted, 12), "updatedBy": by,
    })  # fmt: skip


def nearest(person: Person, places: list[tuple[str, tuple[float, float]]]) -> str | None:
    here = (person.latitude, person.longitude)
    if here[0] is None or here[1] is None or not places:
        return None
    return min(places, key=lambda p: distance_km(here, p[1]))[0]  # type: ignore[arg-type]


@dataclass
class Places:
    """Where the demo's activities and approved volunteers are, for taking one up."""

    activities: list[tuple[str, tuple[float, float]]]
    volunteers: list[tuple[str, tuple[float, float]]]

    @classmethod
    def of(cls, activities: list[Activity], venues: list[Venue], people: list[Person]) -> Places:
        at = {v.id: (v.latitude, v.longitude) for v in venues if v.latitude is not None}
        helpers = [p for p in people if p.volunteer and p.volunteer.approved and p.latitude]
        return cls([(a.id, at[a.venue_id]) for a in activities if a.venue_id in at],
                   [(p.id, (p.latitude, p.longitude)) for p in helpers])  # type: ignore[misc]  # fmt: skip


def taken_up(
    kith: Kith, rng: random.Random, person: Person, told: Story, places: Places, today: date
) -> None:
    """For some, an activity started or a buddy agreed within weeks of the first contact."""
    assert told.contacted is not None
    start = told.contacted + timedelta(days=rng.randint(5, 50))
    activity = nearest(person, places.activities)
    if activity and start < today and rng.random() < 0.55:
        record_attendance(kith.store, person.id, activity, start)
    buddy = nearest(person, places.volunteers)
    if buddy and start < today and rng.random() < 0.3:
        history = [(MatchStatus.PROPOSED, moment(start), None),
                   (MatchStatus.ACCEPTED, moment(start + timedelta(days=3)), None)]  # fmt: skip
        matches_repo.create(kith.store, Match(f"match-demo-{person.id}", person.id, buddy,
                                              MatchStatus.ACCEPTED, history))  # fmt: skip


def unmet(kith: Kith, rng: random.Random, person: Person, told: Story) -> None:
    """What the year found nothing for, counted as Kith counts it (kind, outward code, month):
    the referrals that ended without anything taken up, and some searches made for them."""
    outcode = (person.postcode or "").split()[0]
    if told.status in (S.DECLINED, S.DID_NOT_ENGAGE) and told.closed:
        unmet_repo.note(kith.store, "REFERRAL", outcode, told.closed.strftime("%Y-%m"))
    if rng.random() < 0.3:
        unmet_repo.note(kith.store, "SEARCH", outcode, told.received.strftime("%Y-%m"))


def load(
    kith: Kith, people: list[Person], activities: list[Activity], venues: list[Venue],
    coordinator: Account, prescriber: Account, today: date | None = None, seed: int = 7,
) -> int:  # fmt: skip
    """Write the year once (a run after the first finds it written); returns how many people
    it referred."""
    rng, today = random.Random(seed), today or date.today()
    candidates = [p for p in people if not p.volunteer and p.birth_year and p.postcode]
    places = Places.of(activities, venues, people)
    chosen = rng.sample(candidates, int(len(candidates) * SHARE))
    for person in chosen:
        told = story(rng, today)
        referral = referral_of(rng, person, told, coordinator, prescriber)
        if not referrals_repo.add_to(kith.store, person.id, referral):
            continue  # written by an earlier run
        unmet(kith, rng, person, told)
        if told.contacted:
            planned(kith, rng, person, told, coordinator.id)
            measured(kith, rng, person, told, coordinator.id, today)
            taken_up(kith, rng, person, told, places, today)
    kith.cache.clear()
    return len(chosen)
