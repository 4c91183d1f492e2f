"""A coordinator records, from Mrs Shardlow's page, that she now goes to a suggested activity,
then that she stopped: in a real browser, through the CSRF-protected forms."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from .conftest import axe_violations, open_mrs_shardlow, screenshot


def test_a_coordinator_records_that_mrs_shardlow_goes_to_an_activity_and_then_stopped(
    live_server: str, browser_page: Page, coordinator: tuple[str, str]
) -> None:
    page = browser_page
    open_mrs_shardlow(page, live_server, coordinator)

    current = page.get_by_role("region", name="Current activities")
    expect(current).to_contain_text("No activities recorded")
    suggested = page.get_by_role("region", name="Suggested activities")
    first = suggested.get_by_role("listitem").filter(has=page.get_by_role("heading")).first
    name = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name=f"Record that they go to {name}").click()

    expect(page.get_by_role("status")).to_contain_text("they go there now")
    today = date.today()
    going = current.get_by_role("listitem").filter(has_text=name)
    expect(going).to_have_count(1)
    expect(going).to_contain_text(
        re.compile(rf"Goes to {re.escape(name)} at .+ since {today.day} {today:%B %Y}")
    )
    assert not axe_violations(page)
    screenshot(page, "attendance-recorded-desktop")

    going.get_by_role("button", name=f"Stopped going to {name}").click()
    expect(page.get_by_role("status")).to_contain_text("they no longer go there")
    expect(current.get_by_role("listitem")).to_have_count(0)
    expect(current).to_contain_text("No activities recorded")
    expect(suggested.get_by_role("heading", name=name).first).to_be_visible()
    screenshot(page, "attendance-stopped-desktop")
