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


def upsert_venues(store: Store, venues: Iterable[Venue]) -> int:
    rows = ({"id": v.id, "props": records.venue_props(v)} for v in venues)
    return upsert_all(store, "Venue", (), rows)


def upsert_groups(store: Store, groups: Iterable[Group]) -> int:
    rows = ({"id": g.id, "props": records.group_props(g)} for g in groups)
    return upsert_all(store, "Group", (), rows)


def activity_row(a: Activity) -> dict[str, Any]:
    return {
        "id": a.id, "props": records.activity_props(a), "venue": a.venue_id,
        "group": a.group_id, "interests": a.interests, "supports": a.supports,
        "languages": a.languages,
    }  # fmt: skip


def upsert_activities(store: Store, activities: Iterable[Activity]) -> int:
    """Activities with their venue, group and taxonomy links (venue and group must exist)."""
    return upsert_all(store, "Activity", ACTIVITY_LINKS, (activity_row(a) for a in activities))


def venues_by_id(store: Store, ids: list[str]) -> dict[str, Venue]:
    return read_by_ids(store, "Venue", (), ids, lambda p, _: records.venue_from(p))


def groups_by_id(store: Store, ids: list[str]) -> dict[str, Group]:
    return read_by_ids(store, "Group", (), ids, lambda p, _: records.group_from(p))


def activities_by_id(store: Store, ids: list[str]) -> dict[str, Activity]:
    return read_by_ids(store, "Activity", ACTIVITY_LINKS, ids, records.activity_from)


# The bounding box comes first: it is the most selective indexed predicate (see DESIGN.md).
ACTIVITIES_IN_BOX = f"""
MATCH (v:Venue) WHERE v.lat >= $south AND v.lat <= $north AND v.lon >= $west AND v.lon <= $east
MATCH (n:Activity)-[:HELD_AT]->(v)
RETURN properties(n) AS props, properties(v) AS venue{read_links(ACTIVITY_LINKS)}
"""
ALL_ACTIVITIES = f"""
MATCH (n:Activity)-[:HELD_AT]->(v:Venue)
RETURN properties(n) AS props, properties(v) AS venue{read_links(ACTIVITY_LINKS)}
"""
VENUES_IN_BOX = """
MATCH (v:Venue) WHERE v.lat >= $south AND v.lat <= $north AND v.lon >= $west AND v.lon <= $east
RETURN properties(v) AS venue
"""
ALL_VENUES = "MATCH (v:Venue) RETURN properties(v) AS venue"
ALL_GROUPS = "MATCH (g:Group) RETURN properties(g) AS group"


def activities_with_venues(
    store: Store, box: tuple[float, float, float, float] | None
) -> list[tuple[Activity, Venue]]:
    """Activities (with their venue) held inside ``box`` (south, west, north, east), or all."""

    def work(tx: ManagedTransaction) -> list[tuple[Activity, Venue]]:
        result = tx.run(ACTIVITIES_IN_BOX, **_box(box)) if box else tx.run(ALL_ACTIVITIES)
        rows = [r.data() for r in result]
        return [
            (records.activity_from(r["props"], gather(ACTIVITY_LINKS, r)),
             records.venue_from(r["venue"]))
            for r in rows
        ]  # fmt: skip

    return store.read(work)


def venues_in(store: Store, box: tuple[float, float, float, float] | None) -> list[Venue]:
    def work(tx: ManagedTransaction) -> list[Venue]:
        result = tx.run(VENUES_IN_BOX, **_box(box)) if box else tx.run(ALL_VENUES)
        return [records.venue_from(r["venue"]) for r in result]

    return store.read(work)


def all_groups(store: Store) -> list[Group]:
    return store.read(lambda tx: [records.group_from(r["group"]) for r in tx.run(ALL_GROUPS)])


def _box(box: tuple[float, float, float, float] | None) -> dict[str, float]:
    assert box is not None
    south, west, north, east = box
    return {"south": south, "west": west, "north": north, "east": east}
