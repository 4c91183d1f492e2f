"""Numbers out: percentiles, the targets of issue 18, the printed table and results.json."""

from __future__ import annotations

import json
import math
import os
import platform
from pathlib import Path
from typing import Any

from .workloads import Timings

TARGET_P95_MS = {"search": 12.0, "suggestBuddies": 25.0, "suggestActivities": 25.0,
                 "activitiesNear": 12.0, "concurrent": 200.0}  # fmt: skip
TARGET_ANSWERS_PER_S = 100.0  # 20 concurrent clients, mixed
TARGET_RATE = 10_000.0
TARGET_SHEET_RATE = 5_000  # volunteer rows loaded from CSV per second (issue 6)
TARGET_RSS_MB = 1536.0
TARGET_FIRST_MS = 200.0  # the first answer of each workload after an app process starts (issue 18)


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)


def latency(ms: list[float], errors: int, target: float | None) -> dict[str, Any]:
    p95 = percentile(ms, 95)
    return {
        "n": len(ms), "errors": errors, "p50_ms": percentile(ms, 50), "p95_ms": p95,
        "p99_ms": percentile(ms, 99), "target_p95_ms": target,
        "met": None if target is None or p95 is None else (p95 <= target and errors == 0),
    }  # fmt: skip


def summarise(timings: Timings) -> dict[str, dict[str, Any]]:
    """Each workload's latencies against its target."""
    return {name: latency(ms, len(timings.errors.get(name, [])), TARGET_P95_MS.get(name))
            for name, ms in timings.ms.items()}  # fmt: skip


def machine() -> dict[str, Any]:
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {"cpus": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform()}  # fmt: skip


