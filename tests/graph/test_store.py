"""The embedded store's life: start, join, restart, recover from a kill, refuse a bad dir."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import maintenance
from graph.directory import upsert_venues, venues_by_id
from graph.embedded import read_running
from graph.store import connect
from kith.domain import Venue
from kith.errors import Unavailable
from kith.service import Kith
from kith.settings import Settings

from ..conftest import ROOT, embedded_only, reset

pytestmark = embedded_only("the embedded server's process, data directory and recovery")


def kith_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_server_details_are_readable_by_the_owner_only(kith: Kith, settings: Settings) -> None:
    info = settings.data_dir / "server.json"
    assert stat.S_IMODE(info.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
    assert json.loads(info.read_text())["bolt_port"] > 0


def test_a_second_process_joins_the_running_store(kith: Kith, settings: Settings) -> None:
    reset(kith)
    owner_pid = read_running(settings.data_dir).pid
    done = kith_cli(settings.data_dir, "demo", "--people", "20", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "Loaded the Derby demo: 20 people" in done.stdout
    # The same server answered both processes, and it is still the one this session owns.
    assert read_running(settings.data_dir).pid == owner_pid
    assert maintenance.counts(kith.store)["nodes"] > 20
    assert kith.store.ping()["status"] == "ok"


def test_data_survives_a_clean_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    store = connect(settings)
    upsert_venues(store, [Venue("v-1", "Allestree Library", latitude=52.95, longitude=-1.48)])
    store.close()
    assert read_running(settings.data_dir) is None  # the owner stopped it
    store = connect(settings)
    try:
        assert venues_by_id(store, ["v-1"])["v-1"].name == "Allestree Library"
    finally:
        store.close()


def test_a_killed_server_leaves_a_stale_lock_that_is_recovered(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    owner = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; from pathlib import Path; from kith.settings import Settings;"
            "from graph.store import connect; from graph.directory import upsert_venues;"
            "from kith.domain import Venue;"
            f"s = connect(Settings(data_dir=Path({str(data_dir)!r})));"
            "upsert_venues(s, [Venue('v-kept', 'Kept Hall')]);"
            "print(s.server.pid, flush=True); time.sleep(600)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    server_pid = int(owner.stdout.readline())
    os.kill(server_pid, signal.SIGKILL)
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    wait_for_exit(server_pid)
    assert (data_dir / "server.json").exists()  # left behind by the killed server

    store = connect(Settings(data_dir=data_dir))
    try:
        assert store.server.pid != server_pid
        assert venues_by_id(store, ["v-kept"])["v-kept"].name == "Kept Hall"
    finally:
        store.close()


def wait_for_exit(pid: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def test_a_data_dir_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(Unavailable, match="cannot create data directory"):
        connect(Settings(data_dir=blocker / "data"))


def test_the_store_restarts_by_itself_when_its_server_dies(tmp_path: Path) -> None:
    store = connect(Settings(data_dir=tmp_path / "data"))
    try:
        upsert_venues(store, [Venue("v-1", "Hall")])
        dead = store.server.pid
        os.kill(dead, signal.SIGKILL)
        wait_for_exit(dead)
        assert venues_by_id(store, ["v-1"])["v-1"].name == "Hall"  # answered by a new server
        assert store.server.pid != dead
    finally:
        store.close()
