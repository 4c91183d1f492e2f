"""The benchmark's volunteer sheet is a clean sheet: every generated cell is valid."""

from __future__ import annotations

from pathlib import Path

from bench.sheet import write_sheet
from kith.service import Kith
from loaders.volunteers import load_volunteers


def test_the_bench_sheet_loads_without_a_bad_row(empty: Kith, tmp_path: Path) -> None:
    report = load_volunteers(empty, write_sheet(tmp_path / "volunteers.csv", 50, seed=1))
    assert [e.reason for e in report.errors] == []
    assert (report.read, report.created, report.updated) == (50, 50, 0)