def ratio(slow: float | None, fast: float | None) -> float | None:
    return round(slow / fast, 1) if slow and fast else None


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A Markdown table (it reads in a terminal and pastes into the README)."""
    text = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, text)])


def render(results: dict[str, Any]) -> str:
    """The headline table, the baselines and the growth, as printed after a run."""
    load, memory = results["load"], results["memory"]
    rows = [["import (nodes+edges/s)", load["rate_per_s"], f">= {TARGET_RATE:,.0f}", "", "",
             load["rate_per_s"] >= TARGET_RATE]]  # fmt: skip
    two = results.get("concurrent_2_workers")
    runs = {**results["workloads"], **results["concurrent"]["workloads"]}
    if two:
        runs["concurrent, 2 workers"] = two["workloads"]["concurrent"]
    for name, stats in runs.items():
        rows.append([name, stats["p95_ms"], f"p95 <= {stats['target_p95_ms']:g} ms",
                     stats["p50_ms"], stats["errors"], stats["met"]])  # fmt: skip
    if two:
        one = results["concurrent"]["throughput_per_s"]
        rate = two["throughput_per_s"]
        rows.append(["concurrent answers/s, 1 -> 2 workers", rate, f">= {TARGET_ANSWERS_PER_S:g}",
                     one, "", min(one, rate) >= TARGET_ANSWERS_PER_S])  # fmt: skip
    rows.append(
        [
            "store RSS, peak (MB)",
            memory["store"]["peak_mb"],
            f"<= {TARGET_RSS_MB:,.0f}",
            memory["store"]["rss_mb"],
            "",
            memory["store"]["peak_mb"] <= TARGET_RSS_MB,
        ]
    )
    rows.append(["app RSS, 1 worker (MB)", memory["api"]["rss_mb"], "", "", "", ""])
    for pid, used in (two or {}).get("worker_memory", {}).items():
        rows.append([f"app RSS, worker {pid} of 2 (MB)", used["rss_mb"], "", "", "", ""])
    for name, ms in results.get("first_request_after_start_ms", {}).items():
        rows.append([f"first {name} after a start (ms)", ms, f"<= {TARGET_FIRST_MS:g} ms", "", "",
                     ms <= TARGET_FIRST_MS])  # fmt: skip
    sheet = results.get("volunteer_sheet")
    if sheet:
        rows.insert(1, ["volunteer sheet (rows/s)", sheet["new_rows_per_s"],
                        f">= {sheet['target_rows_per_s']:,}", "", sheet["new"]["bad"],
                        sheet["met"]])  # fmt: skip
    out = [table(rows, ["workload", "p95 / value", "target", "p50 / now", "errors", "met"])]
    if sheet:
        out.append(sheet_table(sheet))
    base = [[n, b["agreement"], b["samples"], b["brute_ms"], b["real_p50_ms"], b["speedup"]]
            for n, b in results["baselines"].items()]  # fmt: skip
    out.append(table(base, ["exact baseline", "top-k agreement %", "samples", "brute ms",
                            "real p50 ms", "speed-up x"]))  # fmt: skip
    growth = [[f"{g['scale']:g}", g["people"], g["volunteers_in_reach"], g["activities_within_5km"],
               g["suggestBuddies_p95_ms"], g["suggestActivities_p95_ms"]]
              for g in results["growth"]]  # fmt: skip
    out.append(table(growth, ["scale", "people", "volunteers in reach", "activities <= 5 km",
                              "buddies p95 ms", "activities p95 ms"]))  # fmt: skip
    if "peer" in results:
        out.append(peer_table(results["peer"]))
    return "\n\n".join(out)


PEER_TARGETS = {"kith_embedded": "Kith, embedded", "kith_neo4j": "Kith on Neo4j",
                "peer": "peer (Neo4j GraphQL Library)"}  # fmt: skip


def peer_table(peer: dict[str, Any]) -> str:
    """Kith on both stores and the peer, workload by workload (bench/peer.py): latency and
    answers a second, Kith / peer, and how far the top 10 agrees with Kith on the embedded
    store's (same ids in the same order; share of Kith's top 10 in the other's top 10)."""
    rows = []
    for workload in ("search", "activitiesNear", "mixed"):
        for key, label in PEER_TARGETS.items():
            stats = peer["targets"][key][workload]
            over = peer["kith_over_peer"].get(key, {}).get(workload, {})
            agree = peer["agreement"].get(workload, {}).get(key, {})
            rows.append([workload, label, stats["p50_ms"], stats["p95_ms"], stats["answers_per_s"],
                         stats["errors"], cell_ratio(over, "p50_ms"), cell_ratio(over, "p95_ms"),
                         cell_ratio(over, "answers_per_s"), agree.get("same_top10_pct"),
                         agree.get("top10_overlap_pct")])  # fmt: skip
    return table(rows, ["peer workload", "server", "p50 ms", "p95 ms", "answers/s", "errors",
                        "Kith/peer p50", "Kith/peer p95", "Kith/peer answers/s",
                        "same top 10 %", "top-10 overlap %"])  # fmt: skip


def cell_ratio(over: dict[str, float | None], key: str) -> str:
    value = over.get(key)
    return "" if value is None else f"{value:.3g}"


def sheet_table(sheet: dict[str, Any]) -> str:
    """The volunteer sheet's loads against writing volunteers one by one, and where the time
    went (Python's CPU, the store's)."""
    base = sheet["one_by_one_rows_per_s"]
    phases = [(f"new ({sheet['new']['created']:,} created)", sheet["new"], sheet["new_rows_per_s"]),
              ("again (all unchanged)", sheet["again"], sheet["unchanged_rows_per_s"]),
              ("one by one (baseline)", sheet["one_by_one"], base)]  # fmt: skip
    rows = [[name, cost.get("read", cost.get("rows")), rate, cost["seconds"],
             cost["python_cpu_s"], cost["store_cpu_s"], ratio(rate, base)]
            for name, cost, rate in phases]  # fmt: skip
    return table(rows, ["volunteer sheet", "rows", "rows/s", "s", "Python CPU s",
                        "store CPU s", "x one by one"])  # fmt: skip


def write(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
