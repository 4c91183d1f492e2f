"""The public "Tell us something is wrong" form on an activity's listing, and the coordinators'
"Listing reports" queue where each is resolved (kith/listing_reports.py, the same service as
GraphQL's ``reportListing`` and ``resolveListingReport``)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import listing_reports as lr
from kith.access import require
from kith.accounts import Role
from kith.domain import Activity, ListingStatus
from kith.errors import Conflict, InvalidInput, NotFound, RateLimited

from .forms import FormState, text
from .render import page, see_other
from .self_referral import address_of

PATH = "/listing-reports"
STATUSES = {
    "": "Leave its status as it is",
    "ACTIVE": "Running: it is right now",
    "TEMPORARILY_CLOSED": "Closed for now",
    "CLOSED": "Closed for good",
}
PROBLEMS = {
    "OUT_OF_DATE": "Something here is out of date (the day, time, place or cost)",
    "CLOSED": "It has closed or stopped running",
    "EXTRA_INFORMATION": "Something is missing that people need to know",
}


def form_path(activity_id: str) -> str:
    return f"/activities/{activity_id}/report"


def activity_of(request: Request) -> Activity:
    """The activity in the path, or NOT_FOUND (a 404 page)."""
    activity_id = request.path_params["activity_id"]
    found = request.app.state.kith.activities([activity_id]).get(activity_id)
    if found is None:
        raise NotFound(f"no activity {activity_id!r}")
    return found


def form_page(request: Request, activity: Activity, state: FormState, status: int = 200,
              limited: str | None = None) -> Response:  # fmt: skip
    return page(request, "listing_report.html", status, activity=activity, state=state,
                problems=PROBLEMS, limited=limited, thanked=False)  # fmt: skip


async def report_page(request: Request) -> Response:
    activity = await run_in_threadpool(activity_of, request)
    return form_page(request, activity, FormState())


async def report(request: Request, form: FormData) -> Response:
    """Keep the report, then the thank-you; a mistake shows the form again as typed with the
    error by its input, and too many from one address is 429 saying when to try again."""
    activity = await run_in_threadpool(activity_of, request)
    values = {"problem": text(form, "problem"), "note": text(form, "note")}
    state = FormState(values)
    try:
        await run_in_threadpool(lr.report, request.app.state.kith, activity.id,
                                values["problem"], values["note"] or None,
                                address_of(request))  # fmt: skip
    except InvalidInput as error:
        return form_page(request, activity, state.fail(error), 400)
    except RateLimited as error:
        return form_page(request, activity, state, 429, limited=f"Sorry, {error}.")
    return see_other(form_path(activity.id) + "/thanks")


async def thanks(request: Request) -> Response:
    activity = await run_in_threadpool(activity_of, request)
    return page(request, "listing_report.html", activity=activity, thanked=True)


async def queue_page(request: Request, problem: str | None = None) -> Response:
    """Open reports, newest first, each with its activity and a form to resolve it."""
    actor = require(request.scope["actor"], Role.COORDINATOR)
    found = await run_in_threadpool(lr.listing, request.app.state.kith, actor, True, 100, None)
    return page(request, "listing_reports.html", 400 if problem else 200, found=found,
                problems=PROBLEMS, statuses=STATUSES, problem=problem)  # fmt: skip


async def resolve(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    report_id = request.path_params["report_id"]
    chosen = text(form, "status")
    if chosen not in STATUSES:
        return await queue_page(request, "Not resolved: choose the listing's status from the list.")
    status = ListingStatus(chosen) if chosen else None
    try:
        done = await run_in_threadpool(lr.resolve, kith, actor, report_id, text(form, "note"),
                                       status)  # fmt: skip
    except InvalidInput as error:
        return await queue_page(request, f"Not resolved: {error.reason}.")
    except (NotFound, Conflict):
        return await queue_page(request, "That report has changed: look again.")
    name = done.activity.name if done.activity else "the activity"
    return see_other(PATH, request, f"Resolved the report about {name}.")
