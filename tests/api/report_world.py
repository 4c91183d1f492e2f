"""A world a report can be checked against: referrals, pairings, activity spells, wellbeing
records and unmet-need counters written straight into the demo world with known dates, so
every figure the report gives is known in advance (tests/api/test_reports.py, the CLI's and
the page's tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph import attendance, matches, records
from graph import unmet as unmet_repo
from kith.domain import Match, MatchStatus, Referral, ReferralSource, ReferralStatus
from kith.service import Kith

START, END = date(2026, 1, 1), date(2026, 6, 30)
PEOPLE = """
MATCH (p:Person) WHERE p.lat IS NOT NULL AND p.postcode IS NOT NULL
RETURN p.id AS id, p.lat AS lat, p.lon AS lon, p.postcode AS postcode ORDER BY p.id LIMIT 40
"""
ACTIVITY = "MATCH (a:Activity) RETURN a.id AS id ORDER BY a.id LIMIT 1"
REFER = """
MATCH (p:Person {id: $person}) CREATE (r:Referral {id: $id}) SET r += $props
CREATE (r)-[:FOR]->(p)
"""
MEASURE = """
MATCH (p:Person {id: $person})
CREATE (:WellbeingRecord {id: $id, measure: $measure, timepoint: $timepoint, takenOn: $takenOn,
                          answers: $answers, at: $takenOn, by: 'test'})-[:OF]->(p)
"""
S, R = ReferralSource, ReferralStatus
# 22 referrals in the period: (day, source, status now), one person each.
REFERRALS = (
    [(date(2026, 1, 5 + i), S.GP, R.IN_PROGRESS if i < 10 else R.COMPLETED) for i in range(12)]
    + [(date(2026, 2, 3 + i), S.SELF, R.COMPLETED) for i in range(7)]
    + [(date(2026, 3, 9 + i), S.HOSPITAL, R.DECLINED) for i in range(3)]
)
OUTSIDE = [(date(2025, 12, 15), S.GP, R.COMPLETED), (date(2026, 7, 2), S.GP, R.RECEIVED)]
# ONS4 baseline and follow-up answers of six people, and SWEMWBS of three more.
ONS4 = [([7, 8, 6, 3], [8, 8, 7, 2]), ([5, 6, 5, 6], [7, 6, 6, 4]),
        ([4, 5, 4, 7], [4, 6, 5, 7]), ([6, 6, 6, 5], [7, 7, 8, 3]),
        ([3, 4, 2, 8], [6, 5, 5, 5]), ([8, 8, 8, 2], [7, 8, 7, 3])]  # fmt: skip
SWEMWBS = [([3] * 7, [4] * 7)] * 3


@dataclass(frozen=True)
class Person:
    id: str
    lat: float
    lon: float
    postcode: str


def people(kith: Kith) -> list[Person]:
    return [Person(**r) for r in kith.store.read(lambda tx: tx.run(PEOPLE).data())]


def refer(kith: Kith, n: int, person: Person, on: date, source: ReferralSource,
          status: ReferralStatus) -> None:  # fmt: skip
    at = f"{on.isoformat()}T09:00:00.000+00:00"
    contact = None
    if status in (R.IN_PROGRESS, R.COMPLETED):  # contacted n + 1 days later: median 10 days
        contact = f"{(on + timedelta(days=n + 1)).isoformat()}T09:00:00.000+00:00"
    referral = Referral(f"report-test-{n}", person.id, "lonely", "ROUTINE", source, status, at,
                        first_contact_at=contact)  # fmt: skip
    props = records.referral_props(referral)
    kith.store.write(lambda tx: tx.run(REFER, person=person.id, id=referral.id,
                                       props=props).consume())  # fmt: skip


def pair(kith: Kith, person: Person, buddy: Person, on: date) -> None:
    history = [(MatchStatus.PROPOSED, f"{on.isoformat()}T10:00:00.000+00:00", None)]
    matches.create(kith.store, Match(f"m-{person.id}", person.id, buddy.id,
                                     MatchStatus.PROPOSED, history))  # fmt: skip


def measure(kith: Kith, person: Person, name: str, timepoint: str, on: date,
            answers: list[int]) -> None:  # fmt: skip
    kith.store.write(lambda tx: tx.run(MEASURE, person=person.id, id=f"{person.id}-{name}-{on}",
                                       measure=name, timepoint=timepoint, takenOn=on.isoformat(),
                                       answers=answers).consume())  # fmt: skip


def build(kith: Kith) -> list[Person]:
    """The world: returns the people referred, in the order of ``REFERRALS``.

    Of the 22 referred, 8 are paired with a buddy 10 days after their referral and 6 start an
    activity 20 days after it (14 matched within 8 weeks); one starts 70 days after (too late)
    and one was paired a month before (not because of it).
    """
    everyone = people(kith)
    referred, buddy = everyone[:22], everyone[30]
    for n, ((on, source, status), person) in enumerate(zip(REFERRALS, referred, strict=True)):
        refer(kith, n, person, on, source, status)
    for n, (on, source, status) in enumerate(OUTSIDE, start=100):
        refer(kith, n, everyone[25 + n - 100], on, source, status)
    activity = kith.store.read(lambda tx: tx.run(ACTIVITY).single()["id"])
    for i, person in enumerate(referred[:16]):
        on = REFERRALS[i][0]
        if i < 8:
            pair(kith, person, buddy, on + timedelta(days=10))
        elif i < 14:
            attendance.record(kith.store, person.id, activity, on + timedelta(days=20))
        elif i == 14:
            attendance.record(kith.store, person.id, activity, on + timedelta(days=70))
        else:
            pair(kith, person, buddy, on - timedelta(days=30))
    for person, (before, after) in zip(everyone[:6], ONS4, strict=True):
        measure(kith, person, "ONS4", "BASELINE", date(2025, 11, 1), before)
        measure(kith, person, "ONS4", "BASELINE", date(2025, 12, 1), [0, 0, 0, 10])  # not first
        measure(kith, person, "ONS4", "FOLLOW_UP", date(2026, 2, 1), [1, 1, 1, 1])  # not latest
        measure(kith, person, "ONS4", "FOLLOW_UP", date(2026, 4, 1), after)
        measure(kith, person, "ONS4", "FOLLOW_UP", date(2026, 8, 1), [0, 0, 0, 0])  # after END
    for person, (before, after) in zip(everyone[6:9], SWEMWBS, strict=True):
        measure(kith, person, "SWEMWBS", "BASELINE", date(2026, 1, 10), before)
        measure(kith, person, "SWEMWBS", "FOLLOW_UP", date(2026, 4, 10), after)
    measure(kith, everyone[9], "UCLA3", "FOLLOW_UP", date(2026, 4, 10), [2, 2, 2])  # no baseline
    for kind, outcode, month, times in UNMET:
        for _ in range(times):
            unmet_repo.note(kith.store, kind, outcode, month)
    return referred


# (kind, outcode, month, how many): DE22 9 in all, DE1 2, DE3 7, DE21 5, and 4 outside the period.
UNMET = [("SEARCH", "DE22", "2026-02", 6), ("BUDDY_SUGGESTION", "DE22", "2026-05", 3),
         ("REFERRAL", "DE1", "2026-03", 2), ("SEARCH", "DE3", "2026-01", 7),
         ("ACTIVITY_SUGGESTION", "DE21", "2026-06", 5),
         ("SEARCH", "DE22", "2026-07", 4)]  # fmt: skip
