"""Every door the README names, through a real socket, on the app `kith serve` serves
(``create_app`` under uvicorn): the pages, their static files, GraphQL, Open Referral UK and
/health, FHIR. A route that is written but not mounted fails here."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest


def fetch(url: str, body: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def fetch_json(url: str, body: dict | None = None) -> Any:
    status, _, raw = fetch(url, body)
    assert status == 200
    return json.loads(raw)


def test_health_says_the_store_answers(live_server: str) -> None:
    state = fetch_json(f"{live_server}/health")
    assert state["status"] == "ok" and state["nodes"] > 0 and state["process"] > 0


def test_graphql_answers_a_search(live_server: str) -> None:
    query = '{ search(text: "knit", near: {postcode: "DE22 3AB"}, radiusKm: 3) { totalCount } }'
    assert fetch_json(f"{live_server}/graphql", {"query": query})["data"]["search"]["totalCount"]


def test_open_referral_uk_answers_pages_open_to_any_origin(live_server: str) -> None:
    status, _, raw = fetch(f"{live_server}/oruk/services?search=knit&per_page=5")
    page = json.loads(raw)
    assert status == 200 and page["total_items"] > 0 and len(page["contents"]) <= 5
    meta = fetch_json(f"{live_server}/oruk/")
    assert meta["version"] == "3.0"
    request = urllib.request.Request(f"{live_server}/oruk/taxonomies",
                                     headers={"origin": "https://elsewhere.example"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path, wanted", [
    ("/?text=knit&postcode=DE22+3AB", b"Knit and Natter"), ("/sign-in", b'name="csrf"'),
    ("/volunteer", b'name="csrf"'), ("/static/kith.css", b"{"),
    ("/vendor/leaflet/leaflet.js", b"Leaflet"),
])  # fmt: skip
def test_the_pages_and_their_files_are_served(live_server: str, path: str, wanted: bytes) -> None:
    status, _, raw = fetch(f"{live_server}{path}")
    assert status == 200 and wanted in raw


@pytest.mark.parametrize("path", ["/fhir", "/fhir/", "/fhir/metadata"])
def test_the_fhir_base_says_what_the_server_does(live_server: str, path: str) -> None:
    status, headers, raw = fetch(f"{live_server}{path}")
    assert status == 200 and headers["content-type"].startswith("application/fhir+json")
    assert json.loads(raw)["resourceType"] == "CapabilityStatement"


@pytest.mark.parametrize("path", ["/people/", "/activities/"])
def test_a_record_address_cut_short_leads_to_the_directory(live_server: str, path: str) -> None:
    status, _, raw = fetch(f"{live_server}{path}")  # urllib follows the redirect
    assert status == 200 and b"What are you looking for?" in raw
