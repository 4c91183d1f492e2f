"""Browser fixtures: the real app served by uvicorn, Debian's Chromium driven by Playwright, the
accounts that sign in, and the checks every page gets (axe-core, no sideways scrolling)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from kith import accounts
from kith.service import Kith

CHROMIUM = Path("/usr/bin/chromium")
WEB = Path(__file__).resolve().parents[2] / "web"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
COORDINATOR = ("test.coordinator", "a long test password")
PRESCRIBER = ("test.prescriber", "a long prescriber password")
# Everything but this machine's loopback: map tiles among it, so every test sees the map as it
# is here, offline, whatever the machine running the tests can reach.
OUTSIDE = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).+")
# Quiet, offline Chromium: no sandbox (containers, root), no GPU, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Phone is a mobile context so that the page's meta viewport is honoured, as on a real phone.
VIEWPORTS: dict[str, dict[str, object]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once; Playwright must never download a browser of its own."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def npm_packages() -> None:
    """Leaflet (served to the pages) and axe-core (run in them) come from `make install`."""
    if not (WEB / "node_modules" / "leaflet").is_dir() or not AXE.exists():
        pytest.fail("web/node_modules is missing: run `make install` (npm ci --prefix web)")


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in its own context, at the viewport named by indirect parametrisation
    ("desktop" unless a test asks for "phone"), so no cookies or history leak between tests.
    Nothing outside this machine is reached; axe-core is there for ``axe_violations``; and a
    script error or a Content-Security-Policy refusal fails the test."""
    context = browser.new_context(**VIEWPORTS[getattr(request, "param", "desktop")])
    context.route(OUTSIDE, lambda route: route.abort())
    context.add_init_script(path=str(AXE))  # injected by the browser, so the page's CSP allows it
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture(scope="module")
def coordinator(derby: Kith) -> tuple[str, str]:
    """A coordinator's sign-in name and password, as `kith users add --login` makes them."""
    accounts.ensure_sign_in(derby.store, "Test Coordinator", accounts.Role.COORDINATOR,
                            *COORDINATOR)  # fmt: skip
    return COORDINATOR


@pytest.fixture(scope="module")
def prescriber(derby: Kith) -> tuple[str, str]:
    """A GP social prescriber's sign-in name and password, made as the coordinator's is."""
    accounts.ensure_sign_in(derby.store, "Test Prescriber", accounts.Role.PRESCRIBER,
                            *PRESCRIBER)  # fmt: skip
    return PRESCRIBER


def sign_in(page: Page, base_url: str, login: str, password: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Sign-in name").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_mrs_shardlow(page: Page, base_url: str, coordinator: tuple[str, str]) -> None:
    """Sign in as the coordinator, search "knit" near DE22 and open Mrs Shardlow's page, as the
    issue's journey does."""
    sign_in(page, base_url, *coordinator)
    page.get_by_label("What are you looking for?").fill("knit")
    page.get_by_label("Near postcode").fill("DE22")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Mrs Shardlow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mrs Shardlow")


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    result = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], "axe-core checked nothing: is it injected?"
    found = result["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def fits(page: Page, name: str) -> list[str]:
    """Serious axe findings and sideways scrolling on the page as it is now; screenshot kept."""
    problems = [f"{name}: {v}" for v in axe_violations(page)]
    wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if wide > screen:
        problems.append(f"{name}: {wide}px wide on a {screen}px screen")
    screenshot(page, name)
    return problems


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page picture for a person to look at; tests/screenshots/ is git-ignored."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
