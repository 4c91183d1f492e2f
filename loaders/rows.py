"""What every row-by-row loader shares: a bad row's place and reason, and the errors file."""

from __future__ import annotations

import codecs
import csv
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


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


@contextmanager
def old_objects_frozen() -> Iterator[None]:
    """Bulk loading makes millions of short-lived dicts and lists, and every collection of the
    oldest generation walks each object the process holds (the taxonomy, postcode tables,
    modules), again and again. Frozen, those are left out, and the collector walks only the
    load's own objects, still freeing the reference cycles the database driver makes (with
    collection simply off, they held every batch's rows: three times the memory, growing with
    the file)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter): Python 3.11 lacks itertools.batched."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def first_bad_line(path: Path) -> int | None:
    """The first line that is not UTF-8, read in blocks before any row is loaded: a file that
    turns out not to be UTF-8 halfway through must change nothing, not load half of itself."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return line + block[: error.start].count(b"\n")
            line += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line
    return None
