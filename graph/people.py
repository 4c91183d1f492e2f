"""People, volunteers among them: special-category data, read only through services that
authorise and audit the read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from neo4j import ManagedTransaction

from kith.domain import Person

from . import records
from .links import Link, gather, read_links
from .nodes import read_by_ids, upsert_all, upsert_changed
from .store import Rows, Store

PERSON_LINKS = (
    Link("Person", "ENJOYS", "Interest", "interests"),
    Link("Person", "HAS_STRENGTH", "Skill", "strengths"),
    Link("Person", "OFFERS_SKILL", "Skill", "skills"),
    Link("Person", "LIVES_WITH", "Condition", "conditions"),
    Link("Person", "NEEDS", "Need", "needs"),
    Link("Person", "SPEAKS", "Language", "languages"),
    Link("Person", "CARES_FOR", "Person", "caresFor"),
)


def person_of(row: dict) -> Person:
    """A person from a row read with ``props`` and ``read_links(PERSON_LINKS)``."""
    return records.person_from(row["props"], gather(PERSON_LINKS, row))


def person_row(p: Person) -> dict:
    return {
        "id": p.id, "props": records.person_props(p), "interests": p.interests,
        "strengths": p.strengths, "skills": p.volunteer.skills if p.volunteer else [],
        "conditions": p.conditions, "needs": p.needs, "languages": p.languages,
        "caresFor": p.cares_for,
    }  # fmt: skip


def upsert_people(store: Store, people: Iterable[Person]) -> int:
    """People and their links. Carers are linked to people written in an earlier batch or this
    one, so a loader writes the cared-for first."""
    return upsert_all(store, "Person", PERSON_LINKS, (person_row(p) for p in people))


def loader_rows(people: list[Person]) -> list[dict]:
    """People as rows for ``load_rows``, each with a fingerprint of what it says (not of its
    id, which the loader may still change). Made before the write, on the loader's thread."""
    rows = [person_row(p) for p in people]
    for row in rows:
        row["props"]["loadedAs"] = fingerprint({k: v for k, v in row.items() if k != "id"})
    return rows


def load_rows(store: Store, rows: list[dict]) -> tuple[set[str], set[str], set[str]]:
    """A loader's batch in one transaction. A row takes the id of whoever already holds its
    e-mail address (so a sheet loaded again updates rather than doubles), the last row for a
    person wins, and anyone whose row is what a loader wrote for them last time is skipped:
    reloading a sheet neither rewrites nor undoes later edits made in Kith to the rows it did
    not change. Returns the ids (created, updated, left unchanged)."""

    def work(tx: ManagedTransaction) -> tuple[set[str], set[str], set[str]]:
        emails = [r["props"]["email"] for r in rows if r["props"]["email"]]
        found = tx.run(BY_EMAIL, emails=Rows(emails)) if emails else []
        known = {r["email"]: r["id"] for r in found}
        for row in rows:
            row["id"] = known.get(row["props"]["email"], row["id"])
        last = list({r["id"]: r for r in rows}.values())
        updated, unchanged = upsert_changed(tx, "Person", PERSON_LINKS, last, "loadedAs")
        return {r["id"] for r in last} - updated - unchanged, updated, unchanged

    return store.write(work)


def fingerprint(row: dict) -> str:
    """What a row says, as a short digest. ``repr`` is exact for the plain values rows hold
    and the same for the same row (its keys come in the order ``person_row`` writes them),
    and is several times quicker than JSON on a sheet of 100,000 rows."""
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def people_by_id(store: Store, ids: list[str]) -> dict[str, Person]:
    return read_by_ids(store, "Person", PERSON_LINKS, ids, records.person_from)


def exists(store: Store, person_id: str) -> bool:
    query = "MATCH (p:Person {id: $id}) RETURN count(p) AS n"
    return store.read(lambda tx: tx.run(query, id=person_id).single()["n"]) > 0


REFERRED_BY = """
MATCH (a:Account {id: $account})<-[:BY]-(r:Referral)-[:FOR]->(p:Person)
WHERE p.id IN $ids
RETURN DISTINCT p.id AS id
"""


def referred_by(store: Store, account_id: str, person_ids: list[str]) -> set[str]:
    """Which of these people the account referred (a prescriber sees only those)."""
    rows = store.read(lambda tx: tx.run(REFERRED_BY, account=account_id, ids=person_ids).data())
    return {r["id"] for r in rows}


