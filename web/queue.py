"""The coordinator's "Referrals" page: the queue (kith/referral_queue.py) a page at a time,
everyone's or only those assigned to me, with a form for each move a referral may make next —
accept (to me or a colleague), decline with a reason, record a contact, close with an outcome.
Each form calls the service GraphQL's mutation calls; a refused move is shown by its form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import referral_queue, referral_states
from kith.access import require
from kith.accounts import Account, Role
from kith.domain import ReferralStatus
from kith.errors import Conflict, InvalidInput, NotFound
from kith.service import Kith

from .forms import sentence, text, whole
from .referrals import STATUSES
from .render import STATUS, page, see_other

SOURCES = {
    "GP": "GP", "SELF": "Self-referral", "SOCIAL_CARE": "Social care", "HOSPITAL": "Hospital",
    "VOLUNTARY_SECTOR": "Voluntary sector", "OTHER": "Other",
}  # fmt: skip
OUTCOMES = {"COMPLETED": "Completed", "DID_NOT_ENGAGE": "Did not engage",
            "WITHDRAWN": "Withdrawn"}  # fmt: skip
# The service's field names → the form's inputs, and what each input is called in an error.
INPUTS = {"coordinatorId": "coordinator"}
LABELS = {"coordinator": "Who will work with them", "reason": "Reason for declining",
          "note": "Note", "outcome": "Outcome"}  # fmt: skip
DONE = {"accept": "Referral accepted.", "decline": "Referral declined.",
        "contact": "Contact recorded.", "close": "Referral closed."}  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """Which part of the queue is shown: everyone's or mine, and which page."""

    mine: bool = False
    page: int = 1

    @classmethod
    def of(cls, values: Mapping) -> Shown:
        """From the query string, or a form's hidden inputs that carry it back."""
        page = whole(str(values.get("page", "")).strip(), "page")
        return cls(values.get("mine") == "yes", 1 if page is None else page)

    def url(self, page: int | None = None, mine: bool | None = None) -> str:
        mine = self.mine if mine is None else mine
        query = {"mine": "yes"} if mine else {}
        number = self.page if page is None else page
        if number != 1:
            query["page"] = str(number)
        return "/queue" + (f"?{urlencode(query)}" if query else "")


@dataclass
class Problem:
    """A move that was refused, to show by the form it was sent from: ``about`` is the input
    it is about (None: the move as a whole), ``values`` what was typed."""

    referral_id: str
    action: str
    message: str
    code: str  # the service's error code, which says the page's status
    about: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    on_page: bool = False  # whether the referral is on the page shown
    at_form: bool = False  # and that form with it (the referral may have moved on meanwhile)


@dataclass
class View:
    queue: referral_queue.QueuePage
    colleagues: list[Account]
    follow_ups: list[referral_queue.Due]
    check_ins: list[referral_queue.Due]


def view(kith: Kith, actor: Account, shown: Shown) -> View:
    return View(referral_queue.queue(kith, actor, shown.mine, shown.page),
                referral_queue.coordinators(kith, actor),
                referral_queue.follow_ups(kith, actor, date.today()),
                referral_queue.check_ins(kith, actor, date.today()))  # fmt: skip


async def queue_page(
    request: Request, shown: Shown | None = None, problem: Problem | None = None
) -> Response:
    actor = require(request.scope["actor"], Role.COORDINATOR)
    shown = shown or Shown.of(request.query_params)
    seen = await run_in_threadpool(view, request.app.state.kith, actor, shown)
    found = seen.queue
    if problem is not None:
        row = next((r for r in found.rows if r.referral.id == problem.referral_id), None)
        problem.on_page = row is not None
        problem.at_form = row is not None and offers(row.actions, problem.action)
    status = STATUS[problem.code] if problem else 200
    return page(request, "queue.html", status, queue=found, shown=shown, problem=problem,
                colleagues=[c for c in seen.colleagues if c.id != actor.id], sources=SOURCES,
                statuses=STATUSES, outcomes=OUTCOMES, follow_ups=seen.follow_ups,
                check_ins=seen.check_ins, today=date.today())  # fmt: skip


def offers(actions: referral_queue.Actions, action: str) -> bool:
    return {"accept": actions.accept, "decline": actions.decline, "contact": actions.contact,
            "close": bool(actions.outcomes)}.get(action, False)  # fmt: skip


def accept(kith: Kith, actor: Account, referral_id: str, form: FormData) -> object:
    """To me (no colleague chosen) or to the colleague chosen."""
    return referral_states.accept(kith, actor, referral_id, text(form, "coordinator") or None)


def decline(kith: Kith, actor: Account, referral_id: str, form: FormData) -> object:
    return referral_states.decline(kith, actor, referral_id, text(form, "reason"))


def contact(kith: Kith, actor: Account, referral_id: str, form: FormData) -> object:
    """A contact now: the page records contacts as they happen."""
    return referral_states.record_contact(kith, actor, referral_id, None,
                                          text(form, "note") or None)  # fmt: skip


def close(kith: Kith, actor: Account, referral_id: str, form: FormData) -> object:
    outcome = text(form, "outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", "choose an outcome" if not outcome
                           else f"{outcome!r} is not an outcome")  # fmt: skip
    return referral_states.close(kith, actor, referral_id, ReferralStatus(outcome),
                                 text(form, "note") or None)  # fmt: skip


MOVES: dict[str, Callable[[Kith, Account, str, FormData], object]] = {
    "accept": accept, "decline": decline, "contact": contact, "close": close,
}  # fmt: skip


async def move(request: Request, form: FormData) -> Response:
    """Make the move, then back to the same part of the queue saying so (naming nobody: the
    notice lives in the session cookie); a refusal shows the queue again, by the form."""
    actor = require(request.scope["actor"], Role.COORDINATOR)
    action, referral_id = request.path_params["action"], request.path_params["referral_id"]
    if action not in MOVES:
        raise NotFound(f"a referral cannot be moved by {action!r}")
    shown = Shown.of(form)
    try:
        await run_in_threadpool(MOVES[action], request.app.state.kith, actor, referral_id, form)
    except InvalidInput as error:
        name = INPUTS.get(error.field, error.field)
        typed = {k: text(form, k) for k in ("coordinator", "reason", "note", "outcome")}
        said = sentence(name, error.reason, LABELS)
        problem = Problem(referral_id, action, said, error.code, name, typed)
        return await queue_page(request, shown, problem)
    except (Conflict, NotFound) as error:
        said = f"Not done: {error}" + ("" if str(error).endswith(".") else ".")
        problem = Problem(referral_id, action, said, error.code)
        return await queue_page(request, shown, problem)
    return see_other(shown.url(), request, DONE[action])
