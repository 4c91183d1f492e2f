"""Unmet needs: requests that found nothing suitable, counted by kind, outward postcode and
month so that a service lead can see where provision is missing (kith/reports.py).

Only the count is kept: no person, no full postcode, no search words, no time finer than the
month. What counts:

- SEARCH: a directory search with a place that found no group, activity or venue;
- ACTIVITY_SUGGESTION / BUDDY_SUGGESTION: suggestions for a person who consented to matching
  (or activities near a place) that found none;
- REFERRAL: a referral declined, or closed as DID_NOT_ENGAGE, for someone in that outward code.
  A declined referral found nothing the service could offer; one closed as DID_NOT_ENGAGE
  found nothing the person took up. COMPLETED (the coordinator judged the work done) and
  WITHDRAWN (the referrer took it back) are not unmet needs.

Counting never fails the request that was answered: a counter that cannot be written is
logged (kind only) and the answer goes out as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING

from graph import people as people_repo
from graph import unmet as repo
from matching.geo import distance_km

from .domain import Place, Referral, ReferralStatus

if TYPE_CHECKING:
    from .service import Kith

log = logging.getLogger(__name__)
UNMET_OUTCOMES = (ReferralStatus.DECLINED, ReferralStatus.DID_NOT_ENGAGE)


class Kind(Enum):
    SEARCH = "SEARCH"
    ACTIVITY_SUGGESTION = "ACTIVITY_SUGGESTION"
    BUDDY_SUGGESTION = "BUDDY_SUGGESTION"
    REFERRAL = "REFERRAL"


def outcode(kith: Kith, where: Place | str | None) -> str | None:
    """The outward code of a postcode ("DE22 3AB" → "DE22"), or of the outward code whose
    centroid is nearest a place given by position only; None when there is neither."""
    postcode = where.postcode if isinstance(where, Place) else where
    if postcode:
        return postcode.upper().split()[0]
    if isinstance(where, Place):
        here = (where.latitude, where.longitude)
        return min(kith.postcodes.outcodes.items(), key=lambda i: distance_km(here, i[1]))[0]
    return None


def month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def note(kith: Kith, kind: Kind, where: Place | str | None) -> None:
    """Count one unmet need of ``kind`` at a place or postcode (somewhere unknown: not counted)."""
    counted(kith, kind, lambda: where)


def referral_closed(kith: Kith, referral: Referral) -> None:
    """Count a referral that ended without anything found, under its person's outward code."""
    if referral.status in UNMET_OUTCOMES:
        counted(kith, Kind.REFERRAL, lambda: home_postcode(kith, referral.person_id))


def home_postcode(kith: Kith, person_id: str) -> str | None:
    person = people_repo.people_by_id(kith.store, [person_id]).get(person_id)
    return person.postcode if person else None


def counted(kith: Kith, kind: Kind, where: Callable[[], Place | str | None]) -> None:
    try:
        code = outcode(kith, where())
        if code:
            repo.note(kith.store, kind.value, code, month())
    except Exception as exc:  # the user's answer matters more than the count
        log.warning("an unmet need (%s) was not counted: %s", kind.value, type(exc).__name__)
