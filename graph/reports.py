"""What a report counts, read in a few round trips: referrals with where their person lives,
the pairings and activity spells of the people referred, and wellbeing records. Rows carry
person ids only so that kith/reports.py can pair records up; nothing here leaves the service."""

from __future__ import annotations

from .store import Store

# ``r.at`` is the ISO time a referral arrived, so the period is a range of strings.
REFERRALS = """
MATCH (r:Referral)-[:FOR]->(p:Person) WHERE r.at >= $start AND r.at < $end
RETURN p.id AS person, p.lat AS lat, p.lon AS lon, r.at AS at, r.source AS source,
       r.status AS status, r.firstContactAt AS firstContactAt
"""
PAIRINGS = """
MATCH (m:Match) WHERE m.personId IN $ids RETURN m.personId AS person, m.history AS history
"""
SPELLS = """
MATCH (p:Person)-[r:ATTENDS]->(:Activity) WHERE p.id IN $ids
RETURN p.id AS person, r.since AS since, r.past AS past
"""
WELLBEING = """
MATCH (w:WellbeingRecord)-[:OF]->(p:Person) WHERE w.takenOn <= $last
RETURN p.id AS person, p.lat AS lat, p.lon AS lon, w.measure AS measure,
       w.timepoint AS timepoint, w.takenOn AS takenOn, w.answers AS answers
"""


def referrals(store: Store, start: str, end: str) -> list[dict]:
    """Referrals that arrived from ``start`` up to (not including) ``end``, ISO texts."""
    return store.read(lambda tx: tx.run(REFERRALS, start=start, end=end).data())


def pairings(store: Store, person_ids: list[str]) -> list[dict]:
    """The history texts ("STATUS|at|note", graph/matches.py) of these people's pairings."""
    return store.read(lambda tx: tx.run(PAIRINGS, ids=person_ids).data())


def spells(store: Store, person_ids: list[str]) -> list[dict]:
    """When each of these people started going to an activity: the current or latest spell's
    ``since``, and earlier spells as "since/until" texts (graph/attendance.py)."""
    return store.read(lambda tx: tx.run(SPELLS, ids=person_ids).data())


def wellbeing(store: Store, last: str) -> list[dict]:
    """Every wellbeing record taken on or before ``last`` (an ISO date)."""
    return store.read(lambda tx: tx.run(WELLBEING, last=last).data())
