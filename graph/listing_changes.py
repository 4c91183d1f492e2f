"""Organisers' changes to listings that wait for a coordinator.

A change is one ``(:ListingChange {id, at, byId, byName, proposed, was, againstVersion, state,
decidedAt, decidedBy, note})-[:TO]->(:Activity)`` node: ``proposed`` the fields it would set and
``was`` those fields as the listing had them when it was made, both JSON text in the form of
graph/records.py's activity properties; ``againstVersion`` the number of the listing's latest
version then (0: none yet). ``state`` is PENDING until a coordinator approves or rejects it, or
REPLACED when its organiser proposes again for the same listing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from kith.domain import ListingStatus
from kith.errors import Conflict

from . import records
from .directory import Writes
from .listing_versions import COUNT, Change, applied
from .store import Store

PENDING = "PENDING"
REPLACE = """
MATCH (c:ListingChange {state: 'PENDING', byId: $byId})-[:TO]->(:Activity {id: $activity})
SET c.state = 'REPLACED', c.decidedAt = $at
"""
ADD = """
MATCH (a:Activity {id: $activity})
CREATE (c:ListingChange {id: $id, at: $at, byId: $byId, byName: $byName, proposed: $proposed,
                         was: $was, againstVersion: $against, state: 'PENDING'})-[:TO]->(a)
RETURN c.id AS id
"""
# Newest first; a change whose activity has gone (deleted with its edges) is not listed.
EVERY = """
MATCH (c:ListingChange)-[:TO]->(a:Activity)
WHERE ($open IS NULL OR (c.state = 'PENDING') = $open)
  AND ($byId IS NULL OR c.byId = $byId)
RETURN properties(c) AS change, a.id AS activity
ORDER BY c.at DESC, c.id
"""
# The change's write lock first, then its state: of two decisions at once, one finds it decided.
LOCK = """
MATCH (c:ListingChange {id: $id})-[:TO]->(a:Activity)
SET c.decidedAt = $at
RETURN properties(c) AS change, a.id AS activity
"""
ONE = """
MATCH (c:ListingChange {id: $id})-[:TO]->(a:Activity)
RETURN properties(c) AS change, a.id AS activity
"""
DECIDE = """
MATCH (c:ListingChange {id: $id})
SET c.state = $state, c.decidedBy = $by, c.note = $note
RETURN properties(c) AS change
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def propose(store: Store, activity_id: str, change: dict[str, Any]) -> str | None:
    """Keep a pending change (``id, byId, byName, proposed, was``: dicts of properties), in
    place of its author's older pending one for this listing; None when the activity is not
    held (nothing is written then)."""

    def work(tx: ManagedTransaction) -> str | None:
        at = now()
        tx.run(REPLACE, byId=change["byId"], activity=activity_id, at=at).consume()
        against = tx.run(COUNT, id=activity_id).single()["n"]
        row = tx.run(ADD, activity=activity_id, at=at, against=against,
                     **{**change, "proposed": fields_text(change["proposed"]),
                        "was": fields_text(change["was"])}).single()  # fmt: skip
        return row["id"] if row else None

    return store.write(work)


def every(store: Store, open: bool | None, by_id: str | None = None) -> list[dict[str, Any]]:
    """Changes (pending ones, decided ones, or with None all; only ``by_id``'s if given),
    newest first, each with ``activity`` (its id) and its fields as dicts."""
    rows = store.read(lambda tx: tx.run(EVERY, open=open, byId=by_id).data())
    return [change_of(r["change"], r["activity"]) for r in rows]


def decide(
    store: Store, change_id: str, state: str, by: tuple[str, str], note: str | None,
    apply: Change | None = None,
) -> dict[str, Any] | None:  # fmt: skip
    """Approve (with ``apply``, which makes the live listing from the change: written with its
    version in the same transaction) or reject a pending change. None when there is no such
    change; ``Conflict`` when it is no longer pending."""

    def work(tx: ManagedTransaction) -> dict[str, Any] | None:
        row = tx.run(LOCK, id=change_id, at=now()).single()
        if row is None:
            return None
        if row["change"]["state"] != PENDING:
            raise Conflict("this change has already been decided")
        if apply is not None:
            applied(tx, row["activity"], apply, by, "APPROVED")
        done = tx.run(DECIDE, id=change_id, state=state, by=by[0], note=note).single()
        return change_of(done["change"], row["activity"])

    try:
        return store.write(work)
    finally:
        Writes.made += apply is not None


def one(store: Store, change_id: str) -> dict[str, Any] | None:
    row = store.read(lambda tx: tx.run(ONE, id=change_id).single())
    return change_of(row["change"], row["activity"]) if row else None


def change_of(props: dict[str, Any], activity_id: str) -> dict[str, Any]:
    return {**props, "activity": activity_id, "proposed": fields_from(props["proposed"]),
            "was": fields_from(props["was"])}  # fmt: skip


def fields_text(fields: dict[str, Any]) -> str:
    """Listing fields (sessions, cost, description, status) as JSON of their properties."""
    props = {**fields}
    if "sessions" in props:
        props["sessions"] = [records.session_text(s) for s in props["sessions"]]
    if "status" in props:
        props["status"] = props["status"].value
    return json.dumps(props, sort_keys=True)


def fields_from(text: str) -> dict[str, Any]:
    fields = json.loads(text)
    if "sessions" in fields:
        fields["sessions"] = [records.session_from(s) for s in fields["sessions"]]
    if "status" in fields:
        fields["status"] = ListingStatus(fields["status"])
    return fields
