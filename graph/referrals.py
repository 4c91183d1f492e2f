"""Referrals: a ``Referral`` node ``FOR`` the person, ``BY`` the account that made it and
``ASSIGNED_TO`` the coordinator who took it on, its states and history as properties
(graph/records.py)."""

from __future__ import annotations

from neo4j import ManagedTransaction

from kith.domain import Person, Referral, name_key

from . import records
from .nodes import upsert_rows
from .people import PERSON_LINKS, person_row
from .races import settled
from .store import Store

# A postcode's people share its centroid, so the indexed position finds them.
SAME_PLACE_AND_YEAR = """
MATCH (p:Person) WHERE p.lat = $lat AND p.lon = $lon AND p.postcode = $postcode
  AND p.birthYear = $year
RETURN p.id AS id, p.name AS name ORDER BY p.createdAt, p.id
"""
SENT_BEFORE = "MATCH (r:Referral {id: $id})-[:FOR]->(p:Person) RETURN p.id AS id"
CREATE = """
MATCH (p:Person {id: $person})
CREATE (r:Referral {id: $id})
SET r += $props
CREATE (r)-[:FOR]->(p)
WITH r
MATCH (a:Account {id: $by})
CREATE (r)-[:BY]->(a)
"""
# Every read of referrals ends alike: the referral, its person and its coordinator, if any.
WITH_COORDINATOR = """
OPTIONAL MATCH (r)-[:ASSIGNED_TO]->(c:Account)
RETURN properties(r) AS r, p.id AS person, c.id AS coordinator
"""
READ = "MATCH (r:Referral)-[:FOR]->(p:Person) WHERE r.id IN $ids" + WITH_COORDINATOR
ALL = "MATCH (r:Referral)-[:FOR]->(p:Person)" + WITH_COORDINATOR + "ORDER BY r.at DESC, r.id"
MADE_BY = (
    "MATCH (:Account {id: $account})<-[:BY]-(r:Referral)-[:FOR]->(p:Person)"
    + WITH_COORDINATOR
    + "ORDER BY r.at DESC, r.id"
)
FOR_PEOPLE = (
    "MATCH (r:Referral)-[:FOR]->(p:Person) WHERE p.id IN $ids"
    + WITH_COORDINATOR
    + "ORDER BY r.at, r.id"
)
# What an account's referrals sent, newest first, for the people asked about.
SENT_BY = """
MATCH (:Account {id: $account})<-[:BY]-(r:Referral)-[:FOR]->(p:Person)
WHERE p.id IN $ids AND r.sent IS NOT NULL
RETURN p.id AS person, r.sent AS sent ORDER BY r.at DESC, r.id
"""
# Written only over the version read, so that of two changes made at once one fails.
CHANGE = """
MATCH (r:Referral {id: $id}) WHERE coalesce(r.version, 0) = $version
SET r += $props
RETURN count(r) AS n
"""
ASSIGN = """
MATCH (r:Referral {id: $id}), (c:Account {id: $coordinator})
MERGE (r)-[:ASSIGNED_TO]->(c)
"""


def known_person(tx: ManagedTransaction, person: Person) -> str | None:
    """The id of someone already held with this person's name, birth year and postcode."""
    found = tx.run(SAME_PLACE_AND_YEAR, lat=person.latitude, lon=person.longitude,
                   postcode=person.postcode, year=person.birth_year).data()  # fmt: skip
    key = name_key(person.name)
    return next((r["id"] for r in found if name_key(r["name"]) == key), None)


def add(store: Store, person: Person, referral: Referral, join: bool) -> tuple[str, bool]:
    """The referral, for someone already held when ``join`` and one is found, else for
    ``person``, written with it: both or neither. Returns the id of the person it is for, and
    whether it was written: a referral whose id is already held (one sent twice, whose id
    comes from the sender's identifier) is not written again, and when two copies arrive at
    once the id's uniqueness refuses the second, which then finds the first."""

    def work(tx: ManagedTransaction) -> tuple[str, bool]:
        before = tx.run(SENT_BEFORE, id=referral.id).single()
        if before is not None:
            return before["id"], False
        person_id = known_person(tx, person) if join else None
        if person_id is None:
            upsert_rows(tx, "Person", PERSON_LINKS, [person_row(person)])
        person_id = person_id or person.id
        tx.run(CREATE, person=person_id, id=referral.id, props=records.referral_props(referral),
               by=referral.referrer_id).consume()  # fmt: skip
        return person_id, True

    return settled(lambda: store.write(work), "a referral sent twice at once")


def add_to(store: Store, person_id: str, referral: Referral) -> bool:
    """A referral as it stands (state, history, coordinator) for someone held: how a loader
    writes referrals that arrived and moved on before it ran. False, writing nothing, when its
    id is held already."""

    def work(tx: ManagedTransaction) -> bool:
        if tx.run(SENT_BEFORE, id=referral.id).single() is not None:
            return False
        tx.run(CREATE, person=person_id, id=referral.id, props=records.referral_props(referral),
               by=referral.referrer_id).consume()  # fmt: skip
        if referral.coordinator_id:
            tx.run(ASSIGN, id=referral.id, coordinator=referral.coordinator_id).consume()
        return True

    return store.write(work)


def sent_by(store: Store, account_id: str, person_ids: list[str]) -> dict[str, Person]:
    """For each of these people an account referred, the person as its latest referral of
    them sent them (people it referred before referrals kept that are left out)."""
    rows = store.read(lambda tx: tx.run(SENT_BY, account=account_id, ids=person_ids).data())
    out: dict[str, Person] = {}
    for row in rows:
        out.setdefault(row["person"], records.from_snapshot(row["sent"], row["person"]))
    return out


def rows_to_referrals(rows: list[dict]) -> list[Referral]:
    return [records.referral_from(r["r"], r["person"], r["coordinator"]) for r in rows]


def by_ids(store: Store, ids: list[str]) -> dict[str, Referral]:
    rows = store.read(lambda tx: tx.run(READ, ids=ids).data())
    return {r.id: r for r in rows_to_referrals(rows)}


def for_people(store: Store, person_ids: list[str]) -> list[Referral]:
    """The referrals for these people, oldest first."""
    return rows_to_referrals(store.read(lambda tx: tx.run(FOR_PEOPLE, ids=person_ids).data()))


def every(store: Store) -> list[Referral]:
    """Every referral, newest first."""
    return rows_to_referrals(store.read(lambda tx: tx.run(ALL).data()))


def made_by(store: Store, account_id: str) -> list[Referral]:
    """The referrals an account made, newest first."""
    rows = store.read(lambda tx: tx.run(MADE_BY, account=account_id).data())
    return rows_to_referrals(rows)


def change(store: Store, before: Referral, after: Referral) -> bool:
    """Write ``after`` over ``before`` (naming its coordinator), unless the referral changed
    since ``before`` was read: then nothing is written and the answer is False."""

    def work(tx: ManagedTransaction) -> bool:
        props = records.referral_props(after)
        found = tx.run(CHANGE, id=after.id, version=before.version, props=props).single()["n"]
        if found and after.coordinator_id and after.coordinator_id != before.coordinator_id:
            tx.run(ASSIGN, id=after.id, coordinator=after.coordinator_id).consume()
        return found > 0

    return store.write(work)
