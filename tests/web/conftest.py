"""Browser fixtures: the real app served by uvicorn, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from kith.service import Kith

CHROMIUM = Path("/usr/bin/chromium")
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


def free_port() -> int:
    """A port nobody is listening on now; the OS picks it, so parallel runs do not collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url: str, thread: threading.Thread, timeout: float = 30.0) -> None:
    """Block until GET /health answers 200, failing early if the server thread has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("uvicorn stopped before /health answered; see the log above")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{base_url}/health did not answer 200 within {timeout:.0f} s")


@pytest.fixture(scope="module")
def live_server(derby: Kith) -> Iterator[str]:
    """The real app over the demo world on a real socket, so a real browser can reach it."""
    port = free_port()
    config = uvicorn.Config(
        create_app(kith=derby), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    # uvicorn skips installing signal handlers outside the main thread, so run() is safe here.
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in its own context, at the viewport named by indirect parametrisation
    ("desktop" unless a test asks for "phone"), so no cookies or history leak between tests."""
    context = browser.new_context(**VIEWPORTS[getattr(request, "param", "desktop")])
    yield context.new_page()
    context.close()
