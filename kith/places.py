"""Postcodes to points: normalising what people type and finding its centroid.

Out of the box Kith knows the centroid of every GB outward code (shipped data, see
``loaders/data/ATTRIBUTION.md``); a full postcode resolves to its own centroid when one is
known, else to its outward code's.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from kith.domain import Place
from kith.errors import InvalidInput

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"
OUTCODES_FILE = DATA / "uk_outcode_centroids.csv"
FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def normalise_postcode(text: str) -> str:
    """ "de223ab" → "DE22 3AB"; an outward code alone ("de22") is kept as it is, upper-cased."""
    squeezed = re.sub(r"\s+", "", text or "").upper()
    full = FULL.match(squeezed)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    if OUTWARD.match(squeezed):
        return squeezed
    raise InvalidInput("postcode", f"{text!r} is not a UK postcode")


class Postcodes:
    """Centroids by full postcode and by outward code."""

    def __init__(self, outcodes: dict[str, tuple[float, float]]) -> None:
        self.outcodes = outcodes
        self.full: dict[str, tuple[float, float]] = {}

    @classmethod
    def shipped(cls) -> Postcodes:
        with OUTCODES_FILE.open(newline="", encoding="utf-8") as f:
            rows = csv.DictReader(f)
            return cls({r["outcode"]: (float(r["latitude"]), float(r["longitude"])) for r in rows})

    def resolve(self, text: str) -> Place:
        """The point of a postcode, or an error naming the postcode that is not known."""
        code = normalise_postcode(text)
        point = self.full.get(code) or self.outcodes.get(code.split(" ")[0])
        if point is None:
            raise InvalidInput("postcode", f"{code} is not a known postcode")
        return Place(point[0], point[1], code)
