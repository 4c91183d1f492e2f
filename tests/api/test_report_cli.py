"""`kith report` as an operator runs it, on the session's store: the figures printed, the CSV
with its documented columns, no count from 1 to 4 in either, and bad days refused."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kith.service import Kith
from kith.settings import Settings

from ..conftest import ROOT, load_world
from . import report_world as world

# The columns the README documents, in order.
COLUMNS = ["section", "breakdown", "key", "value", "suppressed", "method", "from", "to", "area",
           "radius_km"]  # fmt: skip
STATISTICS = {"median_days", "share", "mean_change", "lower_95", "upper_95"}
PERIOD = ["--from", world.START.isoformat(), "--to", world.END.isoformat()]


@pytest.fixture(scope="module")
def reported(kith: Kith) -> Kith:
    load_world(kith, people=500, seed=1)
    world.build(kith)
    return kith


def kith_report(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    """`kith report` in a process of its own, reaching the session's store as `kith` would."""
    env = {**os.environ, "KITH_DATA_DIR": str(settings.data_dir)}
    if settings.neo4j_uri:
        env.update(NEO4J_URI=settings.neo4j_uri, NEO4J_USERNAME=settings.neo4j_username,
                   NEO4J_PASSWORD=settings.neo4j_password,
                   NEO4J_DATABASE=settings.neo4j_database)  # fmt: skip
    return subprocess.run([sys.executable, "-m", "api.cli", "report", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_csv_has_the_documented_columns_and_one_row_per_figure(
    reported: Kith, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "report.csv"
    done = kith_report(settings, *PERIOD, "--csv", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        rows = {(r["section"], r["breakdown"], r["key"]): r for r in reader}
    assert done.stdout.strip() == f"Wrote {len(rows)} figures to {out}."
    assert rows[("referrals", "total", "all")]["value"] == "22"
    hospital = rows[("referrals", "source", "HOSPITAL")]
    assert (hospital["value"], hospital["suppressed"]) == ("", "true")
    life = rows[("wellbeing", "mean_change", "ONS4 lifeSatisfaction")]
    assert (life["value"], life["method"], life["suppressed"]) == ("1", "paired t", "false")
    assert rows[("unmet_needs", "outcode", "DE22")]["value"] == "9"
    assert {(r["from"], r["to"], r["area"]) for r in rows.values()} == {
        ("2026-01-01", "2026-06-30", "")}  # fmt: skip
    counts = [r["value"] for r in rows.values() if r["breakdown"] not in STATISTICS]
    assert not {"1", "2", "3", "4"} & set(counts)


def test_the_figures_are_printed_with_small_counts_as_fewer_than_five(
    reported: Kith, settings: Settings
) -> None:
    done = kith_report(settings, *PERIOD, "--area", "DE22 3AB", "--radius-km", "50")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Report 2026-01-01 to 2026-06-30, within 50 km of DE22 3AB"
    figures = {tuple(line.split()[:3]): line for line in lines[1:-1]}
    assert figures[("referrals", "total", "all")].endswith("  22")
    assert figures[("referrals", "source", "HOSPITAL")].endswith("  fewer than 5")
    counts = [line.rsplit("  ", 1)[1] for key, line in figures.items() if key[1] not in STATISTICS]
    assert not {"1", "2", "3", "4"} & set(counts)
    assert lines[-1] == "Wellbeing intervals: 95%, paired t."


def test_the_command_explains_itself(settings: Settings) -> None:
    done = kith_report(settings, "--help")
    assert done.returncode == 0
    for said in ("--from", "--to", "--area", "--radius-km", "--csv", "fewer"):
        assert said in done.stdout


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--from", "2026-06-30", "--to", "2026-01-01"], 1, "to"),
    (["--from", "1 June", "--to", "2026-01-01"], 2, "'1 June' is not a day (YYYY-MM-DD)"),
    ([*PERIOD, "--area", "ZZ99 9ZZ"], 1, "ZZ99 9ZZ"),
])  # fmt: skip
def test_bad_days_and_places_are_refused_naming_them(
    reported: Kith, settings: Settings, args: list[str], code: int, said: str
) -> None:
    done = kith_report(settings, *args)
    assert done.returncode == code
    assert said in done.stderr and done.stdout == ""
