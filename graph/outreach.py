"""What an outreach list is read from: the people matching a coordinator's criteria, and
who has a buddy, goes to an activity now, or said no to being contacted. Four queries for a
whole county, whatever its size, rather than one per person; kith/outreach.py puts them
together. The last three read everyone's (pairings, spells and contact consents are few beside
people) and are narrowed here: a list of thousands of ids sent into ``IN`` made the same
queries over ten times slower at 20,000 people (9 s against 0.65 s, embedded).
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from kith.domain import MatchStatus

from .store import Store

# Each criterion is one fixed condition, joined with AND for those asked; values are always
# parameters. The bounding box comes first: it is the indexed, most selective condition.
CONDITIONS = {
    "box": "p.lat >= $south AND p.lat <= $north AND p.lon >= $west AND p.lon <= $east",
    "born_by": "p.birthYear <= $born_by",
    "lives_alone": "p.livesAlone = $lives_alone",
    "contact_before": "(p.lastContactAt IS NULL OR p.lastContactAt < $contact_before)",
}
CANDIDATES = """
MATCH (p:Person) {where}
RETURN p.id AS id, p.name AS name, p.postcode AS postcode, p.birthYear AS birthYear,
       p.lat AS lat, p.lon AS lon, p.livesAlone AS livesAlone, p.lastContactAt AS lastContactAt
"""
PAIRED = """
MATCH (m:Match) WHERE m.status IN $statuses
RETURN m.personId AS person, m.buddyId AS buddy
"""
ATTENDING = """
MATCH (p:Person)-[r:ATTENDS]->(:Activity)
WHERE r.until IS NULL
RETURN DISTINCT p.id AS id
"""
CONTACT_CONSENTS = """
MATCH (c:Consent)-[:OF]->(p:Person)
WHERE c.purpose = 'CONTACT'
RETURN p.id AS person, c.at AS at, c.given AS given
ORDER BY c.at, c.id
"""
ACTIVE = [MatchStatus.PROPOSED.value, MatchStatus.ACCEPTED.value]


def candidates(store: Store, **criteria: Any) -> list[dict[str, Any]]:
    """People meeting the criteria given (CONDITIONS' names; ``box`` a (south, west, north,
    east) tuple), each as the few properties a list shows."""
    asked = {k: v for k, v in criteria.items() if v is not None}
    where = " AND ".join(CONDITIONS[k] for k in CONDITIONS if k in asked)
    params = {k: v for k, v in asked.items() if k != "box"}
    if "box" in asked:
        params.update(zip(("south", "west", "north", "east"), asked["box"], strict=True))
    query = CANDIDATES.format(where=f"WHERE {where}" if where else "")
    return store.read(lambda tx: tx.run(query, **params).data())


def paired(store: Store, ids: list[str]) -> set[str]:
    """Which of these people are in a proposed or agreed pairing, on either side."""
    rows = store.read(lambda tx: tx.run(PAIRED, statuses=ACTIVE).data())
    return {i for r in rows for i in (r["person"], r["buddy"])} & set(ids)


def attending(store: Store, ids: list[str]) -> set[str]:
    """Which of these people go to an activity now (an ATTENDS spell not ended)."""
    return {r["id"] for r in store.read(lambda tx: tx.run(ATTENDING).data())} & set(ids)


def refused_contact(store: Store, ids: list[str]) -> set[str]:
    """Which of these people said no to being contacted in their latest CONTACT consent."""

    def work(tx: ManagedTransaction) -> set[str]:
        latest: dict[str, bool] = {}
        for row in tx.run(CONTACT_CONSENTS):  # oldest first: the latest stays
            latest[row["person"]] = bool(row["given"])
        return {i for i, given in latest.items() if not given} & set(ids)

    return store.read(work)
