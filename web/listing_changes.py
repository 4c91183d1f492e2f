"""Organisers' "My listings" (their groups' activities: still right, an edit, what waits, what
the public reported), the coordinators' "Listing changes" (each waiting change beside the live
listing, approved or rejected; organisers trusted or not), and a listing's history with its
"Restore" (kith/listing_changes.py, kith/listing_versions.py, kith/organisers.py: the same
services as GraphQL's)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import listing_changes as lc
from kith import listing_reviews, listing_versions, organisers
from kith.access import require
from kith.accounts import Role
from kith.domain import Activity, ListingStatus, Weekday
from kith.errors import Conflict, InvalidInput, NotFound

from .forms import decimal, sentence, text
from .listing_reports import PROBLEMS
from .render import page, see_other

MINE = "/my-listings"
QUEUE = "/listing-changes"
LABELS = {"sessions": "Sessions", "sessions.start": "Start time", "sessions.end": "End time",
          "cost": "Cost", "description": "Description", "status": "Status",
          "input": "Your change"}  # fmt: skip
STATUSES = {s.value: lc.STATUS_WORDS[s] for s in ListingStatus}


def history_path(activity_id: str) -> str:
    return f"/activities/{activity_id}/history"


async def my_listings_page(
    request: Request, problem: dict | None = None, typed: dict | None = None
) -> Response:
    """An organiser's listings with their review state, each with "Still right" and an edit
    form; their own changes (waiting, and decided with any note); open public reports."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    require(actor, Role.ORGANISER)

    def gather() -> dict:
        listings = organisers.kept_listings(kith, actor)
        return {"listings": listings, "due": {a.id: listing_reviews.due(kith, a) for a in listings},
                "changes": lc.listing(kith, actor, None, 20, None).changes,
                "reports": organisers.reports_about(kith, actor, listings),
                "rows_of": {a.id: session_rows(a) for a in listings}}  # fmt: skip

    found = await run_in_threadpool(gather)
    return page(request, "my_listings.html", 400 if problem else 200, **found, problem=problem,
                typed=typed or {}, days=[d.value for d in Weekday], statuses=STATUSES,
                problems=PROBLEMS, describe=lc.describe)  # fmt: skip


def session_rows(activity: Activity) -> list[dict[str, str]]:
    """The edit form's session rows: one per session, and an empty one to add another."""
    rows = [{"day": s.day.value, "start": s.start, "end": s.end or ""} for s in activity.sessions]
    return [*rows, {"day": "", "start": "", "end": ""}]


def change_form(form: FormData) -> dict:
    """The edit form as the service takes it: every field, sessions from the rows filled in."""
    rows = zip(form.getlist("day"), form.getlist("start"), form.getlist("end"), strict=False)
    sessions = [{"day": d, "start": s.strip(), "end": e.strip() or None}
                for d, s, e in rows if d or s.strip()]  # fmt: skip
    for row in sessions:
        if row["day"] not in Weekday.__members__:
            raise InvalidInput("sessions", "choose a day for each session")
    return {
        "sessions": sessions,
        "cost": decimal(text(form, "cost"), "cost"),
        "description": text(form, "description") or None,
        "status": text(form, "status"),
    }


async def change(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    activity_id = request.path_params["activity_id"]
    try:
        done = await run_in_threadpool(lambda: lc.update(kith, actor, activity_id,
                                                         change_form(form)))  # fmt: skip
    except InvalidInput as error:
        said = sentence(error.field, error.reason, LABELS)
        return await my_listings_page(request, {"activity": activity_id, "text": said},
                                      {activity_id: typed_values(form)})  # fmt: skip
    name = done.activity.name
    if done.outcome is lc.Outcome.APPLIED:
        return see_other(MINE, request, f"Changed {name}: the new version is live.")
    return see_other(MINE, request, f"Sent your change to {name} for a coordinator's approval.")


def typed_values(form: FormData) -> dict:
    """The edit form as typed, to show again beside its error."""
    rows = zip(form.getlist("day"), form.getlist("start"), form.getlist("end"), strict=False)
    return {"sessions": [{"day": d, "start": s, "end": e} for d, s, e in rows],
            "cost": text(form, "cost"), "description": text(form, "description"),
            "status": text(form, "status")}  # fmt: skip


async def still_right(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    activity_id = request.path_params["activity_id"]
    done = await run_in_threadpool(listing_reviews.review, kith, actor, activity_id, None)
    return see_other(MINE, request, f"Thank you: {done.name} is marked as still right today.")


async def queue_page(request: Request, problem: str | None = None) -> Response:
    """Waiting changes, newest first, each field beside the live listing's; organisers."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    require(actor, Role.COORDINATOR)

    def gather() -> dict:
        return {"changes": lc.listing(kith, actor, True, 100, None).changes,
                "organisers": organisers.every(kith, actor)}  # fmt: skip

    found = await run_in_threadpool(gather)
    return page(request, "listing_changes.html", 400 if problem else 200, **found,
                problem=problem, history_path=history_path)  # fmt: skip


async def decide(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    change_id, action = request.path_params["change_id"], request.path_params["action"]
    try:
        if action == "approve":
            done = await run_in_threadpool(lc.approve, kith, actor, change_id)
        elif action == "reject":
            done = await run_in_threadpool(lc.reject, kith, actor, change_id, text(form, "note"))
        else:
            raise NotFound(f"no action {action!r}")
    except InvalidInput as error:
        return await queue_page(request, f"Not rejected: {error.reason}.")
    except Conflict:
        return await queue_page(request, "That change has already been decided: look again.")
    name = done.activity.name if done.activity else "the listing"
    said = "Approved: the change to {} is live." if action == "approve" else "Rejected the "\
        "change to {}."  # fmt: skip
    return see_other(QUEUE, request, said.format(name))


async def trust(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    trusted = form.get("trusted") == "yes"
    done = await run_in_threadpool(organisers.trust, kith, actor,
                                   request.path_params["account_id"], trusted)  # fmt: skip
    said = "now go live at once" if done.trusted else "now wait for approval"
    return see_other(QUEUE, request, f"{done.name}'s changes {said}.")


async def history_page(request: Request) -> Response:
    """A listing's versions, newest first, with who and when, each but the live one restorable."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    activity_id = request.path_params["activity_id"]

    def gather() -> dict:
        versions = listing_versions.versions(kith, actor, activity_id)
        return {"versions": versions, "activity": kith.activities([activity_id])[activity_id]}

    found = await run_in_threadpool(gather)
    return page(request, "listing_history.html", **found, describe=lc.describe,
                fields=lc.EDITABLE, labels=LABELS)  # fmt: skip


async def restore(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    done = await run_in_threadpool(listing_versions.restore, kith, actor,
                                   request.path_params["version_id"])  # fmt: skip
    said = f"Restored: {done.listing.name} is live as version {done.number}."
    return see_other(history_path(done.activity_id), request, said)
