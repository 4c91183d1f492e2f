"""How fresh a listing is: reviewed within its cycle, due for review, or long overdue.

ALISS asks each service's owner to review it on a cycle and lowers unreviewed services in
search; Kith does the same with a review cycle (``Weights.review_months``, six months unless
``KITH_REVIEW_MONTHS`` says otherwise). A listing is *due* once a cycle has passed since its
last review, and *long overdue* once two have, or three reminders went unanswered, or it has
never been reviewed. The REVIEWED part of an activity's score (``Weights.activity_reviewed``)
is full while a listing is fresh, half while it is due and empty when long overdue, when a
zero-weight reason says so: an overdue listing ranks below one alike in all else that has been
reviewed, and the coordinator sees why.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

from kith.domain import Activity, Reason, ReasonCode

from .explain import NOTHING, Component, single

UNANSWERED_REMINDERS = 3
"""Reminders after which a listing counts as long overdue, however recent its review."""


class Freshness(Enum):
    FRESH = 1.0
    DUE = 0.5
    OVERDUE = 0.0


@lru_cache(maxsize=16_384)
def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(last_reviewed_on: date | None, months: int) -> date | None:
    """When the next review falls due; None when it never was reviewed (due already)."""
    return months_after(last_reviewed_on, months) if last_reviewed_on else None


def freshness(activity: Activity, today: date, months: int) -> Freshness:
    return state(activity.last_reviewed_on, activity.reminders >= UNANSWERED_REMINDERS, today,
                 months)  # fmt: skip


def state(last: date | None, unanswered: bool, today: date, months: int) -> Freshness:
    """How fresh a listing last reviewed on ``last`` is ``today``; ``unanswered``: the
    organisers let the reminders go unanswered."""
    if last is None or unanswered:
        return Freshness.OVERDUE
    if today < months_after(last, months):
        return Freshness.FRESH
    return Freshness.DUE if today < months_after(last, 2 * months) else Freshness.OVERDUE


def review_due(activity: Activity, today: date, months: int) -> bool:
    return freshness(activity, today, months) is not Freshness.FRESH


@dataclass(frozen=True)
class Reviewed:
    """The REVIEWED part of one activity for one day, with its words."""

    component: Component
    notes: tuple[Reason, ...]

    @classmethod
    def of(cls, activity: Activity, today: date, months: int) -> Reviewed:
        unanswered = activity.reminders >= UNANSWERED_REMINDERS
        return reviewed(activity.last_reviewed_on, unanswered, today, months)


@lru_cache(maxsize=16_384)
def reviewed(last: date | None, unanswered: bool, today: date, months: int) -> Reviewed:
    """``Reviewed.of``, worded once for each review date: a suggestion weighs hundreds of
    activities, most of them reviewed in the same few months."""
    checked = f"checked {last:%B %Y}" if last else "never checked"
    match state(last, unanswered, today, months):
        case Freshness.FRESH:
            return Reviewed(single(1.0, ReasonCode.REVIEWED, f"listing {checked}"), ())
        case Freshness.DUE:
            text = f"listing due for review ({checked})"
            return Reviewed(single(0.5, ReasonCode.REVIEWED, text), ())
    note = Reason(ReasonCode.REVIEWED, f"listing long overdue for review ({checked})", 0.0)
    return Reviewed(NOTHING, (note,))
