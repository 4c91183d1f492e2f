"""ORUK import: every example of shared/data/oruk loads and is found; bad files are reported
with nothing half-loaded; loading twice changes nothing."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import loaders.oruk
from api.app import create_app
from graph import catalogue, maintenance
from graph.directory import activities_by_id, venues_by_id
from kith.domain import ListingStatus, Weekday
from kith.errors import InvalidInput
from kith.service import Kith
from loaders.oruk import load_oruk

from ..conftest import SHARED, gql

ORUK = SHARED / "data" / "oruk"
SPEC, UK = ORUK / "specification" / "examples", ORUK / "uk-profile" / "examples"
V1 = ORUK / "sample-HSDS-datapackage" / "all_resources"
COUNSELLING = [("ACTIVITY", "counselling", "Community Counselling"),
               ("GROUP", "Example Organization", "Example Organization Inc."),
               ("VENUE", "Civic Center", "MyCity Civic Center")]  # fmt: skip
TERM = [("TERM", "name", "name")]
EXAMPLES: dict[Path, list[tuple[str, str, str]]] = {
    **{folder / "service_full.json": COUNSELLING + TERM for folder in (SPEC, UK)},
    **{folder / "service_at_location_full.json": COUNSELLING + TERM for folder in (SPEC, UK)},
    **{folder / "organization_full.json": COUNSELLING + TERM for folder in (SPEC, UK)},
    **{folder / "service_at_location_list.json": COUNSELLING for folder in (SPEC, UK)},
    **{folder / "service_list.json": [COUNSELLING[1], ("PLACEHOLDER", "", "Community Counselling")]
       for folder in (SPEC, UK)},
    **{folder / "organization_list.json": [COUNSELLING[1]] for folder in (SPEC, UK)},
    SPEC / "taxonomy.json": [("VOCABULARY", "", "name")],
    UK / "taxonomy.json": [*TERM, ("VOCABULARY", "", "name")],
    **{folder / "taxonomy_list.json": [("VOCABULARY", "", "name")] for folder in (SPEC, UK)},
    **{folder / name: TERM for folder in (SPEC, UK)
       for name in ("taxonomy_term.json", "taxonomy_term_list.json")},
    SPEC / "location.json": [COUNSELLING[2]],
    SPEC / "tabular.json": COUNSELLING + TERM,
    SPEC / "csv": COUNSELLING + TERM,
    UK / "csv": COUNSELLING + TERM,
    V1: [("ACTIVITY", "homeless", "Never Homeless Helpline"),
         ("ACTIVITY", "laundry", "Bubbles at The Cross"),
         ("GROUP", "Sanctuary", "Sanctuary Example City"),
         ("VENUE", "Highland", "4830 Highland Drive"), ("TERM", "Taxonomy", "Taxonomy A")],
}  # fmt: skip
SEARCH = """
query ($text: String, $kinds: [EntryKind!], $day: Weekday, $interests: [String!]) {
  search(text: $text, kinds: $kinds, day: $day, interests: $interests, first: 50) {
    edges { node { ... on Activity { id name } ... on Group { name } ... on Venue { name } } }
  }
}
"""
TERMS = "query ($prefix: String) { taxonomy(kind: INTEREST, prefix: $prefix) { name } }"
ACTIVITY = "query ($id: ID!) { activity(id: $id) { name venue { name } } }"


@pytest.fixture
def kith(empty: Kith) -> Iterator[Kith]:
    """An empty store; the taxonomy in memory is put back afterwards (a load teaches it)."""
    taxonomy = empty.taxonomy
    yield empty
    empty.taxonomy = taxonomy


@pytest.fixture
def client(kith: Kith) -> Iterator[TestClient]:
    with TestClient(create_app(kith=kith)) as test_client:
        yield test_client


def names(client: TestClient, **variables: Any) -> list[str]:
    body = gql(client, SEARCH, **variables)
    assert "errors" not in body, body
    return [e["node"]["name"] for e in body["data"]["search"]["edges"]]


def found(client: TestClient, kith: Kith, what: str, text: str, name: str) -> bool:
    """Whether the directory shows ``name``: searched for, or read as it is kept."""
    if what == "TERM":
        return name in [t["name"] for t in gql(client, TERMS, prefix=text)["data"]["taxonomy"]]
    if what == "VOCABULARY":
        return name in [v["name"] for v in catalogue.vocabularies(kith.store)]
    if what == "PLACEHOLDER":
        activity = gql(client, ACTIVITY, id="oruk:ac148810-d857-441c-9679-408f346de14b")
        return activity["data"]["activity"]["name"] == name
    return name in names(client, text=text, kinds=[what])


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def service(sid: str, **fields: Any) -> dict[str, Any]:
    """A small valid ORUK v3 service, at one location in Derby."""
    location = {"id": f"{sid}-loc", "name": f"Hall {sid}", "latitude": 52.92,
                "longitude": -1.47}  # fmt: skip
    return {"id": sid, "name": f"Service {sid}", "status": "active",
            "organization": {"id": "org-1", "name": "Derby Friends", "description": "Friends"},
            "service_at_locations": [{"id": f"{sid}-sal", "location": location}],
            **fields}  # fmt: skip


def test_ids_are_kept_and_prefixed() -> None:
    assert catalogue.graph_id("ac148810") == "oruk:ac148810"
    uuid = "ac148810-d857-441c-9679-408f346de14b"
    assert catalogue.public_id("service", catalogue.graph_id(uuid)) == uuid
    derived = catalogue.public_id("service", "demo-a-1")
    assert catalogue.is_uuid(derived) and derived == catalogue.public_id("service", "demo-a-1")


@pytest.mark.parametrize("path", list(EXAMPLES), ids=lambda p: str(p.relative_to(ORUK)))
def test_every_example_loads_is_found_and_loads_again_unchanged(
    kith: Kith, client: TestClient, path: Path
) -> None:
    report = load_oruk(kith, path)
    assert report.read >= 1 and report.skipped == 0
    assert all("latitude" in p.reason or "status" in p.reason for p in report.problems)
    for what, text, name in EXAMPLES[path]:
        assert found(client, kith, what, text, name), (what, name)
    counts = maintenance.counts(kith.store)
    again = load_oruk(kith, path)
    assert maintenance.counts(kith.store) == counts
    assert not again.created and not again.updated and again.unchanged


def test_base_json_is_not_data(kith: Kith) -> None:
    with pytest.raises(InvalidInput, match="holds no ORUK records"):
        load_oruk(kith, SPEC / "base.json")


def test_invalid_coordinates_load_without_a_position(kith: Kith) -> None:
    report = load_oruk(kith, UK / "service_full.json")
    (problem,) = report.problems
    assert problem.where == "service_full.json: $.service_at_locations[0].location"
    assert "latitude 100 is not between -90 and 90" in problem.reason
    assert problem.action == "loaded without a position"
    venue = venues_by_id(kith.store, ["oruk:3a19ff88-4620-4d17-9830-ac1d859eb5d5"])
    assert next(iter(venue.values())).latitude is None


def test_v1_maps_schedules_eligibility_languages_and_vocabulary(
    kith: Kith, client: TestClient
) -> None:
    report = load_oruk(kith, V1)
    assert report.skipped == 0 and report.created["Activity"] == 13
    closed = [a for a in activities_by_id(kith.store, all_activities(kith)).values()
              if a.status is ListingStatus.CLOSED]  # fmt: skip
    assert len(closed) == 3  # the sample's three inactive services: listed as closed
    helpline = activities_by_id(kith.store, ["oruk:d254626c-6858-46ad-850a-6e1c53ea463a"])
    activity = next(iter(helpline.values()))
    assert [(s.day.value, s.start, s.end) for s in activity.sessions] == [
        ("MONDAY", "09:00", "17:00"), ("TUESDAY", "09:00", "17:00"),
        ("WEDNESDAY", "09:00", "17:00")]  # fmt: skip
    assert activity.languages == ["english", "spanish"] and activity.audience.value == "ADULTS"
    assert "Never Homeless Helpline" in names(client, day="MONDAY", kinds=["ACTIVITY"])
    food = gql(client, "{ search(text: \"food safety\", kinds: [ACTIVITY]) "
                       "{ edges { node { ... on Activity { name status } } } } }")  # fmt: skip
    assert food["data"]["search"]["edges"] == [
        {"node": {"name": "Food Safety Program", "status": "CLOSED"}}
    ]  # inactive: shown closed
    terms = {t.term.name: t.extra for t in catalogue.terms_with_extra(kith.store)}
    assert terms["Taxonomy A"]["vocabulary"] == "AIRS"


def test_source_terms_sit_under_kith_terms_and_are_searchable(
    kith: Kith, client: TestClient, tmp_path: Path
) -> None:
    terms = [("t-1", "Knitting"), ("t-2", "Loneliness"), ("t-3", "Zorbing")]
    attributes = [{"id": f"a-{tid}", "taxonomy_term": {"id": tid, "name": name,
                   "taxonomy": "LGA", "taxonomy_id": "lga"}} for tid, name in terms]  # fmt: skip
    load_oruk(kith, write(tmp_path, "s.json", [service("s1", attributes=attributes)]))
    stored = {t.term.name: t for t in catalogue.terms_with_extra(kith.store)}
    assert (stored["Knitting"].term.kind.value, stored["Knitting"].term.broader) == (
        "Interest", "knitting")  # fmt: skip
    assert (stored["Loneliness"].term.kind.value, stored["Loneliness"].term.broader) == (
        "Need", "loneliness")  # fmt: skip
    assert stored["Zorbing"].term.broader is None
    assert (
        stored["Zorbing"].extra["orukId"] == "t-3"
        and stored["Zorbing"].extra["vocabulary"] == "LGA"
    )
    assert "Service s1" in names(client, interests=["crafts"], kinds=["ACTIVITY"])
    assert "Service s1" in names(client, text="zorbing", kinds=["ACTIVITY"])


def test_cost_access_language_postcode_and_audience(kith: Kith, tmp_path: Path) -> None:
    location = {"id": "loc", "name": "Library", "addresses": [{"id": "ad", "address_1": "1 Road",
                "city": "Derby", "postal_code": "de223ab", "country": "GB",
                "address_type": "physical"}], "accessibility": [{"id": "ac",
                "description": "Wheelchair access and an induction loop"}]}  # fmt: skip
    record = service("s1", minimum_age=65, cost_options=[{"id": "c1", "amount": 3},
                     {"id": "c2", "amount": "1.50"}], languages=[{"id": "l1", "name": "Urdu"},
                     {"id": "l2", "name": "Klingon"}],
                     service_at_locations=[{"id": "sal", "location": location}])  # fmt: skip
    report = load_oruk(kith, write(tmp_path, "s.json", record))
    (problem,) = report.problems
    assert "Klingon" in problem.reason and problem.action == "left out"
    activity = activities_by_id(kith.store, ["oruk:sal"])["oruk:sal"]
    assert (activity.cost, activity.languages, activity.audience.value) == (
        1.5, ["urdu"], "OLDER_ADULTS")  # fmt: skip
    venue = venues_by_id(kith.store, ["oruk:loc"])["oruk:loc"]
    assert (venue.address, venue.postcode, venue.step_free, venue.hearing_loop) == (
        "1 Road, Derby", "DE22 3AB", True, True)  # fmt: skip
    assert venue.latitude is not None  # from the postcode, as the location had no coordinates


# Malformed files: one clear error and nothing written, or the bad record skipped whole -------


def unchanged(kith: Kith, path: Path, message: str) -> None:
    before = maintenance.counts(kith.store)
    with pytest.raises(InvalidInput, match=message):
        load_oruk(kith, path)
    assert maintenance.counts(kith.store) == before


def test_broken_json_changes_nothing(kith: Kith, tmp_path: Path) -> None:
    good = json.dumps([service(f"s{i}") for i in range(5)])
    path = tmp_path / "broken.json"
    path.write_text(good[:-1] + ', {"id": "s9", "name": ', encoding="utf-8")
    unchanged(kith, path, "is not valid JSON")


@pytest.mark.parametrize("data", [{"foo": 1}, [1, 2, 3], "text", {"version": "3.0"}])
def test_json_that_is_not_oruk_changes_nothing(kith: Kith, tmp_path: Path, data: Any) -> None:
    unchanged(kith, write(tmp_path, "x.json", data), "holds no ORUK records|no JSON object")


def test_non_utf8_csv_names_its_line_and_changes_nothing(kith: Kith, tmp_path: Path) -> None:
    folder = tmp_path / "oruk"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name\no1,Friends\n", encoding="utf-8")
    (folder / "services.csv").write_bytes("id,name\ns1,Knit\ns2,Caf\xe9\n".encode("latin-1"))
    unchanged(kith, folder, "services.csv: line 3 is not UTF-8")


def test_non_utf8_json_changes_nothing(kith: Kith, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(json.dumps(service("s1")).replace("Service", "Caf\xe9").encode("latin-1"))
    unchanged(kith, path, "s.json")


def test_wrong_columns_change_nothing(kith: Kith, tmp_path: Path) -> None:
    folder = tmp_path / "oruk"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name\no1,Friends\n", encoding="utf-8")
    (folder / "services.csv").write_text("service,org\nKnit,o1\n", encoding="utf-8")
    unchanged(kith, folder, "services.csv: has no column id, name")


def test_a_folder_without_oruk_tables_changes_nothing(kith: Kith, tmp_path: Path) -> None:
    (tmp_path / "volunteers.csv").write_text("name\nAnn\n", encoding="utf-8")
    unchanged(kith, tmp_path, "has no ORUK tables")


def test_a_bad_date_skips_its_service_whole(kith: Kith, tmp_path: Path) -> None:
    bad = service("s2", schedules=[{"id": "x", "byday": "MO", "opens_at": "10:00",
                                    "valid_from": "2020-13-45"}])  # fmt: skip
    bad["organization"] = {"id": "org-2", "name": "Only in the bad record", "description": ""}
    report = load_oruk(kith, write(tmp_path, "s.json", [service("s1"), bad]))
    (problem,) = report.problems
    assert problem.where == "s.json: $[1].schedules[0].valid_from"
    assert problem.record == "service s2" and problem.action == "skipped"
    assert "'2020-13-45' is not a date" in problem.reason and report.skipped == 1
    assert catalogue.existing(kith.store, "Activity", ["oruk:s1-sal", "oruk:s2-sal"]) == {
        "oruk:s1-sal"}  # fmt: skip
    assert not catalogue.existing(kith.store, "Group", ["oruk:org-2"])
    assert not catalogue.existing(kith.store, "Venue", ["oruk:s2-loc"])


def test_bad_csv_rows_are_reported_by_line(kith: Kith, tmp_path: Path) -> None:
    folder = tmp_path / "oruk"
    folder.mkdir()
    files = {
        "services.csv": "id,name,status\ns1,Knit,active\ns2,Walk,active\ns3,Sing,active,extra\n",
        "schedules.csv": "id,service_id,byday,opens_at,valid_to\nx1,s1,MO,10:00,2030-01-01\n"
                         "x2,s2,TU,10:00,31/12/2030\n",
        "locations.csv": "id,name,latitude,longitude\nl1,Hall,abc,-1.4\n",
        "service_at_location.csv": "id,service_id,location_id\nsal1,s1,l1\n",
    }  # fmt: skip
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    report = load_oruk(kith, folder)
    by_where = {p.where: p for p in report.problems}
    assert by_where["schedules.csv: line 3, column valid_to"].record == "service s2"
    assert "'31/12/2030' is not a date" in by_where["schedules.csv: line 3, column valid_to"].reason
    assert "4 values but the header has 3" in by_where["services.csv: line 4"].reason
    assert by_where["locations.csv: line 2"].action == "loaded without a position"
    assert report.skipped == 2 and report.created["Activity"] == 1
    errors = tmp_path / "errors.csv"
    report.write_errors(errors)
    with errors.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["where"] for r in rows] == [p.where for p in report.problems]
    assert set(rows[0]) == {"where", "record", "problem", "action"}
    assert "schedules.csv: line 3, column valid_to" in report.summary()


def test_a_service_no_longer_active_is_removed(kith: Kith, tmp_path: Path) -> None:
    load_oruk(kith, write(tmp_path, "a.json", service("s1")))
    report = load_oruk(kith, write(tmp_path, "b.json", service("s1", status="defunct")))
    assert report.removed == 1
    assert not catalogue.existing(kith.store, "Activity", ["oruk:s1-sal"])


def test_batches_and_forward_references(
    kith: Kith, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders.oruk, "BATCH", 3)
    records = [{"id": f"s{i}", "name": f"Club {i}", "status": "active",
                "service_at_locations": [{"id": f"sal{i}", "location_id": "later"}]}
               for i in range(7)]  # fmt: skip
    records.append({"id": "later", "name": "Late Hall", "location_type": "physical"})
    report = load_oruk(kith, write(tmp_path, "list.json", {"contents": records}))
    assert not report.problems and report.created["Activity"] == 7
    held = activities_by_id(kith.store, [f"oruk:sal{i}" for i in range(7)])
    assert {a.venue_id for a in held.values()} == {"oruk:later"}
    again = load_oruk(kith, write(tmp_path, "list.json", {"contents": records}))
    assert not again.created and not again.updated


def test_a_reference_to_nothing_is_reported(kith: Kith, tmp_path: Path) -> None:
    record = {"id": "s1", "name": "Club", "status": "active", "organization_id": "nobody",
              "service_at_locations": [{"id": "sal", "location_id": "nowhere"}]}  # fmt: skip
    report = load_oruk(kith, write(tmp_path, "s.json", record))
    assert sorted(p.reason for p in report.problems) == [
        "location nowhere was not loaded and is not in the graph",
        "organization nobody was not loaded and is not in the graph"]  # fmt: skip
    activity = activities_by_id(kith.store, ["oruk:sal"])["oruk:sal"]
    assert (activity.venue_id, activity.group_id) == (None, None)


def test_a_missing_path_is_one_clear_error(kith: Kith, tmp_path: Path) -> None:
    unchanged(kith, tmp_path / "nothing.json", "no such file or folder")


def all_activities(kith: Kith) -> list[str]:
    return [activity_id for activity_id, _ in catalogue.service_keys(kith.store)]


def test_several_service_at_locations_at_one_location_are_one_activity(
    kith: Kith, tmp_path: Path
) -> None:
    hall = {"id": "hall", "name": "Hall", "latitude": 52.92, "longitude": -1.47}
    other = {"id": "other", "name": "Other Hall", "latitude": 52.93, "longitude": -1.48}
    weekly = [
        {"id": "sal-tu", "location": hall,
         "schedules": [{"id": "x1", "byday": "TU", "opens_at": "10:00", "closes_at": "11:30"}]},
        {"id": "sal-fr", "location_id": "hall",
         "schedules": [{"id": "x2", "byday": "FR", "opens_at": "10:00", "closes_at": "11:30"}]},
        {"id": "sal-we", "location": other,
         "schedules": [{"id": "x3", "byday": "WE", "opens_at": "14:00"}]},
    ]  # fmt: skip
    report = load_oruk(kith, write(tmp_path, "s.json", service("s1", service_at_locations=weekly)))
    assert report.created["Activity"] == 2
    held = activities_by_id(kith.store, all_activities(kith))
    days = {a.venue_id: [s.day for s in a.sessions] for a in held.values()}
    assert days == {
        "oruk:hall": [Weekday.TUESDAY, Weekday.FRIDAY],
        "oruk:other": [Weekday.WEDNESDAY],
    }
    assert set(held) == {"oruk:sal-fr", "oruk:sal-we"}  # the first id of each, in sorted order


@pytest.mark.parametrize(("given", "status"), [
    ("active", ListingStatus.ACTIVE), ("temporarily closed", ListingStatus.TEMPORARILY_CLOSED),
    ("inactive", ListingStatus.CLOSED)])  # fmt: skip
def test_status_and_assured_date_are_the_listings(
    kith: Kith, tmp_path: Path, given: str, status: ListingStatus
) -> None:
    record = service("s1", status=given, assured_date="2026-09-30")
    report = load_oruk(kith, write(tmp_path, "s.json", record))
    assert not report.problems
    activity = activities_by_id(kith.store, ["oruk:s1-sal"])["oruk:s1-sal"]
    assert activity.status is status and str(activity.last_reviewed_on) == "2026-09-30"
