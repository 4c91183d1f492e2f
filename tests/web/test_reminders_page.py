"""'Reviews due' in a real browser at both widths: a coordinator follows the link in the main
navigation, sees the listings due for review with who keeps each, and writes today's reminders;
the e-mail lands in the outbox."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from graph import directory
from kith import accounts, reminders
from kith.service import Kith

from .conftest import fits, sign_in


@pytest.fixture(scope="module")
def organiser(derby: Kith) -> str:
    """An organiser keeping the group of the demo's first listing, made long overdue."""
    first = sorted(directory.all_activities(derby.store).values(), key=lambda a: a.id)[0]
    directory.upsert_activities(derby.store, [replace(first, last_reviewed_on=None)])
    accounts.add(derby.store, "Orla Organiser", accounts.Role.ORGANISER,
                 group_ids=(first.group_id or "",))  # fmt: skip
    return first.name


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_sees_the_reviews_due_and_writes_todays_reminders(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], organiser: str,
    derby: Kith, request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    page, width = browser_page, request.node.callspec.params["browser_page"]
    sign_in(page, live_server, *coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews due")
    row = page.get_by_role("row").filter(has_text=organiser).first
    expect(row).to_contain_text("Orla Organiser")
    expect(row).to_contain_text("long overdue")
    problems = fits(page, f"reviews-due-{width}")
    page.get_by_role("button", name="Write today's reminders").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(
            r"listings reminded about; "
            r"\d+ e-mails? written"
        )
    )
    problems += fits(page, f"reviews-due-written-{width}")
    assert list(reminders.default_outbox(derby).glob("*/*.eml"))
    assert not problems, "\n".join(problems)
