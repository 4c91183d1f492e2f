"""Suggestions with their reasons, as API.md names them."""

from __future__ import annotations

import strawberry

from kith import domain

from .directory import Activity
from .people import Person, wrap

ReasonCode = strawberry.enum(domain.ReasonCode)


@strawberry.type(description="One reason behind a suggestion; the weights add up to its score.")
class Reason:
    code: ReasonCode  # type: ignore[valid-type]
    text: str
    weight: float


@strawberry.type
class BuddySuggestion:
    buddy: Person
    score: float
    distance_km: float | None
    reasons: list[Reason]


@strawberry.type
class ActivitySuggestion:
    activity: Activity
    score: float
    distance_km: float | None
    reasons: list[Reason]


def reasons(suggestion: domain.Suggestion) -> list[Reason]:
    return [Reason(code=r.code, text=r.text, weight=r.weight) for r in suggestion.reasons]


def km(suggestion: domain.Suggestion) -> float | None:
    return None if suggestion.distance_km is None else round(suggestion.distance_km, 3)


def buddy(s: domain.Suggestion) -> BuddySuggestion:
    assert isinstance(s.target, domain.Person)
    return BuddySuggestion(buddy=wrap(s.target), score=s.score, distance_km=km(s),
                           reasons=reasons(s))  # fmt: skip


def activity(s: domain.Suggestion) -> ActivitySuggestion:
    assert isinstance(s.target, domain.Activity)
    return ActivitySuggestion(activity=Activity(record=s.target), score=s.score,
                              distance_km=km(s), reasons=reasons(s))  # fmt: skip
