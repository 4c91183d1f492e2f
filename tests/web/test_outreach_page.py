"""A coordinator's Outreach page in a real browser, at 1280 and 390 px: the winter round by
default (85+, living alone, no contact for 30 days) with why each is listed, a CSV for a phone
round, and from a listed person's page a contact recorded and a monthly check-in set, after
which they leave the list. Prescribers and the public are kept out."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from kith import accounts, people
from kith.service import Kith

from .conftest import SCREENSHOTS, fits, sign_in

YEAR = date.today().year
NOBODY_IN_TOUCH = (
    "MATCH (c:Contact) DETACH DELETE c",
    "MATCH (p:Person) WHERE p.lastContactAt IS NOT NULL REMOVE p.lastContactAt",
)


@pytest.fixture(scope="module")
def winter(derby: Kith) -> list[str]:
    """Two of the demo's people made 88 and 91 this year and living alone, as a coordinator
    records it; their names. Everyone else is made younger, so the list is known."""
    actor, _ = accounts.add(derby.store, "Outreach set-up", accounts.Role.COORDINATOR)
    everyone = derby.store.read(lambda tx: tx.run(
        "MATCH (p:Person) WHERE p.birthYear <= $born RETURN p.id AS id ORDER BY p.id",
        born=YEAR - 85).data())  # fmt: skip
    for row in everyone:
        people.update(derby, actor, row["id"], {"birth_year": YEAR - 70})
    chosen = ["p-shardlow", *[r["id"] for r in everyone if r["id"] != "p-shardlow"][:1]]
    names = []
    for person_id, age in zip(chosen, (88, 91), strict=True):
        made = people.update(derby, actor, person_id, {"birth_year": YEAR - age,
                                                       "lives_alone": True})  # fmt: skip
        names.append(made.person.name)
    return names


@pytest.fixture
def untouched(derby: Kith, winter: list[str]) -> list[str]:
    """The winter round's two people, with no contact recorded with anyone."""
    for statement in NOBODY_IN_TOUCH:
        derby.store.write(lambda tx, q=statement: tx.run(q).consume())
    return winter


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_the_winter_round_a_download_and_a_contact_that_takes_someone_off(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], untouched: list[str],
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, width, winter = browser_page, request.node.callspec.params["browser_page"], untouched
    sign_in(page, live_server, *coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outreach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outreach")
    expect(page.get_by_label("Aged at least")).to_have_value("85")
    expect(page.get_by_label("No contact for (days)")).to_have_value("30")
    expect(page.get_by_label("Live alone")).to_be_checked()
    expect(page.get_by_label("Have no buddy")).not_to_be_checked()

    listed = page.get_by_role("region", name=re.compile("to reach"))
    items = listed.get_by_role("listitem")
    expect(items).to_have_count(2)
    oldest = items.filter(has=page.get_by_role("link", name=winter[1]))
    expect(oldest).to_contain_text("Why listed: aged 91 this year, lives alone, no contact "
                                   "recorded.")  # fmt: skip
    assert fits(page, f"outreach-{width}") == []

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download CSV for a phone round").click()
    rows = list(csv.reader(open(waiting.value.path(), encoding="utf-8")))  # noqa: SIM115
    assert rows[0] == ["Name", "Postcode", "Age band", "Last contact", "Why listed"]
    assert sorted(r[0] for r in rows[1:]) == sorted(winter)
    assert {r[2] for r in rows[1:]} == {"80-89", "90-99"}

    # A call today, from the person's page, takes Mrs Shardlow off a "no contact for 30 days"
    # list; a monthly check-in is then due a month on.
    items.get_by_role("link", name=winter[0]).click()
    section = page.get_by_role("region", name="Contacts and check-ins")
    expect(section).to_contain_text("No contacts recorded.")
    section.get_by_text("Record a contact").click()
    section.get_by_label("Visit").check()
    section.get_by_label("Note (optional)").fill("Tea and a chat; snow shovel needed")
    section.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_role("status")).to_contain_text("Contact recorded.")
    expect(section.get_by_role("listitem")).to_have_text(
        f"Visit on {date.today().isoformat()}: Tea and a chat; snow shovel needed"
    )
    section.get_by_label("Check in").select_option(label="Every month")
    section.get_by_role("button", name="Set check-ins").click()
    expect(page.get_by_role("status")).to_contain_text("Check-ins set.")
    due = date.today() + timedelta(days=30)
    expect(section).to_contain_text(f"Check in every month: next due {due.day} {due:%B %Y}")
    assert fits(page, f"outreach-person-contacts-{width}") == []
    section.screenshot(path=SCREENSHOTS / f"person-contacts-{width}.png")  # the part to look at

    page.goto(f"{live_server}/outreach")
    expect(items).to_have_count(1)
    expect(items.get_by_role("link", name=winter[1])).to_be_visible()


def test_a_mistake_is_named_and_nobody_is_listed(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], untouched: list[str]
) -> None:
    page = browser_page
    sign_in(page, live_server, *coordinator)
    page.goto(f"{live_server}/outreach")
    page.get_by_label("Within (km)").fill("3")
    page.get_by_role("button", name="Show the list").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Within (km) must come with a place to measure from."
    )
    expect(page.get_by_label("Within (km)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("region", name=re.compile("to reach"))).to_have_count(0)
    assert fits(page, "outreach-mistake") == []


def test_prescribers_and_the_public_are_kept_out(
    live_server: str, browser_page: Page, prescriber: tuple[str, str]
) -> None:
    page = browser_page
    page.goto(f"{live_server}/outreach")
    assert "/sign-in" in page.url
    sign_in(page, live_server, *prescriber)
    expect(page.get_by_role("link", name="Outreach")).to_have_count(0)
    for path in ("/outreach", "/outreach.csv"):
        response = page.request.get(f"{live_server}{path}")
        assert response.status == 403, path
