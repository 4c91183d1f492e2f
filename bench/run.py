"""``make bench``: the county world loaded, served and measured, with exact baselines and the
growth of suggestion latency with scale; writes bench/results.json and prints the table.

    python -m bench.run --scale 1.0     # the county (about 5 minutes on 2 cores)
    python -m bench.run --scale 0.1     # a quick run
    make bench-region                   # a region of a million people (see the Makefile)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kith import accounts
from kith.memory.mirror import SLACK_MS
from matching.geo import distance_km

from . import agreement, peer, workloads
from .client import Client
from .report import TARGET_RATE, machine, render, summarise, write
from .server import AppServer, rss_mb, workers
from .sheet import measure as measure_sheet
from .world import Loaded, consenting, derby_places, load_fresh

RESULTS = Path(__file__).parent / "results.json"
GROWTH = (0.1, 0.3)  # of the run's scale, measured before it (suggestions only)
CLIENTS = 20


@dataclass(frozen=True)
class Options:
    scale: float
    requests: int
    seconds: float
    buddy_samples: int
    heap: str
    seed: int
    sheet_scale: float
    peer: bool
    sheet: bool = True
    growth: bool = True
    baseline_samples: int = 100
    out: Path = RESULTS
    query_timeout_ms: int | None = None


def options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the county (default 1.0)")
    parser.add_argument("--requests", type=int, default=100, help="per workload, one by one")
    parser.add_argument(
        "--seconds", type=float, help="of 20 concurrent clients (60 * scale, >= 10)"
    )
    parser.add_argument(
        "--buddy-samples",
        type=int,
        default=10,
        help="brute-force buddy baselines (each reads every volunteer)",
    )
    parser.add_argument("--heap", default="1g", help="the embedded store's Java heap")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sheet-scale",
        type=float,
        help="of issue 6's 100,000-row volunteer sheet (default: --scale)",
    )
    parser.add_argument(
        "--no-peer", dest="peer", action="store_false",
        help="skip the peer beside Kith (the Neo4j GraphQL Library on Neo4j; bench/peer.py)",
    )  # fmt: skip
    parser.add_argument("--no-sheet", dest="sheet", action="store_false",
                        help="skip the volunteer sheet")  # fmt: skip
    parser.add_argument("--no-growth", dest="growth", action="store_false",
                        help="skip the suggestions at 10 %% and 30 %% of the scale")  # fmt: skip
    parser.add_argument("--baseline-samples", type=int, default=100,
                        help="answers checked against the baselines, at most")  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go")
    parser.add_argument("--query-timeout-ms", type=int,
                        help="the store's command time limit (KITH_QUERY_TIMEOUT_MS)")  # fmt: skip
    a = parser.parse_args(argv)
    seconds = a.seconds if a.seconds is not None else max(10.0, 60.0 * min(a.scale, 1.0))
    sheet = a.sheet_scale if a.sheet_scale is not None else a.scale
    return Options(a.scale, a.requests, seconds, a.buddy_samples, a.heap, a.seed, sheet, a.peer,
                   a.sheet, a.growth, a.baseline_samples, a.out, a.query_timeout_ms)  # fmt: skip


def requests_for(loaded: Loaded, count: int, seed: int) -> dict[str, list[workloads.Request]]:
    """The same requests for the same world and seed, by workload."""
    rng = random.Random(seed)
    people = [p.id for p in consenting(loaded.world, rng, count)]
    return {
        "search": workloads.searches(rng, derby_places(rng, count)),
        "suggestBuddies": workloads.buddies(people),
        "suggestActivities": workloads.activities(people),
        "activitiesNear": workloads.near(rng, derby_places(rng, count)),
    }


def neighbourhood(loaded: Loaded, samples: int = 20, seed: int = 3) -> dict[str, float]:
    """How big a person's neighbourhood is: volunteers within their own travel limit of them,
    and activities within the default 5 km, averaged over a few people."""
    rng = random.Random(seed)
    people = consenting(loaded.world, rng, samples)
    volunteers = [p for p in loaded.world.people if p.volunteer]
    venues = {v.id: v for v in loaded.world.venues}

    def km(p: Any, q: Any) -> float:
        return distance_km((p.latitude, p.longitude), (q.latitude, q.longitude))

    reach = [sum(1 for v in volunteers if km(p, v) <= v.volunteer.max_travel_km) for p in people]
    near = [sum(1 for a in loaded.world.activities if km(p, venues[a.venue_id]) <= 5.0)
            for p in people]  # fmt: skip
    return {"volunteers_in_reach": round(sum(reach) / len(reach)),
            "activities_within_5km": round(sum(near) / len(near))}  # fmt: skip


def warm(client: Client, requests: dict[str, list[workloads.Request]]) -> dict[str, float]:
    """Requests of every kind until the store has settled after the load (the in-memory copies
    look back ``SLACK_MS`` for late commits, so for that long after a bulk load each check
    re-reads what the load stamped): returns how long each kind's first answer took, which
    pays for reading the copies."""
    first = {name: round(client.ask(b[-1].query, b[-1].variables).ms, 1)
             for name, b in requests.items()}  # fmt: skip
    mixed = [r for batch in requests.values() for r in reversed(batch)]
    deadline = time.monotonic() + SLACK_MS / 1000
    while time.monotonic() < deadline:
        request = mixed.pop()
        client.ask(request.query, request.variables)
        mixed.insert(0, request)
    return first


def load_summary(loaded: Loaded) -> dict[str, Any]:
    return {
        "people": len(loaded.world.people),
        "volunteers": sum(1 for p in loaded.world.people if p.volunteer),
        "groups": len(loaded.world.groups), "activities": len(loaded.world.activities),
        "venues": len(loaded.world.venues), "nodes": loaded.nodes, "edges": loaded.edges,
        "generate_s": round(loaded.generate_s, 1), "store_start_s": round(loaded.start_s, 1),
        "load_s": round(loaded.load_s, 1), "rate_per_s": round(loaded.rate),
        "target_rate_per_s": TARGET_RATE,
    }  # fmt: skip


@dataclass
class Served:
    """A fresh store holding the world, the app serving it, and a coordinator's client."""

    loaded: Loaded
    server: AppServer
    token: str
    client: Client
    requests: dict[str, list[workloads.Request]]
    first_ms: dict[str, float]


