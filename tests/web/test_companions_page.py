"""In a real browser: from Mrs Shardlow's page, a coordinator follows "Find someone to go along"
under a suggested activity and sees a volunteer free when it meets, with reasons; and a new
volunteer ticks the practical help they give, which their record keeps."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from kith import accounts, companions, people, suggestions
from kith.accounts import Role
from kith.service import Kith
from matching.explain import day_part

from .conftest import fits, open_mrs_shardlow


def companion_for_the_first_suggestion(kith: Kith, name: str) -> str:
    """An approved volunteer living at Mrs Shardlow's, free when her first suggested activity
    first meets and enjoying what it is about; the activity's name."""
    staff = accounts.add(kith.store, "Companion Tester", Role.COORDINATOR)[0]
    shardlow = people.get(kith, staff, "p-shardlow")
    activity = suggestions.for_person(kith, staff, "p-shardlow")[0].target
    session = activity.sessions[0]
    form = {"name": name, "place": {"latitude": shardlow.latitude, "longitude": shardlow.longitude},
            "max_travel_km": 20.0, "capacity": 2, "consent_to_matching": True,
            "availability": [{"day": session.day.value, "part": day_part(session.start).value}],
            "interests": list(activity.interests)}  # fmt: skip
    made = people.register_volunteer(kith, None, form)
    people.approve_volunteer(kith, staff, made.person.id, date.today())
    assert name in [s.target.name for s in companions.companions(kith, staff, "p-shardlow",
                                                                   activity.id)]  # fmt: skip
    return activity.name


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_finds_someone_to_go_along_with_mrs_shardlow(
    live_server: str, browser_page: Page, derby: Kith, coordinator: tuple[str, str]
) -> None:
    page = browser_page
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 600 else "desktop"
    name = f"Gwen Alongside {viewport}"
    activity = companion_for_the_first_suggestion(derby, name)
    open_mrs_shardlow(page, live_server, coordinator)

    link = page.get_by_role("link", name=f"Find someone to go along to {activity}").first
    link.focus()
    page.keyboard.press("Enter")  # by keyboard, as anyone may
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Someone to go along to {activity}")
    found = page.get_by_role("region", name="Who could go along")
    gwen = found.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name))
    expect(gwen).to_have_count(1)
    expect(gwen.get_by_role("list")).to_contain_text("lives under 0.1 km away")
    expect(gwen.get_by_role("list")).to_contain_text("when it meets")
    assert not fits(page, f"companions-{viewport}")

    page.get_by_role("link", name="Back to Mrs Shardlow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mrs Shardlow")


def test_a_volunteer_ticks_the_practical_help_they_give_and_their_record_keeps_it(
    live_server: str, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{live_server}/volunteer")
    help_given = page.get_by_role("group", name="Practical help you could give")
    help_given.get_by_label("Collecting prescriptions").check()
    help_given.get_by_label("Clearing snow from a path").check()
    page.get_by_label("Your name").fill("Pat Helpful")
    page.get_by_label("Postcode").fill("DE23 6AA")
    page.get_by_label("How far will you travel (km)?").fill("3")
    page.get_by_label("How many people could you buddy at once?").fill("1")
    page.get_by_label("Choose a sign-in name").fill("pat.helpful")
    page.get_by_label("Choose a password").fill("helpful password 123")
    assert not fits(page, "volunteer-helps-desktop")
    page.get_by_role("button", name="Sign up to volunteer").click()
    page.get_by_role("link", name="See or change your record now").click()

    kept = page.get_by_role("group", name="Practical help you could give")
    expect(kept.get_by_label("Collecting prescriptions")).to_be_checked()
    expect(kept.get_by_label("Clearing snow from a path")).to_be_checked()
    expect(kept.get_by_label("Giving lifts (needs a DBS check)")).not_to_be_checked()
    kept.get_by_label("Clearing snow from a path").uncheck()
    kept.get_by_label("Giving lifts (needs a DBS check)").check()
    page.get_by_role("button", name="Save my record").click()
    expect(page.get_by_role("status")).to_contain_text("Your record is saved")
    again = page.get_by_role("group", name="Practical help you could give")
    expect(again.get_by_label("Clearing snow from a path")).not_to_be_checked()
    expect(again.get_by_label("Giving lifts (needs a DBS check)")).to_be_checked()
    assert not fits(page, "volunteer-helps-record-desktop")
