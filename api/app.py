"""The Starlette app: GraphQL, Open Referral UK, health and the pages, built by a function from
its settings. Every door users get is mounted here, and tests drive this app."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

from cross_web import HTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from kith.service import Kith
from kith.settings import Settings
from kith.warm import warm
from web import pages
from web.self_referral import address_of

from . import fhir, oruk
from .auth import BearerAuth, BodyLimit
from .context import Context
from .errors import NOT_AN_OBJECT, client_error, refusal
from .schema import build_schema


class GraphQLDoor(GraphQL):
    """Strawberry's ASGI view, handing each request the app's service and fresh dataloaders,
    and answering everything in GraphQL's error shape, refusals at the door included."""

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            kith=request.app.state.kith,
            actor=request.scope.get("actor"),
            address=address_of(request),
        )

    async def run(self, request: Request, *args: object, **kwargs: object) -> Response:  # type: ignore[override]
        """Strawberry refuses a request it cannot read (a batch, not JSON, no query, a mutation
        by GET) with an ``HTTPException`` that its ASGI view answers as bare text."""
        try:
            return await super().run(request, *args, **kwargs)  # type: ignore[arg-type]
        except HTTPException as refused:
            body = refusal(refused.reason, request.method)
            return JSONResponse(body, status_code=refused.status_code)

    def decode_json(self, data: str | bytes) -> object:
        """Strawberry reads a body's fields with ``.get``: a JSON string, number or null there
        was a 500. (A list is a batch, which strawberry refuses itself.)"""
        decoded = super().decode_json(data)
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, NOT_AN_OBJECT)
        return decoded

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Every error leaves with its code: strawberry's ParserCache parses as its ``on_parse``
        begins, so a syntax error or the token limit escapes the ``ErrorCodes`` extension."""
        if result.errors:
            result.errors = [coded(error) for error in result.errors]
        return await super().process_result(request, result)


def coded(error: GraphQLError) -> GraphQLError:
    """``error`` in its client form, unless it is already."""
    return error if "code" in (error.extensions or {}) else client_error(error)


async def health(request: Request) -> JSONResponse:
    """The store's state: 200 when it answers, 503 when it does not; and which app process
    answered (with ``kith serve --workers N``, a load balancer's check can tell them apart)."""
    state = {**request.app.state.kith.health(), "process": os.getpid()}
    return JSONResponse(state, status_code=200 if state["status"] == "ok" else 503)


def create_app(settings: Settings | None = None, kith: Kith | None = None) -> Starlette:
    """The app over ``kith`` when given (tests share one), else over a service it opens from
    ``settings`` at start-up and closes at shutdown."""
    settings = settings or (kith.store.settings if kith else Settings.from_env())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service = kith or Kith.open(settings)
        if kith is None:  # a process of its own: ready before it accepts a connection
            await run_in_threadpool(warm, service)
        app.state.kith = service
        try:
            yield
        finally:
            if kith is None:
                service.close()

    app = Starlette(
        middleware=[Middleware(BodyLimit), Middleware(BearerAuth)],
        routes=[
            Route("/health", health),
            Route(
                "/graphql",
                # Every method reaches the door, which refuses all but GET and POST in
                # GraphQL's error shape (Starlette's own refusal is plain text).
                GraphQLDoor(build_schema(settings.introspection)),
            ),
            *oruk.routes(),
            *fhir.routes(),
            pages.mount(settings),
        ],
        lifespan=lifespan,
    )
    if kith is not None:  # ready before start-up too, for clients that skip the lifespan
        app.state.kith = kith
    return app
