"""Free text to taxonomy terms, and how well a text matches an entry (typo-tolerant)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process, utils

FUZZY_CUTOFF = 86
WORD = re.compile(r"[a-z0-9']+")


def fold(text: str) -> str:
    """Lower case, accents removed, '&' read as 'and', spaces squeezed: how text is compared."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return " ".join(WORD.findall(text))


def best_match(text: str, choices: dict[str, str]) -> str | None:
    """The key of ``choices`` (key -> folded label) that ``text`` means, or None.

    An exact label wins; otherwise the closest label by rapidfuzz's token-sort ratio above a
    cutoff, so "knittin" finds knitting but "knot" does not.
    """
    folded = fold(text)
    if not folded:
        return None
    for key, label in choices.items():
        if label == folded:
            return key
    found = process.extractOne(
        folded, choices, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=FUZZY_CUTOFF
    )
    return found[2] if found else None


def relevance(query: str, texts: list[str]) -> float:
    """How well ``query`` matches any of ``texts``, in [0, 1]; 0 below the fuzzy cutoff.

    Each query word is matched against the words of the texts, so word order does not matter
    and one misspelt word still counts.
    """
    words = fold(query).split()
    haystack = " ".join(fold(t) for t in texts if t)
    if not words or not haystack:
        return 0.0
    scores = []
    for word in words:
        found = process.extractOne(
            word, haystack.split(), scorer=fuzz.ratio, processor=utils.default_process
        )
        prefix = any(w.startswith(word) for w in haystack.split()) if len(word) >= 3 else False
        score = 100.0 if prefix else (found[1] if found else 0.0)
        scores.append(score if score >= FUZZY_CUTOFF - 6 else 0.0)
    return sum(scores) / (100.0 * len(scores))
