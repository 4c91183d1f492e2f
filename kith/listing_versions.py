"""Every version of a listing, with who made it and when; a coordinator restores one.

Each change that reaches the live listing (a coordinator's save, a review, an organiser's
change applied at once or approved, a restore) is written with its version in one transaction
(graph/listing_versions.py), so the history is the listing's own record of itself. Restoring
writes the old version's fields as a new version: history only grows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from graph import listing_versions as repo

from . import audit
from .access import require
from .accounts import Account, Role
from .domain import Activity
from .errors import NotFound
from .service import Kith

WHY = {
    repo.FIRST: "as first listed", "SAVED": "saved by a coordinator", "REVIEWED": "reviewed",
    "CHANGED": "changed", "APPROVED": "change approved", "RESTORED": "restored",
}  # fmt: skip


@dataclass(frozen=True)
class ListingVersion:
    id: str
    activity_id: str
    number: int
    at: str
    why: str
    listing: Activity
    by_id: str | None = None
    by_name: str | None = None

    @property
    def reason(self) -> str:
        """Why this version was made, as words to show."""
        return WHY.get(self.why, self.why.lower())


def author(actor: Account) -> tuple[str, str]:
    return actor.id, actor.name


def reviewed(activity: Activity, **fields: Any) -> Activity:
    """The listing with ``fields`` changed, reviewed today: whoever keeps it has looked at it."""
    return replace(activity, **fields, last_reviewed_on=date.today(), reminders=0)


def save(kith: Kith, actor: Account, activity: Activity) -> Activity:
    """A coordinator's whole activity, created or replacing the one held, as a new version."""
    return repo.apply(kith.store, activity.id, lambda _: activity, author(actor), "SAVED")


def change(kith: Kith, actor: Account, activity_id: str, why: str, **fields: Any) -> Activity:
    """The held activity with ``fields`` changed (and reviewed today), as a new version."""

    def changed(held: Activity | None) -> Activity:
        if held is None:
            raise NotFound(f"no activity {activity_id}")
        return reviewed(held, **fields)

    return repo.apply(kith.store, activity_id, changed, author(actor), why)


def versions(kith: Kith, actor: Account | None, activity_id: str) -> list[ListingVersion]:
    """A listing's versions, newest first (coordinators)."""
    require(actor, Role.COORDINATOR)
    if not kith.activities([activity_id]):
        raise NotFound(f"no activity {activity_id}")
    return [version(r) for r in repo.versions_of(kith.store, activity_id)]


def restore(kith: Kith, actor: Account | None, version_id: str) -> ListingVersion:
    """Make the listing as this version had it again: the new version it becomes (audited)."""
    actor = require(actor, Role.COORDINATOR)
    found = repo.one(kith.store, version_id)
    if found is None:
        raise NotFound(f"no listing version {version_id}")
    old = version(found).listing

    def restored(held: Activity | None) -> Activity:
        if held is None:
            raise NotFound(f"no activity {old.id}")
        return reviewed(old)

    repo.apply(kith.store, old.id, restored, author(actor), "RESTORED")
    audit.record(kith.store, actor, "listing_version.restore", [version_id])
    return version(repo.versions_of(kith.store, old.id)[0])


def version(row: dict[str, Any]) -> ListingVersion:
    return ListingVersion(id=row["id"], activity_id=row["activity"], number=row["number"],
                          at=row["at"], why=row["why"], listing=row["listing"],
                          by_id=row.get("byId"), by_name=row.get("byName"))  # fmt: skip
