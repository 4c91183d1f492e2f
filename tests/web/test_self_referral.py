"""The public "Ask for support" page: in a real browser at both widths, someone finds it from
the directory, fixes a mistake, is told a reference, and their referral is in the
coordinators' queue as SELF; in process, the sixth try in an hour from one address is a 429
that says when to try again and writes nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance
from kith.self_referral import ALPHABET
from kith.service import Kith

from ..conftest import call
from .conftest import fits, sign_in

REFERENCE = re.compile(rf"K-[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}")
QUEUE = """query { referrals(status: [RECEIVED], first: 100) { edges { node {
    source reference contact reason person { name } } } } }"""
NO_CONSENT = "Consent is needed before Kith may keep what you send to contact you."
FORM = {"name": "Rita Walkin", "postcode": "DE22 3AB", "phone": "01332 496 001",
        "whatMatters": "I would like to get out more", "consent": "yes"}  # fmt: skip


def queued(client: TestClient, token: str) -> dict[str, dict]:
    """The coordinators' RECEIVED referrals by reference (references only SELF ones have)."""
    body = call(client, QUEUE, token)
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["referrals"]["edges"]]
    return {n["reference"]: n for n in nodes if n["reference"]}


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_someone_refers_themselves_from_the_directory_and_reaches_the_queue_as_self(
    live_server: str, browser_page: Page, client: TestClient, tokens: dict,
    coordinator: tuple[str, str], request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, viewport = browser_page, request.node.callspec.params["browser_page"]
    name = f"Rita Walkin-{viewport}"
    problems: list[str] = []

    page.goto(live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ask for support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for support")
    problems += fits(page, f"self-referral-{viewport}")

    page.get_by_label("Your name").fill(name)
    page.get_by_label("Postcode").fill("de22 3ab")
    page.get_by_label("Year of birth (optional)").fill("1951")
    page.get_by_label("Phone").fill("01332 496 002")
    page.get_by_label("What matters to you").fill("Company on a walk now and then")
    page.get_by_role("button", name="Ask for support").click()
    consent = page.get_by_label("I agree Kith keeps this to contact me")
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#consent-error")).to_have_text(f"Error: {NO_CONSENT}")
    expect(page.get_by_role("alert")).to_contain_text(NO_CONSENT)
    expect(page.get_by_label("Your name")).to_have_value(name)
    expect(page.get_by_label("What matters to you")).to_have_value("Company on a walk now and then")
    problems += fits(page, f"self-referral-error-{viewport}")

    consent.check()
    page.get_by_role("button", name="Ask for support").click()
    expect(page).to_have_url(f"{live_server}/refer-yourself/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for getting in touch")
    shown = page.get_by_role("status").inner_text()
    reference = REFERENCE.search(shown)
    assert reference, shown
    expect(page.get_by_role("main")).not_to_contain_text(name)
    problems += fits(page, f"self-referral-thanks-{viewport}")
    assert not problems, "\n".join(problems)

    found = queued(client, tokens["coordinator"])[reference.group()]
    assert found == {"source": "SELF", "reference": reference.group(),
                     "contact": "phone 01332 496 002", "reason": "Company on a walk now and then",
                     "person": {"name": name}}  # fmt: skip

    # On the coordinator's Referrals page: new, from SELF, with the reference and contact.
    sign_in(page, live_server, *coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    row = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=name))
    expect(row).to_contain_text("Self-referral")
    expect(row).to_contain_text(reference.group())
    expect(row).to_contain_text("phone 01332 496 002")


def test_the_sixth_in_an_hour_from_one_address_is_429_saying_when_and_writes_nothing(
    derby: Kith,
) -> None:
    visitor = TestClient(create_app(kith=derby), client=("203.0.113.20", 50000))
    assert visitor.get("/refer-yourself/thanks", follow_redirects=False).headers["location"] == (
        "/refer-yourself"
    )
    token = re.search(r'name="csrf" value="([^"]+)"', visitor.get("/refer-yourself").text)
    assert token
    form = {**FORM, "csrf": token.group(1)}
    for _ in range(5):
        sent = visitor.post("/refer-yourself", data=form, follow_redirects=False)
        assert sent.status_code == 303, sent.text
        assert REFERENCE.search(visitor.get(sent.headers["location"]).text)

    before = maintenance.counts(derby.store)
    refused = visitor.post("/refer-yourself", data=form)
    assert refused.status_code == 429
    assert "try again in 60 minutes" in refused.text
    assert 'value="Rita Walkin"' in refused.text  # as typed, to send later
    assert maintenance.counts(derby.store) == before
