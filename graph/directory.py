"""Groups, venues and activities: the public directory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from neo4j import ManagedTransaction

from kith.domain import Activity, Group, Venue

from . import records
from .links import Link, gather, read_links
from .nodes import read_by_ids, upsert_all
from .store import Store

ACTIVITY_LINKS = (
    Link("Activity", "HELD_AT", "Venue", "venue", single=True),
    Link("Activity", "RUN_BY", "Group", "group", single=True),
    Link("Activity", "ABOUT", "Interest", "interests"),
    Link("Activity", "SUPPORTS", "Condition", "supports"),
    Link("Activity", "SUPPORTS", "Need", "supports"),
    Link("Activity", "IN_LANGUAGE", "Language", "languages"),
)


class Writes:
    """How many directory writes this process has made: the in-memory directory looks for
    updated nodes after each one, instead of waiting for its next look (kith/memory/mirror.py)."""

    made = 0


def upsert(store: Store, label: str, links: tuple[Link, ...], rows: Iterable[dict]) -> int:
    try:
        return upsert_all(store, label, links, rows)
    finally:
        Writes.made += 1


def upsert_venues(store: Store, venues: Iterable[Venue]) -> int:
    rows = ({"id": v.id, "props": records.venue_props(v)} for v in venues)
    return upsert(store, "Venue", (), rows)


def upsert_groups(store: Store, groups: Iterable[Group]) -> int:
    rows = ({"id": g.id, "props": records.group_props(g)} for g in groups)
    return upsert(store, "Group", (), rows)


def activity_row(a: Activity) -> dict[str, Any]:
    return {
        "id": a.id, "props": records.activity_props(a), "venue": a.venue_id,
        "group": a.group_id, "interests": a.interests, "supports": a.supports,
        "languages": a.languages,
    }  # fmt: skip


def upsert_activities(store: Store, activities: Iterable[Activity]) -> int:
    """Activities with their venue, group and taxonomy links (venue and group must exist)."""
    return upsert(store, "Activity", ACTIVITY_LINKS, (activity_row(a) for a in activities))


def venues_by_id(store: Store, ids: list[str]) -> dict[str, Venue]:
    return read_by_ids(store, "Venue", (), ids, lambda p, _: records.venue_from(p))


def groups_by_id(store: Store, ids: list[str]) -> dict[str, Group]:
    return read_by_ids(store, "Group", (), ids, lambda p, _: records.group_from(p))


def activities_by_id(store: Store, ids: list[str]) -> dict[str, Activity]:
    return read_by_ids(store, "Activity", ACTIVITY_LINKS, ids, records.activity_from)


ALL_ACTIVITIES = f"""
MATCH (n:Activity)
RETURN properties(n) AS props{read_links(ACTIVITY_LINKS)}
"""
ACTIVITIES_WITH_VENUES = f"""
MATCH (n:Activity)-[:HELD_AT]->(v:Venue)
RETURN properties(n) AS props, properties(v) AS venue{read_links(ACTIVITY_LINKS)}
"""
ALL_VENUES = "MATCH (v:Venue) RETURN properties(v) AS venue"
ALL_GROUPS = "MATCH (g:Group) RETURN properties(g) AS group"

# Whole-directory reads: the in-memory directory (kith/memory/nearby.py) starts from them, and the
# benchmark's full-scan baseline is made of them. Requests never scan: see kith/memory/mirror.py.


def all_activities(store: Store) -> dict[str, Activity]:
    """Every activity by id, with or without a venue."""

    def work(tx: ManagedTransaction) -> dict[str, Activity]:
        rows = [r.data() for r in tx.run(ALL_ACTIVITIES)]
        return {r["props"]["id"]: records.activity_from(r["props"], gather(ACTIVITY_LINKS, r))
                for r in rows}  # fmt: skip

    return store.read(work)


def activities_with_venues(store: Store) -> list[tuple[Activity, Venue]]:
    """Every activity held at a venue, with the venue."""

    def work(tx: ManagedTransaction) -> list[tuple[Activity, Venue]]:
        rows = [r.data() for r in tx.run(ACTIVITIES_WITH_VENUES)]
        return [
            (records.activity_from(r["props"], gather(ACTIVITY_LINKS, r)),
             records.venue_from(r["venue"]))
            for r in rows
        ]  # fmt: skip

    return store.read(work)


def all_venues(store: Store) -> list[Venue]:
    return store.read(lambda tx: [records.venue_from(r["venue"]) for r in tx.run(ALL_VENUES)])


def all_groups(store: Store) -> list[Group]:
    return store.read(lambda tx: [records.group_from(r["group"]) for r in tx.run(ALL_GROUPS)])
