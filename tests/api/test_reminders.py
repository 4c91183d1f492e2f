"""Review reminders: each organiser gets one e-mail file about their listings due for review,
at most every REMINDER_DAYS per listing; three unanswered make a listing long overdue; a
review answers them; runs at once remind each listing once; the coordinators' page lists what
is due and writes today's reminders; `kith reminders` does the same from the command line."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from graph import directory
from graph.store import connect
from kith import accounts, listing_reviews, reminders
from kith.domain import Activity, Group, ListingStatus, Session, Venue, Weekday
from kith.service import Kith
from kith.settings import Settings
from matching.reviews import Freshness, freshness

from ..conftest import ROOT, embedded_only
from .test_cli import kith as run_kith

TODAY = date.today()
AGO = {"a-due": 200, "a-overdue": 730, "a-fresh": 30, "a-closed": 730, "a-loose": 200}


def reviewed(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def world(empty: Kith) -> Kith:
    """One hall; the knitting group (kept by Ann) with a listing due, one long overdue, one
    fresh and one closed; a walking group nobody organises with a listing due."""
    directory.upsert_venues(empty.store, [Venue("v-hall", "The Hall", latitude=52.92,
                                                longitude=-1.48)])  # fmt: skip
    directory.upsert_groups(empty.store, [Group("g-knit", "Knitters"), Group("g-walk", "Walkers")])
    listings = [
        Activity(aid, f"Listing {aid}", "v-hall",
                 group_id="g-walk" if aid == "a-loose" else "g-knit",
                 sessions=[Session(Weekday.MONDAY, "10:00")], last_reviewed_on=reviewed(days),
                 status=ListingStatus.CLOSED if aid == "a-closed" else ListingStatus.ACTIVE)
        for aid, days in AGO.items()
    ]  # fmt: skip
    directory.upsert_activities(empty.store, listings)
    accounts.add(
        empty.store,
        "Ann Organiser",
        accounts.Role.ORGANISER,
        login="ann@knitters.example",
        password="a long password",
        group_ids=("g-knit",),
    )
    return empty


def held(kith: Kith, aid: str) -> Activity:
    return directory.activities_by_id(kith.store, [aid])[aid]


def test_each_organiser_gets_one_message_about_their_listings_due(
    world: Kith, tmp_path: Path
) -> None:
    sent = reminders.send(world, None, TODAY, tmp_path)
    assert sorted(d.activity.id for d in sent.reminded) == ["a-due", "a-overdue"]
    assert [d.activity.id for d in sent.unkept] == ["a-loose"]
    [path] = sent.files
    assert path.parent == tmp_path / TODAY.isoformat() and path.suffix == ".eml"
    mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["To"] == "Ann Organiser <ann@knitters.example>"
    assert mail["Subject"] == "Please check your 2 listings in the Kith directory"
    body = mail.get_content()
    assert "Listing a-due (Knitters): last checked" in body
    assert "Listing a-overdue" in body and "a-fresh" not in body and "a-closed" not in body
    assert "/my-listings" in body
    counts = {aid: held(world, aid).reminders for aid in AGO}
    assert counts == {"a-due": 1, "a-overdue": 1, "a-fresh": 0, "a-closed": 0, "a-loose": 0}


def test_a_listing_is_reminded_about_at_most_every_fortnight(world: Kith, tmp_path: Path) -> None:
    assert reminders.send(world, None, TODAY, tmp_path).reminded
    for later in (0, 1, reminders.REMINDER_DAYS - 1):
        again = reminders.send(world, None, TODAY + timedelta(days=later), tmp_path)
        assert again.reminded == [] and again.files == []
    fortnight = reminders.send(world, None, TODAY + timedelta(days=reminders.REMINDER_DAYS),
                               tmp_path)  # fmt: skip
    assert len(fortnight.reminded) == 2 and held(world, "a-due").reminders == 2


def test_three_unanswered_reminders_make_a_listing_long_overdue(
    world: Kith, tmp_path: Path
) -> None:
    months = world.weights.review_months
    assert freshness(held(world, "a-due"), TODAY, months) is Freshness.DUE
    for n in range(3):
        reminders.send(world, None, TODAY + timedelta(days=n * reminders.REMINDER_DAYS), tmp_path)
    assert held(world, "a-due").reminders == 3
    assert freshness(held(world, "a-due"), TODAY, months) is Freshness.OVERDUE


def test_a_review_answers_the_reminders(world: Kith, tmp_path: Path) -> None:
    reminders.send(world, None, TODAY, tmp_path)
    organiser = accounts.listing(world.store)[0]
    listing_reviews.review(world, organiser, "a-due")
    assert held(world, "a-due").reminders == 0
    later = reminders.send(world, None, TODAY + timedelta(days=30), tmp_path)
    assert [d.activity.id for d in later.reminded] == ["a-overdue"]


def test_runs_at_once_remind_each_listing_once(world: Kith, tmp_path: Path) -> None:
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda n: reminders.send(world, None, TODAY, tmp_path / str(n)),
                             range(4)))  # fmt: skip
    assert sorted(d.activity.id for run in runs for d in run.reminded) == ["a-due", "a-overdue"]
    assert sum(len(run.files) for run in runs) >= 1
    assert held(world, "a-due").reminders == held(world, "a-overdue").reminders == 1


def test_the_coordinators_page_lists_what_is_due_and_writes_todays_reminders(
    world: Kith, tmp_path: Path
) -> None:
    _, coordinator = accounts.add(world.store, "Cora", accounts.Role.COORDINATOR)
    client = TestClient(create_app(kith=world))
    headers = {"Authorization": f"Bearer {coordinator}"}
    listed = client.get("/reminders", headers=headers)
    assert listed.status_code == 200
    for aid in ("a-due", "a-overdue", "a-loose"):
        assert f"Listing {aid}" in listed.text
    assert "Listing a-fresh" not in listed.text and "Listing a-closed" not in listed.text
    assert "Ann Organiser" in listed.text and "no organiser" in listed.text
    organiser = accounts.add(world.store, "Olly", accounts.Role.ORGANISER, group_ids=("g-knit",))
    assert client.get("/reminders", headers={"Authorization": f"Bearer {organiser[1]}"}) \
        .status_code == 403  # fmt: skip
    assert client.get("/reminders", follow_redirects=False).status_code == 303  # to sign in


@embedded_only("`kith reminders` on a data directory of its own runs the embedded store")
def test_kith_reminders_run_twice_at_once_writes_each_reminder_once(tmp_path: Path) -> None:
    data_dir, outbox = tmp_path / "data", tmp_path / "outbox"
    assert run_kith(data_dir, "demo", "--people", "20").returncode == 0
    store = connect(Settings(data_dir=data_dir))
    try:
        first = sorted(directory.all_activities(store).values(), key=lambda a: a.id)[0]
        directory.upsert_activities(store, [replace(first, last_reviewed_on=reviewed(400))])
        mine = accounts.add(store, "Test Organiser", accounts.Role.ORGANISER,
                            group_ids=(first.group_id or "",))[0]  # fmt: skip
    finally:
        store.close()
    env_args = ["reminders", "--outbox", str(outbox)]
    runs = [subprocess.Popen([sys.executable, "-m", "api.cli", *env_args], cwd=ROOT,
                             env=cli_env(data_dir), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("listings reminded about" in out for out, _ in outputs)
    files = sorted(p.name for p in (outbox / TODAY.isoformat()).glob("*.eml"))
    assert f"{mine.id}.eml" in files
    assert not [name for name in files if name.endswith("-2.eml")]  # each organiser's once
    written = (outbox / TODAY.isoformat() / f"{mine.id}.eml").read_bytes()
    assert first.name in email.message_from_bytes(written).get_payload()


def cli_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    return env
