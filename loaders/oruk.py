"""``kith load oruk``: Open Referral UK data (v3 or v1; JSON or CSV) into the directory.

Accepted: a JSON file holding one ORUK object (a service, service at location, organization,
location, taxonomy or taxonomy term), a list of them, an ORUK ``Page`` (``contents``), or the
spec's tabular JSON; a folder of ORUK CSV tables; one CSV table. The mapping is in
``oruk_map``, the tabular layout in ``oruk_csv``.

A load reads the file twice, streaming. The first pass checks all of it and collects the ids
it defines, so that a file that is not what it claims (broken JSON, wrong columns, not UTF-8,
not ORUK at all) fails with one clear error before anything is written. The second pass writes
in batches of ``BATCH`` nodes, one transaction each, writing only what changed; bad records
are skipped and reported with where they are and why. Loading the same file again changes
nothing.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import ijson
from tqdm import tqdm

from graph import catalogue
from graph import taxonomy as taxonomy_repo
from graph.catalogue import NodeRow
from graph.store import Store
from kith.domain import TermKind
from kith.errors import InvalidInput
from matching.taxonomy import Taxonomy

from .oruk_csv import CsvTables, JsonTables, Record, is_tabular
from .oruk_map import Context, Known, Mapped, Problem, kind_of, map_record, split

if TYPE_CHECKING:
    from kith.service import Kith

BATCH = 2_000
SHOWN_PROBLEMS = 20
TERM_LABELS = {kind.value for kind in TermKind}
PLURALS = {"Activity": "activities", "Venue": "venues", "Group": "groups",
           "Vocabulary": "vocabularies", "Interest": "interest terms", "Need": "need terms",
           "Condition": "condition terms", "Language": "language terms"}  # fmt: skip
NOT_ORUK = "is not an ORUK service, organization, location, taxonomy or taxonomy term"
EXPECTED = (
    "ORUK JSON is a service, service at location, organization, location, taxonomy or "
    "taxonomy term, a list of them or a page of them"
)


@dataclass
class LoadReport:
    """What a load read and did, and every problem with where it is in the file."""

    source: str
    read: int = 0
    skipped: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """The report for a person: counts, then the first problems."""
        lines = [
            f"{self.source}: read {self.read} records; created {_counts(self.created)}; "
            f"updated {_counts(self.updated)}; unchanged {_counts(self.unchanged)}; "
            f"removed {self.removed} activities; skipped {self.skipped} records; "
            f"{len(self.problems)} problems."
        ]
        lines += [f"  {p.where}: {p.record}: {p.reason} ({p.action})"
                  for p in self.problems[:SHOWN_PROBLEMS]]  # fmt: skip
        if len(self.problems) > SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - SHOWN_PROBLEMS} more (see --errors)")
        return "\n".join(lines)

    def write_errors(self, path: Path) -> None:
        """Every problem as a CSV row: where, record, problem, action."""
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["where", "record", "problem", "action"])
            out.writerows([p.where, p.record, p.reason, p.action] for p in self.problems)

    def add(self, written: catalogue.Written) -> None:
        self.created += written.created
        self.updated += written.updated
        self.unchanged += written.unchanged
        self.removed += written.removed


def _counts(counter: Counter[str]) -> str:
    parts = [f"{n} {PLURALS.get(label, label)}" for label, n in sorted(counter.items()) if n]
    return ", ".join(parts) or "nothing"


def load_oruk(kith: Kith, path: Path, *, show_progress: bool = False) -> LoadReport:
    """Load an ORUK file or folder into the graph behind ``kith``, and teach ``kith``'s
    taxonomy any new terms. Raises InvalidInput, having written nothing, for a file that is
    not ORUK data."""
    source = open_source(path)
    report = LoadReport(str(path))
    ctx = Context(own_terms(kith.taxonomy), kith.postcodes)
    known, total = first_pass(source, ctx, report)
    ctx.known = resolve(kith.store, known, ctx.wanted)
    catalogue.apply_schema(kith.store)
    writer = Writer(kith.store, report, ctx.known)
    with tqdm(total=total, unit="rec", disable=not show_progress) as bar:
        for record in source.records():
            writer.add(mapped(record, ctx))
            bar.update(1)
    writer.finish()
    if any(report.created[t] + report.updated[t] for t in TERM_LABELS):
        kith.taxonomy = Taxonomy(taxonomy_repo.read_terms(kith.store))
    return report


def own_terms(taxonomy: Taxonomy) -> Taxonomy:
    """Kith's own vocabularies, without terms loaded from ORUK: what source terms are placed
    under (matching a source term to itself on a second load would make it its own parent)."""
    return Taxonomy([term for terms in taxonomy.terms.values() for term in terms.values()
                     if not term.id.startswith(catalogue.PREFIX)])  # fmt: skip


class Source(Protocol):
    """Where records come from; ``records()`` can be read more than once."""

    rows_read: int

    def records(self) -> Iterator[Record]: ...


def open_source(path: Path) -> Source:
    if path.is_dir():
        return CsvTables.folder(path)
    if not path.is_file():
        raise InvalidInput(str(path), "no such file or folder")
    if path.suffix.lower() == ".json":
        return JsonSource(path)
    if path.suffix.lower() == ".csv":
        tables = CsvTables([path])
        if not tables.files:
            raise InvalidInput(path.name, "is not named as an ORUK table (services.csv ...)")
        return tables
    raise InvalidInput(path.name, "is neither ORUK JSON (.json), CSV (.csv) nor a folder of CSV")


def mapped(record: Record, ctx: Context) -> Mapped:
    kind, data, where = record
    if kind is None:
        return Mapped(problems=[Problem(where, "(unknown)", NOT_ORUK, "skipped")], skipped=1)
    return map_record(kind, data, where, ctx)


def first_pass(source: Source, ctx: Context, report: LoadReport) -> tuple[Known, int]:
    """Check the whole file and collect the ids it defines; count what was read."""
    known, total, recognised = Known(), 0, 0
    for record in source.records():
        total += 1
        recognised += record[0] is not None
        for row in mapped(record, ctx).rows:
            if row.label in TERM_LABELS:
                known.terms[row.id] = TermKind(row.label)
            elif row.label in ("Group", "Venue"):
                known.ids.setdefault(row.label, set()).add(row.id)
    report.read = source.rows_read
    if total and not recognised:
        raise InvalidInput(report.source, f"holds no ORUK records ({EXPECTED})")
    return known, total


def resolve(store: Store, known: Known, wanted: set[tuple[str, str]]) -> Known:
    """Add to what the file defines the referenced ids the graph already holds."""
    for label in ("Group", "Venue"):
        ids = known.ids.setdefault(label, set())
        found = catalogue.existing(store, label, sorted(g for w, g in wanted if w == label))
        known.stored |= found - ids
        ids |= found
    terms = sorted(g for w, g in wanted if w == "term" and g not in known.terms)
    stored_terms = catalogue.existing_terms(store, terms)
    known.terms.update(stored_terms)
    known.stored |= set(stored_terms)
    return known


class Writer:
    """Batches rows (each distinct row once), holding back an activity whose venue, group or
    term comes later in the file, so that every link finds its target."""

    def __init__(self, store: Store, report: LoadReport, known: Known) -> None:
        self.store, self.report, self.known = store, report, known
        self.batch: list[NodeRow] = []
        self.waiting: list[NodeRow] = []
        self.queued: dict[tuple[str, str], str] = {}
        self.queued_ids: set[str] = set()
        self.retired: list[str] = []
        self.located: list[str] = []

    def add(self, result: Mapped) -> None:
        self.report.problems += result.problems
        self.report.skipped += result.skipped
        self.retired += result.retired
        self.located += result.located
        for row in result.rows:
            if row.label == "Activity":  # one per service at location: no need to remember
                (self.waiting if self._waits(row) else self.batch).append(row)
            elif self.queued.get((row.label, row.id)) != row.fingerprint:
                self.queued[(row.label, row.id)] = row.fingerprint
                self.queued_ids.add(row.id)
                self.batch.append(row)
        if len(self.batch) >= BATCH:
            self.flush()

    def _waits(self, row: NodeRow) -> bool:
        targets = [row.links.get("venue"), row.links.get("group"), *row.links["interests"],
                   *row.links["supports"]]  # fmt: skip
        return any(t and t not in self.queued_ids and t not in self.known.stored for t in targets)

    def flush(self) -> None:
        if self.batch or self.retired or self.located:
            unique = list({(r.label, r.id): r for r in self.batch}.values())
            self.report.add(catalogue.write_batch(self.store, unique, self.retired, self.located))
        self.batch, self.retired, self.located = [], [], []

    def finish(self) -> None:
        self.flush()
        for start in range(0, len(self.waiting), BATCH):
            self.batch = self.waiting[start : start + BATCH]
            self.flush()


class JsonSource:
    """Records from an ORUK JSON file, streamed item by item (ijson) from a list or a page."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows_read = 0

    def records(self) -> Iterator[Record]:
        self.rows_read = 0
        with self.path.open("rb") as f:
            try:
                yield from self._records(ijson.parse(f, use_float=True))
            except ijson.JSONError as exc:
                raise InvalidInput(self.path.name, f"is not valid JSON: {exc}") from None
            except UnicodeDecodeError as exc:
                raise InvalidInput(self.path.name, f"is not UTF-8 text: {exc.reason} at byte "
                                   f"{exc.start}") from None  # fmt: skip

    def _records(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[Record]:
        _, event, _ = next(events, ("", "", None))
        if event == "start_array":
            yield from self._items(events, "item", "", "$")
        elif event == "start_map":
            yield from self._object(events)
        else:
            raise InvalidInput(self.path.name, "holds no JSON object or list")
        for _ in events:  # the rest must parse too
            pass

    def _object(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[Record]:
        """A page's contents item by item; any other object whole."""
        top = ijson.ObjectBuilder()
        top.event("start_map", None)
        paged = False
        for prefix, event, value in events:
            if prefix == "contents" and event == "start_array":
                paged = True
                yield from self._items(events, "contents.item", "contents", "$.contents")
            else:
                top.event(event, value)
        if paged:
            return
        if is_tabular(top.value):
            tables = JsonTables(top.value, self.path.name)
            yield from tables.records()
            self.rows_read = tables.rows_read
        else:
            yield from self._one(top.value, "$")

    def _items(
        self, events: Iterator[tuple[str, str, Any]], item: str, parent: str, path: str
    ) -> Iterator[Record]:
        numbers = itertools.count()
        for prefix, event, value in events:
            if prefix == parent and event == "end_array":
                return
            item_value = self._build(events, event, value, item)
            yield from self._one(item_value, f"{path}[{next(numbers)}]")

    @staticmethod
    def _build(events: Iterator[tuple[str, str, Any]], event: str, value: Any, item: str) -> Any:
        if event not in ("start_map", "start_array"):
            return value
        builder = ijson.ObjectBuilder()
        builder.event(event, value)
        end = event.replace("start", "end")
        for prefix, next_event, next_value in events:
            if prefix == item and next_event == end:
                break
            builder.event(next_event, next_value)
        return builder.value

    def _one(self, item: Any, where: str) -> Iterator[Record]:
        self.rows_read += 1
        kind = kind_of(item)
        located = f"{self.path.name}: {where}"
        if kind is None:
            yield None, item, located
            return
        yield from split(kind, item, located)
