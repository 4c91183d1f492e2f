"""Whole-graph backup and restore: a versioned, gzipped JSON-lines file.

The first line is a header (format, version, counts, checksum); then one line per node
(``{"node": label, "props": {...}}``) and per relationship (``{"rel": type, "from": [label, id],
"to": [label, id], "props": {...}}``). The dump is read in one transaction (a page of nodes
at a time), so it is a consistent picture while the server keeps running. Labels and types
from a file are checked against the schema's before they go anywhere near a query.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from neo4j import ManagedTransaction

from kith.errors import Conflict, InvalidInput

from . import maintenance
from .schema import NODE_LABELS
from .store import Store

FORMAT = "kith-backup"
VERSION = 1
BATCH = 2_000
REL_TYPE = re.compile(r"^[A-Z][A-Z_]{0,40}$")

PAGE = 2_000  # nodes per command
# A label's nodes are read a page at a time, each page with the relationships that leave it, so
# that every command is short: ArcadeDB's time limit is per command and counts the time the
# client takes to read the rows (one command for all of a county's 700,000 relationships
# leaving people was stopped at the default 10 s). Nodes are found by the label they were
# created with, as every Kith node has one (``labels(n)`` is sorted on ArcadeDB and in creation
# order on Neo4j 5, so it would name different labels of a node with two). Each id of a page is
# looked up on its own (UNWIND): ArcadeDB took ten times as long over ``WHERE n.id IN $ids``.
IDS = "MATCH (n:{label}) RETURN n.id AS id"
NODES = "UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN properties(n) AS props"
RELS = """
UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[r]->(b)
RETURN type(r) AS rel, a.id AS fid, labels(b)[0] AS tl, b.id AS tid, properties(r) AS props
"""


def canonical(line: dict[str, Any]) -> str:
    return json.dumps(line, sort_keys=True, separators=(",", ":"), default=str)


def checksum(lines: list[str]) -> str:
    """Order-free checksum of node and relationship lines (sorted before hashing)."""
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def snapshot(store: Store) -> list[str]:
    """Every node and relationship as canonical lines, read in one transaction (a node
    without an id, which graph/integrity.py reports, is left out)."""

    def work(tx: ManagedTransaction) -> list[str]:
        lines: list[str] = []
        for label in NODE_LABELS:
            ids = tx.run(IDS.format(label=label)).value()
            for start in range(0, len(ids), PAGE):
                lines += page_of(tx, label, ids[start : start + PAGE])
        return lines

    return store.read(work, whole_graph=True)


def page_of(tx: ManagedTransaction, label: str, ids: list[str]) -> list[str]:
    """Some nodes of one label, and the relationships that leave them, as canonical lines."""
    nodes = tx.run(NODES.format(label=label), ids=ids).value()
    rels = tx.run(RELS.format(label=label), ids=ids).data()
    return [canonical({"node": label, "props": props}) for props in nodes] + [
        canonical({"rel": r["rel"], "from": [label, r["fid"]], "to": [r["tl"], r["tid"]],
                   "props": r["props"]})
        for r in rels
    ]  # fmt: skip


def dump(store: Store, path: Path) -> dict[str, Any]:
    """Write a backup of the whole graph to ``path``; returns its header."""
    lines = snapshot(store)
    header = {
        "format": FORMAT, "version": VERSION,
        "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "nodes": sum(1 for line in lines if line.startswith('{"node"')),
        "relationships": sum(1 for line in lines if not line.startswith('{"node"')),
        "checksum": checksum(lines),
    }  # fmt: skip
    tmp = path.with_suffix(path.suffix + ".partial")
    with gzip.open(tmp, "wt", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")
        for line in sorted(lines, key=lambda text: not text.startswith('{"node"')):
            out.write(line + "\n")
    tmp.replace(path)
    return header


def read_header(handle: IO[str]) -> dict[str, Any]:
    try:
        header = json.loads(handle.readline())
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise InvalidInput("file", "is not a Kith backup (no header)") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput("file", "is not a Kith backup")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise InvalidInput("file", f"was written by a newer Kith (format {header.get('version')});"
                                   f" this one reads format {VERSION}")  # fmt: skip
    return header


def entries(handle: IO[str]) -> Iterator[dict[str, Any]]:
    for number, text in enumerate(handle, start=2):
        try:
            entry = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput("file", f"line {number} is not JSON") from exc
        check(entry, number)
        yield entry


def check(entry: dict[str, Any], number: int) -> None:
    """Only the schema's labels and plain relationship type names may reach a query."""
    labels = [entry.get("node")] if "node" in entry else [entry["from"][0], entry["to"][0]]
    if any(label not in NODE_LABELS for label in labels):
        raise InvalidInput("file", f"line {number} has an unknown label")
    if "rel" in entry and not REL_TYPE.match(str(entry["rel"])):
        raise InvalidInput("file", f"line {number} has an unusable relationship type")


def restore(store: Store, path: Path, force: bool = False) -> dict[str, Any]:
    """Load a backup into an empty store (one holding only the taxonomy), or with ``force``
    over whatever it holds, all in one transaction; then check it against the checksum."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = read_header(handle)
            nodes, rels = group(entries(handle))
    except (OSError, EOFError) as exc:
        reason = f"cannot be read as a Kith backup ({exc.__class__.__name__})"
        raise InvalidInput("file", reason) from None
    if maintenance.records(store) and not force:
        raise Conflict("the store is not empty: restore into an empty store, or use --force")
    store.write(lambda tx: write_all(tx, nodes, rels), whole_graph=True)
    if checksum(snapshot(store)) != header["checksum"]:
        raise Conflict("the restored graph does not match the backup's checksum")
    return header


def group(items: Iterator[dict[str, Any]]) -> tuple[dict, dict]:
    nodes: dict[str, list] = defaultdict(list)
    rels: dict[tuple[str, str, str], list] = defaultdict(list)
    for entry in items:
        if "node" in entry:
            nodes[entry["node"]].append(entry["props"])
        else:
            key = (entry["rel"], entry["from"][0], entry["to"][0])
            rels[key].append({"from": entry["from"][1], "to": entry["to"][1],
                              "props": entry["props"]})  # fmt: skip
    return nodes, rels


def write_all(tx: ManagedTransaction, nodes: dict, rels: dict) -> None:
    """Replace the graph (an "empty" store still holds the starter taxonomy) with the backup's."""
    tx.run("MATCH (n) DETACH DELETE n").consume()
    for label, rows in nodes.items():
        for start in range(0, len(rows), BATCH):
            tx.run(f"UNWIND $rows AS p CREATE (n:{label}) SET n = p",
                   rows=rows[start : start + BATCH]).consume()  # fmt: skip
    for (rel, source, target), rows in rels.items():
        query = (
            f"UNWIND $rows AS r MATCH (a:{source} {{id: r.from}}) "
            f"MATCH (b:{target} {{id: r.to}}) CREATE (a)-[x:{rel}]->(b) SET x = r.props"
        )
        for start in range(0, len(rows), BATCH):
            tx.run(query, rows=rows[start : start + BATCH]).consume()  # fmt: skip
