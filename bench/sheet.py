"""Issue 6's volunteer spreadsheet: 100,000 rows loaded from CSV at >= 5,000 rows/s.

``write_sheet`` makes a realistic sheet (every column of ``loaders.volunteers.COLUMNS``, real
Derby postcodes, the shipped taxonomy's terms); ``measure`` loads it into a fresh store, loads
it again (every row unchanged), and, as the baseline of the same run, writes other volunteers
one at a time as a coordinator's form does.
"""

from __future__ import annotations

import csv
import math
import os
import random
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from graph.people import upsert_people
from kith.domain import TermKind
from kith.places import bundled_area
from kith.service import Kith
from kith.settings import Settings
from loaders import demo
from loaders.taxonomy import read_taxonomy
from loaders.volunteers import COLUMNS, Report, load_volunteers, rows, volunteer

from .report import TARGET_SHEET_RATE, ratio

COUNTY_ROWS = 100_000
MIN_ROWS = 1_000
BASELINE_ROWS = 2_000
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PARTS = ("morning", "afternoon", "evening")
TRAVEL_KM = ("1", "2", "3", "5", "8", "10")
DOMAINS = ("example.org", "example.com", "example.net")
T = TypeVar("T")


@cache
def vocabulary() -> dict[TermKind, list[str]]:
    """The shipped taxonomy's term names by kind: every one normalises to its own term."""
    names: dict[TermKind, list[str]] = {}
    for term in read_taxonomy():
        names.setdefault(term.kind, []).append(term.name)
    return names


@cache
def derby_postcodes() -> list[str]:
    """Every positioned full postcode of the Derby districts of the demo's neighbourhoods, from
    the Code-Point Open copy that the offline resolver reads (about 6,000)."""
    districts = {h["outcode"] for h in derby_data()["neighbourhoods"]}
    return sorted(code for code in bundled_area("DE") if code.split(" ")[0] in districts)


@cache
def derby_data() -> dict[str, Any]:
    return yaml.safe_load(demo.DERBY_FILE.read_text(encoding="utf-8"))


@cache
def name_parts() -> tuple[dict[str, list[str]], list[str]]:
    """First names by gender and surnames: the demo's Derby names, English and the city's
    communities', pooled (a sheet holds more people than either alone has names for)."""
    data = derby_data()
    firsts = {g: list(data["first_names"][g]) for g in ("female", "male")}
    surnames = list(data["surnames"])
    for community in data["communities"]:
        for g in firsts:
            firsts[g] += community[g]
        surnames += community["surnames"]
    firsts = {g: list(dict.fromkeys(names)) for g, names in firsts.items()}
    surnames = list(dict.fromkeys(surnames))
    for pool in ([*firsts["female"], *firsts["male"]], surnames):
        if len({ascii_fold(n) for n in pool}) != len(pool):
            raise ValueError("two names would give the same e-mail address")
    return firsts, surnames


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def names(rng: random.Random, start: int, count: int) -> Iterator[tuple[str, str, str, str]]:
    """(gender, first, middle, surname), each name once, spread over every combination by a
    seeded bijection (a step coprime to the number of names), so that two sheets of one seed
    with ``start`` apart hold different people."""
    firsts, surnames = name_parts()
    blocks = [(g, pool, len(pool) * (len(pool) - 1) * len(surnames)) for g, pool in firsts.items()]
    total = sum(size for _, _, size in blocks)
    if start + count > total:
        raise ValueError(f"at most {total:,} distinct names")
    step = rng.randrange(1, total)
    while math.gcd(step, total) != 1:
        step += 1
    offset = rng.randrange(total)
    for i in range(start, start + count):
        gender, pool, index = block_of((step * i + offset) % total, blocks)
        index, surname = divmod(index, len(surnames))
        first, middle = divmod(index, len(pool) - 1)
        middle += middle >= first  # never the first name again
        yield gender, pool[first], pool[middle], surnames[surname]


def block_of(index: int, blocks: list[tuple[str, list[str], int]]) -> tuple[str, list[str], int]:
    """The gender and first names whose block of combinations holds ``index``, and its place
    in that block."""
    for gender, pool, size in blocks:
        if index < size:
            return gender, pool, index
        index -= size
    raise IndexError(index)


