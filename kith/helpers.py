"""Practical help for a person (issue 16): volunteers who fetch prescriptions, shop, look in,
give lifts or clear snow, found as buddy suggestions find volunteers and ranked by
matching/helpers.py.

Only coordinators ask: the answer shows other people's records.
"""

from __future__ import annotations

from datetime import date

from graph import candidates
from matching import helpers as helper_scoring

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import PracticalNeed, Suggestion
from .service import Kith
from .suggestions import check_first, located


@audit.written_once
def helpers(
    kith: Kith, actor: Account | None, person_id: str, need: PracticalNeed, first: int = 5
) -> list[Suggestion]:
    """Volunteers to help ``person_id`` with ``need``, best first, with reasons; audited.

    The in-memory copy of the volunteers finds those whose travel limit may reach the person
    and who offer the need; only they are read afresh (consent and buddies included) and the
    hard rules applied to what was read."""
    require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    if not person.consent_to_matching:
        return []
    first = check_first(first)
    around = kith.volunteer_mirror.current().around(located(person))
    ids = [v.id for v, _ in around if v.volunteer and need in v.volunteer.helps]
    fresh = candidates.volunteers(kith.store, person.id, ids) if ids else []
    found = helper_scoring.suggest_helpers(person, need, fresh, date.today(), first)
    suggested(kith, actor, found)
    return found


def suggested(kith: Kith, actor: Account | None, found: list[Suggestion]) -> None:
    """Every volunteer shown is a read of their record, audited by id."""
    if found:
        audit.record(kith.store, actor, "person.suggested", [s.target.id for s in found])
