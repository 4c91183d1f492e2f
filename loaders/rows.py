"""What every row-by-row loader shares: a bad row's place and reason, and the errors file."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@contextmanager
def error_writer(path: Path | None) -> Iterator[Callable[[RowError], None]]:
    """Writes each bad row to ``path`` as ``line,reason`` as it is found, when asked."""
    if path is None:
        yield lambda error: None
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["line", "reason"])
        yield lambda error: writer.writerow([error.line, error.reason])
