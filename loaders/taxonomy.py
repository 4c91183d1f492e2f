"""The starter taxonomy kept in ``loaders/data/taxonomy.yaml``: read, checked, flattened."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kith.domain import Term, TermKind
from kith.errors import InvalidInput

TAXONOMY_FILE = Path(__file__).parent / "data" / "taxonomy.yaml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTIONS = {
    "interests": TermKind.INTEREST,
    "skills": TermKind.SKILL,
    "conditions": TermKind.CONDITION,
    "needs": TermKind.NEED,
    "languages": TermKind.LANGUAGE,
}


def read_taxonomy(path: Path = TAXONOMY_FILE) -> list[Term]:
    """Every term of the file, parents before children, or a clear error naming the bad entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms: list[Term] = []
    for section, kind in SECTIONS.items():
        seen: set[str] = set()
        for node in data.get(section) or []:
            terms.extend(_flatten(kind, node, None, seen, section))
    return terms


def _flatten(
    kind: TermKind, node: dict[str, Any], broader: str | None, seen: set[str], where: str
) -> list[Term]:
    term_id = str(node.get("id", ""))
    if not SLUG.match(term_id):
        raise InvalidInput(where, f"term id {term_id!r} is not a lowercase-hyphenated slug")
    if term_id in seen:
        raise InvalidInput(where, f"term id {term_id!r} appears twice")
    seen.add(term_id)
    synonyms = tuple(str(s) for s in node.get("synonyms") or ())
    if node.get("native"):
        synonyms += (str(node["native"]),)
    out = [Term(kind, term_id, str(node.get("name") or term_id), synonyms, broader)]
    for child in node.get("children") or []:
        out.extend(_flatten(kind, child, term_id, seen, f"{where}/{term_id}"))
    return out
