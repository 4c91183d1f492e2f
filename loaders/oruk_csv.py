"""The ORUK tabular layout, from a folder of CSV files or a tabular JSON object, assembled into
the nested records ``oruk_map`` reads (services with their locations, schedules, costs...).

v3 names and v1 names are both accepted (``service_at_location.csv`` or
``services_at_location.csv``, ``schedules.csv`` or ``regular_schedules.csv``...). Tables
nested into services and locations are held in memory, grouped by the row they belong to;
services, the largest table, are streamed. Every row keeps where it came from (``_where``),
and a row the reader could not read whole carries ``_error``, which spoils the record it
belongs to. A file whose header lacks a needed column, or that is not UTF-8, is an error of
the whole load.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kith.errors import InvalidInput

Row = dict[str, Any]
Record = tuple[str | None, Any, str]


@dataclass(frozen=True)
class Table:
    """One ORUK table: the file names it goes by, the columns it must have, and (for tables
    nested into others) the columns its rows are grouped by."""

    name: str
    files: tuple[str, ...]
    required: tuple[str, ...]
    keys: tuple[str, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


TABLES = (
    Table("taxonomies", ("taxonomies", "taxonomy"), ("id", "name")),
    Table("taxonomy_terms", ("taxonomy_terms", "taxonomy_term"), ("id", "name")),
    Table("organizations", ("organizations", "organization"), ("id", "name")),
    Table("locations", ("locations", "location"), ("id",)),
    Table("services", ("services", "service"), ("id", "name")),
    Table("service_at_locations", ("service_at_location", "service_at_locations",
          "services_at_location"), ("id", "service_id", "location_id"), ("service_id",)),
    Table("schedules", ("schedules", "schedule", "regular_schedules"), ("id",),
          ("service_id", "service_at_location_id")),
    Table("cost_options", ("cost_options", "cost_option"), ("id", "service_id"), ("service_id",)),
    Table("languages", ("languages", "language"), ("id",), ("service_id",)),
    Table("eligibility", ("eligibility", "eligibilities"), ("id", "service_id"), ("service_id",)),
    Table("attributes", ("attributes", "attribute", "link_taxonomy"), ("id", "link_id"),
          ("link_id",), rename={"taxonomy_id": "taxonomy_term_id"}),
    Table("services_taxonomy", ("services_taxonomy",), ("id", "service_id", "taxonomy_id"),
          ("service_id",), rename={"taxonomy_id": "taxonomy_term_id"}),
    Table("addresses", ("addresses", "address"), ("id", "location_id"), ("location_id",)),
    Table("physical_addresses", ("physical_addresses",), ("id", "location_id"),
          ("location_id",), defaults={"address_type": "physical"}),
    Table("postal_addresses", ("postal_addresses",), ("id", "location_id"), ("location_id",),
          defaults={"address_type": "postal"}),
    Table("accessibility", ("accessibility", "accessibility_for_disabilities"),
          ("id", "location_id"), ("location_id",)),
)  # fmt: skip
BY_FILE = {name: table for table in TABLES for name in table.files}
TERMS = next(t for t in TABLES if t.name == "taxonomy_terms")
V1_TERM_COLUMNS = {"vocabulary", "parent_name"}  # v1's taxonomy.csv holds terms, not taxonomies
STANDALONE = ("taxonomies", "taxonomy_terms", "organizations")


def table_for(stem: str, header: Iterable[str]) -> Table | None:
    table = BY_FILE.get(stem.lower())
    if table and table.name == "taxonomies" and V1_TERM_COLUMNS & set(header):
        return TERMS
    return table


class Tables:
    """Rows by table, from wherever they are kept; ``rows_read`` counts the rows read."""

    rows_read = 0

    def rows(self, name: str) -> Iterator[Row]:
        raise NotImplementedError

    def records(self) -> Iterator[Record]:
        """Taxonomies, terms, organizations, locations, then services, each nested whole."""
        index = self._index()
        for name, kind in zip(STANDALONE, ("taxonomy", "taxonomy_term", "organization"),
                              strict=True):  # fmt: skip
            yield from ((kind, row, row["_where"]) for row in self.rows(name))
        for row in self.rows("locations"):
            yield "location", index.location(row), row["_where"]
        for row in self.rows("services"):
            yield "service", index.service(row), row["_where"]

    def _index(self) -> Index:
        if not hasattr(self, "_built"):
            nested = [t for t in TABLES if t.keys]
            self._built = Index(
                {t.name: group(self.rows(t.name), t.keys) for t in nested},
                {row["id"]: row for row in self.rows("taxonomy_terms") if row.get("id")},
            )
        return self._built


def group(rows: Iterable[Row], keys: tuple[str, ...]) -> dict[tuple[str, str], list[Row]]:
    """Rows by (key column, value), for each key column they have a value in."""
    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        for key in keys:
            if row.get(key) not in (None, ""):
                out[(key, str(row[key]))].append(row)
    return out


@dataclass
class Index:
    """Nested tables grouped by the row they belong to, and terms by id."""

    nested: dict[str, dict[tuple[str, str], list[Row]]]
    terms: dict[str, Row]

    def of(self, table: str, key: str, value: str) -> list[Row]:
        return self.nested[table].get((key, value), [])

    def location(self, row: Row) -> Row:
        lid = str(row.get("id") or "")
        addresses = [r for t in ("addresses", "physical_addresses", "postal_addresses")
                     for r in self.of(t, "location_id", lid)]  # fmt: skip
        return {**row, "addresses": addresses,
                "accessibility": self.of("accessibility", "location_id", lid)}  # fmt: skip

    def service(self, row: Row) -> Row:
        sid = str(row.get("id") or "")
        places = self.of("service_at_locations", "service_id", sid)
        schedules = self.of("schedules", "service_id", sid) + [
            s
            for p in places
            for s in self.of("schedules", "service_at_location_id", str(p.get("id")))
        ]
        links = self.of("attributes", "link_id", sid) + self.of(
            "services_taxonomy", "service_id", sid
        )
        return {
            **row, "service_at_locations": places, "schedules": unique(schedules),
            "cost_options": self.of("cost_options", "service_id", sid),
            "languages": self.of("languages", "service_id", sid),
            "eligibility": self.of("eligibility", "service_id", sid),
            "attributes": [self.attribute(a) for a in links],
        }  # fmt: skip

    def attribute(self, row: Row) -> Row:
        """An attribute with its term nested, when the file has the term."""
        term = self.terms.get(str(row.get("taxonomy_term_id") or ""))
        return {**row, "taxonomy_term": term} if term else row


def unique(rows: list[Row]) -> list[Row]:
    return list({id(r): r for r in rows}.values())


class CsvTables(Tables):
    """ORUK tables in CSV files (a folder of them, or one file)."""

    def __init__(self, files: list[Path]) -> None:
        self.files: dict[str, list[tuple[Path, Table]]] = defaultdict(list)
        for path in sorted(files):
            table = table_for(path.stem, self._header(path))
            if table:
                self.files[table.name].append((path, table))

    @classmethod
    def folder(cls, folder: Path) -> CsvTables:
        found = cls(list(folder.glob("*.csv")))
        if not found.files:
            names = ", ".join(f"{t.files[0]}.csv" for t in TABLES[:5])
            raise InvalidInput(str(folder), f"has no ORUK tables ({names}...)")
        return found

    def rows(self, name: str) -> Iterator[Row]:
        for path, table in self.files.get(name, []):
            yield from self._rows(path, table)

    def _header(self, path: Path) -> list[str]:
        lines = utf8_lines(path)
        header = next(csv.reader(lines), [])
        lines.close()
        return [h.strip() for h in header]

    def _rows(self, path: Path, table: Table) -> Iterator[Row]:
        lines = utf8_lines(path)
        reader = csv.reader(lines)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in table.required if c not in header]
        if missing:
            raise InvalidInput(path.name, f"has no column {', '.join(missing)}: an ORUK "
                               f"{table.name} table needs {', '.join(table.required)}")  # fmt: skip
        start = reader.line_num + 1
        for values in reader:
            self.rows_read += 1
            yield csv_row(header, values, table, f"{path.name}: line {start}")
            start = reader.line_num + 1


def csv_row(header: list[str], values: list[str], table: Table, where: str) -> Row:
    row = table_row(table, dict(zip(header, values, strict=False)), where)
    if len(values) > len(header):
        row["_error"] = f"it has {len(values)} values but the header has {len(header)} columns"
    return row


def table_row(table: Table, values: dict[str, Any], where: str) -> Row:
    """A row under the v3 column names, with its table's defaults and where it came from."""
    return {**table.defaults, **{table.rename.get(k, k): v for k, v in values.items()},
            "_where": where}  # fmt: skip


