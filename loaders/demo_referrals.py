"""The demo's referrals, so that `make run` shows the loop: the demo prescriber's referrals in
each state (one taken on by the demo coordinator, one in progress, one closed, one declined,
one new), and a near match for "Possible duplicates".

Each goes through the same service functions as GraphQL's ``referPerson`` and the coordinator's
changes, under a fixed identifier, so `kith demo` run again finds them rather than adding more,
and moves on only those still waiting to be moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from kith import people, referral_states
from kith.accounts import Account
from kith.domain import ReferralStatus
from kith.service import Kith

S = ReferralStatus


@dataclass(frozen=True)
class DemoReferral:
    name: str
    birth_year: int
    postcode: str
    interests: tuple[str, ...]
    reason: str
    urgency: str
    to: ReferralStatus  # where the demo coordinator takes it


REFERRALS = (
    DemoReferral("Doris Bramall", 1944, "DE22 3AB", ("singing",),
                 "Lonely since her husband died; she used to sing in a church choir.", "SOON",
                 S.RECEIVED),
    DemoReferral("Arthur Pegg", 1950, "DE23 6AH", ("gardening",),
                 "Low mood after retiring; would like to be outdoors more.", "ROUTINE",
                 S.ACCEPTED),
    DemoReferral("Sunita Mistry", 1962, "DE24 8JE", ("walking",),
                 "Recovering from a stroke; wants to build up her walking again.", "URGENT",
                 S.IN_PROGRESS),
    DemoReferral("Ken Hollis", 1947, "DE21 4EE", ("woodwork",),
                 "Isolated since his wife went into care.", "ROUTINE", S.COMPLETED),
    DemoReferral("Gareth Lowe", 1971, "DE1 2FS", ("football",),
                 "Asked for help with debt rather than activities.", "ROUTINE", S.DECLINED),
)  # fmt: skip
# The coordinator's own note of Doris, her surname mistyped: not joined, offered to merge.
TYPO = DemoReferral("Doris Bramal", 1944, "DE22 3AB", ("singing",),
                    "Her neighbour rang: she has not been out for weeks.", "SOON",
                    S.RECEIVED)  # fmt: skip


def form(r: DemoReferral) -> dict:
    return {"name": r.name, "birth_year": r.birth_year, "place": {"postcode": r.postcode},
            "interests": list(r.interests), "consent_to_matching": True}  # fmt: skip


def load(kith: Kith, coordinator: Account, prescriber: Account) -> int:
    """Refer (once) and move on (once) the demo's referrals; returns how many there are."""
    for r in REFERRALS:
        sent = people.refer(kith, prescriber, form(r), r.reason, r.urgency,
                            identifier=f"demo|{r.name}")  # fmt: skip
        if sent.referral and sent.referral.status is S.RECEIVED:
            move(kith, coordinator, sent.referral.id, r.to)
    people.refer(kith, coordinator, form(TYPO), TYPO.reason, TYPO.urgency, "VOLUNTARY_SECTOR",
                 identifier="demo|typo")  # fmt: skip
    return len(REFERRALS) + 1


def move(kith: Kith, coordinator: Account, referral_id: str, to: ReferralStatus) -> None:
    """Take a new referral as far as ``to``, as a coordinator would, step by step."""
    if to is S.DECLINED:
        referral_states.decline(kith, coordinator, referral_id, "We are not the right service: "
                                "passed to the Citizens Advice debt team.")  # fmt: skip
        return
    if to is S.RECEIVED:
        return
    referral_states.accept(kith, coordinator, referral_id, None)
    if to is S.ACCEPTED:
        return
    referral_states.record_contact(kith, coordinator, referral_id, None, "First phone call.")
    if to is S.COMPLETED:
        referral_states.close(kith, coordinator, referral_id, S.COMPLETED, "Joined a group.")
