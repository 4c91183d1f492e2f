"""Signing in to the pages, and what keeps it safe: session cookie, CSRF token, same-origin
check, secure headers, lockout. Driven in process (no browser needed to read a header)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from graph.setup import session_key
from graph.store import connect
from kith import accounts
from kith.accounts import Role
from kith.errors import InvalidInput, Unauthenticated
from kith.lockout import Lockout
from kith.service import Kith

from ..conftest import ROOT, reset

PASSWORD = "a long enough password"
VOLUNTEER_FORM = {
    "name": "Pat Helper", "postcode": "DE22 3AB", "interests": "knitting",
    "max_travel_km": "3", "capacity": "1", "consent": "yes", "login": "pat.helper",
    "password": PASSWORD,
}  # fmt: skip


@pytest.fixture(scope="module")
def site(kith: Kith) -> Iterator[TestClient]:
    """The app over a store holding the taxonomy and a coordinator who can sign in."""
    reset(kith)
    accounts.add(kith.store, "Jo Coordinator", Role.COORDINATOR, login="jo.c", password=PASSWORD)
    with TestClient(create_app(kith=kith), base_url="http://kith.test") as client:
        yield client


@pytest.fixture
def browser(site: TestClient) -> Iterator[TestClient]:
    """The site as a fresh browser sees it: no cookies."""
    site.cookies.clear()
    yield site
    site.cookies.clear()


def token_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def sign_in(client: TestClient, login: str, password: str, **extra: str) -> object:
    token = token_of(client.get("/sign-in").text)
    data = {"csrf": token, "login": login, "password": password, **extra}
    return client.post("/sign-in", data=data, follow_redirects=False)


def test_pages_send_secure_headers_and_reading_the_directory_sets_no_cookie(
    browser: TestClient,
) -> None:
    response = browser.get("/?text=knit&postcode=DE22")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers

    cookie = browser.get("/sign-in").headers["set-cookie"]
    assert "kith_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_a_form_without_the_sessions_token_is_refused_and_writes_nothing(
    browser: TestClient, kith: Kith
) -> None:
    token_of(browser.get("/volunteer").text)
    forged = browser.post("/volunteer", data={**VOLUNTEER_FORM, "csrf": "forged"})
    assert forged.status_code == 403
    assert "reload the page" in forged.text
    assert accounts.check_sign_in(kith.store, "pat.helper", PASSWORD) == "pat.helper"

    token = token_of(browser.get("/volunteer").text)
    elsewhere = browser.post("/volunteer", data={**VOLUNTEER_FORM, "csrf": token},
                             headers={"origin": "https://evil.example"})  # fmt: skip
    assert elsewhere.status_code == 403
    assert accounts.check_sign_in(kith.store, "pat.helper", PASSWORD) == "pat.helper"


def test_five_wrong_passwords_lock_the_name_with_a_clear_message(browser: TestClient) -> None:
    for left in (4, 3, 2, 1):
        wrong = sign_in(browser, "jo.c", "not the password")
        assert wrong.status_code == 401
        assert f"{left} more tr" in wrong.text
    locked = sign_in(browser, "jo.c", "not the password")
    assert locked.status_code == 429
    assert "locked for 15 more minutes" in locked.text

    right_but_locked = sign_in(browser, "JO.C", PASSWORD)
    assert right_but_locked.status_code == 429
    assert browser.get("/volunteers", follow_redirects=False).status_code == 303


def test_a_lock_lifts_after_fifteen_minutes_and_success_clears_the_count(kith: Kith) -> None:
    now = [1_000_000.0]
    lockout = Lockout(kith.store, clock=lambda: now[0])
    for _ in range(4):
        assert lockout.failed("sam") == 0
    lockout.succeeded("Sam")
    assert lockout.attempts_left("sam") == 5
    for _ in range(5):
        lockout.failed("sam")
    assert lockout.seconds_locked("SAM") == 15 * 60
    now[0] += 15 * 60
    assert lockout.seconds_locked("sam") == 0
    now[0] += 16 * 60  # failures older than the window are forgotten
    for _ in range(4):
        lockout.failed("sam")
    assert lockout.seconds_locked("sam") == 0


def test_signing_in_starts_a_fresh_session_goes_back_and_signing_out_ends_it(
    browser: TestClient, kith: Kith
) -> None:
    accounts.add(kith.store, "Ali Coordinator", Role.COORDINATOR, login="ali.c", password=PASSWORD)
    before = browser.get("/sign-in").cookies.get("kith_session")
    asked = browser.get("/volunteers", follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/sign-in?next=/volunteers"

    signed_in = sign_in(browser, "ali.c", PASSWORD, next="/volunteers")
    assert signed_in.headers["location"] == "/volunteers"
    assert browser.cookies.get("kith_session") != before
    assert "Volunteers to approve" in browser.get("/volunteers").text

    token = token_of(browser.get("/volunteers").text)
    browser.post("/sign-out", data={"csrf": token})
    assert browser.get("/volunteers", follow_redirects=False).status_code == 303


def test_sign_in_only_goes_back_to_this_site(browser: TestClient, kith: Kith) -> None:
    accounts.add(kith.store, "Kim Coordinator", Role.COORDINATOR, login="kim.c", password=PASSWORD)
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        browser.cookies.clear()
        assert sign_in(browser, "kim.c", PASSWORD, next=elsewhere).headers["location"] == "/"


def test_a_revoked_account_is_signed_out_at_its_next_page(browser: TestClient, kith: Kith) -> None:
    account, _ = accounts.add(kith.store, "Lee Coordinator", Role.COORDINATOR, login="lee.c",
                              password=PASSWORD)  # fmt: skip
    sign_in(browser, "lee.c", PASSWORD)
    assert browser.get("/volunteers").status_code == 200
    accounts.revoke(kith.store, account.id)
    assert browser.get("/volunteers", follow_redirects=False).status_code == 303
    assert sign_in(browser, "lee.c", PASSWORD).status_code == 401


def test_a_volunteer_sees_their_own_record_and_nobody_elses(
    browser: TestClient, kith: Kith
) -> None:
    token = token_of(browser.get("/volunteer").text)
    form = {**VOLUNTEER_FORM, "login": "pat.two", "csrf": token}
    signed_up = browser.post("/volunteer", data=form, follow_redirects=False)
    assert signed_up.headers["location"] == "/welcome"
    assert "Pat Helper" in browser.get("/my-record").text
    assert browser.get("/people/p-somebody-else").status_code == 403
    assert browser.get("/volunteers").status_code == 403


def test_every_process_on_a_store_counts_the_same_failures(kith: Kith) -> None:
    """Two processes' lockouts (here two stores on one engine) share one count: five tries in
    all, not five each; and the name itself is not what the store keeps."""
    other = connect(kith.store.settings, apply_schema=False)
    try:
        here, there = Lockout(kith.store), Lockout(other)
        for lockout in (here, there, here, there):
            assert lockout.failed("Rowan.Shared") == 0
        assert there.attempts_left("rowan.shared") == 1
        assert here.failed("rowan.shared") > 14 * 60
        assert there.seconds_locked("ROWAN.SHARED") > 14 * 60
        names = kith.store.read(lambda tx: tx.run("MATCH (s:SignInAttempts) RETURN s.id").value())
        assert names and not any("rowan" in n for n in names)
    finally:
        other.close()


def test_the_session_key_is_made_once_and_kept_in_the_store(kith: Kith) -> None:
    """Every process serving a store signs cookies with the same key, and keeps it."""
    other = connect(kith.store.settings, apply_schema=False)
    try:
        assert session_key(other) == kith.session_key() == session_key(kith.store)
        assert len(kith.session_key()) > 40
    finally:
        other.close()


def test_terms_are_suggested_as_people_type(browser: TestClient) -> None:
    assert "Knitting" in browser.get("/terms?kind=interest&prefix=knit").json()
    assert browser.get("/terms?kind=planet").status_code == 400


def test_sign_in_names_are_unique_whatever_their_case_and_tokens_alone_do_not_sign_in(
    kith: Kith,
) -> None:
    accounts.add(kith.store, "Mo", Role.PRESCRIBER, login="Mo.Prescriber", password=PASSWORD)
    with pytest.raises(InvalidInput, match="taken"):
        accounts.add(kith.store, "Mo 2", Role.PRESCRIBER, login="mo.prescriber", password=PASSWORD)
    with pytest.raises(InvalidInput, match="at least 10"):
        accounts.add(kith.store, "Short", Role.PRESCRIBER, login="short.pw", password="short")
    token_only, _ = accounts.add(kith.store, "Token Only", Role.COORDINATOR)
    assert token_only.login is None
    with pytest.raises(Unauthenticated):
        accounts.sign_in(kith.store, "token only", "")
    assert accounts.sign_in(kith.store, " MO.prescriber ", PASSWORD).role is Role.PRESCRIBER


def test_kith_users_add_can_give_a_sign_in_read_from_standard_input(tmp_path: Path) -> None:
    def add(login: str, password: str) -> subprocess.CompletedProcess:
        command = ["users", "add", "Jo Coordinator", "--role", "COORDINATOR", "--login", login,
                   "--password-stdin"]  # fmt: skip
        env = {**os.environ, "KITH_DATA_DIR": str(tmp_path)}
        env.pop("NEO4J_URI", None)
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *command], input=password + "\n", env=env,
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    added = add("jo.coordinator", PASSWORD)
    assert added.returncode == 0, added.stderr
    lines = added.stdout.strip().splitlines()
    assert "They sign in to the pages (/sign-in) as jo.coordinator." in lines
    assert lines[-1].startswith("kith_")
    assert PASSWORD not in added.stdout
    taken = add("Jo.Coordinator", PASSWORD)
    assert taken.returncode == 1 and "is taken" in taken.stderr
    short = add("jo.other", "short")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
