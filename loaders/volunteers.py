"""Volunteer spreadsheets (CSV or XLSX) into the store, as a volunteer centre keeps them.

One row per volunteer, with the columns of ``COLUMNS`` (``kith template volunteers`` writes an
example). Lists go in one cell separated by ";" (or ","); availability as "Monday morning;
Tuesday evening". Free text is normalised to the taxonomy exactly as the API does it, through
the same service functions. A volunteer is matched by e-mail address: loading a sheet again
updates them rather than adding them twice (without an e-mail, by name and postcode).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from graph import people as repo
from kith import people
from kith.domain import Person
from kith.errors import InvalidInput
from kith.service import Kith

from .helper import in_helper
from .rows import RowError, batched, error_writer, first_bad_line, old_objects_frozen

COLUMNS = {
    "name": "Full name (required)",
    "email": "E-mail address: how a volunteer is recognised when the sheet is loaded again",
    "phone": "Phone number",
    "postcode": "Home postcode (required)",
    "birth_year": "Year of birth, e.g. 1958",
    "gender": "FEMALE, MALE, NON_BINARY or UNDISCLOSED",
    "skills": "What they offer, e.g. befriending; driving",
    "interests": "What they enjoy, e.g. knitting; walking",
    "languages": "Languages spoken, e.g. English; Punjabi",
    "lived_experience": "Conditions they live with and will share, e.g. COPD",
    "availability": "e.g. Monday morning; Wednesday afternoon",
    "max_travel_km": "How far they will travel, in km (required)",
    "capacity": "How many people they can buddy at once (required)",
    "roles": "e.g. befriender; driver",
    "dbs_checked_on": "Date of their DBS check, YYYY-MM-DD",
    "approved": "yes once the centre has approved them",
    "consent_to_matching": "yes if they agree to be matched (required)",
}
EXAMPLE = {
    "name": "Ann Example", "email": "ann@example.org", "phone": "01332 000000",
    "postcode": "DE22 2AB", "birth_year": "1958", "gender": "FEMALE",
    "skills": "befriending; listening", "interests": "knitting; antiques",
    "languages": "English", "lived_experience": "", "availability": "Tuesday morning",
    "max_travel_km": "3", "capacity": "2", "roles": "befriender",
    "dbs_checked_on": "2025-06-01", "approved": "yes", "consent_to_matching": "yes",
}  # fmt: skip
LISTS = ("skills", "interests", "languages", "lived_experience", "roles")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
BATCH = 2_000
HELPER_FROM_BYTES = 1 << 20  # about 5,000 rows


@dataclass
class Report:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (f"Read {self.read:,} rows: {self.created:,} volunteers added, "
                f"{self.updated:,} updated, {self.unchanged:,} unchanged, "
                f"{self.bad:,} bad rows.")  # fmt: skip


def write_template(path: Path) -> None:
    """An example sheet with every column: a header, then one made-up volunteer."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(EXAMPLE)


def rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) from a CSV or the first sheet of an XLSX file, streamed."""
    if path.suffix.lower() == ".xlsx":
        yield from xlsx_rows(path)
        return
    try:
        bad = first_bad_line(path)
        if bad is not None:
            raise InvalidInput("file", f"{path.name} is not UTF-8 text (line {bad}): "
                                       "save it as CSV UTF-8")  # fmt: skip
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            check_columns(header, path)
            for values in reader:
                if values:  # a blank line is no row
                    yield reader.line_num, dict(zip(header, map(str.strip, values), strict=False))
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {path}: {exc.strerror}") from None


def xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput("file", f"{path.name} is not an Excel workbook (.xlsx)") from None
    sheet = book.worksheets[0].iter_rows(values_only=True)
    header = [str(c or "").strip().lower() for c in next(sheet, [])]
    check_columns(header, path)
    for number, values in enumerate(sheet, start=2):
        cells = ["" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))
                 for v in values]  # fmt: skip
        yield number, dict(zip(header, (c.strip() for c in cells), strict=False))
    book.close()


def check_columns(names: list[str], path: Path) -> None:
    """A sheet without our required columns is not a volunteer sheet: one clear error."""
    required = {"name", "postcode", "max_travel_km", "capacity", "consent_to_matching"}
    missing = required - {n.strip().lower() for n in names}
    if missing:
        raise InvalidInput("file", f"{path.name} lacks the columns {', '.join(sorted(missing))}"
                                   " (see `kith template volunteers`)")  # fmt: skip


def split(cell: str) -> list[str]:
    separator = ";" if ";" in cell else ","
    return [part.strip() for part in cell.split(separator) if part.strip()]


def flag(cell: str, column: str) -> bool:
    if cell.lower() in YES:
        return True
    if cell.lower() in NO:
        return False
    raise InvalidInput(column, f"{cell!r} is not yes or no")


def number(cell: str, column: str, kind: type) -> Any:
    try:
        return kind(cell) if cell else None
    except ValueError:
        raise InvalidInput(column, f"{cell!r} is not a number") from None


def availability(cell: str) -> list[dict[str, str]]:
    out = []
    for slot in split(cell):
        words = slot.upper().split()
        if len(words) != 2:
            raise InvalidInput("availability", f"{slot!r} is not a day and a part of day")
        out.append({"day": words[0], "part": words[1]})
    return out


def form_of(row: dict[str, str]) -> dict[str, Any]:
    """A row as the API's VolunteerInput fields."""
    form: dict[str, Any] = {k: row.get(k) or None for k in ("name", "email", "phone")}
    form["place"] = {"postcode": row.get("postcode") or None}
    form["birth_year"] = number(row.get("birth_year", ""), "birth_year", int)
    form["gender"] = (row.get("gender") or "").upper() or None
    form.update({k: split(row.get(k, "")) for k in LISTS})
    form["availability"] = availability(row.get("availability", ""))
    form["max_travel_km"] = number(row.get("max_travel_km", ""), "max_travel_km", float)
    form["capacity"] = number(row.get("capacity", ""), "capacity", int)
    form["consent_to_matching"] = flag(row.get("consent_to_matching", ""), "consent_to_matching")
    return form