def sheet_row(rng: random.Random, person: tuple[str, str, str, str]) -> dict[str, str]:
    """One volunteer as a centre's sheet has them, every cell filled as the template says."""
    gender, first, middle, surname = person
    terms, postcodes = vocabulary(), derby_postcodes()
    community = demo.pick_community(rng, derby_data()["communities"])  # as the demo's people
    languages = [community["language"].title()] if community else ["English"]
    if community and rng.random() < 0.75:
        languages.append("English")
    elif not community and rng.random() < 0.15:
        languages.append(rng.choice([n for n in terms[TermKind.LANGUAGE] if n != "English"]))
    slots = rng.sample([f"{d} {p}" for d in DAYS for p in PARTS], 2)
    checked = demo.TODAY - timedelta(days=rng.randint(30, 4 * 365))
    local = ".".join(ascii_fold(n) for n in (first, middle, surname))
    return {
        "name": f"{first} {middle} {surname}", "email": f"{local}@{rng.choice(DOMAINS)}",
        "phone": f"01332 {rng.randint(200000, 999999)}", "postcode": rng.choice(postcodes),
        "birth_year": str(rng.randint(1940, 2006)), "gender": gender.upper(),
        "skills": "; ".join(rng.sample(terms[TermKind.SKILL], 2)),
        "interests": "; ".join(rng.sample(terms[TermKind.INTEREST], 3)),
        "languages": "; ".join(languages),
        "lived_experience": rng.choice(terms[TermKind.CONDITION]) if rng.random() < 0.5 else "",
        "availability": "; ".join(sorted(slots, key=lambda s: DAYS.index(s.split()[0]))),
        "max_travel_km": rng.choice(TRAVEL_KM), "capacity": str(rng.randint(1, 3)),
        "roles": "; ".join(rng.sample(demo.ROLES, rng.randint(1, 2))),
        "dbs_checked_on": checked.isoformat() if rng.random() < 0.85 else "",
        "approved": "yes" if rng.random() < 0.8 else "no", "consent_to_matching": "yes",
    }  # fmt: skip


def write_sheet(path: Path, rows: int, seed: int, start: int = 0) -> Path:
    """A CSV of ``rows`` volunteers, the same for the same seed; sheets of one seed whose
    ``start`` ranges do not overlap hold different volunteers (names and e-mails)."""
    rng = random.Random(f"{seed}:{start}")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
        writer.writeheader()
        for person in names(random.Random(seed), start, rows):
            writer.writerow(sheet_row(rng, person))
    return path


def cpu_s(pid: int | None) -> float | None:
    """User and system CPU seconds of a process so far, from /proc (None where unreadable)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def python_cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (loader helpers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(kith: Kith, work: Callable[[], T]) -> tuple[T, dict[str, float | None]]:
    """What ``work`` returns, with its wall time and the CPU spent on it by the store and by
    Python: this process and the loader's helper process (a child reaped by then)."""
    server = kith.store.server
    pid = server.pid if server is not None else None
    store_before, python_before = cpu_s(pid), python_cpu_s()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    python_cpu, store_after = python_cpu_s() - python_before, cpu_s(pid)
    store_cpu = None if store_before is None or store_after is None else store_after - store_before
    return result, {"seconds": round(seconds, 2), "python_cpu_s": round(python_cpu, 2),
                    "store_cpu_s": None if store_cpu is None else round(store_cpu, 2)}  # fmt: skip


def counts(report: Report) -> dict[str, int]:
    return {"read": report.read, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "bad": report.bad}  # fmt: skip


def one_at_a_time(kith: Kith, path: Path) -> int:
    """Each row through the service a coordinator's form uses, one transaction each."""
    written = 0
    for _, row in rows(path):
        upsert_people(kith.store, [volunteer(kith, row)])
        written += 1
    return written


def per_s(count: int, seconds: float | None) -> float | None:
    return round(count / seconds) if seconds else None


def measure(scale: float, root: Path, heap: str, seed: int = 1) -> dict[str, Any]:
    """The sheet of ``100,000 * scale`` new volunteers loaded into a fresh store under ``root``,
    then loaded again, and the one-by-one baseline of the same run."""
    count = max(MIN_ROWS, round(COUNTY_ROWS * scale))
    folder = root / "volunteer-sheet"
    folder.mkdir(parents=True, exist_ok=True)
    sheet = write_sheet(folder / "volunteers.csv", count, seed)
    others = write_sheet(folder / "one-by-one.csv", min(count, BASELINE_ROWS), seed, start=count)
    kith = Kith.open(Settings(data_dir=folder / "data", embedded_heap=heap))
    try:
        new, new_cost = timed(kith, lambda: load_volunteers(kith, sheet))
        again, again_cost = timed(kith, lambda: load_volunteers(kith, sheet))
        written, one_cost = timed(kith, lambda: one_at_a_time(kith, others))
    finally:
        kith.close()
    new_rate = per_s(new.read, new_cost["seconds"])
    one_rate = per_s(written, one_cost["seconds"])
    return {
        "rows": count, "new_rows_per_s": new_rate,
        "unchanged_rows_per_s": per_s(again.read, again_cost["seconds"]),
        "one_by_one_rows_per_s": one_rate, "speedup_vs_one_by_one": ratio(new_rate, one_rate),
        "target_rows_per_s": TARGET_SHEET_RATE,
        "met": new_rate is not None and new_rate >= TARGET_SHEET_RATE,
        "new": {**counts(new), **new_cost}, "again": {**counts(again), **again_cost},
        "one_by_one": {"rows": written, **one_cost},
    }  # fmt: skip
