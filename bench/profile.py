"""Where a request's time goes: the app as `kith serve` runs it, over a fresh store holding the
world at ``--scale``, sampled by py-spy (every thread, native frames left out) while each
workload's requests are sent one after another over HTTP; writes each workload's collapsed
stacks (flame-graph input) and prints the functions holding the most samples, inclusive.

    .venv/bin/pip install py-spy   # not a dependency of Kith: a tool for a person
    .venv/bin/python -m bench.profile --scale 1 --out profiles/

The store runs in its own process, so time the app spends waiting for it shows as socket
reads (``recv_into``); idle worker threads are left out (``--idle`` is not passed)."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kith import accounts

from .client import Client
from .run import requests_for, warm
from .server import AppServer
from .world import load_fresh

TOP = 25


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the county (default 1.0)")
    parser.add_argument("--requests", type=int, default=100, help="per workload")
    parser.add_argument("--out", type=Path, default=Path("profiles"), help="folder for stacks")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(__file__).parents[1] / ".venv/bin/py-spy")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kith-profile-") as tmp:
        loaded = load_fresh(args.scale, Path(tmp), "1g")
        server = AppServer(loaded.kith.store.settings.data_dir)
        try:
            token = accounts.add(loaded.kith.store, "profile", accounts.Role.COORDINATOR)[1]
            client = Client(server.port, token)
            requests = requests_for(loaded, args.requests, 1)
            warm(client, requests)  # as the benchmark does: the store settled after the load
            for name, batch in requests.items():
                stacks = args.out / f"{name}.folded"
                with sampled(spy, server.process.pid, stacks):
                    started = time.perf_counter()
                    for r in batch:
                        client.ask(r.query, r.variables)
                    took = time.perf_counter() - started
                print(f"\n## {name}: {len(batch)} requests in {took:.1f} s ({stacks})")
                print(summary(stacks))
            client.close()
        finally:
            server.stop()
            loaded.kith.close()


@contextlib.contextmanager
def sampled(spy: str, pid: int, stacks: Path) -> Iterator[None]:
    """py-spy sampling ``pid`` while the block runs, its collapsed stacks into ``stacks``."""
    command = [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "500",
               "--output", str(stacks), "--nonblocking"]  # fmt: skip
    sampling = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        sampling.send_signal(signal.SIGINT)
        sampling.wait(timeout=60)


def summary(stacks: Path) -> str:
    """The functions in most samples (a function counted once per sample), as shares."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        total += int(count)
        for frame in set(frames.split(";")):
            inclusive[frame] += int(count)
    rows = [f"{100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(TOP)]
    return "\n".join(rows)


if __name__ == "__main__":
    main()
