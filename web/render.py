"""Turning a page's data into a response: templates with what every page shows (who is signed
in, the CSRF token, a one-off message), redirects, and error pages for the service's errors."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from kith.domain import Person
from kith.errors import KithError, Unauthenticated
from kith.measures import SCORE_LABELS
from kith.schedule_words import also_on, in_words

from .security import csrf_token

log = logging.getLogger("kith.web")
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
STATUS = {"BAD_USER_INPUT": 400, "FORBIDDEN": 403, "NOT_FOUND": 404, "CONFLICT": 409,
          "UNAVAILABLE": 503}  # fmt: skip
TITLES = {400: "That did not work", 403: "Not allowed", 404: "Not found", 409: "Already done",
          503: "Kith is not available"}  # fmt: skip


def kind_of(entry: object) -> str:
    """What a directory entry is, as a word to show: "activity", "venue", "volunteer"..."""
    if isinstance(entry, Person):
        return "volunteer" if entry.is_volunteer else "person"
    return type(entry).__name__.lower()


templates.env.globals["kind_of"] = kind_of
templates.env.globals["in_words"] = in_words
templates.env.globals["also_on"] = also_on
templates.env.globals["score_labels"] = SCORE_LABELS


def page(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    """A template rendered for whoever is signed in, with the session's message if any.
    (The message lives in the signed, not encrypted, session cookie: never personal data.)"""
    context.update(
        actor=request.scope.get("actor"),
        csrf=partial(csrf_token, request),  # made when a form asks: no cookie for mere reading
        message=request.session.pop("message", None),
    )
    return templates.TemplateResponse(request, template, context, status_code=status)


def see_other(
    url: str, request: Request | None = None, message: str | None = None, failed: bool = False
) -> Response:
    """Redirect after a POST (so a reload does not send it again), leaving a message to show."""
    if request is not None and message:
        request.session["message"] = {"text": message, "failed": failed}
    return RedirectResponse(url, status_code=303)


def sign_in_first(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards."""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return see_other(f"/sign-in?next={quote(path)}")


class ErrorPages:
    """Shows the service's errors as pages: sign in when needed, else a page with the reason
    and the status API.md's code maps to. Other errors go on to Starlette's 500 handling."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            await self.app(scope, receive, send)
        except KithError as error:
            request = Request(scope, receive)
            if isinstance(error, Unauthenticated):
                response = sign_in_first(request)
            else:
                log.info("page refused: %s %s", error.code, request.url.path)
                status = STATUS.get(error.code, 500)
                response = page(request, "error.html", status, title=TITLES.get(status, "Sorry"),
                                error=error)  # fmt: skip
            await response(scope, receive, send)
