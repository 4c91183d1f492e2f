"""Records that may be one person, offered to a coordinator to merge (kith/merges.py)."""

from __future__ import annotations

import strawberry

from kith import merges

from .people import Person, wrap


@strawberry.type(description="Two records that may be one person: merge them or keep them apart.")
class MergeOffer:
    record: strawberry.Private[merges.MergeOffer]

    @strawberry.field(description="The two records.")
    def people(self) -> list[Person]:
        return [wrap(p) for p in self.record.people]

    @strawberry.field(description="How many letters the names are apart (0: the same name).")
    def edits(self) -> int:
        return self.record.edits

    @strawberry.field(description="Why they are offered, in words.")
    def reason(self) -> str:
        return self.record.reason
