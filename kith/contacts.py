"""Contacts with a person — a phone call, a visit, a message — and how often someone should be
in touch with them (a check-in cadence: "monthly", as the Local Area Co-ordinator who "still
calls in on Mrs Shardlow every month").

Unlike a referral's contacts (kith/referral_states.py), these may be recorded on anyone a
coordinator supports. They are the coordinators' working notes: coordinators record and read
them; anyone else reading a person gets none (as a prescriber gets none of what a coordinator
records: kith.people.as_sent). Every read and write is audited, ids only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from graph import contacts as repo

from . import audit, people
from .access import per_person, require
from .accounts import Account, Role
from .domain import Choice, Person, plain
from .errors import InvalidInput, NotFound
from .referral_states import contact_time
from .service import Kith

NOTE_LENGTH = 1000
# A check-in weekly at the most often, yearly at the least: more often is not a cadence a
# coordinator keeps for many people, and less often is not keeping in touch.
FEWEST_DAYS, MOST_DAYS = 7, 365


class ContactKind(Choice):
    PHONE = "PHONE"
    VISIT = "VISIT"
    MESSAGE = "MESSAGE"


@dataclass(frozen=True)
class Contact:
    id: str
    person_id: str
    kind: ContactKind
    at: str  # ISO time in UTC
    note: str | None
    by: str | None  # the account that recorded it


@dataclass(frozen=True)
class CheckIn:
    """A person's cadence and the day the next check-in is due: that many days after the
    latest contact, or, for someone nobody has been in touch with yet, the day the cadence
    was set."""

    person_id: str
    every_days: int
    due_on: date
    last_contact_at: str | None


def contact_of(person_id: str, props: dict[str, Any]) -> Contact:
    return Contact(props["id"], person_id, ContactKind(props["kind"]), props["at"],
                   props.get("note"), props.get("by"))  # fmt: skip


def check_in_of(row: dict[str, Any]) -> CheckIn:
    """A cadence as graph/contacts.py reads it, with when it is next due."""
    last = row.get("last")
    if last is None:
        return CheckIn(row["person"], row["days"], date.fromisoformat(row["since"]), None)
    due = datetime.fromisoformat(last).date() + timedelta(days=row["days"])
    return CheckIn(row["person"], row["days"], due, last)


# writing -------------------------------------------------------------------------------


def record(kith: Kith, actor: Account | None, person_id: str, form: dict) -> Person:
    """A coordinator records a contact (ContactInput as a dict: kind, at, note); ``at`` left
    out is now, and one in the future is refused naming it. The person's lastContactAt becomes
    the latest of their contacts."""
    actor = require(actor, Role.COORDINATOR)
    kind = plain(form.get("kind"))
    if kind not in ContactKind.__members__:
        raise InvalidInput("kind", f"must be one of {', '.join(ContactKind.__members__)}")
    note = people.text(form.get("note"), "note", NOTE_LENGTH)
    contact = {"id": people.new_id("contact"), "kind": kind, "at": contact_time(form.get("at")),
               "note": note, "by": actor.id}  # fmt: skip
    people.get(kith, actor, person_id)
    if not repo.add(kith.store, person_id, contact):
        raise NotFound(f"no person {person_id}")  # erased between the read and the write
    audit.record(kith.store, actor, "contact.record", [person_id])
    return people.get(kith, actor, person_id)


def set_check_in(
    kith: Kith, actor: Account | None, person_id: str, every_days: int | None
) -> Person:
    """A coordinator sets how often someone should be in touch (None: no cadence any more):
    due that many days after the latest contact, or at once if nobody has been in touch."""
    actor = require(actor, Role.COORDINATOR)
    if every_days is not None and not FEWEST_DAYS <= every_days <= MOST_DAYS:
        raise InvalidInput("everyDays", f"must be between {FEWEST_DAYS} and {MOST_DAYS} days")
    person = people.get(kith, actor, person_id)
    since = date.today().isoformat() if every_days is not None else None
    if not repo.set_check_in(kith.store, person_id, every_days, since):
        raise NotFound(f"no person {person_id}")
    audit.record(kith.store, actor, "checkin.update", [person_id])
    return person


# reading -------------------------------------------------------------------------------


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, list[Contact] | Exception]:
    """Each person's contacts, newest first, for a coordinator (one check, read and audit for
    them all); nobody else is shown any."""
    if actor is None or not actor.sees_everyone:
        return {i: [] for i in person_ids}

    def fetch(allowed: list[str]) -> dict[str, list[Contact]]:
        found = repo.of_people(kith.store, allowed)
        return {i: [contact_of(i, c) for c in held] for i, held in found.items()}

    return per_person(kith.store, actor, person_ids, "contact.read", fetch)


def check_ins_of(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, CheckIn | Exception | None]:
    """Each person's cadence (None without one), for a coordinator; nobody else is shown one."""
    if actor is None or not actor.sees_everyone:
        return {i: None for i in person_ids}

    def fetch(allowed: list[str]) -> dict[str, CheckIn | None]:
        found = {c.person_id: c for c in map(check_in_of, repo.check_ins(kith.store, allowed))}
        return {i: found.get(i) for i in allowed}

    return per_person(kith.store, actor, person_ids, "checkin.read", fetch)


def check_ins_due(kith: Kith, actor: Account | None, today: date) -> list[CheckIn]:
    """Check-ins due on or before ``today``, the longest overdue first: for a coordinator's
    queue; each one listed is an audited read."""
    actor = require(actor, Role.COORDINATOR)
    due = [c for c in map(check_in_of, repo.check_ins(kith.store)) if c.due_on <= today]
    due.sort(key=lambda c: (c.due_on, c.person_id))
    if due:
        audit.record(kith.store, actor, "checkin.read", [c.person_id for c in due])
    return due


def held(kith: Kith, person_id: str) -> dict[str, Any]:
    """The contacts and cadence of a person the caller may read: for export."""
    found = repo.of_people(kith.store, [person_id])[person_id]
    cadence = [check_in_of(r) for r in repo.check_ins(kith.store, [person_id])]
    return {
        "contacts": [plain(asdict(contact_of(person_id, c))) for c in found],
        "check_in": plain(asdict(cadence[0])) if cadence else None,
    }


@dataclass(frozen=True)
class InTouch:
    """What the person page shows of someone's contacts: newest first, and their cadence."""

    contacts: list[Contact]
    check_in: CheckIn | None


def in_touch(kith: Kith, actor: Account | None, person_id: str) -> InTouch | None:
    """A person's contacts and cadence for a coordinator's page; None for anyone else."""
    if actor is None or not actor.sees_everyone:
        return None
    found = of_people(kith, actor, [person_id])[person_id]
    cadence = check_ins_of(kith, actor, [person_id])[person_id]
    for refused in (found, cadence):
        if isinstance(refused, Exception):
            raise refused
    return InTouch(found, cadence)  # type: ignore[arg-type]