CONSENT = """
MATCH (p:Person {id: $person})
CREATE (c:Consent {id: $id, purpose: $purpose, given: $given, at: $at, by: $by})-[:OF]->(p)
WITH p
SET p.consentToMatching = CASE WHEN $purpose = 'MATCHING' THEN $given
                              ELSE p.consentToMatching END
RETURN count(p) AS n
"""
CONSENTS = """
MATCH (c:Consent)-[:OF]->(:Person {id: $person})
RETURN properties(c) AS c ORDER BY c.at
"""


def record_consent(store: Store, person_id: str, consent: dict) -> bool:
    """Add to the person's consent history (matching consent also sets the person's flag)."""
    found = store.write(lambda tx: tx.run(CONSENT, person=person_id, **consent).single()["n"])
    return found > 0


def consents(store: Store, person_id: str) -> list[dict]:
    return [r["c"] for r in store.read(lambda tx: tx.run(CONSENTS, person=person_id).data())]


ERASE = [
    "MATCH (m:Match) WHERE m.personId = $id OR m.buddyId = $id DETACH DELETE m",
    "MATCH (r:Referral)-[:FOR]->(:Person {id: $id}) DETACH DELETE r",
    "MATCH (c:Consent)-[:OF]->(:Person {id: $id}) DETACH DELETE c",
    "MATCH (w:WellbeingRecord)-[:OF]->(:Person {id: $id}) DETACH DELETE w",
    "MATCH (pl:Plan)-[:FOR]->(:Person {id: $id}) DETACH DELETE pl",
    "MATCH (wp:WinterPlan)-[:FOR]->(:Person {id: $id}) DETACH DELETE wp",
    "MATCH (c:Contact)-[:WITH]->(:Person {id: $id}) DETACH DELETE c",
    "MATCH (a:Account {personId: $id}) SET a.revoked = true, a.personId = null, a.name = 'erased'",
    "MATCH (p:Person {id: $id}) DETACH DELETE p",
]


def erase(store: Store, person_id: str) -> None:
    """Remove the person, their edges, matches, referrals, consents, wellbeing records and
    plan in one transaction."""

    def work(tx: ManagedTransaction) -> None:
        for statement in ERASE:
            tx.run(statement, id=person_id).consume()

    store.write(work)


PEOPLE_IN_BOX = f"""
MATCH (n:Person) WHERE n.lat >= $south AND n.lat <= $north AND n.lon >= $west AND n.lon <= $east
RETURN properties(n) AS props{read_links(PERSON_LINKS)}
"""
ALL_PEOPLE = f"MATCH (n:Person) RETURN properties(n) AS props{read_links(PERSON_LINKS)}"


def people_in(store: Store, box: tuple[float, float, float, float] | None) -> list[Person]:
    """People living inside ``box`` (south, west, north, east), or everyone."""

    def work(tx: ManagedTransaction) -> list[Person]:
        if box:
            south, west, north, east = box
            result = tx.run(PEOPLE_IN_BOX, south=south, west=west, north=north, east=east)
        else:
            result = tx.run(ALL_PEOPLE)
        return [person_of(r) for r in result.data()]

    return store.read(work)


REFERRALS = """
MATCH (r:Referral)-[:FOR]->(:Person {id: $id})
OPTIONAL MATCH (r)-[:BY]->(a:Account)
RETURN properties(r) AS r, a.id AS by ORDER BY r.at
"""
STALE = """
MATCH (p:Person) WHERE coalesce(p.updatedAt, 0) < $before
RETURN p.id AS id, p.name AS name, p.updatedAt AS updatedAt ORDER BY p.updatedAt, p.id
"""


def referrals(store: Store, person_id: str) -> list[dict]:
    rows = store.read(lambda tx: tx.run(REFERRALS, id=person_id).data())
    return [{**r["r"], "by": r["by"]} for r in rows]


def not_updated_since(store: Store, before_ms: int) -> list[dict]:
    """People whose record has not changed since ``before_ms`` (epoch milliseconds)."""
    return store.read(lambda tx: tx.run(STALE, before=before_ms).data())


BY_EMAIL = "MATCH (p:Person) WHERE p.email IN $emails RETURN p.email AS email, p.id AS id"


WAITING = f"""
MATCH (n:Person) WHERE n.volunteer = true AND n.approved = false
RETURN properties(n) AS props{read_links(PERSON_LINKS)}
ORDER BY n.createdAt
"""


def unapproved_volunteers(store: Store) -> list[Person]:
    """Volunteers who registered and wait for a coordinator's approval, oldest first."""
    rows = store.read(lambda tx: tx.run(WAITING).data())
    return [person_of(r) for r in rows]
