"""Open Referral UK records in the graph: how they are identified, written and read back.

An ORUK record becomes an ordinary Kith node (Group, Venue, Activity, a taxonomy term) whose id
is its source id with an ``oruk:`` prefix, so loading a file twice finds the same nodes. Each
node written here carries ``orukHash``, a fingerprint of what was written: a batch compares
fingerprints first and writes only what changed, so a second load writes nothing at all.
Source vocabularies are ``Vocabulary`` nodes. Everything is the Cypher subset that both
Neo4j 5 and ArcadeDB run.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from neo4j import ManagedTransaction

from kith.domain import Activity, Term, TermKind, Venue

from . import records
from .directory import ACTIVITY_LINKS
from .links import Link, gather, read_links
from .nodes import upsert_changed
from .store import Store

PREFIX = "oruk:"
# Fixed forever: ids exported for Kith's own records are derived from it.
NAMESPACE = uuid.UUID("6f1d7c2e-8a4b-5c3d-9e0f-4b2a1c3d5e6f")
TERM_LABELS = (TermKind.INTEREST.value, TermKind.CONDITION.value, TermKind.NEED.value)
LINKS: dict[str, tuple[Link, ...]] = {
    "Activity": ACTIVITY_LINKS,
    **{kind.value: (Link(kind.value, "BROADER", kind.value, "broader", single=True),)
       for kind in TermKind},
}  # fmt: skip
# Targets before what links to them: a batch is written in this order in one transaction.
WRITE_ORDER = ("Vocabulary", *(k.value for k in TermKind), "Group", "Venue", "Activity")
SCHEMA = (
    "CREATE CONSTRAINT vocabulary_id IF NOT EXISTS FOR (n:Vocabulary) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX activity_orukservice IF NOT EXISTS FOR (n:Activity) ON (n.orukService)",
)


def graph_id(source_id: str) -> str:
    """The Kith id of an ORUK record."""
    return f"{PREFIX}{source_id}"


def public_id(scope: str, kith_id: str) -> str:
    """The ORUK id of a graph record: its source id when it came from ORUK as a UUID, else a
    UUID derived from the Kith id, the same on every export (ORUK ids must be UUIDs)."""
    source = kith_id.removeprefix(PREFIX)
    if kith_id.startswith(PREFIX) and is_uuid(source):
        return source
    return str(uuid.uuid5(NAMESPACE, f"{scope}/{kith_id}"))


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


@dataclass
class NodeRow:
    """One node to write: its label, id, properties and link targets by field (see LINKS)."""

    label: str
    id: str
    props: dict[str, Any]
    links: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def fingerprint(self) -> str:
        content = json.dumps([self.props, self.links], sort_keys=True, default=str)
        return hashlib.sha1(content.encode()).hexdigest()

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "props": {**self.props, "orukHash": self.fingerprint},
                **self.links}  # fmt: skip


@dataclass
class Written:
    """What one batch did, counted by label."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    removed: int = 0


def apply_schema(store: Store) -> None:
    """The constraint and index ORUK records need beyond Kith's own schema (idempotent)."""
    for statement in SCHEMA:
        store.write(lambda tx, s=statement: tx.run(s).consume())


def write_batch(
    store: Store, rows: list[NodeRow], retired: list[str], located: list[str]
) -> Written:
    """Write rows (unique by label and id) whose fingerprint changed, remove the activities of
    ``retired`` services and the location-less placeholder of ``located`` ones: one
    transaction, so a batch is written whole or not at all."""

    def work(tx: ManagedTransaction) -> Written:
        out = Written()
        for label in WRITE_ORDER:
            mine = [r for r in rows if r.label == label]
            if mine:
                _write_label(tx, label, mine, out)
        out.removed = _remove(tx, retired, [graph_id(s) for s in located])
        return out

    return store.write(work)


def _write_label(tx: ManagedTransaction, label: str, rows: list[NodeRow], out: Written) -> None:
    written = [r.row() for r in rows]
    updated, unchanged = upsert_changed(tx, label, LINKS.get(label, ()), written, "orukHash")
    out.updated[label] += len(updated)
    out.unchanged[label] += len(unchanged)
    out.created[label] += len(rows) - len(updated) - len(unchanged)


REMOVE_SERVICES = """
MATCH (n:Activity) WHERE n.orukService IN $services OR n.id IN $placeholders
RETURN n.id AS id
"""


def _remove(tx: ManagedTransaction, services: list[str], placeholders: list[str]) -> int:
    if not services and not placeholders:
        return 0
    ids = tx.run(REMOVE_SERVICES, services=services, placeholders=placeholders).value()
    if ids:
        tx.run("MATCH (n:Activity) WHERE n.id IN $ids DETACH DELETE n", ids=ids).consume()
    return len(ids)


def existing(store: Store, label: str, ids: list[str]) -> set[str]:
    """Which of these ids the graph holds under ``label``."""
    query = f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id"
    return set(store.read(lambda tx: tx.run(query, ids=ids).value())) if ids else set()


