"""Practical helpers and companions to go along (issue 16), as API.md names them: both answer
with BuddySuggestion, a volunteer with a score and reasons."""

from __future__ import annotations

import strawberry

from kith import companions, helpers

from ..context import Info
from .people import PracticalNeed
from .suggestions import BuddySuggestion, buddy


async def suggest_helpers(
    info: Info,
    person_id: strawberry.ID,
    need: PracticalNeed,  # type: ignore[valid-type]
    first: int = 5,
) -> list[BuddySuggestion]:
    c = info.context
    found = await c.call(helpers.helpers, c.kith, c.actor, person_id, need, first)
    return [buddy(s) for s in found]


async def suggest_companions(
    info: Info, person_id: strawberry.ID, activity_id: strawberry.ID, first: int = 5
) -> list[BuddySuggestion]:
    c = info.context
    found = await c.call(companions.companions, c.kith, c.actor, person_id, activity_id, first)
    return [buddy(s) for s in found]


HELPERS = strawberry.field(
    resolver=suggest_helpers,
    description="Coordinators: approved volunteers who offer this practical help and can "
    "reach the person, best first, with reasons.",
)
COMPANIONS = strawberry.field(
    resolver=suggest_companions,
    description="Coordinators: volunteers to go along the first time, free at one of the "
    "activity's sessions and near both the person and the venue, best first, with reasons.",
)
