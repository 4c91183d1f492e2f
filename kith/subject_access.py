"""Data-protection duties beyond erasure: subject access (everything held about a person) and
retention review (people whose records have not changed for a long time)."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from graph import people as repo

from . import attendance, audit, contacts, matches, people, plans, wellbeing, winter_plans
from .access import require
from .accounts import Account, Role
from .domain import plain
from .service import Kith

DAY_MS = 86_400_000


def export(kith: Kith, actor: Account | None, person_id: str) -> dict[str, Any]:
    """Everything Kith holds about a person: record, referrals, consents, pairings, the
    activities they go or went to, their plan with its history, their wellbeing measures with
    their scores, and the audit trail of who read or changed it. The export itself is
    audited."""
    require(actor, Role.COORDINATOR, Role.VOLUNTEER)
    person = people.get(kith, actor, person_id)
    held = {
        "person": plain(asdict(person)),
        "referrals": repo.referrals(kith.store, person_id),
        "consents": repo.consents(kith.store, person_id),
        "matches": [plain(asdict(m)) for m in matches.of_people(kith, [person_id])],
        "attendance": spells(kith, person_id),
        "plan": plans.held(kith, person_id),
        "wellbeing": wellbeing.held(kith, person_id),
        "winter_plan": winter_plans.held(kith, person_id),
        "named_in_winter_plans": winter_plans.named_in(kith, person_id),
        "contacts": contacts.held(kith, person_id),  # and the check-in cadence
        "audit": [asdict(e) for e in audit.about(kith.store, person_id, limit=10_000)],
    }
    audit.record(kith.store, actor, "person.export", [person_id])
    return held


def spells(kith: Kith, person_id: str) -> list[dict[str, Any]]:
    """Every spell of going to an activity, with the activity's name for the reader."""
    held = attendance.history(kith, person_id)
    names = {i: a.name for i, a in kith.activities([h.activity_id for h in held]).items()}
    return [{**plain(asdict(h)), "activity_name": names.get(h.activity_id)} for h in held]


def stale(kith: Kith, days: int) -> list[dict]:
    """People with no change to their record for ``days`` days: for a coordinator to review."""
    before = int(time.time() * 1000) - days * DAY_MS
    return repo.not_updated_since(kith.store, before)
