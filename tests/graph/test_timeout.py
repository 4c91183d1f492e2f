"""``KITH_QUERY_TIMEOUT_MS`` stops a runaway query on either engine: the store raises
``Timeout``, writes nothing, and answers the next query at once (and others meanwhile).

The store here has a limit of 1 s: under the embedded engine its own server on its own data
directory (ArcadeDB takes the limit when it starts), under Neo4j the session's server (the
driver sends the limit with each transaction). The runaway query is a three-way product of
600 nodes that matches nothing: without a limit it runs about a minute on either engine (58 s
on ArcadeDB, 60 s on Neo4j 5.26, measured); with it, ArcadeDB stops it after 1.0 s and Neo4j
after 1.8 s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from neo4j import ManagedTransaction

from graph.store import Store, connect
from kith.errors import Timeout
from kith.settings import Settings

LIMIT_MS = 1_000
NODES = 600
RUNAWAY = (
    "MATCH (a:TimeoutProbe), (b:TimeoutProbe), (c:TimeoutProbe) "
    "WHERE a.i + b.i + c.i < 0 RETURN count(*) AS n"
)
# The limit and room for a busy shared machine, far below the query's own time.
WITHIN_S = 8.0
AT_ONCE_S = 1.0


@pytest.fixture(scope="module")
def limited(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store with a 1 s limit, holding the probe nodes (taken away again afterwards)."""
    data_dir = tmp_path_factory.mktemp("limited")
    store = connect(replace(settings, query_timeout_ms=LIMIT_MS, data_dir=data_dir), False)
    create = "UNWIND range(1, $n) AS i CREATE (:TimeoutProbe {i: i})"
    store.write(lambda tx: tx.run(create, n=NODES).consume())
    yield store
    store.write(lambda tx: tx.run("MATCH (p:TimeoutProbe) DETACH DELETE p").consume())
    store.close()


def probes(tx: ManagedTransaction) -> int:
    return tx.run("MATCH (p:TimeoutProbe) RETURN count(p) AS n").single()["n"]


def timed(call, *args) -> float:  # type: ignore[no-untyped-def]
    """Seconds ``call(*args)`` took."""
    start = time.monotonic()
    call(*args)
    return time.monotonic() - start


def test_a_runaway_read_is_stopped_while_other_queries_are_answered(limited: Store) -> None:
    def runaway() -> float:
        with pytest.raises(Timeout, match=f"longer than {LIMIT_MS} ms"):
            limited.read(lambda tx: tx.run(RUNAWAY).single())
        return time.monotonic() - start

    start = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        stopped_after = pool.submit(runaway)
        time.sleep(0.3)
        assert timed(limited.read, probes) < AT_ONCE_S  # another session, meanwhile
        assert LIMIT_MS / 1000 * 0.9 < stopped_after.result() < WITHIN_S
    assert timed(limited.read, probes) < AT_ONCE_S  # and right after


def test_a_runaway_write_is_stopped_and_writes_nothing(limited: Store) -> None:
    def work(tx: ManagedTransaction) -> None:
        tx.run("CREATE (:TimeoutProbe {i: -1})").consume()
        tx.run(RUNAWAY).single()

    start = time.monotonic()
    with pytest.raises(Timeout):
        limited.write(work)
    assert time.monotonic() - start < WITHIN_S
    assert limited.read(probes) == NODES  # the node created before the runaway is not there
