"""The ORUK REST door: every response valid against the ORUK UK profile's schemas (resolved
locally), filters, paging, errors, CORS, no people, schemathesis, and the round trip."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from starlette.testclient import TestClient

from api import oruk_export
from api.app import create_app
from graph import catalogue, maintenance
from kith.domain import ListingStatus
from kith.service import Kith
from loaders import demo
from loaders.oruk import load_oruk

from ..conftest import SHARED, reset

ORUK = SHARED / "data" / "oruk"
OPENAPI_FILE = ORUK / "mhclg-oruk" / "specifications" / "3.0" / "openapi.json"
SCHEMAS = ORUK / "uk-profile" / "schema"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = "urn:oruk:openapi"
EXAMPLES = [ORUK / "uk-profile" / "examples" / "service_full.json",
            ORUK / "sample-HSDS-datapackage" / "all_resources"]  # fmt: skip
LISTS = ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]


def openapi() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def registry() -> Registry:
    """The UK profile's schemas under the addresses the OpenAPI document names (the
    ``compiled`` ones are the same schemas; list views are their one-to-one subsets)."""
    resources: list[tuple[str, Resource]] = [(OPENAPI_URI, DRAFT202012.create_resource(openapi()))]
    for path in SCHEMAS.glob("*.json"):
        resource = DRAFT202012.create_resource(json.loads(path.read_text(encoding="utf-8")))
        for base in (REMOTE, f"{REMOTE}compiled/"):
            resources.append((f"{base}{path.name}", resource))
            resources.append((f"{base}{path.stem}_list.json", resource))
    return Registry().with_resources(resources)


REGISTRY = registry()


def response_schema(path: str) -> dict[str, Any]:
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {
        "$ref": f"{OPENAPI_URI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    }


def check(body: Any, path: str) -> None:
    """Valid against the OpenAPI document's 200 response for ``path``, formats included."""
    validator = validator_for(response_schema(path))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def check_item(item: dict[str, Any], schema: str) -> None:
    validator_for({"$ref": f"{REMOTE}{schema}"}).validate(item)


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    checker = Draft202012Validator.FORMAT_CHECKER
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=checker)


@pytest.fixture(scope="module")
def world(derby: Kith) -> Iterator[Kith]:
    """The Derby demo with ORUK examples loaded on top (imported and native records both)."""
    taxonomy = derby.taxonomy
    for path in EXAMPLES:
        load_oruk(derby, path)
    yield derby
    derby.taxonomy = taxonomy


