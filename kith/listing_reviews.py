"""Reviews of listings: an organiser or a coordinator says an activity is still right, or that
it has closed, which resets its review cycle (matching/reviews.py says what is due)."""

from __future__ import annotations

from datetime import date

from matching.reviews import review_due

from . import listing_versions
from .access import require
from .accounts import Account, Role
from .domain import Activity, ListingStatus
from .errors import Forbidden, NotFound
from .service import Kith


def due(kith: Kith, activity: Activity) -> bool:
    """True when the listing's review cycle has passed (or it never was reviewed)."""
    return review_due(activity, date.today(), kith.weights.review_months)


def kept(kith: Kith, actor: Account | None, activity_id: str) -> Activity:
    """The activity, if ``actor`` keeps its listing (a coordinator, or its group's organiser)."""
    account = require(actor, Role.COORDINATOR, Role.ORGANISER)
    found = kith.activities([activity_id]).get(activity_id)
    if found is None:
        raise NotFound(f"no activity {activity_id}")
    if not account.keeps(found.group_id):
        raise Forbidden("organisers keep only their own groups' listings")
    return found


def review(
    kith: Kith, actor: Account | None, activity_id: str, status: ListingStatus | None = None
) -> Activity:
    """Say a listing is right as it stands (with its ``status`` changed, if given): reviewed
    today, its reminders answered."""
    activity = kept(kith, actor, activity_id)
    assert actor is not None  # kept() refuses the public
    return listing_versions.change(kith, actor, activity.id, "REVIEWED",
                                   status=status or activity.status)  # fmt: skip