def utf8_lines(path: Path) -> Iterator[str]:
    """The file's lines as text, or an error naming the first line that is not UTF-8."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                reason = f"line {number} is not UTF-8 text ({exc.reason} at byte {exc.start})"
                raise InvalidInput(path.name, f"{reason}; save the file as UTF-8") from None
            yield line.removeprefix("\ufeff") if number == 1 else line


class JsonTables(Tables):
    """ORUK tables as JSON (``{"services.csv": [rows...], ...}``, the spec's tabular.json)."""

    def __init__(self, data: dict[str, Any], name: str) -> None:
        self.name = name
        self.data: dict[str, list[tuple[str, Table, Any]]] = defaultdict(list)
        for key, rows in data.items():
            table = table_for(key.removesuffix(".csv"), first_keys(rows))
            if table:
                self.data[table.name].append((key, table, rows))

    def rows(self, name: str) -> Iterator[Row]:
        for key, table, rows in self.data.get(name, []):
            for i, row in enumerate(rows if isinstance(rows, list) else [rows]):
                self.rows_read += 1
                where = f"{self.name}: $['{key}'][{i}]"
                if isinstance(row, dict):
                    yield table_row(table, row, where)
                else:
                    yield {"_where": where, "_error": "is not an object"}


def first_keys(rows: Any) -> list[str]:
    return list(rows[0]) if isinstance(rows, list) and rows and isinstance(rows[0], dict) else []


def is_tabular(data: Any) -> bool:
    """True for a JSON object whose keys are all CSV file names."""
    return isinstance(data, dict) and bool(data) and all(k.endswith(".csv") for k in data)
