"""A GP social prescriber's "My referrals" in a real browser: they land there after signing in,
refer someone through the form (fixing a mistake on the way), see them in their list and open
their record; never anyone else's referrals; and coordinators are told the page is not theirs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kith import accounts, matches, people, referrals, suggestions
from kith.accounts import Role
from kith.service import Kith

from .conftest import axe_violations, fits, sign_in

NEW_PERSON = "Edith Referral-Test"
OTHERS_PERSON = "Harold Otherlist"
OTHER_PRESCRIBER = ("other.prescriber", "another long password")


def fill_referral(page: Page, reason: str) -> None:
    page.get_by_label("Their name").fill(NEW_PERSON)
    page.get_by_label("Postcode").fill("DE22 3AB")
    page.get_by_label("Year of birth (optional)").fill("1950")
    page.get_by_label("Interests (optional)").fill("knitting, gardening")
    page.get_by_label("Health conditions (optional)").fill("COPD")
    page.get_by_label("Languages they speak (optional)").fill("English")
    page.get_by_label("Reason for referral").fill(reason)
    page.get_by_label("Urgent").check()
    page.get_by_label("They agree that coordinators may suggest").check()


@pytest.fixture(scope="module")
def other_prescriber(derby: Kith) -> tuple[str, str]:
    """A second prescriber, who has referred someone already."""
    account = accounts.ensure_sign_in(derby.store, "Other Prescriber", Role.PRESCRIBER,
                                      *OTHER_PRESCRIBER)  # fmt: skip
    form = {"name": OTHERS_PERSON, "place": {"postcode": "DE1 1HS"}, "consent_to_matching": True}
    people.refer(derby, account, form, "bereaved and isolated", "SOON")
    return OTHER_PRESCRIBER


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_prescriber_refers_someone_fixes_a_mistake_and_sees_them_in_their_list(
    live_server: str,
    browser_page: Page,
    prescriber: tuple[str, str],
    other_prescriber: tuple[str, str],
    derby: Kith,
    request: pytest.FixtureRequest,
) -> None:
    page = browser_page
    viewport = request.node.callspec.params["browser_page"]
    login, password = prescriber
    if viewport == "phone":  # a prescriber of their own, so that the list starts empty again
        login = f"{login}.phone"
        accounts.ensure_sign_in(derby.store, "Phone Prescriber",
                                Role.PRESCRIBER, login, password)  # fmt: skip
    problems: list[str] = []

    sign_in(page, live_server, login, password)
    expect(page).to_have_url(f"{live_server}/referrals")
    expect(page.get_by_role("heading", level=1)).to_have_text("My referrals")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My referrals")).to_have_attribute("aria-current", "page")
    listed = page.get_by_role("region", name="People you referred")
    expect(listed).to_contain_text("You have not referred anyone yet")
    expect(listed.get_by_role("link", name=OTHERS_PERSON)).to_have_count(0)
    problems += fits(page, f"referrals-empty-{viewport}")

    fill_referral(page, reason="")
    page.get_by_role("button", name="Refer them").click()
    reason = page.get_by_label("Reason for referral")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#reason-error")).to_have_text("Error: Reason for referral is required.")
    expect(page.get_by_role("alert")).to_contain_text("Reason for referral is required")
    expect(page.get_by_label("Their name")).to_have_value(NEW_PERSON)
    expect(page.get_by_label("Postcode")).to_have_value("DE22 3AB")
    expect(page.get_by_label("Year of birth (optional)")).to_have_value("1950")
    expect(page.get_by_label("Interests (optional)")).to_have_value("knitting, gardening")
    expect(page.get_by_label("Health conditions (optional)")).to_have_value("COPD")
    expect(page.get_by_label("Urgent")).to_be_checked()
    expect(page.get_by_label("They agree that coordinators may suggest")).to_be_checked()
    problems += fits(page, f"referrals-error-{viewport}")

    reason.fill("Lonely since her husband died; would like to get out to a group.")
    page.get_by_role("button", name="Refer them").click()

    expect(page).to_have_url(f"{live_server}/referrals")
    expect(page.get_by_role("status")).to_have_text(
        "Referral made: they are at the top of your list.")  # fmt: skip
    expect(page.get_by_role("alert")).to_have_count(0)
    entries = listed.get_by_role("listitem")
    expect(entries).to_have_count(1)
    entry = entries.first
    expect(entry.get_by_role("link", name=NEW_PERSON)).to_be_visible()
    expect(entry).to_contain_text("Lonely since her husband died")
    expect(entry).to_contain_text("Urgent")
    expect(entry).to_contain_text("No buddy yet")
    expect(entry).to_contain_text("No activities recorded yet")
    expect(listed).not_to_contain_text(OTHERS_PERSON)
    expect(page.get_by_label("Their name")).to_have_value("")  # a blank form for the next one
    problems += fits(page, f"referrals-list-{viewport}")

    entry.get_by_role("link", name=NEW_PERSON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_PERSON)
    expect(page.get_by_role("region", name="Record")).to_contain_text("Gardening, Knitting")
    expect(page.get_by_role("region", name="Suggested buddies")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Propose "))).to_have_count(0)
    problems += fits(page, f"referred-person-{viewport}")
    assert not problems, "\n".join(problems)


def test_a_prescriber_never_sees_another_prescribers_referrals(
    live_server: str, browser_page: Page, derby: Kith, other_prescriber: tuple[str, str]
) -> None:
    page = browser_page
    sign_in(page, live_server, *other_prescriber)
    listed = page.get_by_role("region", name="People you referred")
    expect(listed.get_by_role("link", name=OTHERS_PERSON)).to_be_visible()
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed).not_to_contain_text(NEW_PERSON)
    expect(listed).not_to_contain_text("Mrs Shardlow")

    # Someone another prescriber referred: not listed, and their page is refused.
    another, _ = accounts.add(derby.store, "Another Prescriber", Role.PRESCRIBER)
    form = {"name": "Private Person", "place": {"postcode": "DE22 3AB"},
            "consent_to_matching": False}  # fmt: skip
    theirs = people.refer(derby, another, form, "low mood", "ROUTINE").person.id
    page.reload()
    expect(listed).not_to_contain_text("Private Person")
    refused = page.goto(f"{live_server}/people/{theirs}")
    assert refused is not None and refused.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("main")).not_to_contain_text("Private Person")


def test_an_unknown_postcode_is_named_next_to_its_field_and_nobody_is_referred(
    live_server: str, browser_page: Page, derby: Kith
) -> None:
    page = browser_page
    login, password = "postcode.prescriber", "a postcode test password"
    account = accounts.ensure_sign_in(derby.store, "Postcode Prescriber", Role.PRESCRIBER, login,
                                      password)  # fmt: skip
    sign_in(page, live_server, login, password)
    fill_referral(page, reason="Would like company on walks.")
    page.get_by_label("Postcode").fill("ZZ9 9ZZ")
    page.get_by_role("button", name="Refer them").click()

    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#postcode-error")).to_contain_text("ZZ9 9ZZ")
    expect(page.get_by_label("Reason for referral")).to_have_value("Would like company on walks.")
    expect(page.get_by_role("region", name="People you referred")).to_contain_text(
        "You have not referred anyone yet")  # fmt: skip
    assert referrals.mine(derby, account) == []


def test_a_prescriber_sees_that_a_buddy_was_proposed_but_not_who_the_buddy_is(
    live_server: str, browser_page: Page, derby: Kith, coordinator: tuple[str, str],
    other_prescriber: tuple[str, str],
) -> None:  # fmt: skip
    page = browser_page
    gp = accounts.sign_in(derby.store, *other_prescriber)
    (mine,) = [r.person.id for r in referrals.mine(derby, gp) if r.person.name == OTHERS_PERSON]
    lac = accounts.sign_in(derby.store, *coordinator)
    buddy = suggestions.buddies(derby, lac, mine, first=1)[0].target
    if not [m for m in matches.of_people(derby, [mine]) if m.buddy_id == buddy.id]:
        matches.propose(derby, lac, mine, buddy.id)

    sign_in(page, live_server, *other_prescriber)
    entry = page.get_by_role("region", name="People you referred").get_by_role("listitem").filter(
        has=page.get_by_role("link", name=OTHERS_PERSON))  # fmt: skip
    expect(entry).to_contain_text("Buddy proposed, not yet agreed")
    expect(entry).to_contain_text("Received, not yet taken on")
    entry.get_by_role("link", name=OTHERS_PERSON).click()
    pairings = page.get_by_role("region", name="Buddies")
    expect(pairings).to_contain_text("A volunteer buddy")
    expect(pairings).to_contain_text("proposed")
    expect(pairings).not_to_contain_text(buddy.name)
    expect(pairings.get_by_role("link")).to_have_count(0)
    expect(pairings.get_by_role("button")).to_have_count(0)
    assert not axe_violations(page)


def test_a_coordinator_is_told_the_referrals_page_is_for_prescribers(
    live_server: str, browser_page: Page, coordinator: tuple[str, str]
) -> None:
    page = browser_page
    sign_in(page, live_server, *coordinator)
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("link", name="My referrals")).to_have_count(0)
    answer = page.goto(f"{live_server}/referrals")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("main")).to_contain_text("only a prescriber may do this")
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    sent = page.request.post(f"{live_server}/referrals", form={"csrf": token or "",
                             "name": "Anyone", "postcode": "DE22 3AB", "reason": "x"})  # fmt: skip
    assert sent.status == 403 and "only a prescriber may do this" in sent.text()


def test_the_public_is_asked_to_sign_in_first(live_server: str, browser_page: Page) -> None:
    browser_page.goto(f"{live_server}/referrals")
    expect(browser_page).to_have_url(f"{live_server}/sign-in?next=/referrals")
    expect(browser_page.get_by_role("link", name="My referrals")).to_have_count(0)
