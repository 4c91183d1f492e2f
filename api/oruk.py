"""The Open Referral UK door: the public directory, read-only, as ORUK 3.0 REST under /oruk/.

GET /oruk/ (version, profile, openapi_url), /oruk/services, /oruk/services/{id},
/oruk/service_at_locations (``postcode``, ``proximity`` in metres), /oruk/taxonomies and
/oruk/taxonomy_terms. Lists are ORUK ``Page`` envelopes and take ``page``, ``per_page``,
``search``, ``taxonomy_id``, ``taxonomy_term_id``, ``minimum_age``, ``maximum_age``, ``day``,
``start_time`` and ``end_time``, all combined with AND. Open to any origin (CORS), like the
directory itself; a bad parameter is a 400 whose JSON body names it. People are never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from kith.domain import Weekday
from kith.errors import InvalidInput, KithError, NotFound, Unavailable
from kith.service import MAX_PAGE, MAX_RADIUS_KM, MAX_TEXT, Kith

from . import oruk_export as export
from .oruk_export import Query

DAY_NAMES = {**{d.value[:2]: d for d in Weekday}, **{d.value: d for d in Weekday}}
STATUS = {InvalidInput: 400, NotFound: 404, Unavailable: 503}
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$")


def routes() -> list[BaseRoute]:
    """The /oruk/ mount, to add to the app's routes."""
    return [
        Mount(
            "/oruk",
            routes=[
                Route("/", meta),
                Route("/services", endpoint(export.services_page)),
                Route("/services/{id}", endpoint(one(export.service))),
                Route(
                    "/service_at_locations", endpoint(export.service_at_locations_page, places=True)
                ),
                Route("/taxonomies", endpoint(export.taxonomies_page)),
                Route("/taxonomy_terms", endpoint(export.taxonomy_terms_page)),
            ],
            middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])],
        )
    ]


async def meta(request: Request) -> JSONResponse:
    return JSONResponse(
        {"version": export.VERSION, "profile": export.PROFILE, "openapi_url": export.OPENAPI_URL}
    )


Reader = Callable[..., dict[str, Any]]


def one(read: Callable[[Kith, str], dict[str, Any]]) -> Reader:
    """A single-object reader in the shape ``endpoint`` calls, given the path's id."""
    return lambda kith, _query, key: read(kith, key)


def endpoint(read: Reader, places: bool = False) -> Callable[[Request], Any]:
    """An endpoint that runs ``read`` off the event loop (the store is blocking) and sends its
    JSON, or the error: 400 naming the bad parameter, 404, or 503 when the store is down."""

    async def answer(request: Request) -> JSONResponse:
        kith: Kith = request.app.state.kith
        try:
            query = parse(kith, request.query_params, places)
            args = [request.path_params["id"]] if "id" in request.path_params else []
            body = await run_in_threadpool(read, kith, query, *args)
        except KithError as exc:
            return error(exc)
        return JSONResponse(body)

    return answer


def error(exc: KithError) -> JSONResponse:
    body: dict[str, Any] = {"code": exc.code, "message": str(exc)}
    if isinstance(exc, InvalidInput):
        body.update(parameter=exc.field, message=exc.reason)
    status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 500)
    return JSONResponse({"error": body}, status_code=status)


def parse(kith: Kith, params: QueryParams, places: bool) -> Query:
    """The list filters of a request, each checked; an error names the first bad one."""
    query = Query(
        search=text(params, "search"), taxonomy_id=text(params, "taxonomy_id"),
        taxonomy_term_id=text(params, "taxonomy_term_id"),
        minimum_age=number(params, "minimum_age", 0, 130),
        maximum_age=number(params, "maximum_age", 0, 130), day=day(params),
        start_time=clock(params, "start_time"), end_time=clock(params, "end_time"),
        page=whole(params, "page", 1, 1, 1_000_000),
        per_page=whole(params, "per_page", Query.per_page, 1, MAX_PAGE),
    )  # fmt: skip
    if places:
        postcode = text(params, "postcode")
        query.proximity_m = number(params, "proximity", 1, MAX_RADIUS_KM * 1000)
        if query.proximity_m and not postcode:
            raise InvalidInput("proximity", "needs a postcode to measure from")
        query.near = kith.place(postcode, None, None) if postcode else None
    return query


def text(params: QueryParams, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(name, f"is longer than {MAX_TEXT} characters")
    return value or None


def number(params: QueryParams, name: str, low: float, high: float) -> float | None:
    value = text(params, name)
    if value is None:
        return None
    try:
        found = float(value)
    except ValueError:
        raise InvalidInput(name, f"{value!r} is not a number") from None
    if not low <= found <= high:
        raise InvalidInput(name, f"must be between {low:g} and {high:g}")
    return found


def whole(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    value = text(params, name)
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(name, f"must be a whole number from {low} to {high}")
    return int(value)


def day(params: QueryParams) -> Weekday | None:
    value = text(params, "day")
    if value is None:
        return None
    found = DAY_NAMES.get(value.upper())
    if found is None:
        raise InvalidInput("day", f"{value!r} is not a day (MO ... SU, or MONDAY ... SUNDAY)")
    return found


def clock(params: QueryParams, name: str) -> str | None:
    """A time of day as "HH:MM" (seconds, if given, are dropped)."""
    value = text(params, name)
    if value is None:
        return None
    found = TIME.match(value)
    if not found:
        raise InvalidInput(name, f"{value!r} is not a time of day (HH:MM)")
    return f"{int(found.group(1)):02d}:{found.group(2)}"
