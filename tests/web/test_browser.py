"""The public directory in a real browser: what a member of the public sees and can do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import screenshot

DISTANCE = re.compile(r"\d+(\.\d+)? km")


def search(page: Page, base_url: str, text: str, postcode: str) -> None:
    """Fill in the search form by its visible labels and press Search, as a person would."""
    page.goto(base_url)
    page.get_by_label("What are you looking for?").fill(text)
    page.get_by_label("Near postcode").fill(postcode)
    page.get_by_role("button", name="Search").click()


def knit_and_natter(page: Page) -> Locator:
    """The Allestree Knit and Natter in the result list: the Tuesday morning group."""
    results = page.get_by_role("main").get_by_role("list")
    return (
        results.get_by_role("listitem")
        .filter(has_text="Knit and Natter")
        .filter(has_text="Tuesdays 10:00")
    )


def test_searching_near_a_postcode_lists_a_nearby_group_with_its_distance_and_time(
    live_server: str, browser_page: Page
) -> None:
    search(browser_page, live_server, "knit", "DE22")

    hit = knit_and_natter(browser_page).first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text(DISTANCE)
    screenshot(browser_page, "directory-desktop")


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_on_a_phone_the_search_button_fits_without_sideways_scrolling(
    live_server: str, browser_page: Page
) -> None:
    search(browser_page, live_server, "knit", "DE22")

    expect(knit_and_natter(browser_page).first).to_be_visible()
    box = browser_page.get_by_role("button", name="Search").bounding_box()
    assert box is not None, "the Search button is not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(browser_page, "directory-phone")


def test_an_unknown_postcode_is_named_in_an_alert_and_nothing_is_listed(
    live_server: str, browser_page: Page
) -> None:
    search(browser_page, live_server, "knit", "ZZ9 9ZZ")

    expect(browser_page.get_by_role("alert")).to_contain_text("ZZ9 9ZZ")
    expect(browser_page.get_by_role("main").get_by_role("list")).to_have_count(0)
    screenshot(browser_page, "unknown-postcode-desktop")


def test_the_search_can_be_done_with_the_keyboard_alone(
    live_server: str, browser_page: Page
) -> None:
    page = browser_page
    page.goto(live_server)
    page.get_by_label("What are you looking for?").focus()
    page.keyboard.type("knit")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Near postcode")).to_be_focused()
    page.keyboard.type("DE22")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Within (km)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")

    expect(knit_and_natter(page).first).to_be_visible()
    screenshot(page, "keyboard-desktop")


def test_the_venues_found_are_marked_on_a_plain_map_when_no_tiles_can_load(
    live_server: str, browser_page: Page
) -> None:
    search(browser_page, live_server, "knit", "DE22")

    caption = browser_page.get_by_role("figure").locator("figcaption")
    venues = int(caption.inner_text().split()[0])
    assert venues >= 1
    markers = browser_page.locator("#map.ready path.leaflet-interactive")
    expect(markers).to_have_count(venues)
    loaded = browser_page.evaluate(
        "[...document.querySelectorAll('#map img.leaflet-tile')].filter(i => i.naturalWidth).length"
    )
    assert loaded == 0, "tiles loaded: this test expects the offline map"
    markers.first.click()
    expect(browser_page.locator(".leaflet-popup")).to_be_visible()


def test_the_public_sees_the_directory_and_never_a_person(
    live_server: str, browser_page: Page
) -> None:
    search(browser_page, live_server, "knit", "DE22")

    hits = browser_page.locator("ol.hits > li")
    expect(hits.first).to_be_visible()
    kinds = set(browser_page.locator("ol.hits .kind").all_inner_texts())
    assert kinds <= {"activity", "group", "venue"}, kinds
    expect(browser_page.get_by_role("link", name="Mrs Shardlow")).to_have_count(0)
    asked = browser_page.request.get(f"{live_server}/?text=knit&postcode=DE22&show=PERSON")
    assert asked.status == 403 and "Shardlow" not in asked.text()
