"""A coordinator finds two records of one person on "Possible duplicates" and merges them,
then keeps another pair apart: in a real browser, at both widths, through the forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kith import accounts, people
from kith.service import Kith

from .conftest import COORDINATOR, fits, sign_in


def held(kith: Kith, name: str, postcode: str = "DE3 9FT") -> str:
    """A person a coordinator added, as `addPerson` adds them."""
    actor = accounts.sign_in(kith.store, *COORDINATOR)
    form = {"name": name, "birth_year": 1939, "place": {"postcode": postcode},
            "consent_to_matching": True}  # fmt: skip
    return people.add(kith, actor, form).person.id


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_a_coordinator_merges_one_pair_and_keeps_another_apart(
    live_server: str, browser_page: Page, coordinator: tuple[str, str], derby: Kith,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    width = request.node.callspec.params["browser_page"]
    one, two = f"Edna Pargeter {width}", f"Edna Paregter {width}"
    kept, merged = held(derby, one), held(derby, two)
    held(derby, f"Ron Bexley {width}"), held(derby, f"Ron Bexly {width}")
    page = browser_page
    sign_in(page, live_server, *coordinator)
    page.get_by_role("link", name="Possible duplicates").click()
    pair = page.locator(".duplicates > li").filter(has_text=one).filter(has_text=two)
    expect(pair).to_contain_text("Names a letter apart, the same birth year")
    assert not fits(page, f"duplicates-{width}")

    pair.get_by_role("button", name=f"Merge, keeping {one}'s record").press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Merged: {one} is now one record.")
    expect(page.get_by_role("link", name=two)).to_have_count(0)
    assert merged not in people.repo.people_by_id(derby.store, [kept, merged])

    bexley = page.locator(".duplicates > li").filter(has_text=f"Ron Bexley {width}")
    bexley.get_by_role("button", name="are two people").click()
    expect(page.get_by_role("status")).to_contain_text("Kept apart")
    expect(page.get_by_text(f"Ron Bexley {width}")).to_have_count(0)
    assert not fits(page, f"duplicates-after-{width}")
