"""Review reminders sent about listings: ``(:ReviewReminder {id, at})-[:ABOUT]->(:Activity)``,
with the activity's count of reminders unanswered (``reminders``, cleared by a review:
kith/listing_versions.py) and the day of the last (``remindedOn``).

A reminder's id is its activity and day, unique (graph/schema.py), so two ``kith reminders``
running at once remind each listing once: the second's write is refused, or finds the listing
reminded already.
"""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from .directory import Writes
from .races import RACES, is_race
from .store import Store

REMIND = """
MATCH (a:Activity {id: $id})
WHERE coalesce(a.remindedOn, '') <= $before
CREATE (r:ReviewReminder {id: $rid, at: $today})-[:ABOUT]->(a)
SET a.reminders = coalesce(a.reminders, 0) + 1, a.remindedOn = $today, a.updatedAt = timestamp()
RETURN a.reminders AS reminders
"""
LAST = """
MATCH (r:ReviewReminder)-[:ABOUT]->(a:Activity)
WHERE a.id IN $ids
RETURN a.id AS id, max(r.at) AS last
"""


def remind(store: Store, activity_id: str, today: date, before: date) -> int | None:
    """Count a reminder sent today about the activity, unless one was sent after ``before``
    (by this run or another): the reminders now unanswered, or None when none was sent."""

    def work(tx: ManagedTransaction) -> int | None:
        row = tx.run(REMIND, id=activity_id, rid=f"{activity_id}@{today.isoformat()}",
                     today=today.isoformat(), before=before.isoformat()).single()  # fmt: skip
        return row["reminders"] if row else None

    try:
        return store.write(work)
    except RACES as exc:  # another run reminded it at this moment
        if is_race(exc):
            return None
        raise
    finally:
        Writes.made += 1


def last_sent(store: Store, activity_ids: list[str]) -> dict[str, date]:
    """The day of the last reminder about each activity that had one."""
    rows = store.read(lambda tx: tx.run(LAST, ids=activity_ids).data())
    return {r["id"]: date.fromisoformat(r["last"]) for r in rows}
