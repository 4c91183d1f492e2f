"""Free text to taxonomy terms, and how well a text matches an entry (typo-tolerant)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 86
WORD_CUTOFF = 80
STOPWORDS = frozenset({"a", "an", "and", "the", "of", "for", "in", "on", "at", "to", "with", "or"})
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
    """How well ``query`` matches ``texts``, in [0, 1]; 0 unless every word of it matches.

    Each query word (small words such as "and" aside) is matched against the words of the
    texts, whole, as a prefix ("knit" finds knitting) or within a typo ("natterr"), so word
    order does not matter and one misspelt word still counts.
    """
    words = [w for w in fold(query).split() if w not in STOPWORDS] or fold(query).split()
    haystack = {w for t in texts if t for w in fold(t).split()}
    if not words or not haystack:
        return 0.0
    scores = [word_score(word, haystack) for word in words]
    return 0.0 if min(scores) == 0.0 else sum(scores) / len(scores)


def word_score(word: str, haystack: set[str]) -> float:
    """1 for a whole or prefix match, the fuzzy ratio above the cutoff, else 0."""
    if word in haystack or (len(word) >= 3 and any(w.startswith(word) for w in haystack)):
        return 1.0
    found = process.extractOne(word, haystack, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF)
    return found[1] / 100.0 if found else 0.0
