"""Backups: a consistent export of the whole graph, and a restore that gives it back exactly."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graph import backup, maintenance
from graph.store import connect
from kith.errors import Conflict, InvalidInput
from kith.service import Kith
from kith.settings import Settings


@pytest.fixture(scope="module")
def saved(derby: Kith, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("backup") / "kith.backup.gz"
    header = backup.dump(derby.store, path)
    assert header["nodes"] == maintenance.counts(derby.store)["nodes"]
    return path, backup.snapshot(derby.store)


def test_restore_into_an_empty_store_gives_back_the_same_graph(
    saved: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, original = saved
    store = connect(Settings(data_dir=tmp_path / "restored"))
    try:
        header = backup.restore(store, path)
        restored = backup.snapshot(store)
        assert len(restored) == len(original)
        assert backup.checksum(restored) == backup.checksum(original) == header["checksum"]
        assert maintenance.counts(store)["relationships"] == header["relationships"]
    finally:
        store.close()


def test_restore_refuses_a_store_that_is_not_empty(
    saved: tuple[Path, list[str]], derby: Kith
) -> None:
    before = maintenance.counts(derby.store)
    with pytest.raises(Conflict, match="not empty"):
        backup.restore(derby.store, saved[0])
    assert maintenance.counts(derby.store) == before


def write(path: Path, lines: list[object]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for line in lines:
            out.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return path


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([{"format": "kith-backup", "version": 99}], "newer Kith"),
        ([{"format": "something-else", "version": 1}], "not a Kith backup"),
        (["not json at all"], "no header"),
        ([{"format": "kith-backup", "version": 1, "checksum": ""},
          {"node": "Person) DETACH DELETE n //", "props": {"id": "x"}}], "unknown label"),
        ([{"format": "kith-backup", "version": 1, "checksum": ""},
          {"rel": "X]->() DELETE a //", "from": ["Person", "a"], "to": ["Person", "b"],
           "props": {}}], "unusable relationship type"),
    ],
)  # fmt: skip
def test_a_bad_backup_is_refused_and_changes_nothing(
    tmp_path: Path, empty: Kith, lines: list, problem: str
) -> None:
    before = maintenance.counts(empty.store)
    with pytest.raises(InvalidInput, match=problem):
        backup.restore(empty.store, write(tmp_path / "bad.gz", lines), force=True)
    assert maintenance.counts(empty.store) == before


def test_a_file_that_is_not_gzip_is_refused(tmp_path: Path, empty: Kith) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    with pytest.raises(InvalidInput, match="not a Kith backup"):
        backup.restore(empty.store, plain)
