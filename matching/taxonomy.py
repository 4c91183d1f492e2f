"""The taxonomy in memory: free text to terms, and the narrower terms a search term covers."""

from __future__ import annotations

import re
from collections import defaultdict

from kith.domain import Term, TermKind

from .text import best_match, fold

PARTS = re.compile(r"\s+and\s+|\s+or\s+|\s*[,/;+]\s*")


class Taxonomy:
    """Every term by kind and id, with the lookups matching and search need."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms: dict[TermKind, dict[str, Term]] = defaultdict(dict)
        self.children: dict[tuple[TermKind, str], list[str]] = defaultdict(list)
        self.labels: dict[TermKind, dict[str, str]] = defaultdict(dict)
        self.exact: dict[TermKind, dict[str, str]] = defaultdict(dict)  # folded label -> key
        self.memo: dict[tuple[tuple[TermKind, ...], str], Term | None] = {}
        for term in terms:
            self.terms[term.kind][term.id] = term
            if term.broader:
                self.children[(term.kind, term.broader)].append(term.id)
            self.labels[term.kind][f"{term.id}"] = fold(term.name)
            for i, synonym in enumerate(term.synonyms):
                self.labels[term.kind][f"{term.id}#{i}"] = fold(synonym)
        for kind, labels in self.labels.items():
            for key, label in labels.items():
                self.exact[kind].setdefault(label, key)

    def get(self, kind: TermKind, term_id: str) -> Term | None:
        return self.terms[kind].get(term_id)

    def name(self, kind: TermKind, term_id: str) -> str:
        term = self.get(kind, term_id)
        return term.name if term else term_id

    def normalise(self, kind: TermKind, text: str) -> Term | None:
        """The term a person meant by ``text`` ("Knitting ", "knit", "knittin" → knitting).

        A phrase naming several things ("knitting & crochet") means its first known part.
        """
        return self.meaning((kind,), text)

    def meaning(self, kinds: tuple[TermKind, ...], text: str) -> Term | None:
        """The term ``text`` means in the first of these vocabularies that knows it."""
        memo = (kinds, text)
        if memo not in self.memo:  # loaders normalise the same few words again and again
            found = (self._normalise(kind, text) for kind in kinds)
            self.memo[memo] = next((term for term in found if term), None)
        return self.memo[memo]

    def _normalise(self, kind: TermKind, text: str) -> Term | None:
        if text in self.terms[kind]:
            return self.terms[kind][text]
        for part in [text, *PARTS.split(text.lower().replace("&", " and "))]:
            key = self.exact[kind].get(fold(part)) or best_match(part, self.labels[kind])
            if key:
                return self.terms[kind][key.split("#")[0]]
        return None

    def narrower(self, kind: TermKind, term_id: str) -> set[str]:
        """The term and every term beneath it: searching "crafts" finds knitting groups."""
        out, todo = set(), [term_id]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(self.children[(kind, current)])
        return out

    def words(self, kind: TermKind, ids: list[str]) -> list[str]:
        """Names and synonyms of these terms: what free-text search matches them by."""
        out: list[str] = []
        for term_id in ids:
            term = self.get(kind, term_id)
            if term:
                out.append(term.name)
                out.extend(term.synonyms)
        return out
