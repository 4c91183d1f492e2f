"""The issue's journeys in a real browser: a coordinator finds and helps Mrs Shardlow; a member
of the public signs up to volunteer, fixes a mistake, and is approved by the coordinator."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from .conftest import open_mrs_shardlow, screenshot, sign_in

NEW_VOLUNTEER = "Robin Example-Helper"


def test_a_coordinator_finds_mrs_shardlow_sees_why_knit_and_natter_fits_and_proposes_a_buddy(
    live_server: str, browser_page: Page, coordinator: tuple[str, str]
) -> None:
    page = browser_page
    open_mrs_shardlow(page, live_server, coordinator)
    activities = page.get_by_role("region", name="Suggested activities")
    title = page.get_by_role("heading", name="Knit and Natter")
    knit = activities.get_by_role("listitem").filter(has=title)
    expect(knit.first).to_contain_text("about knitting")
    expect(knit.first).to_contain_text("supports loneliness")
    expect(knit.first).to_contain_text(re.compile(r"Score 0\.\d\d"))

    buddies = page.get_by_role("region", name="Suggested buddies")
    first = buddies.get_by_role("button", name=re.compile("^Propose .+ as buddy$")).first
    buddy = first.inner_text().removeprefix("Propose ").removesuffix(" as buddy")
    first.click()
    expect(page.get_by_role("status")).to_contain_text("Buddy proposed")
    pairing = page.get_by_role("region", name="Buddies").get_by_role("listitem").filter(
        has_text=buddy)  # fmt: skip
    expect(pairing).to_contain_text("proposed")
    screenshot(page, "journey-person-after-proposal-desktop")

    pairing.get_by_label("Note (optional)").fill("Met at the library; both keen.")
    pairing.get_by_role("button", name=re.compile("^Accepted")).click()
    expect(page.get_by_role("status")).to_contain_text("Pairing accepted")
    expect(pairing).to_contain_text("accepted")
    expect(pairing).to_contain_text("Met at the library")


def fill_sign_up(page: Page, postcode: str, password: str) -> None:
    page.get_by_label("Your name").fill(NEW_VOLUNTEER)
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Skills you could share").fill("befriending")
    page.get_by_label("Interests").fill("knitting, gardening")
    page.get_by_label("Languages you speak").fill("English")
    page.get_by_label("Tuesday morning").check()
    page.get_by_label("Thursday afternoon").check()
    page.get_by_label("How far will you travel (km)?").fill("3")
    page.get_by_label("How many people could you buddy at once?").fill("2")
    page.get_by_label("I agree that coordinators may suggest me").check()
    page.get_by_label("Choose a sign-in name").fill("robin.helper")
    page.get_by_label("Choose a password").fill(password)


def test_a_volunteer_signs_up_fixes_a_mistake_and_a_coordinator_approves_them(
    live_server: str, browser_page: Page, coordinator: tuple[str, str]
) -> None:
    page = browser_page
    page.goto(live_server)
    page.get_by_role("link", name="Volunteer").click()
    fill_sign_up(page, "not a postcode", "robin's long password")
    page.get_by_role("button", name="Sign up to volunteer").click()

    postcode = page.get_by_label("Postcode")
    expect(postcode).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#postcode-error")).to_contain_text("'not a postcode' is not a UK postcode")
    expect(page.get_by_role("alert")).to_contain_text("is not a UK postcode")
    expect(page.get_by_label("Interests")).to_have_value("knitting, gardening")
    expect(page.get_by_label("Tuesday morning")).to_be_checked()
    screenshot(page, "journey-sign-up-error-desktop")

    postcode.fill("DE22 3AB")
    page.get_by_label("Choose a password").fill("robin's long password")
    page.get_by_role("button", name="Sign up to volunteer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank you, {NEW_VOLUNTEER}")
    expect(page.get_by_role("main")).to_contain_text("DBS check")
    expect(page.locator(".login")).to_have_text("robin.helper")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, *coordinator)
    page.get_by_role("link", name="Volunteers to approve").click()
    row = page.get_by_role("listitem").filter(has_text=NEW_VOLUNTEER)
    row.get_by_label("DBS check date").fill(date.today().isoformat())
    row.get_by_role("button", name=f"Approve {NEW_VOLUNTEER}").click()
    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_role("link", name=NEW_VOLUNTEER)).to_have_count(0)


def test_a_volunteer_signs_in_and_changes_their_own_record(
    live_server: str, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{live_server}/volunteer")
    page.get_by_label("Your name").fill("Sam Changeable")
    page.get_by_label("Postcode").fill("DE23 6AA")
    page.get_by_label("Interests").fill("chess")
    page.get_by_label("How far will you travel (km)?").fill("2")
    page.get_by_label("How many people could you buddy at once?").fill("1")
    page.get_by_label("Choose a sign-in name").fill("sam.changeable")
    page.get_by_label("Choose a password").fill("sam's long password")
    page.get_by_role("button", name="Sign up to volunteer").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "sam.changeable", "sam's long password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your volunteer record")
    expect(page.get_by_label("Interests")).to_have_value("Chess")
    page.get_by_label("Interests").fill("chess, birdwatching")
    page.get_by_label("Saturday morning").check()
    page.get_by_role("button", name="Save my record").click()

    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_label("Interests")).to_have_value("Bird Watching, Chess")
    expect(page.get_by_label("Saturday morning")).to_be_checked()
    page.get_by_label("How many people could you buddy at once?").fill("99")
    page.get_by_role("button", name="Save my record").click()
    expect(page.locator("#capacity-error")).to_contain_text("must be between 1 and 10")
