"""When the graph store cannot be reached, clients get UNAVAILABLE, not a stack trace."""

from __future__ import annotations

from dataclasses import replace

from starlette.testclient import TestClient

from api.app import create_app
from graph.store import Store
from kith.service import Kith
from kith.settings import Settings

from ..conftest import call, code_of


def test_a_store_that_is_down_is_unavailable(kith: Kith) -> None:
    nowhere = Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x")
    down = Kith(Store(nowhere), kith.taxonomy, kith.postcodes)
    with TestClient(create_app(kith=down)) as client:
        body = call(client, '{ search(text: "knit") { totalCount } }')
        assert code_of(body) == "UNAVAILABLE"
        assert "bolt" not in str(body) and "9" not in body["errors"][0]["message"]
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"


def test_introspection_can_be_turned_off(kith: Kith) -> None:
    closed = Kith(Store(replace(kith.store.settings, introspection=False), kith.store.server),
                  kith.taxonomy, kith.postcodes)  # fmt: skip
    with TestClient(create_app(kith=closed)) as client:
        body = call(client, "{ __schema { types { name } } }")
        assert body["data"] is None
    with TestClient(create_app(kith=kith)) as client:
        assert call(client, "{ __schema { queryType { name } } }")["data"]
