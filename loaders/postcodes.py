"""Postcode files into the store: the formats people download, read as a stream.

Three formats, told apart by the first row before anything is written: the ONS Postcode
Directory (ONSPD, or the NSPL: a header with ``pcds``/``pcd``, ``lat``, ``long`` and
``doterm``), OS Code-Point Open (no header: postcode, positional quality, eastings,
northings, ...) and a plain ``postcode,latitude,longitude`` file. A file that is none of them
is one error and changes nothing. Rows are read one at a time and written in batches, so a
500 MB ONSPD needs no more memory than a small file; a bad row is reported with its line and
reason and the rest still load. Loading a file twice changes nothing, so a load cut short (the
store went away) is finished by running it again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tqdm import tqdm

from graph import postcodes as postcodes_repo
from graph.store import Store
from kith.errors import InvalidInput
from kith.places import NO_POSITION, grid_to_wgs84, normalise_postcode

from .rows import RowError, error_writer

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

Row = tuple[str, float, float]
Parse = Callable[[list[str]], Row | None]  # None: a row deliberately not loaded
Columns = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # names: postcode, lat, lon

ONSPD_COLUMNS: Columns = (("pcds", "pcd", "pcd2", "pcd8", "pcd7"), ("lat",), ("long",))
PLAIN_COLUMNS: Columns = (("postcode",), ("latitude", "lat"), ("longitude", "long", "lon", "lng"))

LATITUDES = (49.0, 61.0)  # the UK with the Channel Islands, Scilly and Shetland
LONGITUDES = (-9.0, 2.0)
EASTINGS = (0.0, 700_000.0)  # the extent of the OS National Grid
NORTHINGS = (0.0, 1_300_000.0)
ONSPD_NO_POSITION = "99.999999"  # ONSPD's latitude for a postcode with no grid reference
ERRORS_KEPT = 1_000  # in the report; an errors file gets every one
NOT_A_POSTCODE_FILE = (
    "is not a postcode file: expected an ONSPD CSV (columns pcds, lat, long), a Code-Point"
    " Open CSV (postcode, quality, eastings, northings, no header) or a CSV with the columns"
    " postcode, latitude, longitude"
)


class BadRow(ValueError):
    """A row that cannot be loaded; the message is the reason, written for the operator."""


@dataclass
class Report:
    """What a load did, for the command line: counts, and each bad row by line."""

    format: str
    read: int = 0
    skipped: int = 0  # terminated postcodes and postcodes without a position
    bad: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ERRORS_KEPT bad rows
    written: postcodes_repo.Written = field(default_factory=postcodes_repo.Written)

    @property
    def loaded(self) -> int:
        return self.written.created + self.written.updated + self.written.unchanged

    def note(self, error: RowError) -> None:
        self.bad += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(error)

    def summary(self) -> str:
        w = self.written
        return (
            f"Read {self.read:,} rows ({self.format}): {self.loaded:,} postcodes loaded"
            f" ({w.created:,} new, {w.updated:,} moved, {w.unchanged:,} unchanged),"
            f" {self.skipped:,} skipped (terminated or without a position),"
            f" {self.bad:,} bad rows."
        )


def load_postcodes(
    store: Store, path: Path, errors_path: Path | None = None, show_progress: bool = False
) -> Report:
    """Load a postcode file into the store; bad rows go to the report (and ``errors_path``)."""
    with _open(path) as f:
        rows = csv.reader(f)
        name, parse, first = detect(path, rows)
        report = Report(name)
        with error_writer(errors_path) as write_error:
            records = tqdm(_records(rows, first), unit=" rows", disable=not show_progress)
            points = _points(records, parse, report, write_error)
            report.written = postcodes_repo.upsert(store, points)
    return report


@contextmanager
def _open(path: Path) -> Iterator[TextIO]:
    """The file as text; bytes that are not UTF-8 become U+FFFD, caught row by row."""
    try:
        f = path.open(newline="", encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {path}: {exc.strerror}") from None
    with f:
        yield f


def detect(path: Path, rows: CsvReader) -> tuple[str, Parse, list[str] | None]:
    """The format's name, its row parser, and the first row when it is data (no header)."""
    try:
        first = next(rows)
    except (StopIteration, csv.Error):
        first = []
    names = [cell.strip().lower() for cell in first]
    onspd = _columns(names, ONSPD_COLUMNS)
    if onspd:
        doterm = names.index("doterm") if "doterm" in names else None
        return "ONSPD", _by_columns(*onspd, doterm), None
    plain = _columns(names, PLAIN_COLUMNS)
    if plain:
        return "postcode,latitude,longitude", _by_columns(*plain, None), None
    if names[:4] == ["pc", "pq", "ea", "no"]:  # Code-Point Open's own column headers
        return "Code-Point Open", _code_point, None
    if _is_code_point_row(first):
        return "Code-Point Open", _code_point, first
    raise InvalidInput("file", f"{path.name} {NOT_A_POSTCODE_FILE}")


