"""'Tell us something is wrong': in a real browser at both widths, a visitor finds an activity
in the directory, follows the link on its listing, fixes a note that is too long and sends the
report, with no sign-in and nothing asked about who they are; a coordinator then sees it on
"Listing reports" and resolves it, marking the listing closed for now. In process: an unknown
activity is a 404, and the eleventh report in an hour from one address is a 429 that writes
nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance
from kith.listing_reports import PER_HOUR
from kith.service import Kith

from .conftest import fits, sign_in

ACTIVITY = re.compile(r'href="/activities/([^"/]+)/report"')


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_visitor_reports_a_listing_and_a_coordinator_resolves_it(
    live_server: str, browser_page: Page, coordinator: tuple[str, str],
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, width = browser_page, request.node.callspec.params["browser_page"]
    note = f"It moved to Thursdays ({width})"
    problems: list[str] = []

    page.goto(live_server)
    page.get_by_label("What are you looking for?").fill("knit")
    page.get_by_label("Near postcode").fill("DE22")
    page.get_by_role("button", name="Search").click()
    link = page.get_by_role("link", name=re.compile("^Tell us something is wrong with ")).first
    name = (link.get_attribute("aria-label") or link.text_content() or "").split(" with ", 1)[1]
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us something is wrong")
    expect(page.get_by_role("main")).to_contain_text(name)
    expect(page.get_by_label("Your name")).to_have_count(0)
    problems += fits(page, f"listing-report-{width}")

    page.get_by_label("It has closed or stopped running").check()
    page.get_by_label("What should it say? (optional)").fill("x" * 501)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("What should it say? (optional)")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("alert")).to_contain_text("at most 500 characters")
    problems += fits(page, f"listing-report-error-{width}")

    page.get_by_label("What should it say? (optional)").fill(note)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_role("status")).to_contain_text(name)
    problems += fits(page, f"listing-report-thanks-{width}")

    sign_in(page, live_server, *coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Listing reports").click()
    item = page.locator(".listing-reports > li").filter(has_text=note)
    expect(item).to_contain_text("It has closed or stopped running")
    expect(item.get_by_role("link", name=name)).to_be_visible()
    problems += fits(page, f"listing-reports-{width}")
    item.get_by_label("What you did (optional)").fill("Marked as closed")
    item.get_by_label("The listing is now").select_option(label="Closed for now")
    item.get_by_role("button", name=f"Resolve the report about {name}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Resolved the report about {name}.")
    expect(page.locator(".listing-reports > li").filter(has_text=note)).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_unknown_activity_is_404_and_the_eleventh_in_an_hour_is_429_writing_nothing(
    derby: Kith,
) -> None:
    visitor = TestClient(create_app(kith=derby), client=("203.0.113.40", 50000))
    assert visitor.get("/activities/act-not-held/report").status_code == 404
    found = ACTIVITY.search(visitor.get("/?text=knit&postcode=DE22").text)
    assert found
    path = f"/activities/{found.group(1)}/report"
    token = re.search(r'name="csrf" value="([^"]+)"', visitor.get(path).text)
    assert token
    form = {"csrf": token.group(1), "problem": "OUT_OF_DATE", "note": "New times"}
    for _ in range(PER_HOUR):
        sent = visitor.post(path, data=form, follow_redirects=False)
        assert sent.status_code == 303, sent.text
    before = maintenance.counts(derby.store)
    refused = visitor.post(path, data=form)
    assert refused.status_code == 429
    assert "try again in 60 minutes" in refused.text
    assert "New times" in refused.text  # as typed, to send later
    assert maintenance.counts(derby.store) == before
    assert visitor.get("/listing-reports", follow_redirects=False).status_code == 303
