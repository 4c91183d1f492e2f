"""Find someone to go along, for a coordinator, the volunteers who could go with someone to an
activity the first time (kith/companions.py), with their reasons and a way to reach them."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kith import companions, people
from kith.accounts import Account
from kith.domain import Activity, Person, Suggestion, Venue
from kith.service import Kith

from .render import page


@dataclass
class GoingAlong:
    """The person, the activity and its venue, and the volunteers who could go along."""

    person: Person
    activity: Activity
    venue: Venue
    companions: list[Suggestion]


def view(kith: Kith, actor: Account, person_id: str, activity_id: str) -> GoingAlong:
    found = companions.companions(kith, actor, person_id, activity_id)
    activity, venue = companions.held(kith, activity_id)
    return GoingAlong(people.get(kith, actor, person_id), activity, venue, found)


async def companions_page(request: Request) -> Response:
    kith, actor, path = request.app.state.kith, request.scope["actor"], request.path_params
    shown = await run_in_threadpool(view, kith, actor, path["person_id"], path["activity_id"])
    return page(request, "companions.html", view=shown)