@contextlib.contextmanager
def served(opts: Options, scale: float, folder: Path) -> Iterator[Served]:
    """The world at ``scale`` loaded under ``folder`` and served, warmed up; stopped after."""
    loaded = load_fresh(scale, folder, opts.heap, opts.seed, opts.query_timeout_ms)
    try:  # the store stopped whatever happens, before its temporary folder goes
        server = AppServer(loaded.kith.store.settings.data_dir)
        try:
            _, token = accounts.add(loaded.kith.store, "bench", accounts.Role.COORDINATOR)
            client = Client(server.port, token)
            requests = requests_for(loaded, opts.requests, opts.seed)
            yield Served(loaded, server, token, client, requests, warm(client, requests))
            client.close()
        finally:
            server.stop()
    finally:
        loaded.kith.close()


def growth_point(opts: Options, scale: float, root: Path) -> dict[str, Any]:
    """Suggestions alone at a smaller scale, on a world and store of their own."""
    with served(opts, scale, root / f"growth-{scale:g}") as run:
        chosen = run.requests["suggestBuddies"] + run.requests["suggestActivities"]
        stats = summarise(workloads.run_each(run.client, chosen)[0])
    return growth_row(scale, run.loaded, stats)


def growth_row(scale: float, loaded: Loaded, stats: dict[str, Any]) -> dict[str, Any]:
    return {"scale": scale, "people": len(loaded.world.people), **neighbourhood(loaded),
            "suggestBuddies_p95_ms": stats["suggestBuddies"]["p95_ms"],
            "suggestActivities_p95_ms": stats["suggestActivities"]["p95_ms"]}  # fmt: skip


def one_by_one(run: Served) -> tuple[dict[str, Any], dict[str, list[agreement.Pair]]]:
    """Every workload's requests one after the other: their statistics, and the answers."""
    stats, answers = {}, {}
    for name, batch in run.requests.items():
        timings, data = workloads.run_each(run.client, batch)
        stats.update(summarise(timings))
        answers[name] = [(r, d) for r, d in zip(batch, data, strict=True) if d is not None]
    return stats, answers


