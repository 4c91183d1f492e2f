"""The winter plan in a real browser, at 1280 and 390 px: a coordinator writes the plan of
someone a carer looks after on their page — two helpers, each with what they help with, and
who steps in if the carer falls ill — prints it for the fridge door, and each helper sees on
their My record page only their own part."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from kith import accounts, people
from kith.accounts import Role
from kith.service import Kith

from .conftest import COORDINATOR, SCREENSHOTS, fits, sign_in

# Away from the demo world's people, so that the test's volunteers are the ones offered.
HOME = {"latitude": 52.80, "longitude": -1.30}
# A page object of a PDF (not the /Pages tree that holds them).
PAGE = re.compile(rb"/Type\s*/Page(?!s)")
EMERGENCY = "Walter gives Winnie her tablets at 8 and 8; the list is in the kitchen drawer."


@dataclass
class Household:
    winnie: str
    helpers: list[tuple[str, str, str]]  # (id, sign-in name, password)
    steps_in: str


def volunteer(kith: Kith, co: accounts.Account, name: str, login: str) -> tuple[str, str, str]:
    """An approved volunteer, DBS checked, offering every practical need, who can sign in."""
    password = "a long volunteer password"
    helps = ["PRESCRIPTIONS", "SHOPPING", "SNOW_CLEARING"]
    form = {"name": name, "place": HOME, "max_travel_km": 5, "capacity": 2,
            "consent_to_matching": True, "helps": helps}  # fmt: skip
    made = people.register_volunteer(kith, None, form, login, password).person
    people.approve_volunteer(kith, co, made.id, date.today() - timedelta(days=30))
    return made.id, login, password


def household(kith: Kith, width: str) -> Household:
    """Winnie, cared for by Walter, and three volunteers nearby (names unique per width)."""
    co = accounts.ensure_sign_in(kith.store, "Test Coordinator", Role.COORDINATOR, *COORDINATOR)
    base = {"birth_year": 1938, "place": HOME, "consent_to_matching": True}
    winnie = people.add(kith, co, {**base, "name": f"Winnie Winter {width}"}).person.id
    people.add(kith, co, {**base, "name": f"Walter Winter {width}", "cares_for": [winnie]})
    helpers = [volunteer(kith, co, f"{who} {width}", f"{who.split()[0].lower()}.{width}")
               for who in ("Hetty Helper", "Harry Helper")]  # fmt: skip
    steps_in = volunteer(kith, co, f"Sam Stepsin {width}", f"sam.{width}")[0]
    return Household(winnie, helpers, steps_in)


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_writes_and_prints_a_winter_plan_and_each_helper_sees_their_part(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], derby: Kith
) -> None:
    page, width = browser_page, "phone" if browser_page.viewport_size["width"] < 600 else "desktop"
    home = household(derby, width)
    (hetty, *_), (harry, *_) = home.helpers
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/people/{home.winnie}")
    section = page.locator("section.winter-plan")
    expect(section.get_by_role("heading", name="Winter plan")).to_be_visible()
    expect(section).to_contain_text("No winter plan yet")
    problems = fits(page, f"winter-plan-empty-{width}")

    needs = section.get_by_role("group", name="What they need help with")
    for label in ("Fetching prescriptions", "Shopping", "Clearing snow"):
        needs.get_by_label(label).check()
    section.get_by_label("Who to call").fill("Daughter Sue 07700 900123\nGP surgery 01332 000000")
    for n, (helper, label) in enumerate([(hetty, "Fetching prescriptions"),
                                         (harry, "Shopping")], start=1):  # fmt: skip
        row = section.get_by_role("group", name=f"Helper {n}")
        row.get_by_label("Volunteer").select_option(helper)
        row.get_by_label(label).check()
    section.get_by_label("Who steps in").select_option(home.steps_in)
    section.get_by_label("What they need to know").fill(EMERGENCY)
    section.screenshot(path=SCREENSHOTS / f"winter-plan-form-{width}.png")
    section.get_by_role("button", name="Save the winter plan").click()

    expect(page.get_by_role("status")).to_contain_text("Winter plan saved.")
    shown = section.locator("dl")
    expect(shown).to_contain_text(f"Hetty Helper {width}: fetching prescriptions")
    expect(shown).to_contain_text(f"Harry Helper {width}: shopping")
    expect(shown).to_contain_text(f"Sam Stepsin {width} steps in.")
    expect(shown).to_contain_text("Daughter Sue 07700 900123")
    problems += fits(page, f"winter-plan-written-{width}")
    section.screenshot(path=SCREENSHOTS / f"winter-plan-section-{width}.png")

    section.get_by_role("link", name="Print it for the fridge door").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Winnie Winter {width}'s winter plan"
    )
    call = page.get_by_role("region", name="Who to call")
    expect(call.get_by_role("listitem")).to_have_text(["Daughter Sue 07700 900123",
                                                       "GP surgery 01332 000000"])  # fmt: skip
    expect(page.get_by_role("region", name="Who helps with what")).to_contain_text(
        f"Harry Helper {width}: shopping"
    )
    expect(page.get_by_role("region", name="If my carer falls ill")).to_contain_text(EMERGENCY)
    problems += fits(page, f"winter-plan-print-{width}")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.get_by_text("To print this page")).to_be_hidden()
    assert len(PAGE.findall(page.pdf(format="A4"))) == 1  # one sheet for the fridge door
    page.emulate_media(media="screen")

    # Each helper, signed in, sees whom they help and with what: their part, nobody else's.
    page.get_by_role("button", name="Sign out").click()
    _, login, password = home.helpers[0]
    sign_in(page, live_server, login, password)
    page.goto(f"{live_server}/my-record")
    helping = page.get_by_role("region", name="People you help")
    expect(helping.get_by_role("heading", name=f"Winnie Winter {width}")).to_be_visible()
    expect(helping).to_contain_text("You help with: fetching prescriptions.")
    expect(helping).to_contain_text("Daughter Sue 07700 900123")
    expect(helping).not_to_contain_text("shopping")
    expect(helping).not_to_contain_text("tablets")
    problems += fits(page, f"winter-plan-helping-{width}")
    refused = page.goto(f"{live_server}/people/{home.winnie}/winter-plan/print")
    assert refused is not None and refused.status == 403
    expect(page.get_by_role("main")).not_to_contain_text("tablets")
    assert not problems, problems


def test_a_helper_need_outside_the_plan_is_refused_and_the_plan_stays_as_it_was(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], derby: Kith
) -> None:
    page, home = browser_page, household(derby, "refused")
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/people/{home.winnie}")
    section = page.locator("section.winter-plan")
    section.get_by_role("group", name="What they need help with").get_by_label(
        "Fetching prescriptions").check()  # fmt: skip
    row = section.get_by_role("group", name="Helper 1")
    row.get_by_label("Volunteer").select_option(home.helpers[0][0])
    row.get_by_label("Lifts to appointments").check()
    section.get_by_role("button", name="Save the winter plan").click()
    expect(page.get_by_role("alert")).to_contain_text("LIFTS is not one of the plan's needs")
    expect(section).to_contain_text("No winter plan yet")
