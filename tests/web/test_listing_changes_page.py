"""Organisers' listings in a real browser at both widths: an organiser signs in, finds "My
listings", is told which input is wrong, sends a change and says another listing is still
right; a coordinator sees the change beside the live listing on "Listing changes", opens the
listing's history, approves the change (live at once) and restores the old version. In process:
an organiser cannot post a change to another group's listing, nor open the coordinators' pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance
from kith import accounts
from kith.service import Kith

from .conftest import fits, sign_in

ORGANISER = ("test.organiser", "a long organiser password")


@pytest.fixture(scope="module")
def organiser(derby: Kith) -> tuple[str, str]:
    accounts.ensure_sign_in(derby.store, "Olu Organiser", accounts.Role.ORGANISER, *ORGANISER,
                            group_ids=("g-knit-allestree", "g-breathe-easy"))  # fmt: skip
    return ORGANISER


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_an_organisers_change_waits_is_approved_and_the_old_version_restored(
    live_server: str, browser_page: Page, organiser: tuple[str, str],
    coordinator: tuple[str, str], request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, width = browser_page, request.node.callspec.params["browser_page"]
    problems: list[str] = []

    sign_in(page, live_server, *organiser)
    expect(page.get_by_role("heading", level=1)).to_have_text("My listings")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My listings")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Listing changes")).to_have_count(0)
    problems += fits(page, f"my-listings-{width}")

    knit = page.locator(".my-listings > li").filter(has_text="Knit and Natter")
    knit.get_by_text("Change Knit and Natter").click()
    knit.get_by_label("Starts (HH:MM)").first.fill("25:00")
    knit.get_by_role("button", name="Send the change to Knit and Natter for approval").click()
    expect(page.get_by_role("alert")).to_contain_text("Start time")
    knit = page.locator(".my-listings > li").filter(has_text="Knit and Natter")
    expect(knit.get_by_label("Starts (HH:MM)").first).to_have_value("25:00")  # as typed
    problems += fits(page, f"my-listings-error-{width}")
    knit.get_by_label("Starts (HH:MM)").first.fill("10:00")
    knit.get_by_label("Cost in pounds (0 for free; empty if not known)").fill("2")
    knit.get_by_role("button", name="Send the change to Knit and Natter for approval").click()
    expect(page.get_by_role("status")).to_contain_text("for a coordinator's approval")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for approval"))
    expect(waiting).to_contain_text("cost to £2.00")
    page.get_by_role("button", name="Breathe Easy Derby is still right").click()
    expect(page.get_by_role("status")).to_contain_text("Breathe Easy Derby is marked as still")

    sign_in(page, live_server, *coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Listing changes").click()
    item = page.locator(".listing-changes > li").filter(has_text="Knit and Natter")
    expect(item.get_by_role("row", name=re.compile("Cost"))).to_have_text(
        re.compile(r"Cost\s*free\s*£2\.00")
    )
    expect(item).to_contain_text("From Olu Organiser")
    problems += fits(page, f"listing-changes-{width}")
    item.get_by_role("link", name="History of Knit and Natter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Knit and Natter")
    page.go_back()
    item = page.locator(".listing-changes > li").filter(has_text="Knit and Natter")
    item.get_by_role("button", name="Approve the change to Knit and Natter").click()
    expect(page.get_by_role("status")).to_contain_text("the change to Knit and Natter is live")

    page.goto(f"{live_server}/activities/a-knit-allestree/history")
    live = page.locator(".versions > li").first
    expect(live).to_contain_text("(live)")
    expect(live).to_contain_text("Change approved by Test Coordinator")
    expect(live).to_contain_text("£2.00")
    problems += fits(page, f"listing-history-{width}")
    first = page.locator(".versions > li").filter(has_text="As first listed")
    first.get_by_role("button", name=re.compile("^Restore version")).click()
    expect(page.get_by_role("status")).to_contain_text("Restored: Knit and Natter is live")
    expect(page.locator(".versions > li").first).to_contain_text("Restored by Test Coordinator")
    expect(page.locator(".versions > li").first).to_contain_text("free")
    assert not problems, "\n".join(problems)


def test_an_organiser_cannot_change_another_groups_listing_nor_see_the_queues(
    derby: Kith, organiser: tuple[str, str]
) -> None:
    client = TestClient(create_app(kith=derby))
    signed = client.get("/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', signed.text)
    assert token
    login, password = organiser
    client.post("/sign-in", data={"csrf": token.group(1), "login": login, "password": password})
    mine = client.get("/my-listings")
    assert mine.status_code == 200 and "Knit and Natter" in mine.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', mine.text)
    assert csrf
    before = maintenance.counts(derby.store)
    refused = client.post("/my-listings/a-antiques-society", data={
        "csrf": csrf.group(1), "day": "WEDNESDAY", "start": "19:00", "end": "", "cost": "9",
        "description": "", "status": "ACTIVE"})  # fmt: skip
    assert refused.status_code == 403
    assert maintenance.counts(derby.store) == before
    for path in ("/listing-changes", "/activities/a-knit-allestree/history", "/listing-reports"):
        assert client.get(path).status_code == 403, path
