"""The /reports page for coordinators and admins: the report (kith/reports.py) for a period,
the last 12 months unless asked, optionally near a postcode. Each chart is drawn from the
table beside it (web/static/report-charts.js), the unmet needs map from its table
(web/static/report-map.js), so a chart never shows a figure the table does not, and a
suppressed figure is "fewer than 5" in the table and a gap in the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kith import reports
from kith.access import require
from kith.accounts import Account, Role
from kith.disclosure import Cell
from kith.errors import InvalidInput
from kith.measures import MEASURES
from kith.service import Kith

from .forms import day, decimal, sentence
from .queue import SOURCES
from .referrals import STATUSES
from .render import page
from .security import TILES

KINDS = {"SEARCH": "Searches with a place", "ACTIVITY_SUGGESTION": "Activity suggestions",
         "BUDDY_SUGGESTION": "Buddy suggestions", "REFERRAL": "Referrals closed unmet"}  # fmt: skip
LABELS = {"from": "From", "to": "To", "postcode": "Area postcode", "radiusKm": "Within (km)"}
FIELDS = ("from", "to", "postcode", "radius")
LAST_DAYS = 365  # the default period: the last 12 months, today included
SCORES = {"lifeSatisfaction": "Life satisfaction", "worthwhile": "Worthwhile",
          "happiness": "Happiness", "anxiety": "Anxiety", "wellbeing": "Wellbeing",
          "loneliness": "Loneliness"}  # fmt: skip


@dataclass(frozen=True)
class Asked:
    """The form as typed (shown back as typed), and the period it means."""

    start: str
    end: str
    postcode: str
    radius: str

    @classmethod
    def of(cls, values: dict[str, str], today: date) -> Asked:
        """What was asked, the last 12 months (to today) where the period is left out."""
        typed = {name: values.get(name, "").strip() for name in FIELDS}
        year = today - timedelta(days=LAST_DAYS - 1)
        return cls(typed["from"] or year.isoformat(), typed["to"] or today.isoformat(),
                   typed["postcode"], typed["radius"])  # fmt: skip


def shown(cell: Cell, style: str = "") -> str:
    """A figure as the tables show it: suppressed is "fewer than 5", nothing is a dash; a
    figure over people in the ``style`` given ("{:.1f}", "{:.0%}"), so none reads as a count."""
    if style and not cell.suppressed and cell.value is not None:
        return style.format(cell.value)
    return reports.shown(cell)


def labelled(cells: dict[str, Cell], names: dict[str, str]) -> list[tuple[str, Cell]]:
    return [(names.get(key, key), cell) for key, cell in cells.items()]


def months(cells: dict[str, Cell]) -> list[tuple[str, Cell]]:
    """By month, each named as people say it ("2026-01" → "Jan 2026")."""
    return [(date.fromisoformat(f"{key}-01").strftime("%b %Y"), c) for key, c in cells.items()]


def build(kith: Kith, actor: Account, asked: Asked) -> reports.Report:
    start, end = day(asked.start, "from"), day(asked.end, "to")
    area = kith.place(asked.postcode, None, None) if asked.postcode else None
    radius = decimal(asked.radius, "radiusKm")
    return reports.report(kith, actor, start, end, area, radius)  # type: ignore[arg-type]


async def reports_page(request: Request) -> Response:
    """The report for the period asked (the last 12 months at first), or the form with what
    was wrong."""
    actor = require(request.scope.get("actor"), Role.COORDINATOR)
    asked = Asked.of(dict(request.query_params), date.today())
    made, problem = None, None
    try:
        made = await run_in_threadpool(build, request.app.state.kith, actor, asked)
    except InvalidInput as error:
        problem = (error.field, sentence(error.field, error.reason, LABELS))
    return page(request, "reports.html", 400 if problem else 200, asked=asked, report=made,
                problem=problem, **TEMPLATE)  # fmt: skip


# What the template needs besides the report: how to show figures, and what keys are called.
TEMPLATE = {
    "shown": shown, "labelled": labelled, "months": months, "sources": SOURCES,
    "statuses": STATUSES, "kinds": KINDS, "scores": SCORES,
    "titles": {m.name: m.title for m in MEASURES.values()},
    "tiles": f"{TILES}/{{z}}/{{x}}/{{y}}.png",
}  # fmt: skip
