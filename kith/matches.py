"""Proposing buddies and recording what came of it."""

from __future__ import annotations

from graph import matches as repo

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import Match, MatchStatus
from .errors import Conflict, InvalidInput, NotFound
from .service import Kith

# From each status, where a pairing may go next.
NEXT = {
    MatchStatus.PROPOSED: {MatchStatus.ACCEPTED, MatchStatus.DECLINED},
    MatchStatus.ACCEPTED: {MatchStatus.ENDED},
    MatchStatus.DECLINED: set(),
    MatchStatus.ENDED: set(),
}


def propose(kith: Kith, actor: Account | None, person_id: str, buddy_id: str) -> Match:
    """A coordinator proposes a volunteer as someone's buddy."""
    actor = require(actor, Role.COORDINATOR)
    if person_id == buddy_id:
        raise InvalidInput("buddyId", "a person cannot be their own buddy")
    person, buddy = people.get(kith, actor, person_id), people.get(kith, actor, buddy_id)
    if buddy.volunteer is None:
        raise InvalidInput("buddyId", f"{buddy_id} is not a volunteer")
    if not (person.consent_to_matching and buddy.consent_to_matching):
        raise InvalidInput("personId", "both people must have consented to matching")
    live = [
        m
        for m in repo.of_people(kith.store, [person_id])
        if m.buddy_id == buddy_id and m.status in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)
    ]
    if live:  # fmt: skip
        raise Conflict(f"{person_id} and {buddy_id} are already paired ({live[0].id})")
    match = Match(people.new_id("match"), person_id, buddy_id, MatchStatus.PROPOSED,
                  [(MatchStatus.PROPOSED, audit.now(), None)])  # fmt: skip
    repo.create(kith.store, match)
    audit.record(kith.store, actor, "match.propose", [person_id, buddy_id])
    return match


def update(
    kith: Kith, actor: Account | None, match_id: str, status: MatchStatus, note: str | None
) -> Match:
    """Accept, decline or end a pairing; each change is kept in the match's history."""
    actor = require(actor, Role.COORDINATOR)
    match = repo.by_id(kith.store, [match_id]).get(match_id)
    if match is None:
        raise NotFound(f"no match {match_id}")
    if status not in NEXT[match.status]:
        raise Conflict(f"a {match.status.value.lower()} match cannot become {status.value}")
    note = people.text(note, "note", 1000)
    match.status = status
    match.history.append((status, audit.now(), note))
    repo.save_status(kith.store, match)
    audit.record(kith.store, actor, "match.update", [match.person_id, match.buddy_id])
    return match


def of_people(kith: Kith, person_ids: list[str]) -> list[Match]:
    """Matches of people the caller has already been allowed to read."""
    return repo.of_people(kith.store, person_ids)
