"""Several Kith processes on one store are normal: started together on a new data directory,
the server, an account, the demo and a loader all succeed, whoever starts the engine first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.embedded_server import free_port

from ..conftest import ROOT

ROUNDS = int(os.environ.get("ROUNDS", "10"))
POSTCODES = "postcode,latitude,longitude\nDE22 3AB,52.93,-1.50\nDE1 1AA,52.92,-1.48\n"


def started(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def healthy(url: str, server: subprocess.Popen, timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.2)
    return False


def one_round(data_dir: Path, postcodes: Path) -> list[str]:
    """Four processes at once on a fresh data directory; what went wrong, if anything."""
    port = free_port()
    server = started(data_dir, "serve", "--port", str(port))
    others = {
        "users add": started(data_dir, "users", "add", "Ann Admin", "--role", "ADMIN"),
        "demo": started(data_dir, "demo", "--people", "20"),
        "load postcodes": started(data_dir, "load", "postcodes", str(postcodes)),
    }
    problems = []
    try:
        if not healthy(f"http://127.0.0.1:{port}", server):
            problems.append("serve never answered /health")
        for name, process in others.items():
            _, err = process.communicate(timeout=300)
            if process.returncode != 0 or "Traceback" in err:
                problems.append(f"{name} exited {process.returncode}: {err.strip()[-300:]}")
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=120)
    if "Traceback" in err:
        problems.append(f"serve: {err.strip()[-300:]}")
    return problems


@pytest.mark.slow
def test_four_processes_started_together_on_a_new_store_all_succeed(tmp_path: Path) -> None:
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text(POSTCODES)
    failures = {}
    for n in range(ROUNDS):
        if problems := one_round(tmp_path / f"data-{n}", postcodes):
            failures[n] = problems
    assert not failures, failures
