"""The coordinators' Outreach page: who to reach before a crisis (kith/outreach.py), from a
criteria form that starts at the winter-plan round — aged 85 or more, living alone, nobody in
touch for 30 days — with why each person is listed, a link to each, and the whole list as CSV
for a phone round. Also the person page's forms for a contact and a check-in cadence
(web/templates/person_contacts.html)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import contacts, outreach
from kith.access import require
from kith.accounts import Account, Role
from kith.domain import age_band
from kith.errors import InvalidInput
from kith.service import MAX_PAGE, Kith

from .forms import day, decimal, sentence, text
from .people import act
from .render import page

FIELDS = ("min_age", "lives_alone", "without_buddy", "without_activity", "no_contact_days",
          "postcode", "radius")  # fmt: skip
# The winter-plan round (Derby's "Your Life, Your Choice": everyone aged 85+ offered a plan).
DEFAULTS = {"min_age": "85", "lives_alone": "yes", "no_contact_days": "30"}
LABELS = {"minAge": "Aged at least", "noContactForDays": "No contact for (days)",
          "radiusKm": "Within (km)", "place": "Near postcode", "postcode": "Near postcode",
          "radius": "Within (km)"}  # fmt: skip


@dataclass(frozen=True)
class Asked:
    """The form as typed (shown back as typed); the winter round when nothing was asked yet."""

    values: dict[str, str]

    @classmethod
    def of(cls, query: dict[str, str]) -> Asked:
        if "asked" not in query:
            return cls(dict(DEFAULTS))
        return cls({name: query.get(name, "").strip() for name in FIELDS})

    def query(self) -> str:
        """The criteria as a query string, for the download link."""
        return urlencode({"asked": "1", **{k: v for k, v in self.values.items() if v}})


def whole(value: str, field: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(field, f"{value!r} is not a whole number")
    return int(value)


def criteria_of(kith: Kith, asked: Asked) -> outreach.Criteria:
    """The service's criteria from the form's text; the service checks the ranges."""
    v = asked.values
    postcode = v.get("postcode", "")
    return outreach.Criteria(
        min_age=whole(v.get("min_age", ""), "minAge"),
        lives_alone=True if v.get("lives_alone") else None,
        without_buddy=bool(v.get("without_buddy")),
        without_activity=bool(v.get("without_activity")),
        no_contact_for_days=whole(v.get("no_contact_days", ""), "noContactForDays"),
        near=kith.place(postcode, None, None) if postcode else None,
        radius_km=decimal(v.get("radius", ""), "radiusKm"),
    )


def listing(kith: Kith, actor: Account, asked: Asked) -> outreach.OutreachPage:
    return outreach.listing(kith, actor, criteria_of(kith, asked), MAX_PAGE)


async def outreach_page(request: Request) -> Response:
    """The list for the criteria asked (the winter round at first), or the form with what was
    wrong."""
    actor = require(request.scope.get("actor"), Role.COORDINATOR)
    asked = Asked.of(dict(request.query_params))
    found, problem = None, None
    try:
        found = await run_in_threadpool(listing, request.app.state.kith, actor, asked)
    except InvalidInput as error:
        problem = (error.field, sentence(error.field, error.reason, LABELS))
    return page(request, "outreach.html", status=400 if problem else 200, asked=asked,
                found=found, problem=problem, age_band=age_band)  # fmt: skip


def download(kith: Kith, actor: Account, asked: Asked) -> str:
    return outreach.download(kith, actor, criteria_of(kith, asked))


async def outreach_csv(request: Request) -> Response:
    """The whole list as CSV for a phone round (kith.outreach.download: audited)."""
    actor = require(request.scope.get("actor"), Role.COORDINATOR)
    asked = Asked.of(dict(request.query_params))
    try:
        made = await run_in_threadpool(download, request.app.state.kith, actor, asked)
    except InvalidInput as error:
        message = sentence(error.field, error.reason, LABELS)
        return Response(message, status_code=400, media_type="text/plain")
    name = f"outreach-{date.today().isoformat()}.csv"
    headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"}
    return Response(made, media_type="text/csv; charset=utf-8", headers=headers)


# the person page's forms ---------------------------------------------------------------


def contact_from_form(kith: Kith, actor: Account, person_id: str, form: FormData) -> object:
    """A contact on the day the form gives: now if today, else that day at noon (a form asks
    for the day only: the hour of a call last week is not worth a coordinator's typing)."""
    on = day(text(form, "on"), "at") or date.today()
    at = None if on == date.today() else datetime.combine(on, time(12), UTC)
    given = {"kind": text(form, "kind") or None, "at": at, "note": text(form, "note")}
    return contacts.record(kith, actor, person_id, given)


async def record_contact(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Contact recorded.", contact_from_form, person_id, form)


def check_in_from_form(kith: Kith, actor: Account, person_id: str, form: FormData) -> object:
    return contacts.set_check_in(kith, actor, person_id, whole(text(form, "every"), "everyDays"))


async def set_check_in(request: Request, form: FormData) -> Response:
    person_id = request.path_params["person_id"]
    done = "Check-ins set." if text(form, "every") else "No regular check-ins any more."
    return await act(request, person_id, done, check_in_from_form, person_id, form)
