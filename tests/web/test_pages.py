"""Every page, at desktop and phone width: no serious or critical axe-core findings, nothing
wider than the screen, and a screenshot of each for a person to look at."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import fits, sign_in

Step = tuple[str, Callable[[Page, str], None]]


def go(path: str) -> Callable[[Page, str], None]:
    return lambda page, base: page.goto(base + path)


def submit_empty_sign_up(page: Page, base: str) -> None:
    page.goto(f"{base}/volunteer")
    page.get_by_role("button", name="Sign up to volunteer").click()
    expect(page.get_by_role("alert")).to_be_visible()


def sign_up(login: str) -> Callable[[Page, str], None]:
    def step(page: Page, base: str) -> None:
        page.goto(f"{base}/volunteer")
        page.get_by_label("Your name").fill(f"Tour Volunteer {login}")
        page.get_by_label("Postcode").fill("DE1 1HS")
        page.get_by_label("Interests").fill("walking")
        page.get_by_label("Monday evening").check()
        page.get_by_label("How far will you travel (km)?").fill("4")
        page.get_by_label("How many people could you buddy at once?").fill("1")
        page.get_by_label("Choose a sign-in name").fill(login)
        page.get_by_label("Choose a password").fill("tour password 123")
        page.get_by_role("button", name="Sign up to volunteer").click()
        expect(page.get_by_role("heading", name="What happens next")).to_be_visible()

    return step


def wrong_password(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Sign-in name").fill("nobody.here")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def public_steps(viewport: str) -> list[Step]:
    return [
        ("directory-empty", go("/")),
        ("directory", go("/?text=knit&postcode=DE22")),
        ("directory-error", go("/?text=knit&postcode=ZZ9+9ZZ")),
        ("sign-in", go("/sign-in")),
        ("sign-in-failed", wrong_password),
        ("volunteer-sign-up", go("/volunteer")),
        ("volunteer-sign-up-errors", submit_empty_sign_up),
        ("volunteer-welcome", sign_up(f"tour.{viewport}")),
        ("volunteer-own-record", go("/my-record")),
    ]


def coordinator_steps() -> list[Step]:
    return [
        ("coordinator-directory", go("/?text=knit&postcode=DE22&" + "&".join(
            f"show={k}" for k in ("GROUP", "ACTIVITY", "VENUE", "VOLUNTEER", "PERSON")))),
        ("coordinator-near-person", go("/?person=p-shardlow&radius=3&show=ACTIVITY")),
        ("person", go("/people/p-shardlow")),
        ("volunteers-to-approve", go("/volunteers")),
        ("not-found", go("/people/p-nobody")),
    ]  # fmt: skip


def check(page: Page, name: str, viewport: str) -> list[str]:
    """What is wrong with the page as it is now; its screenshot is kept either way."""
    if page.locator("#map").count():
        expect(page.locator("#map.ready")).to_be_visible()
    return fits(page, f"{name}-{viewport}")


@pytest.mark.parametrize("browser_page", ["desktop", "phone"], indirect=True)
def test_every_page_is_accessible_and_fits_the_screen(
    live_server: str,
    browser_page: Page,
    coordinator: tuple[str, str],
    request: pytest.FixtureRequest,
) -> None:
    page = browser_page
    viewport = request.node.callspec.params["browser_page"]
    problems: list[str] = []
    for name, step in public_steps(viewport):
        step(page, live_server)
        problems += check(page, name, viewport)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, *coordinator)
    for name, step in coordinator_steps():
        step(page, live_server)
        problems += check(page, name, viewport)
    assert not problems, "\n".join(problems)
