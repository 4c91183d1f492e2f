"""The demo's people at risk of a hard winter and the help around them, so that Outreach,
practical help, check-ins and winter plans show something on `make run`: most of the demo's
people aged 85 and over live alone (the demo already gives some of them a buddy or an
activity, and not others); about half have had a call or a visit in the last four months and
have a monthly check-in; the volunteers say which practical help they give; and one person
living alone has a winter plan naming two helpers, made as a coordinator makes it.

Seeded, so each run says the same (the demo's own load writes its people afresh, and this
writes who lives alone and who helps with what again, alike); a contact is written only for
someone with none, and a plan only for someone without one, so a second `kith demo` adds
nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from graph import contacts as contacts_repo
from graph import people as people_repo
from kith import helpers, winter_plans
from kith.accounts import Account
from kith.domain import Person, PracticalNeed
from kith.service import Kith

OLD = 85
LIVES_ALONE = 0.7
IN_TOUCH = 0.5
PLAN_NEEDS = (PracticalNeed.PRESCRIPTIONS, PracticalNeed.SNOW_CLEARING)  # no DBS check needed


def load(
    kith: Kith, people: list[Person], coordinator: Account, today: date | None = None,
    seed: int = 11,
) -> int:  # fmt: skip
    """Write what is not there yet; returns how many people aged 85+ the demo holds."""
    rng, today = random.Random(seed), today or date.today()
    oldest = [p.id for p in people if p.birth_year and today.year - p.birth_year >= OLD
              and not p.volunteer]  # fmt: skip
    volunteers = [p.id for p in people if p.volunteer]
    held = people_repo.people_by_id(kith.store, oldest + volunteers)
    changed = [*alone(kith, rng, [held[i] for i in oldest if i in held], coordinator, today),
               *helping(rng, [held[i] for i in volunteers if i in held])]  # fmt: skip
    people_repo.upsert_people(kith.store, changed)
    kith.cache.clear()
    planned(kith, [held[i] for i in oldest if i in held], coordinator)
    return len(oldest)


def alone(
    kith: Kith, rng: random.Random, oldest: list[Person], coordinator: Account, today: date
) -> list[Person]:
    """The oldest, most living alone, about half lately in touch with a monthly check-in. The
    draws are the same every run (the demo's own load resets who lives alone); a contact is
    written only for someone who has none."""
    for person in oldest:
        lives_alone, in_touch = rng.random() < LIVES_ALONE, rng.random() < IN_TOUCH
        days_ago, kind = rng.randint(3, 120), rng.choice(["PHONE", "VISIT"])
        person.lives_alone = lives_alone
        if in_touch and person.last_contact_at is None:
            when = datetime.combine(today - timedelta(days=days_ago), time(11), UTC)
            contacts_repo.add(kith.store, person.id, {
                "id": f"contact-demo-{person.id}", "kind": kind,
                "at": when.isoformat(timespec="milliseconds"), "note": "Monthly call.",
                "by": coordinator.id,
            })  # fmt: skip
            contacts_repo.set_check_in(kith.store, person.id, 30, when.isoformat())
    return oldest


def helping(rng: random.Random, volunteers: list[Person]) -> list[Person]:
    """Each volunteer gives one to three kinds of practical help (the same every run)."""
    for person in volunteers:
        picked = set(rng.sample(list(PracticalNeed), rng.randint(1, 3)))
        if person.volunteer is not None:
            person.volunteer.helps = [n for n in PracticalNeed if n in picked]
    return volunteers


def planned(kith: Kith, oldest: list[Person], coordinator: Account) -> None:
    """A winter plan for the first person living alone who has two helpers to hand, chosen
    from suggestHelpers as a coordinator would: one for prescriptions, one for snow."""
    held = winter_plans.of_people(kith, coordinator, [p.id for p in oldest])
    if any(plan is not None and not isinstance(plan, Exception) for plan in held.values()):
        return  # made by an earlier run
    for person in oldest:
        if not person.lives_alone:
            continue
        chosen = [helpers.helpers(kith, coordinator, person.id, need, first=1)
                  for need in PLAN_NEEDS]  # fmt: skip
        ids = [found[0].target.id for found in chosen if found]
        if len(set(ids)) < len(PLAN_NEEDS):
            continue
        winter_plans.set_winter_plan(kith, coordinator, person.id, {
            "needs": [n.value for n in PLAN_NEEDS], "helpers": ids,
            "helper_needs": [{"helper_id": i, "needs": [n.value]}
                             for i, n in zip(ids, PLAN_NEEDS, strict=True)],
            "contacts": ["Her niece Jean: 01332 496 010", "GP surgery: 01332 496 020"],
        })  # fmt: skip
        return