def existing_terms(store: Store, ids: list[str]) -> dict[str, TermKind]:
    """The vocabulary of each of these term ids the graph holds (terms a file names by id)."""
    found: dict[str, TermKind] = {}
    for label in TERM_LABELS:
        found.update({i: TermKind(label) for i in existing(store, label, ids)})
    return found


# Reading for the ORUK door -------------------------------------------------------------------


@dataclass
class Listing:
    """An activity with what the ORUK door needs beyond Kith's domain, and its venue's position
    (to filter by distance before reading whole venues)."""

    activity: Activity
    extra: dict[str, Any]
    latitude: float | None = None
    longitude: float | None = None
    updated_at: int | None = None
    """When the activity's node last changed (``updatedAt``, milliseconds since the epoch)."""


@dataclass
class CatalogueTerm:
    term: Term
    extra: dict[str, Any]


LISTING = f"RETURN properties(n) AS props, v.lat AS lat, v.lon AS lon{read_links(ACTIVITY_LINKS)}"
ALL_LISTINGS = f"MATCH (n:Activity) OPTIONAL MATCH (n)-[:HELD_AT]->(v:Venue) {LISTING}"
LISTINGS_BY_ID = f"""
MATCH (n:Activity) WHERE n.id IN $ids OPTIONAL MATCH (n)-[:HELD_AT]->(v:Venue) {LISTING}
"""
LISTINGS_IN_BOX = f"""
MATCH (v:Venue) WHERE v.lat >= $south AND v.lat <= $north AND v.lon >= $west AND v.lon <= $east
MATCH (n:Activity)-[:HELD_AT]->(v) {LISTING}
"""
SERVICE_KEYS = "MATCH (n:Activity) RETURN n.id AS id, n.orukService AS service"
ACTIVITY_EXTRA = ("orukService", "orukUrl", "orukEmail", "minimumAge", "maximumAge",
                  "orukEligibility")  # fmt: skip
VENUE_EXTRA = ("orukStateProvince", "orukCountry")
TERM_EXTRA = ("description", "orukId", "vocabulary", "orukTaxonomyId", "orukParent")


def listings(
    store: Store,
    box: tuple[float, float, float, float] | None = None,
    ids: list[str] | None = None,
) -> list[Listing]:
    """Activities with their ORUK extras: those with these ids, or those held inside ``box``
    (south, west, north, east; the box comes first, as the most selective predicate), or all."""

    def work(tx: ManagedTransaction) -> list[Listing]:
        if ids is not None:
            result = tx.run(LISTINGS_BY_ID, ids=ids)
        elif box:
            south, west, north, east = box
            result = tx.run(LISTINGS_IN_BOX, south=south, west=west, north=north, east=east)
        else:
            result = tx.run(ALL_LISTINGS)
        return [_listing(r.data()) for r in result]

    return store.read(work)


def service_keys(store: Store) -> list[tuple[str, str | None]]:
    """Every activity's id with the ORUK service it came from (if any): enough to find the
    activities of one exported service without reading them all."""
    return store.read(lambda tx: [(r["id"], r["service"]) for r in tx.run(SERVICE_KEYS)])


def _listing(r: dict[str, Any]) -> Listing:
    props = r["props"]
    activity = records.activity_from(props, gather(ACTIVITY_LINKS, r))
    return Listing(activity, _extra(props, ACTIVITY_EXTRA), r["lat"], r["lon"],
                   props.get("updatedAt"))  # fmt: skip


def venues_with_extra(store: Store, ids: list[str]) -> dict[str, tuple[Venue, dict[str, Any]]]:
    """Venues by id, each with its ORUK extras."""
    query = "MATCH (v:Venue) WHERE v.id IN $ids RETURN properties(v) AS p"

    def work(tx: ManagedTransaction) -> dict[str, tuple[Venue, dict[str, Any]]]:
        rows = [r["p"] for r in tx.run(query, ids=ids)]
        return {p["id"]: (records.venue_from(p), _extra(p, VENUE_EXTRA)) for p in rows}

    return store.read(work)


def terms_with_extra(store: Store) -> list[CatalogueTerm]:
    """Every term an activity can link to, with its source id and vocabulary when imported."""
    labels = (*TERM_LABELS, TermKind.LANGUAGE.value)

    def work(tx: ManagedTransaction) -> list[CatalogueTerm]:
        out = []
        for label in labels:
            query = f"""
            MATCH (t:{label}) OPTIONAL MATCH (t)-[:BROADER]->(b:{label})
            RETURN properties(t) AS p, b.id AS broader
            """
            for r in tx.run(query):
                p = r["p"]
                term = Term(TermKind(label), p["id"], p["name"], tuple(p.get("synonyms") or ()),
                            r["broader"])  # fmt: skip
                out.append(CatalogueTerm(term, _extra(p, TERM_EXTRA)))
        return out

    return store.read(work)


def vocabularies(store: Store) -> list[dict[str, Any]]:
    """The source vocabularies loaded from ORUK files, as stored."""
    query = "MATCH (v:Vocabulary) RETURN properties(v) AS p"
    return store.read(lambda tx: [dict(r["p"]) for r in tx.run(query)])


def _extra(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: props.get(k) for k in keys}
