"""Faults: a server killed mid-write loses no acknowledged write and leaves nothing half-done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from graph import integrity, maintenance
from graph.directory import activities_by_id, upsert_activities, upsert_venues, venues_by_id
from graph.store import connect
from kith.domain import Activity, Session, Venue, Weekday
from kith.settings import Settings
from loaders import demo

from ..conftest import ROOT


def kill_after(seconds: float, pid: int) -> threading.Thread:
    def kill() -> None:
        time.sleep(seconds)
        os.kill(pid, signal.SIGKILL)

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread


def test_every_acknowledged_write_survives_a_kill(tmp_path: Path) -> None:
    store = connect(Settings(data_dir=tmp_path / "data"))
    try:
        upsert_venues(store, [Venue("v-home", "Home Hall", latitude=52.9, longitude=-1.5)])
        killed = store.server
        killer = kill_after(1.5, killed.pid)
        acknowledged: list[str] = []
        after_kill = 0  # batches acknowledged once the kill had certainly happened
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (after_kill < 20 or len(acknowledged) < 400):
            after_kill += 0 if killer.is_alive() else 1
            batch = [
                Activity(f"a-{len(acknowledged) + i}", "Session", "v-home",
                         sessions=[Session(Weekday.MONDAY, "10:00")])
                for i in range(5)
            ]  # fmt: skip
            upsert_activities(store, batch)
            acknowledged += [a.id for a in batch]
        assert killed.process.poll() is not None, "the first server was killed"
        assert store.server is not killed, "a new server was started after the kill"
        found = activities_by_id(store, acknowledged)
        assert len(found) == len(acknowledged) >= 400
        assert integrity.problems(store) == {}
        print(f"acknowledged {len(acknowledged)} writes; found {len(found)} after the kill")
    finally:
        store.close()


def test_an_import_killed_midway_leaves_only_whole_batches(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    importer = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "demo", "--people", "12000"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    info = data_dir / "server.json"
    deadline = time.monotonic() + 120
    while not info.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(4)  # well into the import
    os.kill(json.loads(info.read_text())["pid"], signal.SIGKILL)
    out, err = importer.communicate(timeout=600)
    store = connect(Settings(data_dir=data_dir))
    try:
        assert integrity.problems(store) == {}
        world = demo.generate(people=12000)
        if importer.returncode == 0:  # the importer restarted the server and finished
            assert "Loaded the Derby demo" in out
            assert len(venues_by_id(store, [v.id for v in world.venues])) == len(world.venues)
            assert maintenance.counts(store)["nodes"] >= world.size()
        else:
            assert "kith:" in err and "Traceback" not in err
    finally:
        store.close()
