"""Self-referral: anyone may ask Kith for support themselves, from the public page or
GraphQL's ``selfRefer``, with nobody signed in.

It lands as a RECEIVED referral from SELF, with no referrer, for a new person. It never joins
a record Kith already holds, whatever the name, birth year and postcode say: a self-referrer
proves nothing about who they are, so joining would let anyone add to someone else's record.
Where the coordinator sees it is someone they know, the near-match offers let them merge the
two. The answer is a reference to quote and nothing else: never a person, never whether
anyone like them was known.

Requests are limited per client address, counted in the store so that every worker shares
the count (kith/lockout.RateLimit). Input is checked first, so a mistake costs no try and
writes nothing.
"""

from __future__ import annotations

import math
import secrets

from graph import referrals as referrals_repo

from . import audit
from .domain import Person, Referral, ReferralEvent, ReferralSource, ReferralStatus
from .errors import InvalidInput, RateLimited
from .lockout import RateLimit
from .people import URGENCIES, Normalised, contact_details, new_id, new_person, text
from .places import full_postcode
from .service import Kith

PER_HOUR = 5
# No 0 or O, 1, I or L, nor U (read as V): nothing that reads as something else.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
# Two groups of five, short enough to read out on the phone: 30**10 references, so that among
# a hundred thousand self-referrals the chance of any two alike is about one in 100,000.
GROUPS, GROUP = 2, 5


def self_refer(kith: Kith, form: dict, address: str) -> str:
    """The reference of a self-referral made from ``form`` (SelfReferralInput's fields) by
    the client at ``address``."""
    person, referral = checked(kith, form)
    wait = RateLimit(kith.store, "selfrefer", PER_HOUR, 3600).take(address)
    if wait:
        minutes = math.ceil(wait / 60)
        raise RateLimited(f"too many requests for support from this address: try again in "
                          f"{minutes} minute{'s' * (minutes != 1)}")  # fmt: skip
    person_id, _ = referrals_repo.add(kith.store, person, referral, join=False)
    kith.cache.clear()
    audit.record(kith.store, None, "person.refer", [person_id])
    audit.record(kith.store, None, "referral.receive", [referral.id])
    return str(referral.reference)


def checked(kith: Kith, form: dict) -> tuple[Person, Referral]:
    """The new person and their referral, or an error naming the first input that is wrong."""
    name = text(form.get("name"), "name", required=True)
    contact = contact_of(form)
    postcode = text(form.get("postcode"), "postcode", 16, required=True) or ""
    if not full_postcode(postcode):
        raise InvalidInput("postcode", f"{postcode!r} is not a full UK postcode, e.g. DE22 3AB")
    what_matters = text(form.get("what_matters"), "whatMatters", 1000, required=True) or ""
    if form.get("consent") is not True:
        raise InvalidInput("consent", "is needed before Kith may keep what you send to contact you")
    notes: list[Normalised] = []
    person = new_person(kith, {"name": name, "place": {"postcode": postcode},
                               "birth_year": form.get("birth_year"),
                               "consent_to_matching": False}, notes)  # fmt: skip
    at = audit.now()
    referral = Referral(
        id=new_id("ref"), person_id=person.id, reason=what_matters, urgency=URGENCIES[0],
        source=ReferralSource.SELF, status=ReferralStatus.RECEIVED, received_at=at,
        history=[ReferralEvent(at, None, None, ReferralStatus.RECEIVED)],
        reference=reference(), contact=contact,
    )  # fmt: skip
    return person, referral


def contact_of(form: dict) -> str:
    """How to contact them, as one text ("phone …; email …"): at least one, each checked."""
    email, phone = contact_details(form)
    given = [f"{field} {value}" for field, value in (("phone", phone), ("email", email)) if value]
    if not given:
        raise InvalidInput("phone", "is required unless you give an email address")
    return "; ".join(given)


def reference() -> str:
    """A fresh reference, e.g. "K-7F3QM-92XDH"."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(GROUPS))
    return "-".join(("K", *groups))
