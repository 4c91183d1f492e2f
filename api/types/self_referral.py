"""``selfRefer``'s input and answer: anyone may ask for support themselves, and is told a
reference to quote and nothing else (kith/self_referral.py)."""

from __future__ import annotations

import strawberry


@strawberry.input(
    description="Someone asking Kith for support: how to reach them (a phone number, an email "
    "address or both), where they live and what matters to them."
)
class SelfReferralInput:
    name: str
    postcode: str = strawberry.field(description="A full UK postcode, e.g. DE22 3AB.")
    what_matters: str = strawberry.field(description="What matters to them, in their words.")
    consent: bool = strawberry.field(
        description='Must be true: "I agree Kith keeps this to contact me".'
    )
    phone: str | None = None
    email: str | None = None
    birth_year: int | None = None


@strawberry.type(
    description="A self-referral's reference: never a person, never whether Kith knew them."
)
class SelfReferralPayload:
    reference: str = strawberry.field(description='A code to quote, e.g. "K-7F3QM-92XDH".')
