"""The helper process that checks a big file's rows while the loading process writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kith.domain import TermKind
from kith.errors import InvalidInput
from kith.service import Kith
from loaders.helper import in_helper


def counting(kith: Kith, path: Path) -> Iterator[tuple[int, str]]:
    """Work for the helper: each line of the file with its number and the taxonomy's say."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        yield number, kith.term((TermKind.INTEREST,), line, "line").id


def failing(kith: Kith, path: Path) -> Iterator[int]:
    yield 1
    raise ValueError(f"Ann Example of {path.name} has no e-mail")  # personal data in a message


def test_what_the_helper_yields_arrives_in_order_from_its_own_kith(
    empty: Kith, tmp_path: Path
) -> None:
    path = tmp_path / "words.txt"
    path.write_text("Knitting\nknittin\ngardening\n")
    got = list(in_helper(counting, empty.store.settings, path))
    assert got == [(1, "knitting"), (2, "knitting"), (3, "gardening")]


def test_bad_input_in_the_helper_is_the_same_error_here(empty: Kith, tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("knitting\nunderwater basket physics\n")
    with pytest.raises(InvalidInput) as error:
        list(in_helper(counting, empty.store.settings, path))
    assert error.value.field == "line"
    assert "underwater basket physics" in error.value.reason


def test_any_other_failure_names_its_kind_but_not_its_message(empty: Kith, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("x\n")
    got = []
    with pytest.raises(RuntimeError) as error:
        got.extend(in_helper(failing, empty.store.settings, path))
    assert got == [1]
    assert "ValueError" in str(error.value) and "Ann" not in str(error.value)
