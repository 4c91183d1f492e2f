"""Both ways a Neo4j deployment is reached: ``bolt://`` (one server, directly) and ``neo4j://``
(routing: the driver asks the server for its routing table and goes where it says, as it does
for a cluster or Aura's ``neo4j+s://``)."""

from __future__ import annotations

from dataclasses import replace

import neo4j
import pytest

from graph.directory import upsert_venues, venues_by_id
from graph.store import connect
from kith.domain import Venue
from kith.service import Kith
from kith.settings import Settings

from ..conftest import ENGINE

pytestmark = pytest.mark.skipif(
    ENGINE != "neo4j", reason="Neo4j's URI schemes: the embedded store is reached over bolt://"
)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_kith_reads_and_writes_over_either_uri_scheme(
    empty: Kith, settings: Settings, scheme: str
) -> None:
    address = (settings.neo4j_uri or "").split("://", 1)[1]
    store = connect(replace(settings, neo4j_uri=f"{scheme}://{address}"))  # schema: idempotent
    try:
        routing = isinstance(store.driver, neo4j.Neo4jDriver)
        assert routing is (scheme == "neo4j")
        upsert_venues(store, [Venue(f"v-{scheme}", "Allestree Library", latitude=52.95)])
        assert venues_by_id(store, [f"v-{scheme}"])[f"v-{scheme}"].name == "Allestree Library"
        # A routing driver reached the server at the address its routing table gave (the one
        # the Bolt connector advertises), not a default such as localhost:7687.
        host, port = store.driver.get_server_info().address
        assert f"{host}:{port}" == address
        health = store.ping()
        assert (health["status"], health["store"]) == ("ok", "neo4j")
    finally:
        store.close()
    # The session's own store sees what the other driver wrote.
    assert f"v-{scheme}" in venues_by_id(empty.store, [f"v-{scheme}"])