def volunteer(kith: Kith, row: dict[str, str]) -> Person:
    """The row as a validated volunteer (with a provisional id), or ``InvalidInput``."""
    form = form_of(row)
    for column in ("max_travel_km", "capacity"):
        if form[column] is None:
            raise InvalidInput(column, "is required")
    notes: list[people.Normalised] = []
    person = people.new_person(kith, form, notes)
    dbs = row.get("dbs_checked_on") or None
    try:
        checked = date.fromisoformat(dbs) if dbs else None
    except ValueError:
        raise InvalidInput("dbs_checked_on", f"{dbs!r} is not a date (YYYY-MM-DD)") from None
    # Both objects were made just now for this row, so they are filled in place, not copied.
    person.volunteer = people.volunteer_profile(kith, form, notes)
    person.volunteer.dbs_checked_on = checked
    person.volunteer.approved = flag(row.get("approved", ""), "approved")
    key = person.volunteer.email or f"{person.name}|{person.postcode}"
    person.id = "vol-" + hashlib.sha1(key.lower().encode()).hexdigest()[:16]
    return person


def load_volunteers(
    kith: Kith, path: Path, errors_path: Path | None = None, show_progress: bool = False,
    helper: bool | None = None,
) -> Report:  # fmt: skip
    """Load a volunteer sheet; bad rows are reported (and written to ``errors_path``).

    Rows are checked in a helper process while this one writes (``loaders/helper.py``) when
    ``helper`` says so, by default for sheets of more than ``HELPER_FROM_BYTES``: below that,
    starting a process costs more than it saves. Batches are written in order, one at a
    time, so a batch's e-mail lookups see every earlier batch.
    """
    if helper is None:
        helper = path.exists() and path.stat().st_size > HELPER_FROM_BYTES
    batches = in_helper(checked_batches, kith.store.settings, path) if helper else (
        checked_batches(kith, path))  # fmt: skip
    report = Report()
    with (
        error_writer(errors_path) as write_error,
        tqdm(unit=" rows", disable=not show_progress) as progress,
        old_objects_frozen(),
    ):
        for rows_read, errors, batch in batches:
            report.read += rows_read
            report.errors += errors
            for error in errors:
                write_error(error)
            if batch:
                save(kith, batch, report)
            progress.update(rows_read)
    return report


def checked_batches(kith: Kith, path: Path) -> Iterator[tuple[int, list[RowError], list[dict]]]:
    """The sheet a batch at a time: (rows read, bad rows, good rows as rows to write)."""
    for chunk in batched(rows(path), BATCH):
        kith.postcodes.prefetch(row.get("postcode", "") for _, row in chunk)
        good, errors = [], []
        for number, row in chunk:
            try:
                good.append(volunteer(kith, row))
            except InvalidInput as error:
                errors.append(RowError(number, f"{error.field}: {error.reason}"))
        yield len(chunk), errors, repo.loader_rows(good)


def save(kith: Kith, rows: list[dict], report: Report) -> None:
    """Write a batch (``graph.people.load_rows`` keeps the id of anyone known by e-mail)."""
    created, updated, unchanged = repo.load_rows(kith.store, rows)
    kith.cache.clear()
    report.created += len(created)
    report.updated += len(updated)
    report.unchanged += len(unchanged)