def _columns(names: list[str], choices: Columns) -> tuple[int, int, int] | None:
    """Where the postcode, latitude and longitude columns are (the first name of each choice
    found wins), or None when one of them is missing."""
    postcode, lat, lon = (next((names.index(n) for n in c if n in names), None) for c in choices)
    if postcode is None or lat is None or lon is None:
        return None
    return postcode, lat, lon


def _is_code_point_row(cells: list[str]) -> bool:
    if len(cells) < 4 or not all(c.strip().isdigit() for c in cells[1:4]):
        return False
    try:
        return " " in normalise_postcode(cells[0])
    except InvalidInput:
        return False


def _by_columns(postcode: int, lat: int, lon: int, doterm: int | None) -> Parse:
    """A parser for files with latitude and longitude columns (ONSPD and plain)."""

    def parse(cells: list[str]) -> Row | None:
        if doterm is not None and cells[doterm].strip():
            return None  # terminated: the postcode is no longer in use
        if cells[lat].strip() == ONSPD_NO_POSITION:
            return None
        return (
            _full_postcode(cells[postcode]),
            _number(cells[lat], "latitude", LATITUDES),
            _number(cells[lon], "longitude", LONGITUDES),
        )

    return parse


def _code_point(cells: list[str]) -> Row | None:
    if cells[1].strip() == NO_POSITION:
        return None
    code = _full_postcode(cells[0])
    east = _number(cells[2], "eastings", EASTINGS)
    north = _number(cells[3], "northings", NORTHINGS)
    return (code, *grid_to_wgs84(east, north))


def _full_postcode(text: str) -> str:
    try:
        code = normalise_postcode(text)
    except InvalidInput:
        raise BadRow(f"{text.strip()!r} is not a UK postcode") from None
    if " " not in code:
        raise BadRow(f"{code} is an outward code, not a full postcode")
    return code


def _number(text: str, what: str, bounds: tuple[float, float]) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRow(f"{what} {text.strip()!r} is not a number") from None
    if not bounds[0] <= value <= bounds[1]:  # NaN fails this too
        raise BadRow(f"{what} {text.strip()} is outside the UK")
    return value


def _records(rows: CsvReader, first: list[str] | None) -> Iterator[tuple[int, list[str] | str]]:
    """(line, cells) for each row, or (line, reason) for one the csv module cannot read."""
    if first is not None:
        yield rows.line_num, first
    while True:
        line = rows.line_num + 1
        try:
            cells: list[str] | str = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            cells = f"unreadable CSV: {exc}"
        yield line, cells


def _points(
    records: Iterable[tuple[int, list[str] | str]],
    parse: Parse,
    report: Report,
    write_error: Callable[[RowError], None],
) -> Iterator[Row]:
    """The points of the rows, counting into ``report`` as they stream past."""
    for line, cells in records:
        report.read += 1
        try:
            row = _parse_row(cells, parse)
        except BadRow as exc:
            error = RowError(line, str(exc))
            report.note(error)
            write_error(error)
            continue
        if row is None:
            report.skipped += 1
        else:
            yield row[0], round(row[1], 6), round(row[2], 6)  # 6 places: 0.1 m


def _parse_row(cells: list[str] | str, parse: Parse) -> Row | None:
    if isinstance(cells, str):
        raise BadRow(cells)
    if any("\ufffd" in cell for cell in cells):
        raise BadRow("is not UTF-8 text")
    try:
        return parse(cells)
    except IndexError:
        raise BadRow(f"has too few columns ({len(cells)})") from None
