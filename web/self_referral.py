"""The public "Ask for support" page: anyone may refer themselves, with nobody signed in, by
the same service as GraphQL's ``selfRefer``; then a thank-you showing their reference."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith.errors import InvalidInput, RateLimited
from kith.self_referral import self_refer

from .forms import FormState, text, whole
from .render import page, see_other

FIELDS = ("name", "phone", "email", "postcode", "birth_year", "whatMatters")
LABELS = {"whatMatters": "What matters to you", "birth_year": "Year of birth"}
THANKS = "/refer-yourself/thanks"


def address_of(request: Request) -> str:
    """The client's address, as uvicorn gives it: from ``X-Forwarded-For`` only when the
    request came through a proxy it trusts (``FORWARDED_ALLOW_IPS``, loopback unless set), as
    anyone else could name a fresh address with every request."""
    return request.client.host if request.client else ""


def form_page(
    request: Request, state: FormState, status: int = 200, limited: str | None = None
) -> Response:
    return page(request, "self_referral.html", status, state=state, limited=limited,
                reference=None)  # fmt: skip


async def self_referral_page(request: Request) -> Response:
    return form_page(request, FormState(labels=LABELS))


def self_referral_input(values: dict[str, object]) -> dict[str, object]:
    """The form as SelfReferralInput's fields."""
    return {
        "name": values["name"], "phone": values["phone"] or None,
        "email": values["email"] or None, "postcode": values["postcode"],
        "birth_year": whole(str(values["birth_year"]), "birthYear"),
        "what_matters": values["whatMatters"], "consent": values["consent"],
    }  # fmt: skip


async def refer_yourself(request: Request, form: FormData) -> Response:
    """Refer, then on to the thank-you; a mistake shows the form again as typed, with the error
    by its input, and too many from one address is 429 with when to try again."""
    values: dict[str, object] = {name: text(form, name) for name in FIELDS}
    values["consent"] = form.get("consent") == "yes"
    state = FormState(values, labels=LABELS)
    try:
        reference = await run_in_threadpool(
            self_refer, request.app.state.kith, self_referral_input(values), address_of(request)
        )
    except InvalidInput as error:
        return form_page(request, state.fail(error), 400)
    except RateLimited as error:
        return form_page(request, state, 429, limited=f"Sorry, {error}.")
    # In the session (signed, not encrypted): a reference names nobody without a
    # coordinator's access, and kept there, a reload shows it again rather than sending twice.
    request.session["reference"] = reference
    return see_other(THANKS)


async def thanks(request: Request) -> Response:
    reference = request.session.get("reference")
    if reference is None:
        return see_other("/refer-yourself")
    return page(request, "self_referral.html", reference=reference)
