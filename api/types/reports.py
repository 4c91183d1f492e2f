"""The service lead's report as GraphQL types: every figure is a value with ``suppressed``
beside it, so a count of 1-4 is null with ``suppressed: true``, never the number
(kith/disclosure.py)."""

from __future__ import annotations

import datetime

import strawberry

from kith import disclosure
from kith import reports as service


@strawberry.type(description="A count: null with suppressed true when it is from 1 to 4, or "
                 "when it would let one be worked out from a total.")  # fmt: skip
class ReportCount:
    value: int | None
    suppressed: bool


@strawberry.type(description="A count of one kind within a breakdown (a source, a month...).")
class ReportCountBy:
    key: str
    value: int | None
    suppressed: bool


@strawberry.type(description="A figure over people (a mean, a median, a share, an interval's "
                 "end): null with suppressed true over fewer than five people, null alone "
                 "over none.")  # fmt: skip
class ReportFigure:
    value: float | None
    suppressed: bool


@strawberry.type
class ReportReferrals:
    received: ReportCount
    by_source: list[ReportCountBy]
    by_status: list[ReportCountBy] = strawberry.field(description="Each referral's status now.")
    by_month: list[ReportCountBy] = strawberry.field(description="Keys are YYYY-MM.")


@strawberry.type(description="Days from a referral's arrival to its first contact.")
class ReportFirstContact:
    median_days: ReportFigure = strawberry.field(description="Over the referrals contacted; "
                                                 "how many is not shown, as with the counts "
                                                 "by status it could give one away.")  # fmt: skip


@strawberry.type(description="People referred in the period (once each, from their first "
                 "referral in it), and those matched within 8 weeks of it: a buddy pairing "
                 "proposed or agreed, or an activity started.")  # fmt: skip
class ReportMatches:
    people: ReportCount
    matched: ReportCount
    not_matched: ReportCount
    share: ReportFigure = strawberry.field(description="matched / people, 0 to 1.")


@strawberry.type(description="One score of a wellbeing measure: people with a baseline and a "
                 "follow-up in the period (first baseline, latest follow-up), the mean change "
                 "(follow-up minus baseline) and its 95% confidence interval.")  # fmt: skip
class ReportWellbeing:
    measure: str
    score: str
    better: int = strawberry.field(description="1 where a rise is better, -1 where a fall is.")
    people: ReportCount
    mean_change: ReportFigure
    lower: ReportFigure
    upper: ReportFigure
    confidence: float
    method: str = strawberry.field(description="'paired t': Student's t, n - 1 degrees of "
                                   "freedom, on each person's change.")  # fmt: skip


@strawberry.type(description="Unmet needs counted in one outward postcode, with its centroid.")
class ReportUnmetPlace:
    outcode: str
    latitude: float | None
    longitude: float | None
    value: int | None
    suppressed: bool


@strawberry.type(description="Searches, suggestions and referrals that found nothing suitable.")
class ReportUnmetNeeds:
    total: ReportCount
    by_kind: list[ReportCountBy]
    by_outcode: list[ReportUnmetPlace]


@strawberry.type(description="Aggregates only, never a person; small counts suppressed.")
class Report:
    from_: datetime.date = strawberry.field(name="from")
    to: datetime.date
    radius_km: float | None = strawberry.field(description="Null when no area was given.")
    referrals: ReportReferrals
    first_contact: ReportFirstContact
    matched_within_8_weeks: ReportMatches
    wellbeing: list[ReportWellbeing]
    unmet_needs: ReportUnmetNeeds


def whole(cell: disclosure.Cell) -> ReportCount:
    return ReportCount(
        value=None if cell.value is None else int(cell.value), suppressed=cell.suppressed
    )


def keyed(cells: dict[str, disclosure.Cell]) -> list[ReportCountBy]:
    return [ReportCountBy(key=k, value=whole(c).value, suppressed=c.suppressed)
            for k, c in cells.items()]  # fmt: skip


def figure(cell: disclosure.Cell) -> ReportFigure:
    return ReportFigure(value=cell.value, suppressed=cell.suppressed)


def change(c: service.Change) -> ReportWellbeing:
    return ReportWellbeing(
        measure=c.measure, score=c.score, better=c.better, people=whole(c.people),
        mean_change=figure(c.mean), lower=figure(c.lower), upper=figure(c.upper),
        confidence=service.CONFIDENCE, method=c.method,
    )  # fmt: skip


def place(u: service.Unmet) -> ReportUnmetPlace:
    lat, lon = u.point or (None, None)
    return ReportUnmetPlace(outcode=u.outcode, latitude=lat, longitude=lon,
                            value=whole(u.count).value, suppressed=u.count.suppressed)  # fmt: skip


def report(r: service.Report) -> Report:
    referrals = ReportReferrals(
        received=whole(r.received),
        by_source=keyed(r.by_source),
        by_status=keyed(r.by_status),
        by_month=keyed(r.by_month),
    )
    contact = ReportFirstContact(median_days=figure(r.median_days))
    matches = ReportMatches(
        people=whole(r.referred_people),
        matched=whole(r.matched),
        not_matched=whole(r.unmatched),
        share=figure(r.matched_share),
    )
    unmet = ReportUnmetNeeds(
        total=whole(r.unmet_total),
        by_kind=keyed(r.unmet_by_kind),
        by_outcode=[place(u) for u in r.unmet_by_outcode],
    )
    return Report(
        from_=r.start,
        to=r.end,
        radius_km=r.radius_km,
        referrals=referrals,
        first_contact=contact,
        matched_within_8_weeks=matches,
        wellbeing=[change(c) for c in r.wellbeing],
        unmet_needs=unmet,
    )
