"""The directory in a real browser at both widths: an activity's days in words, and a closed
listing marked as closed and set apart; axe clean, no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kith.domain import ListingStatus
from kith.schedule_words import in_words
from loaders import demo

from .conftest import fits

WORLD = demo.generate(people=500, seed=1)  # the live server's world (tests/conftest.py derby)
VENUES = {v.id: v for v in WORLD.venues}
CLOSED = next(a for a in WORLD.activities if a.status is ListingStatus.TEMPORARILY_CLOSED)


def search(page: Page, base: str, text: str, postcode: str) -> None:
    page.goto(base)
    page.get_by_label("What are you looking for?").fill(text)
    page.get_by_label("Near postcode").fill(postcode)
    page.get_by_label("Within (km)").fill("20")
    page.get_by_role("button", name="Search").click()


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_days_in_words_and_a_closed_listing(
    live_server: str, browser_page: Page, request: pytest.FixtureRequest
) -> None:
    page, width = browser_page, request.node.callspec.params["browser_page"]
    problems: list[str] = []

    search(page, live_server, "knit", "DE22")
    story = page.locator(".hit").filter(has_text="at Allestree Library").first
    expect(story.locator(".when")).to_contain_text("Tuesdays 10:00–12:00 · free")
    problems += fits(page, f"directory-days-{width}")

    search(page, live_server, CLOSED.name, VENUES[CLOSED.venue_id].postcode or "")
    hit = page.locator(".hit.closed").filter(has_text=VENUES[CLOSED.venue_id].name)
    expect(hit.get_by_role("heading")).to_contain_text("Closed for now")
    expect(hit.locator(".when")).to_contain_text(in_words(CLOSED.sessions))
    expect(page.locator(".hit").first).not_to_have_class(re.compile(r"\bclosed\b"))
    problems += fits(page, f"directory-closed-{width}")
    assert not problems, "\n".join(problems)