def full_run(opts: Options, root: Path) -> dict[str, Any]:
    """Every workload at the run's scale, alone and together, then the baselines."""
    with served(opts, opts.scale, root / "county") as run:
        sequential, answers = one_by_one(run)
        pool = [r for batch in run.requests.values() for r in batch]
        mixed, took = workloads.run_mixed(run.server.port, run.token, pool, CLIENTS, opts.seconds)
        store = run.loaded.kith.store
        memory = {
            "store": rss_mb(store.server.pid),
            "api": rss_mb(run.server.process.pid),  # type: ignore[union-attr]
            "bench": rss_mb(os.getpid()),
        }  # the world generated, as a loader holds it
        two = two_workers(run, pool, opts.seconds)
        first_after_start = restarted(run)
        beside = peer.side_by_side(run.loaded, run.token, run.requests, root,
                                   max(10.0, opts.seconds / 3)) if opts.peer else None  # fmt: skip
        p50 = {name: stats["p50_ms"] for name, stats in sequential.items()}
        samples = {name: found[: opts.baseline_samples] for name, found in answers.items()}
        checked = agreement.check(run.loaded.kith, samples, p50, opts.buddy_samples)
    return {
        "load": load_summary(run.loaded), "first_request_ms": run.first_ms,
        "first_request_after_start_ms": first_after_start,
        "workloads": sequential, "concurrent": concurrent_summary(mixed, took),
        "concurrent_2_workers": two, "memory": memory, "baselines": checked,
        "growth_row": growth_row(opts.scale, run.loaded, sequential),
        **({"peer": beside} if beside else {}),
    }  # fmt: skip


def two_workers(run: Served, pool: list[workloads.Request], seconds: float) -> dict[str, Any]:
    """The same concurrent workload against `kith serve --workers 2` on the same store (the
    one-worker server stopped first, so that both runs have the machine to themselves)."""
    run.server.stop()
    server = AppServer(run.loaded.kith.store.settings.data_dir, workers=2)
    try:
        client = Client(server.port, run.token)
        warm(client, run.requests)  # each worker reads its copies on its first requests
        client.close()
        mixed, took = workloads.run_mixed(server.port, run.token, pool, CLIENTS, seconds)
        memory = {str(pid): rss_mb(pid) for pid in workers(server.process.pid)}
    finally:
        server.stop()
    return {**concurrent_summary(mixed, took), "worker_memory": memory}


def restarted(run: Served) -> dict[str, float]:
    """The first answer of each workload from an app process started on a settled store, as
    after a deploy: the process builds its copies before it opens its port (kith/warm.py),
    so these should be like the rest (target: 200 ms each)."""
    server = AppServer(run.loaded.kith.store.settings.data_dir)
    try:
        client = Client(server.port, run.token)
        first = {name: round(client.ask(b[0].query, b[0].variables).ms, 1)
                 for name, b in run.requests.items()}  # fmt: skip
        client.close()
    finally:
        server.stop()
    return first


def concurrent_summary(mixed: workloads.Timings, took: float) -> dict[str, Any]:
    """All workloads together against the concurrent target, and each on its own."""
    everything = workloads.Timings()
    for name, ms in mixed.ms.items():
        everything.ms.setdefault("concurrent", []).extend(ms)
        everything.errors.setdefault("concurrent", []).extend(mixed.errors.get(name, []))
    total = sum(len(ms) for ms in mixed.ms.values())
    errors = [e for found in mixed.errors.values() for e in found]
    return {
        "clients": CLIENTS, "seconds": round(took, 1), "throughput_per_s": round(total / took, 1),
        "workloads": summarise(everything), "by_workload": summarise(mixed),
        "error_samples": errors[:5],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    opts = options(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kith-bench-") as tmp:
        root = Path(tmp)
        sheet = measure_sheet(opts.sheet_scale, root, opts.heap, opts.seed) if opts.sheet else None
        growth = [growth_point(opts, round(opts.scale * g, 4), root) for g in GROWTH
                  if opts.growth]  # fmt: skip
        results: dict[str, Any] = {"machine": machine(), "scale": opts.scale,
                                   "options": asdict(opts), "volunteer_sheet": sheet,
                                   **full_run(opts, root)}  # fmt: skip
    results["growth"] = [*growth, results.pop("growth_row")]
    results["duration_s"] = round(time.perf_counter() - started, 1)
    write(results, opts.out)
    print(render(results))
    print(f"\nbench: {results['duration_s']:.0f} s in all; results in {opts.out}")


if __name__ == "__main__":
    main()
