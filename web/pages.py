"""The pages, wired: every route, the static files (ours, and Leaflet's and Chart.js's from
npm), and the middleware that only the pages need (sessions, CSRF, secure headers, error
pages).

Everything is under one ``Mount`` so that the GraphQL door keeps its own rules: it reads a
bearer token and never a cookie, so a cookie cannot be used against it from another site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kith.settings import Settings

from . import (
    directory,
    merges,
    people,
    queue,
    referrals,
    reminders,
    self_referral,
    signin,
    volunteers,
)
from . import listing_changes as changes
from . import listing_reports as listed
from . import outreach as reaching
from . import winter_plans as winter
from .companions import companions_page
from .render import ErrorPages
from .reports import reports_page
from .security import SameOrigin, SecureHeaders, StoreSessions, checked_form

HERE = Path(__file__).resolve().parent
LEAFLET = HERE / "node_modules" / "leaflet" / "dist"
CHART_JS = HERE / "node_modules" / "chart.js" / "dist"
SESSION_HOURS = 8

FormHandler = Callable[[Request, FormData], Awaitable[Response]]


def form_route(path: str, handler: FormHandler) -> Route:
    """A POST route whose handler only ever sees a form that passed the CSRF check: the one way
    the pages accept a POST, so no form can skip it."""

    async def endpoint(request: Request) -> Response:
        return await handler(request, await checked_form(request))

    return Route(path, endpoint, methods=["POST"])


def routes() -> list[BaseRoute]:
    return [
        Route("/", directory.directory),
        Route("/people/", directory.find_here),
        Route("/activities/", directory.find_here),
        Route("/terms", directory.terms),
        Route("/sign-in", signin.sign_in_page),
        form_route("/sign-in", signin.sign_in),
        form_route("/sign-out", signin.sign_out),
        Route("/people/{person_id}", people.person_page),
        Route("/people/{person_id}/companions/{activity_id}", companions_page),
        form_route("/people/{person_id}/buddies", people.propose),
        form_route("/people/{person_id}/consent", people.consent),
        form_route("/people/{person_id}/attendance", people.attend),
        form_route("/people/{person_id}/attendance/end", people.stop_going),
        form_route("/people/{person_id}/plan", people.save_plan),
        form_route("/people/{person_id}/winter-plan", winter.save),
        Route("/people/{person_id}/winter-plan/print", winter.print_page),
        form_route("/people/{person_id}/wellbeing", people.record_measure),
        form_route("/people/{person_id}/contacts", reaching.record_contact),
        form_route("/people/{person_id}/check-in", reaching.set_check_in),
        Route("/outreach", reaching.outreach_page),
        Route("/outreach.csv", reaching.outreach_csv),
        form_route("/matches/{match_id}", people.record_outcome),
        Route("/referrals", referrals.referrals_page),
        form_route("/referrals", referrals.refer_someone),
        Route("/referrals/{referral_id}/print", referrals.print_page),
        Route("/queue", queue.queue_page),
        Route("/reports", reports_page),
        form_route("/queue/{referral_id}/{action}", queue.move),
        Route("/refer-yourself", self_referral.self_referral_page),
        form_route("/refer-yourself", self_referral.refer_yourself),
        Route(self_referral.THANKS, self_referral.thanks),
        Route("/activities/{activity_id}/report", listed.report_page),
        form_route("/activities/{activity_id}/report", listed.report),
        Route("/activities/{activity_id}/report/thanks", listed.thanks),
        Route(listed.PATH, listed.queue_page),
        Route(reminders.PATH, reminders.reminders_page),
        form_route(reminders.PATH, reminders.write),
        form_route(listed.PATH + "/{report_id}/resolve", listed.resolve),
        Route(changes.MINE, changes.my_listings_page),
        form_route(changes.MINE + "/{activity_id}", changes.change),
        form_route(changes.MINE + "/{activity_id}/review", changes.still_right),
        Route(changes.QUEUE, changes.queue_page),
        form_route(changes.QUEUE + "/{change_id}/{action}", changes.decide),
        form_route("/organisers/{account_id}/trust", changes.trust),
        Route("/activities/{activity_id}/history", changes.history_page),
        form_route("/listing-versions/{version_id}/restore", changes.restore),
        Route("/volunteer", volunteers.sign_up_page),
        form_route("/volunteer", volunteers.sign_up),
        Route("/welcome", volunteers.welcome),
        Route("/my-record", volunteers.my_record),
        form_route("/my-record", volunteers.update_my_record),
        Route("/volunteers", volunteers.pending_page),
        Route(merges.PATH, merges.duplicates_page),
        form_route(merges.PATH, merges.decide),
        form_route("/volunteers/{person_id}/approve", volunteers.approve),
    ]


def mount(settings: Settings) -> Mount:
    """The pages at the root of the site, after the app's own routes. Static files sit outside
    the session layers: a stylesheet needs no session, and reading the signed-in account for
    each one cost a store read per file."""
    pages = Mount(
        "",
        routes=routes(),
        middleware=[
            Middleware(StoreSessions, session_cookie="kith_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=settings.https),
            Middleware(ErrorPages),
            Middleware(SameOrigin),
            Middleware(signin.SessionActor),
        ],
    )  # fmt: skip
    return Mount(
        "",
        routes=[
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
            # Installed by `make install` (npm ci); never fetched from a CDN.
            Mount(
                "/vendor/leaflet", StaticFiles(directory=LEAFLET, check_dir=False), name="leaflet"
            ),
            Mount("/vendor/chart.js", StaticFiles(directory=CHART_JS, check_dir=False)),
            pages,
        ],
        middleware=[Middleware(SecureHeaders)],
    )
