"""Volunteer spreadsheets: the template loads, duplicates update, bad rows are named."""

from __future__ import annotations

import csv
import logging
import tracemalloc
from pathlib import Path

import pytest

from graph import maintenance
from graph.people import people_in
from kith import people
from kith.accounts import Account, Role
from kith.errors import InvalidInput
from kith.service import Kith
from loaders import volunteers
from loaders.volunteers import COLUMNS, EXAMPLE, load_volunteers, write_template


@pytest.fixture(params=[False, True], ids=["checked-here", "checked-in-helper"])
def helper(request: pytest.FixtureRequest) -> bool:
    """Whether rows are checked in a helper process (big sheets) or in this one: the same."""
    return request.param


def sheet(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_template_loads_and_loading_again_updates_rather_than_doubles(
    empty: Kith, tmp_path: Path
) -> None:
    template = tmp_path / "volunteers.csv"
    write_template(template)
    first = load_volunteers(empty, template)
    assert (first.read, first.created, first.updated, first.bad) == (1, 1, 0, 0)
    counts = maintenance.counts(empty.store)
    changed = sheet(tmp_path / "again.csv", [{**EXAMPLE, "capacity": "3"}])
    again = load_volunteers(empty, changed)
    assert (again.created, again.updated) == (0, 1)
    assert maintenance.counts(empty.store) == counts
    (person,) = empty_people(empty)
    assert person.volunteer.capacity == 3


def test_reloading_a_sheet_skips_unchanged_rows_and_keeps_later_edits(
    empty: Kith, tmp_path: Path, helper: bool
) -> None:
    rows = [{**EXAMPLE, "email": f"v{i}@example.org", "approved": "no"} for i in range(3)]
    path = sheet(tmp_path / "v.csv", rows)
    assert load_volunteers(empty, path, helper=helper).created == 3
    first = next(p for p in empty_people(empty) if p.volunteer.email == "v0@example.org")
    coordinator = Account("acc-test", "Test coordinator", Role.COORDINATOR)
    people.approve_volunteer(empty, coordinator, first.id, None)
    rows[2]["capacity"] = "3"
    again = load_volunteers(empty, sheet(tmp_path / "v.csv", rows), helper=helper)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    by_email = {p.volunteer.email: p.volunteer for p in empty_people(empty)}
    assert by_email["v0@example.org"].approved, "an unchanged row does not undo an approval"
    assert by_email["v2@example.org"].capacity == 3


def test_cells_are_normalised_like_the_api(empty: Kith, tmp_path: Path) -> None:
    row = {**EXAMPLE, "interests": "Knitting ; antiqes", "languages": "panjabi, English",
           "availability": "monday morning; Friday Evening"}  # fmt: skip
    report = load_volunteers(empty, sheet(tmp_path / "v.csv", [row]))
    assert report.bad == 0
    (person,) = [p for p in empty_people(empty)]
    assert sorted(person.interests) == ["antiques", "knitting"]
    assert sorted(person.languages) == ["english", "punjabi"]
    assert [(a.day.value, a.part.value) for a in person.availability] == [
        ("MONDAY", "MORNING"), ("FRIDAY", "EVENING")]  # fmt: skip
    assert person.volunteer.approved and str(person.volunteer.dbs_checked_on) == "2025-06-01"


def empty_people(kith: Kith) -> list:
    return people_in(kith.store, None)


def test_bad_rows_are_reported_by_line_and_the_rest_load(
    empty: Kith, tmp_path: Path, helper: bool
) -> None:
    rows = [
        {**EXAMPLE, "email": "a@example.org", "postcode": "NOWHERE"},
        {**EXAMPLE, "email": "b@example.org", "capacity": ""},
        {**EXAMPLE, "email": "c@example.org", "dbs_checked_on": "31/02/2025"},
        {**EXAMPLE, "email": "d@example.org", "consent_to_matching": "maybe"},
        {**EXAMPLE, "email": "f@example.org", "availability": "Funday morning"},
        {**EXAMPLE, "email": "e@example.org"},
    ]
    errors = tmp_path / "errors.csv"
    report = load_volunteers(
        empty, sheet(tmp_path / "v.csv", rows), errors_path=errors, helper=helper
    )
    assert (report.created, report.bad) == (1, 5)
    assert [(e.line, e.reason.split(":")[0]) for e in report.errors] == [
        (2, "postcode"),
        (3, "capacity"),
        (4, "dbs_checked_on"),
        (5, "consent_to_matching"),
        (6, "availability"),
    ]
    assert errors.read_text().splitlines()[1].startswith("2,")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"colour,size\nred,big\n", "lacks the columns"),
        (b"name,postcode\n\xff\xfe\x00bad", "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_volunteer_sheet_changes_nothing(
    empty: Kith, tmp_path: Path, helper: bool, content: bytes, problem: str
) -> None:
    before = maintenance.counts(empty.store)
    path = tmp_path / "not.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=problem):
        load_volunteers(empty, path, helper=helper)
    assert maintenance.counts(empty.store) == before


def test_a_sheet_that_stops_being_utf8_late_loads_nothing(
    empty: Kith, tmp_path: Path, helper: bool
) -> None:
    rows = [{**EXAMPLE, "email": f"v{i}@example.org"} for i in range(2_500)]
    path = sheet(tmp_path / "late.csv", rows)
    path.write_bytes(path.read_bytes() + b"Zo\xeb Example,zoe@example.org\n")
    before = maintenance.counts(empty.store)
    with pytest.raises(InvalidInput, match="line 2502"):
        load_volunteers(empty, path, helper=helper)
    assert maintenance.counts(empty.store) == before


def test_an_excel_sheet_loads_too(empty: Kith, tmp_path: Path, helper: bool) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append([EXAMPLE[c] for c in COLUMNS])
    book.save(tmp_path / "v.xlsx")
    assert load_volunteers(empty, tmp_path / "v.xlsx", helper=helper).created == 1
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    with pytest.raises(InvalidInput, match="not an Excel workbook"):
        load_volunteers(empty, tmp_path / "fake.xlsx", helper=helper)


def test_the_drivers_debug_log_never_holds_a_volunteers_record(
    empty: Kith, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The neo4j driver logs every query with its parameters at DEBUG; batches of records are
    sent as ``graph.store.Rows``, which it prints as a count."""
    rows = [{**EXAMPLE, "name": f"Zebedee Quill{i}", "email": f"zq{i}@example.org"}
            for i in range(3)]  # fmt: skip
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        assert load_volunteers(empty, sheet(tmp_path / "v.csv", rows)).created == 3
    assert "C: RUN" in caplog.text, "the driver's debug log was on"
    assert "Zebedee" not in caplog.text and "zq0@example.org" not in caplog.text


def test_a_sheet_streams_six_times_the_rows_in_about_the_same_memory(
    empty: Kith, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory is one batch's, however long the file: the peak of Python's allocations while
    loading six batches is not much above that of one (it was not, while the driver's
    reference cycles held every batch written and nothing collected them)."""
    monkeypatch.setattr(volunteers, "BATCH", 500)

    def peak(count: int, start: int) -> int:
        rows = [{**EXAMPLE, "email": f"v{start + i}@example.org"} for i in range(count)]
        path = sheet(tmp_path / f"v{count}.csv", rows)
        tracemalloc.start()
        try:
            assert load_volunteers(empty, path, helper=False).created == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(500, 0)  # the first load also fills caches that stay (postcodes, taxonomy memo)
    one, six = peak(500, 1_000), peak(3_000, 2_000)
    assert six < 2 * one, f"{six:,} bytes for six batches, {one:,} for one"
