"""Every version of an activity's listing, kept: the one place a listing is changed by its
keepers (a coordinator's save, an organiser's change, a review, a restore), each change and its
version written in one transaction.

A version is one ``(:ListingVersion {id, number, at, byId, byName, why, snapshot})-[:OF]->
(:Activity)`` node; ``snapshot`` is the activity's properties and links as they became, as JSON
text (neither engine stores a map as a property). Numbers count up from 1 per activity, and a
version's id is made of its activity's and its number, so that the ids' uniqueness refuses two
versions of one number should two writers ever pass the activity's lock together. A
listing loaded before it was first changed gets, with that first change, a version 1 of how it
was listed (no author), so that its history always starts where the directory did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from kith.domain import Activity

from . import records
from .directory import ACTIVITY_LINKS, Writes, activity_row
from .links import gather, read_links
from .nodes import upsert_rows
from .store import Store

FIRST = "LISTED"  # the listing as it stood before its first kept change
# Taking the activity's write lock before reading it: of two changes at once, the second reads
# what the first wrote.
LOCK = f"""
MATCH (n:Activity {{id: $id}})
SET n.updatedAt = timestamp()
RETURN properties(n) AS props{read_links(ACTIVITY_LINKS)}
"""
COUNT = "MATCH (v:ListingVersion)-[:OF]->(:Activity {id: $id}) RETURN count(v) AS n"
ADD = """
MATCH (a:Activity {id: $activity})
CREATE (v:ListingVersion {id: $id, number: $number, at: $at, why: $why,
                          snapshot: $snapshot})-[:OF]->(a)
SET v.byId = $byId, v.byName = $byName
"""
EVERY = """
MATCH (v:ListingVersion)-[:OF]->(a:Activity {id: $id})
RETURN properties(v) AS version, a.id AS activity ORDER BY v.number DESC
"""
ONE = """
MATCH (v:ListingVersion {id: $id})-[:OF]->(a:Activity)
RETURN properties(v) AS version, a.id AS activity
"""

Change = Callable[[Activity | None], Activity]


def snapshot(activity: Activity) -> str:
    return json.dumps(activity_row(activity), sort_keys=True)


def from_snapshot(text: str) -> Activity:
    row = json.loads(text)
    return records.activity_from({**row["props"], "id": row["id"]}, row)


def applied(
    tx: ManagedTransaction, activity_id: str, change: Change, by: tuple[str, str], why: str
) -> Activity:
    """In ``tx``: the activity as ``change`` makes it from how it is now (None: not held yet),
    written with its links, and its new version (``by``: the account's id and name)."""
    row = tx.run(LOCK, id=activity_id).single()
    old = records.activity_from(row["props"], gather(ACTIVITY_LINKS, row.data())) if row else None
    new = change(old)
    upsert_rows(tx, "Activity", ACTIVITY_LINKS, [activity_row(new)],
                existing={new.id} if old else set())  # fmt: skip
    number = tx.run(COUNT, id=new.id).single()["n"]
    if number == 0 and old is not None:
        number = add(tx, old, 1, (None, None), FIRST)
    add(tx, new, number + 1, by, why)
    return new


def add(
    tx: ManagedTransaction, activity: Activity, number: int, by: tuple[str | None, str | None],
    why: str,
) -> int:  # fmt: skip
    tx.run(ADD, activity=activity.id, id=f"lv-{activity.id}-{number}", number=number, why=why,
           at=datetime.now(UTC).isoformat(timespec="seconds"), snapshot=snapshot(activity),
           byId=by[0], byName=by[1]).consume()  # fmt: skip
    return number


def apply(store: Store, activity_id: str, change: Change, by: tuple[str, str], why: str) -> \
        Activity:  # fmt: skip
    """``applied`` in a transaction of its own."""
    try:
        return store.write(lambda tx: applied(tx, activity_id, change, by, why))
    finally:
        Writes.made += 1


def versions_of(store: Store, activity_id: str) -> list[dict[str, Any]]:
    """The activity's versions, newest first, each with ``listing`` (the activity as it was)."""
    rows = store.read(lambda tx: tx.run(EVERY, id=activity_id).data())
    return [version_of(r) for r in rows]


def one(store: Store, version_id: str) -> dict[str, Any] | None:
    row = store.read(lambda tx: tx.run(ONE, id=version_id).single())
    return version_of(row.data()) if row else None


def version_of(row: dict[str, Any]) -> dict[str, Any]:
    version = row["version"]
    return {**version, "activity": row["activity"], "listing": from_snapshot(version["snapshot"])}
