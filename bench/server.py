"""The real app under uvicorn, in a process of its own so that the benchmark's clients do not
share its interpreter, joined to the store the benchmark loaded (through ``server.json``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from graph.embedded_server import free_port

START_TIMEOUT_S = 600.0  # a region's copies take a minute or more to read


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process now and at its peak (VmHWM), in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return {"rss_mb": round(fields["VmRSS"], 1), "peak_mb": round(fields["VmHWM"], 1)}


def workers(pid: int) -> list[int]:
    """The app processes ``kith serve --workers N`` started under ``pid``, from /proc (not
    multiprocessing's resource tracker, which starts there too)."""
    children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()]  # fmt: skip
    return [c for c in children
            if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()]  # fmt: skip


class AppServer:
    """``kith serve --workers N`` on a free loopback port, over ``data_dir`` (or the Neo4j
    server that ``env``'s ``NEO4J_*`` variables name)."""

    def __init__(self, data_dir: Path, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.workers = workers
        env = {**os.environ, **(env or {}), "KITH_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "api.cli", "serve", "--workers", str(workers),
                   "--host", "127.0.0.1", "--port", str(self.port)]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        self.wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not answer within {START_TIMEOUT_S:g}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # uvicorn stops its workers too
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
