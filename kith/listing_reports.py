"""The public says when a listing is wrong; coordinators put it right.

Anyone may report, with nobody signed in, that an activity's listing is out of date, that it
has closed, or that it needs more information, with a short note. Nothing about who sent it is
asked or kept: a directory that stays true should cost the public nothing, and a coordinator
needs the listing, not the person. Reports are limited per client address (kith/lockout.py
RateLimit, as for self-referrals), and input is checked first, so a mistake costs no try and
writes nothing.

Coordinators see the open reports, newest first, and resolve each, saying what they did. The
problems follow what ORUK/HSDS lets a directory say of a service: its details
(``service.status``, ``service.assured_date``, opening times in ``schedule``) need checking
(OUT_OF_DATE), it is no longer running (CLOSED: HSDS ``status`` "inactive"), or it needs
something added, such as ``eligibility_description`` or ``accessibility`` (EXTRA_INFORMATION).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph import listing_reports as repo

from . import audit, listing_reviews
from .access import require
from .accounts import Account, Role
from .domain import Activity, ListingStatus
from .errors import Conflict, InvalidInput, NotFound, RateLimited
from .lockout import RateLimit
from .people import new_id, text
from .service import MAX_PAGE, Kith, offset_of

PER_HOUR = 10
MAX_NOTE = 500


class ListingProblem(Enum):
    OUT_OF_DATE = "OUT_OF_DATE"
    CLOSED = "CLOSED"
    EXTRA_INFORMATION = "EXTRA_INFORMATION"


@dataclass(frozen=True)
class ListingReport:
    id: str
    problem: ListingProblem
    note: str | None
    at: str
    open: bool
    activity: Activity | None
    activity_id: str
    resolved_at: str | None = None
    resolved_by: str | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class ReportPage:
    reports: list[ListingReport]
    total: int
    offset: int
    has_next: bool


def report(kith: Kith, activity_id: str, problem: object, note: object, address: str) -> str:
    """Keep the public's report about an activity; its reference (the report's id)."""
    kind = problem_of(problem)
    said = text(note, "note", MAX_NOTE)
    if not kith.activities([activity_id]):
        raise NotFound(f"no activity {activity_id!r}")
    wait = RateLimit(kith.store, "listingreport", PER_HOUR, 3600).take(address)
    if wait:
        minutes = math.ceil(wait / 60)
        raise RateLimited(f"too many reports from this address: try again in "
                          f"{minutes} minute{'s' * (minutes != 1)}")  # fmt: skip
    fields = {"id": new_id("lr"), "problem": kind.value, "note": said, "at": audit.now()}
    if not repo.add(kith.store, activity_id, fields):
        raise NotFound(f"no activity {activity_id!r}")
    return fields["id"]


def problem_of(value: object) -> ListingProblem:
    """The problem named, by enum or by its name (the form sends a name)."""
    if isinstance(value, ListingProblem):
        return value
    if isinstance(value, str) and value in ListingProblem.__members__:
        return ListingProblem[value]
    raise InvalidInput("problem", "choose what is wrong: " + ", ".join(ListingProblem.__members__))


def listing(
    kith: Kith, actor: Account | None, open: bool | None, first: int, after: str | None
) -> ReportPage:
    """A page of reports for a coordinator, newest first (open ones unless asked otherwise)."""
    require(actor, Role.COORDINATOR)
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    offset = offset_of(after)
    rows = repo.every(kith.store, open)
    page = rows[offset : offset + first]
    return ReportPage(reports_of(kith, page), len(rows), offset, offset + first < len(rows))


def resolve(
    kith: Kith, actor: Account | None, report_id: str, note: object,
    status: ListingStatus | None = None,
) -> ListingReport:  # fmt: skip
    """Close an open report, saying what was done, and with a ``status`` review the listing
    as it now is (a closed one leaves suggestions at once); audited, as a change to the
    directory's upkeep that a lead may ask about."""
    actor = require(actor, Role.COORDINATOR)
    resolution = text(note, "note", MAX_NOTE)
    change = {"at": audit.now(), "by": actor.id, "resolution": resolution}
    row = repo.resolve(kith.store, report_id, change)
    if row is None:
        if repo.one(kith.store, report_id) is None:
            raise NotFound(f"no listing report {report_id!r}")
        raise Conflict("this report is already resolved")
    audit.record(kith.store, actor, "listing_report.resolve", [report_id])
    if status is not None:
        listing_reviews.review(kith, actor, row["activity"], status)
    return reports_of(kith, [row])[0]


def reports_of(kith: Kith, rows: list[dict[str, Any]]) -> list[ListingReport]:
    activities = kith.activities(sorted({r["activity"] for r in rows}))
    return [
        ListingReport(
            id=r["id"],
            problem=ListingProblem(r["problem"]),
            note=r.get("note"),
            at=r["at"],
            open=bool(r["open"]),
            activity=activities.get(r["activity"]),
            activity_id=r["activity"],
            resolved_at=r.get("resolvedAt"),
            resolved_by=r.get("resolvedBy"),
            resolution=r.get("resolution"),
        )
        for r in rows
    ]
