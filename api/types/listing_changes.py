"""Organisers' listings through GraphQL: ``updateListing`` (applied or waiting),
``listingChanges`` and their approval, ``listingVersions`` and ``restoreListingVersion``,
``trustOrganiser`` and ``myListings`` (kith/listing_changes.py, kith/listing_versions.py,
kith/organisers.py)."""

from __future__ import annotations

from dataclasses import asdict

import strawberry

from kith import accounts
from kith import listing_changes as lc
from kith import listing_versions as lv
from kith.service import cursor

from ..context import Info
from .directory import Activity, Group, ListingStatus, activity, group
from .inputs import SessionInput
from .search import PageInfo

ChangeState = strawberry.enum(
    lc.ChangeState, description="PENDING until a coordinator decides; REPLACED by its "
    "organiser's newer proposal for the same listing."
)  # fmt: skip
ChangeOutcome = strawberry.enum(
    lc.Outcome, description="APPLIED to the live listing, or PENDING a coordinator's approval."
)


@strawberry.input(description="What to change in a listing; a field left out stays as it is.")
class ListingChangeInput:
    sessions: list[SessionInput] | None = strawberry.UNSET
    cost: float | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: ListingStatus | None = strawberry.UNSET  # type: ignore[valid-type]

    def form(self) -> dict:
        """The fields given, as the service takes them (null clears cost or description)."""
        given = {f: getattr(self, f) for f in lc.EDITABLE}
        given = {f: v for f, v in given.items() if v is not strawberry.UNSET}
        if "sessions" in given:
            given["sessions"] = [asdict(s) for s in given["sessions"] or []]
        return given


@strawberry.type(description="One field of a change: as the live listing has it, as proposed.")
class ListingDifference:
    field: str
    live: str
    proposed: str


@strawberry.type(description="An organiser's change to a listing.")
class ListingChange:
    record: strawberry.Private[lc.ListingChange]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(description="The listing as it is live now; null once it is not held.")
    def activity(self) -> Activity | None:
        return activity(self.record.activity)

    @strawberry.field
    def state(self) -> ChangeState:  # type: ignore[valid-type]
        return self.record.state

    @strawberry.field(description="Each field proposed, beside the live listing's.")
    def differences(self) -> list[ListingDifference]:
        return [ListingDifference(field=d.field, live=d.live, proposed=d.proposed)
                for d in self.record.differences()]  # fmt: skip

    @strawberry.field(description="True when the live listing has changed since this was made.")
    def stale(self) -> bool:
        return self.record.stale

    @strawberry.field(description="The listing's latest version number when it was made.")
    def against_version(self) -> int:
        return self.record.against_version

    @strawberry.field(description="When it was proposed (ISO 8601, UTC).")
    def at(self) -> str:
        return self.record.at

    @strawberry.field(description="The organiser's account name.")
    def proposed_by(self) -> str:
        return self.record.by_name

    @strawberry.field
    def decided_at(self) -> str | None:
        return self.record.decided_at if self.record.state is not lc.ChangeState.PENDING else None

    @strawberry.field(description="The account id of the coordinator who decided it.")
    def decided_by(self) -> strawberry.ID | None:
        by = self.record.decided_by
        return strawberry.ID(by) if by else None

    @strawberry.field(description="Why it was rejected, if the coordinator said.")
    def note(self) -> str | None:
        return self.record.note


@strawberry.type
class ListingChangePayload:
    outcome: ChangeOutcome  # type: ignore[valid-type]
    activity: Activity = strawberry.field(description="The live listing (unchanged if PENDING).")
    change: ListingChange | None = strawberry.field(description="The change waiting, if PENDING.")


def payload(done: lc.Update) -> ListingChangePayload:
    change = ListingChange(record=done.change) if done.change else None
    return ListingChangePayload(outcome=done.outcome, activity=Activity(record=done.activity),
                                change=change)  # fmt: skip


@strawberry.type
class ListingChangeEdge:
    cursor: str
    node: ListingChange


@strawberry.type
class ListingChangeConnection:
    edges: list[ListingChangeEdge]
    page_info: PageInfo
    total_count: int


def connection(page: lc.ChangePage) -> ListingChangeConnection:
    edges = [ListingChangeEdge(cursor=cursor(page.offset + i), node=ListingChange(record=c))
             for i, c in enumerate(page.changes)]  # fmt: skip
    end = edges[-1].cursor if edges else None
    return ListingChangeConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=page.total,
    )  # fmt: skip


@strawberry.type(description="A listing as one change left it, with who made it and when.")
class ListingVersion:
    record: strawberry.Private[lv.ListingVersion]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(description="1 for the first, counting up.")
    def number(self) -> int:
        return self.record.number

    @strawberry.field(description="When it was made (ISO 8601, UTC).")
    def at(self) -> str:
        return self.record.at

    @strawberry.field(description="What made it: LISTED (as first listed), SAVED, REVIEWED, "
                      "CHANGED, APPROVED or RESTORED.")  # fmt: skip
    def why(self) -> str:
        return self.record.why

    @strawberry.field(description="The account that made it; null for the first listing.")
    def by_id(self) -> strawberry.ID | None:
        return strawberry.ID(self.record.by_id) if self.record.by_id else None

    @strawberry.field
    def by_name(self) -> str | None:
        return self.record.by_name

    @strawberry.field(description="The listing as this version had it.")
    def listing(self) -> Activity:
        return Activity(record=self.record.listing)


@strawberry.type(description="An organiser: the groups whose listings they keep.")
class Organiser:
    record: strawberry.Private[accounts.Account]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="True when their changes go live without approval.")
    def trusted(self) -> bool:
        return self.record.trusted

    @strawberry.field
    async def groups(self, info: Info) -> list[Group]:
        found = await info.context.loader("group", info.context.kith.groups).load_many(
            list(self.record.group_ids)
        )
        return [g for g in map(group, found) if g is not None]
