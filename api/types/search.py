"""The directory search: arguments in, a Relay-style connection out."""

from __future__ import annotations

from typing import Annotated

import strawberry

from kith import domain
from kith.service import SearchPage, cursor

from .directory import Activity, Group, Venue, group, venue
from .people import Person, Volunteer, wrap

EntryKind = strawberry.enum(domain.EntryKind)
Entry = Annotated[Group | Activity | Venue | Volunteer | Person, strawberry.union("Entry")]
Node = Annotated[Group | Activity | Venue | Volunteer | Person, strawberry.union("Node")]


def entry(record: domain.Venue | domain.Group | domain.Activity | domain.Person) -> Entry:
    """The GraphQL type for a search hit's record."""
    if isinstance(record, domain.Activity):
        return Activity(record=record)
    if isinstance(record, domain.Venue):
        return venue(record)
    if isinstance(record, domain.Person):
        return wrap(record)
    return group(record)


@strawberry.input(description="A place: a UK postcode, or a latitude with a longitude.")
class PlaceInput:
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class SearchEdge:
    cursor: str
    node: Entry
    distance_km: float | None = strawberry.field(
        description="Great-circle kilometres from the searched place."
    )
    score: float = strawberry.field(description="How well it matches, from 0 to 1.")
    also: list[Activity] = strawberry.field(
        description="Other listings of the same activity (alike in name, group and venue) that "
        "this result stands for; empty for all but activities."
    )


@strawberry.type
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    total_count: int


def connection(page: SearchPage) -> SearchConnection:
    edges = [
        SearchEdge(
            cursor=cursor(page.offset + i),
            node=entry(hit.entry),
            score=hit.score,
            distance_km=round(hit.distance_km, 3) if hit.distance_km is not None else None,
            also=[Activity(record=a) for a in hit.also],
        )
        for i, hit in enumerate(page.hits)
    ]
    end = edges[-1].cursor if edges else None
    return SearchConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=page.total,
    )  # fmt: skip
