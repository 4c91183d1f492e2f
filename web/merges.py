"""A coordinator's "Possible duplicates": records that may be one person held twice, each pair
with its reason, merged into the record chosen or kept apart (kith/merges.py)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import merges
from kith.access import require
from kith.accounts import Role
from kith.errors import InvalidInput, NotFound

from .render import page, see_other

PATH = "/duplicates"


async def duplicates_page(request: Request, problem: str | None = None) -> Response:
    actor = require(request.scope["actor"], Role.COORDINATOR)
    found = await run_in_threadpool(merges.offers, request.app.state.kith, actor, 50)
    return page(request, "merges.html", 400 if problem else 200, offers=found, problem=problem)


async def decide(request: Request, form: FormData) -> Response:
    """Merge (keeping the record the coordinator chose) or keep apart, then back to the list;
    a record gone meanwhile (another coordinator merged it) is said on the list."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    keep, other = str(form.get("keep", "")), str(form.get("other", ""))
    try:
        if form.get("decision") == "merge":
            kept = await run_in_threadpool(merges.merge, kith, actor, keep, other)
            return see_other(PATH, request, f"Merged: {kept.name} is now one record.")
        await run_in_threadpool(merges.keep_apart, kith, actor, keep, other)
    except (InvalidInput, NotFound):
        return await duplicates_page(request, "One of those records has changed: look again.")
    return see_other(PATH, request, "Kept apart: they will not be offered again.")
