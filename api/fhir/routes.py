"""The FHIR door's endpoints under /fhir, each a door onto the referral service functions.

Everything but ``metadata`` needs a prescriber's bearer token. Answers are
``application/fhir+json``; every refusal, an unknown path or method included, is an
OperationOutcome (api/fhir/outcome.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from kith import people, referral_states
from kith.accounts import Account, Role
from kith.domain import Person, Referral
from kith.errors import KithError
from kith.service import Kith

from . import resources
from .outcome import Refusal, from_kith, refused

FHIR_JSON = "application/fhir+json"
# FHIR's JSON type, plain JSON, and the type before STU3 that older integrations still send.
JSON_TYPES = (FHIR_JSON, "application/json", "application/json+fhir")
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
Endpoint = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")


def routes() -> list[BaseRoute]:
    """The /fhir mount, to add to the app's routes."""
    return [
        # The base URL itself answers as /metadata does: what a client reads first to learn
        # what the server does (FHIR R4 http.html#capabilities).
        Route("/fhir", door(GET=metadata), methods=METHODS),
        Mount(
            "/fhir",
            app=Router(
                [
                    Route("/", door(GET=metadata), methods=METHODS),
                    Route("/metadata", door(GET=metadata), methods=METHODS),
                    Route("/ServiceRequest", door(POST=create), methods=METHODS),
                    Route("/ServiceRequest/{id}", door(GET=read_request), methods=METHODS),
                    Route("/Task", door(GET=search_tasks), methods=METHODS),
                    Route("/Task/{id}", door(GET=read_task), methods=METHODS),
                ],
                default=unknown,
            ),
        ),
    ]


def fhir(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    return JSONResponse(body, status_code=status, headers=headers, media_type=FHIR_JSON)


def refusal(said: Refusal, **headers: str) -> Response:
    if said.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return fhir(said.body, said.status, **headers)


def door(**by_method: Endpoint) -> Endpoint:
    """An endpoint answering the methods given (HEAD as GET), each refusal as an
    OperationOutcome."""

    async def answer(request: Request) -> Response:
        endpoint = by_method.get("GET" if request.method == "HEAD" else request.method)
        if endpoint is None:
            allowed = ", ".join(by_method)
            said = f"{request.method} is not supported here: {allowed}"
            return refusal(refused(405, "not-supported", said), Allow=allowed)
        try:
            return await endpoint(request)
        except Refusal as said:
            return refusal(said)

    return answer


async def unknown(scope: Scope, receive: Receive, send: Send) -> None:
    said = refused(404, "not-found", "no such FHIR endpoint: GET /fhir/metadata lists them")
    await refusal(said)(scope, receive, send)


def base(request: Request) -> str:
    return f"{request.base_url}fhir/"


def prescriber(request: Request) -> Account:
    """The prescriber asking: FHIR is how a GP system refers, and a GP system is a prescriber's
    (coordinators and admins work in Kith itself)."""
    actor: Account | None = request.scope.get("actor")
    if actor is None:
        raise refused(401, "login", "send a prescriber's token: Authorization: Bearer <token>")
    if actor.role is not Role.PRESCRIBER:
        raise refused(403, "forbidden", "only a prescriber's token may use the FHIR door")
    return actor


async def run(work: Callable[..., T], request: Request, *args: Any) -> T:
    """``work(kith, actor, *args)`` for the prescriber asking, off the event loop (the store
    is blocking); a service's refusal becomes an OperationOutcome."""
    actor = prescriber(request)
    try:
        return await run_in_threadpool(work, request.app.state.kith, actor, *args)
    except KithError as error:
        raise from_kith(error) from None


async def metadata(request: Request) -> Response:
    return fhir(resources.capability(base(request)))


async def create(request: Request) -> Response:
    """201 with the new referral; 200 with the one made before when the prescriber sends the
    same identifier again."""
    prescriber(request)  # before reading the body: an anonymous sender learns nothing of it
    kind = request.headers.get("content-type", FHIR_JSON).split(";")[0].strip().lower()
    if kind not in JSON_TYPES:
        raise refused(415, "not-supported", f"send the ServiceRequest as {FHIR_JSON}")
    sent = resources.parse(await request.body())
    created, body = await run(refer, request, resources.asked(sent))
    location = f"{base(request)}ServiceRequest/{body['id']}"
    return fhir(body, 201 if created else 200, Location=location)


def refer(kith: Kith, actor: Account, asked: resources.Asked) -> tuple[bool, dict[str, Any]]:
    done = people.refer(kith, actor, asked.form, asked.reason, asked.urgency,
                        identifier=asked.identifier)  # fmt: skip
    assert done.referral is not None
    return done.created, resources.service_request(done.referral, sent(done.referral, done.person))


def sent(referral: Referral, person: Person) -> Person:
    """The person as this referral sent them (kept with it), else as held."""
    return referral.sent or person


async def read_request(request: Request) -> Response:
    return fhir(await run(service_request, request, request.path_params["id"]))


def service_request(kith: Kith, actor: Account, referral_id: str) -> dict[str, Any]:
    """The referral, and its person read as any read of a person is (authorised, audited)."""
    referral = referral_states.get(kith, actor, referral_id)
    person = people.get(kith, actor, referral.person_id)
    return resources.service_request(referral, sent(referral, person))


async def read_task(request: Request) -> Response:
    return fhir(await run(task, request, request.path_params["id"]))


def task(kith: Kith, actor: Account, referral_id: str) -> dict[str, Any]:
    referral = referral_states.get(kith, actor, referral_id)
    coordinator = referral.coordinator_id
    named = referral_states.accounts_named(kith, [coordinator]) if coordinator else {}
    return resources.task(referral, named[coordinator].name if coordinator in named else None)


async def search_tasks(request: Request) -> Response:
    """``based-on=ServiceRequest/{id}`` (or the id alone, or its full URL): the Task of a
    referral the prescriber made, or none (hl7.org/fhir/R4/search.html#reference)."""
    params = request.query_params
    others = sorted(set(params) - {"based-on"})
    if others or not params.get("based-on"):
        said = f"not a search parameter here: {', '.join(others)}; " if others else ""
        raise refused(400, "not-supported", f"{said}search Tasks by based-on=ServiceRequest/{{id}}")
    kind, _, referral_id = params["based-on"].rpartition("/")
    if kind and kind.rpartition("/")[2] != "ServiceRequest":
        raise refused(400, "value", "based-on must reference a ServiceRequest")
    try:
        found = [await run(task, request, referral_id)]
    except Refusal as said:
        if said.status != 404:
            raise
        found = []
    return fhir(resources.searchset(str(request.url), base(request), found))
