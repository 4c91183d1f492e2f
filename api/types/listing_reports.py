"""``reportListing``, ``listingReports`` and ``resolveListingReport``: the public says a listing
is wrong, coordinators see and resolve it (kith/listing_reports.py)."""

from __future__ import annotations

import strawberry

from kith import listing_reports as lr
from kith.service import cursor

from .directory import Activity, activity
from .search import PageInfo

ListingProblem = strawberry.enum(
    lr.ListingProblem,
    description="What is wrong with a listing (after ORUK/HSDS: details out of date, the "
    "service inactive, or something to add such as eligibility or accessibility).",
)


@strawberry.type(description="A public report's reference: nothing about who sent it.")
class ReportListingPayload:
    reference: str = strawberry.field(description="The report's id, to quote if asked.")


@strawberry.type(description="What the public said is wrong with an activity's listing.")
class ListingReport:
    record: strawberry.Private[lr.ListingReport]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def problem(self) -> ListingProblem:  # type: ignore[valid-type]
        return self.record.problem

    @strawberry.field(description="The reporter's note, at most 500 characters.")
    def note(self) -> str | None:
        return self.record.note

    @strawberry.field(description="When it was reported (ISO 8601, UTC).")
    def at(self) -> str:
        return self.record.at

    @strawberry.field(description="True until a coordinator resolves it.")
    def open(self) -> bool:
        return self.record.open

    @strawberry.field(description="The activity reported; null once it is no longer held.")
    def activity(self) -> Activity | None:
        return activity(self.record.activity)

    @strawberry.field
    def resolved_at(self) -> str | None:
        return self.record.resolved_at

    @strawberry.field(description="The account id of the coordinator who resolved it.")
    def resolved_by(self) -> strawberry.ID | None:
        by = self.record.resolved_by
        return strawberry.ID(by) if by else None

    @strawberry.field(description="What the coordinator did about it.")
    def resolution(self) -> str | None:
        return self.record.resolution


@strawberry.type
class ListingReportEdge:
    cursor: str
    node: ListingReport


@strawberry.type
class ListingReportConnection:
    edges: list[ListingReportEdge]
    page_info: PageInfo
    total_count: int


def connection(page: lr.ReportPage) -> ListingReportConnection:
    edges = [ListingReportEdge(cursor=cursor(page.offset + i), node=ListingReport(record=r))
             for i, r in enumerate(page.reports)]  # fmt: skip
    end = edges[-1].cursor if edges else None
    return ListingReportConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=page.total,
    )  # fmt: skip