@pytest.fixture(scope="module")
def client(world: Kith) -> Iterator[TestClient]:
    """The app `kith serve` serves, in process: /oruk/ as users reach it."""
    with TestClient(create_app(kith=world)) as test_client:
        yield test_client


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(f"/oruk{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def every_page(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    first = get(client, path, per_page=100, **params)
    items = list(first["contents"])
    for number in range(2, first["total_pages"] + 1):
        items += get(client, path, per_page=100, page=number, **params)["contents"]
    return items


def test_meta_says_version_profile_and_openapi(client: TestClient) -> None:
    body = get(client, "/")
    check(body, "/")
    assert body["version"] == "3.0" and body["openapi_url"].startswith("https://")


@pytest.mark.parametrize("path", LISTS)
def test_every_page_of_every_list_is_valid(client: TestClient, path: str) -> None:
    first = get(client, path, per_page=40)
    assert first["total_items"] > 0 and first["first_page"] and not first["empty"]
    assert first["total_pages"] == math.ceil(first["total_items"] / 40)
    for number in range(1, first["total_pages"] + 1):
        body = get(client, path, per_page=40, page=number)
        check(body, path)
        assert body["page_number"] == number and body["size"] == len(body["contents"])
        assert body["last_page"] == (number == first["total_pages"])


def test_every_service_in_full_is_valid(client: TestClient) -> None:
    services = every_page(client, "/services")
    assert len({s["id"] for s in services}) == len(services)
    for summary in services:
        full = get(client, f"/services/{summary['id']}")
        check(full, "/services/{id}")
        assert {k: full[k] for k in summary} == summary


def test_service_at_locations_nest_a_valid_service(client: TestClient) -> None:
    for place in every_page(client, "/service_at_locations"):
        check_item(place["service"], "service.json")
        check_item(place["location"], "location.json")


def test_imported_service_keeps_its_ids_and_details(client: TestClient) -> None:
    full = get(client, "/services/ac148810-d857-441c-9679-408f346de14b")
    assert full["name"] == "Community Counselling" and full["minimum_age"] == 12
    assert full["organization"]["id"] == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    place = full["service_at_locations"][0]
    assert place["id"] == "e94c9f38-1e8f-4564-91d4-d53501ab1765"
    assert "latitude" not in place["location"]  # latitude 100 was not kept
    assert {s["byday"] for s in full["schedules"]} == {"TH", "FR"}
    assert full["cost_options"][0]["amount"] == 35
    term = full["attributes"][0]["taxonomy_term"]
    assert (term["id"], term["taxonomy"]) == ("3f7b145d-84af-42d7-8fae-eaca714b02b2", "taxonomy")


def test_filters_combine_with_and(client: TestClient) -> None:
    knit = every_page(client, "/services", search="knit")
    assert knit and all("knit" in (s["name"] + s.get("description", "")).lower() for s in knit)
    tuesday = every_page(client, "/services", day="TU")
    both = every_page(client, "/services", search="knit", day="TU")
    assert {s["id"] for s in both} == {s["id"] for s in knit} & {s["id"] for s in tuesday}
    adults = every_page(client, "/services", minimum_age=18)
    assert adults and all(s["minimum_age"] >= 18 for s in adults)
    young = every_page(client, "/services", maximum_age=17)
    assert all(s["maximum_age"] <= 17 for s in young)


def test_times_are_those_of_one_session(client: TestClient) -> None:
    morning = every_page(client, "/services", start_time="09:00", end_time="12:00")
    assert morning
    for summary in morning[:10]:
        full = get(client, f"/services/{summary['id']}")
        assert any(s["opens_at"] >= "09:00" and s.get("closes_at", "99") <= "12:00:00"
                   for s in full["schedules"])  # fmt: skip


def test_taxonomy_filters_find_terms_and_what_is_beneath(client: TestClient) -> None:
    terms = every_page(client, "/taxonomy_terms")
    crafts = next(t for t in terms if t["name"] == "Crafts")
    knitting = next(t for t in terms if t["name"] == "Knitting")
    assert knitting["parent_id"] == crafts["id"]
    under_crafts = {s["id"] for s in every_page(client, "/services", taxonomy_term_id=crafts["id"])}
    knitters = {s["id"] for s in every_page(client, "/services", taxonomy_term_id=knitting["id"])}
    assert knitters and knitters <= under_crafts
    in_vocabulary = every_page(client, "/services", taxonomy_id=crafts["taxonomy_id"])
    assert under_crafts <= {s["id"] for s in in_vocabulary}
    assert every_page(client, "/taxonomy_terms", taxonomy_id=crafts["taxonomy_id"])
    assert get(client, "/services", taxonomy_term_id="no-such-term")["empty"]


def test_proximity_is_metres_from_a_postcode(client: TestClient) -> None:
    near = every_page(client, "/service_at_locations", postcode="DE22 3AB", proximity=1500)
    wider = every_page(client, "/service_at_locations", postcode="DE22 3AB", proximity=8000)
    assert near and len(near) < len(wider)
    assert {p["id"] for p in near} <= {p["id"] for p in wider}


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/services", {"page": "0"}, "page"),
        ("/services", {"per_page": "abc"}, "per_page"),
        ("/services", {"per_page": "1000"}, "per_page"),
        ("/services", {"minimum_age": "old"}, "minimum_age"),
        ("/services", {"day": "Someday"}, "day"),
        ("/services", {"start_time": "25:00"}, "start_time"),
        ("/services", {"search": "x" * 300}, "search"),
        ("/service_at_locations", {"postcode": "NOT A CODE"}, "postcode"),
        ("/service_at_locations", {"proximity": "500"}, "proximity"),
        ("/service_at_locations", {"postcode": "DE22", "proximity": "-1"}, "proximity"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    client: TestClient, path: str, params: dict[str, str], parameter: str
) -> None:
    response = client.get(f"/oruk{path}", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == parameter


def test_an_unknown_service_is_a_404(client: TestClient) -> None:
    response = client.get("/oruk/services/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"


def test_any_origin_may_read(client: TestClient) -> None:
    response = client.get("/oruk/services", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/oruk/services", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})  # fmt: skip
    assert preflight.status_code == 200


def test_never_a_person(client: TestClient, world: Kith) -> None:
    people = demo.generate(people=500, seed=1).people
    text = json.dumps([every_page(client, path) for path in LISTS])
    assert not [p.name for p in people if p.name in text]


def test_status_review_and_change_dates_are_the_listings(client: TestClient, world: Kith) -> None:
    """status from the ListingStatus, assured_date from the last review, last_modified from the
    node's updatedAt, in the list view and in full (both checked against the schema above)."""
    listings = {x.activity.id: x for x in catalogue.listings(world.store)}
    closed = {status: next(x for x in listings.values() if x.activity.status is status
                           and x.extra.get("orukService") is None)
              for status in ListingStatus}  # fmt: skip
    words = {ListingStatus.ACTIVE: "active", ListingStatus.CLOSED: "inactive",
             ListingStatus.TEMPORARILY_CLOSED: "temporarily closed"}  # fmt: skip
    for status, listing in closed.items():
        key = oruk_export.service_key(listing)
        full = get(client, f"/services/{key}")
        check(full, "/services/{id}")
        assert full["status"] == words[status]
        reviewed = listing.activity.last_reviewed_on
        assert full.get("assured_date") == (reviewed.isoformat() if reviewed else None)
        changed = datetime.fromisoformat(full["last_modified"])
        assert full["last_modified"].endswith("Z") and changed.tzinfo is not None
        assert round(changed.timestamp() * 1000) == listing.updated_at
    summaries = {s["id"]: s for s in every_page(client, "/services")}
    assert all("last_modified" in s and s["status"] in words.values() for s in summaries.values())


CLOSED_FOR_NOW = "5d7f0a52-2f7e-4a47-9a55-0c1c3c1b7e01"


def test_an_imported_status_and_assured_date_go_out_as_they_came(
    client: TestClient, world: Kith, tmp_path: Path
) -> None:
    record = {
        "id": CLOSED_FOR_NOW,
        "name": "Closed For Now Club",
        "status": "temporarily closed",
        "assured_date": "2026-10-01",
        "service_at_locations": [
            {
                "id": "cfn-sal",
                "location": {
                    "id": "cfn-hall",
                    "name": "Hall",
                    "latitude": 52.92,
                    "longitude": -1.47,
                },
            }
        ],
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    report = load_oruk(world, path)
    assert report.created["Activity"] == 1, report
    full = get(client, f"/services/{CLOSED_FOR_NOW}")
    check(full, "/services/{id}")
    assert (full["status"], full["assured_date"]) == ("temporarily closed", "2026-10-01")


# schemathesis ----------------------------------------------------------------------------------


def bundled(node: Any, resolver: Any) -> Any:
    """The document with every remote $ref replaced by the local schema it names."""
    if isinstance(node, list):
        return [bundled(item, resolver) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        found = resolver.lookup(ref)
        return bundled(found.contents, found.resolver)
    return {key: bundled(value, resolver) for key, value in node.items()}


def served_openapi() -> dict[str, Any]:
    """The ORUK OpenAPI document for what we serve, refs bundled, at /oruk. Its ``time``
    parameter type, not a JSON Schema type, is read as a string."""
    doc = bundled(openapi(), REGISTRY.resolver(f"{REMOTE}service.json"))
    for parameter in doc["components"]["parameters"].values():
        if parameter["schema"].get("type") == "time":
            parameter["schema"] = {"type": "string"}
    served = {"/", "/services", "/services/{id}", "/service_at_locations", "/taxonomies",
              "/taxonomy_terms"}  # fmt: skip
    doc["paths"] = {p: v for p, v in doc["paths"].items() if p in served}
    doc["servers"] = [{"url": "http://testserver/oruk"}]
    return doc


def test_schemathesis(world: Kith) -> None:
    """Generated requests to every operation we serve: no server error, and every documented
    response matches the document. (Driven by hand: schemathesis's pytest plugin does not yet
    run under pytest 9.)"""
    schema = schemathesis.openapi.from_dict(served_openapi())
    schema.app = create_app(kith=world)
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(operation.as_strategy())
        @settings(max_examples=8, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def call(case: Any) -> None:
            case.call_and_validate(checks=checks)

        call()


# the round trip (last: it empties the store, then restores the module's world) --------------


def export_all(client: TestClient) -> list[dict[str, Any]]:
    return [get(client, f"/services/{s['id']}") for s in every_page(client, "/services")]


def unstamped(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Services without last_modified: loading them again is a change, stamped anew."""
    return [{k: v for k, v in s.items() if k != "last_modified"} for s in services]


def test_round_trip_gives_the_same_services(
    client: TestClient, world: Kith, tmp_path: Path
) -> None:
    before = export_all(client)
    exported = tmp_path / "services.json"
    exported.write_text(json.dumps(before), encoding="utf-8")
    taxonomy = world.taxonomy
    try:
        reset(world)
        report = load_oruk(world, exported)
        assert report.skipped == 0 and not report.problems
        assert unstamped(export_all(client)) == unstamped(before)
    finally:
        reset(world)
        demo.load(world.store, demo.generate(people=500, seed=1))
        for path in EXAMPLES:
            load_oruk(world, path)
        world.taxonomy = taxonomy
    assert maintenance.counts(world.store)["nodes"] > 0
