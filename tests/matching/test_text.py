"""Free text to taxonomy terms, and typo-tolerant relevance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.domain import TermKind
from loaders.taxonomy import read_taxonomy
from matching.taxonomy import Taxonomy
from matching.text import fold, relevance

TAXONOMY = Taxonomy(read_taxonomy())


@pytest.mark.parametrize(
    ("kind", "text", "term"),
    [
        (TermKind.INTEREST, "Knitting ", "knitting"),
        (TermKind.INTEREST, "knit", "knitting"),
        (TermKind.INTEREST, "knitting & crochet", "knitting"),
        (TermKind.INTEREST, "knittin", "knitting"),
        (TermKind.INTEREST, "ANTIQUES", "antiques"),
        (TermKind.INTEREST, "gardning", "gardening"),
        (TermKind.CONDITION, "COPD", "copd"),
        (TermKind.CONDITION, "chronic obstructive pulmonary disease", "copd"),
        (TermKind.CONDITION, "memory loss", "dementia"),
        (TermKind.NEED, "isolated", "loneliness"),
        (TermKind.LANGUAGE, "Panjabi", "punjabi"),
        (TermKind.LANGUAGE, "Polski", "polish"),
        (TermKind.LANGUAGE, "Urdu", "urdu"),
    ],
)
def test_free_text_becomes_a_term(kind: TermKind, text: str, term: str) -> None:
    found = TAXONOMY.normalise(kind, text)
    assert found is not None and found.id == term


@pytest.mark.parametrize("text", ["knot", "xyz", "", "   ", "quantum chromodynamics"])
def test_unknown_text_is_no_term(text: str) -> None:
    assert TAXONOMY.normalise(TermKind.INTEREST, text) is None


def test_narrower_terms_are_covered_by_their_broader_term() -> None:
    crafts = TAXONOMY.narrower(TermKind.INTEREST, "crafts")
    assert {"crafts", "knitting", "crochet", "sewing"} <= crafts
    assert "walking" not in crafts
    assert TAXONOMY.narrower(TermKind.CONDITION, "dementia") >= {"dementia", "alzheimers"}


def test_relevance_forgives_a_typo_but_not_a_different_word() -> None:
    words = ["Knit and Natter", "A friendly weekly session"]
    assert relevance("knit", words) == 1.0
    assert relevance("natterr", words) > 0.8
    assert relevance("football", words) == 0.0


@given(st.text(max_size=80))
def test_fold_is_idempotent_and_plain(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.lower().strip()


@given(st.text(max_size=40), st.lists(st.text(max_size=40), max_size=4))
def test_relevance_is_a_fraction(query: str, texts: list[str]) -> None:
    assert 0.0 <= relevance(query, texts) <= 1.0
