"""The starter taxonomy shipped in loaders/data/taxonomy.yaml."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kith.domain import TermKind
from kith.errors import InvalidInput
from loaders.taxonomy import read_taxonomy


def test_the_starter_taxonomy_is_rich_enough() -> None:
    terms = read_taxonomy()
    per_kind = Counter(t.kind for t in terms)
    assert per_kind[TermKind.INTEREST] >= 150
    assert per_kind[TermKind.LANGUAGE] >= 20
    assert per_kind[TermKind.CONDITION] >= 20
    interests = {t.id: t for t in terms if t.kind is TermKind.INTEREST}
    assert interests["knitting"].broader == "crafts"
    assert interests["crafts"].broader == "creative"
    conditions = {t.id for t in terms if t.kind is TermKind.CONDITION}
    assert {"copd", "dementia", "diabetes", "stroke", "arthritis", "depression"} <= conditions


def test_every_broader_term_exists_in_its_own_kind() -> None:
    terms = read_taxonomy()
    ids = {(t.kind, t.id) for t in terms}
    assert all((t.kind, t.broader) in ids for t in terms if t.broader)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("interests:\n  - {id: Knitting, name: Knitting}\n", "not a lowercase-hyphenated slug"),
        ("interests:\n  - {id: knit, name: A}\n  - {id: knit, name: B}\n", "appears twice"),
    ],
)
def test_a_bad_taxonomy_file_names_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=problem):
        read_taxonomy(path)
