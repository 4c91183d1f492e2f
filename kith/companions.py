"""Someone to go along the first time (issue 16): volunteers free at one of an activity's
sessions and near both the person and the venue, found as buddy suggestions find volunteers
and ranked by matching/companions.py.

Only coordinators ask: the answer shows other people's records.
"""

from __future__ import annotations

from datetime import date

from graph import candidates
from matching import companions as companion_scoring

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import Activity, Suggestion, Venue
from .errors import InvalidInput, NotFound
from .helpers import suggested
from .service import Kith
from .suggestions import check_first, located


@audit.written_once
def companions(
    kith: Kith, actor: Account | None, person_id: str, activity_id: str, first: int = 5
) -> list[Suggestion]:
    """Volunteers to go along with ``person_id`` to ``activity_id``, best first, with reasons;
    audited. Only volunteers in reach of the person and free when the activity meets (in the
    in-memory copy) are read afresh; the hard rules are applied to what was read."""
    require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    activity, venue = held(kith, activity_id)
    if not person.consent_to_matching:
        return []
    first = check_first(first)
    around = kith.volunteer_mirror.current().around(located(person))
    ids = [v.id for v, _ in around if companion_scoring.free_slots(v, activity)]
    fresh = candidates.volunteers(kith.store, person.id, ids) if ids else []
    found = companion_scoring.suggest_companions(person, activity, venue, fresh, kith.taxonomy,
                                                 date.today(), first)  # fmt: skip
    suggested(kith, actor, found)
    return found


def held(kith: Kith, activity_id: str) -> tuple[Activity, Venue]:
    """The activity and the venue it is held at, from the directory's in-memory copy."""
    here = kith.directory_mirror.current()
    activity = here.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"no activity {activity_id}")
    venue = here.venues.get(activity.venue_id)
    if venue is None or venue.latitude is None:
        raise InvalidInput("activityId", "this activity has no venue with a location")
    return activity, venue
