"""The connection to the graph: one ``connect()`` for the embedded engine or a Neo4j server.

Every unit of work runs in a managed transaction (``read``/``write``), so a failure rolls the
whole unit back. Driver exceptions are turned into Kith's domain errors here, once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_errors

from kith.errors import Conflict, Timeout, Unavailable
from kith.settings import Settings

from . import schema
from .embedded import EmbeddedServer, ensure_server

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[ManagedTransaction], T]

STORE_DOWN = (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError)
# How a server says it stopped a transaction that ran over its time limit: Neo4j 5 (the second
# when the limit came from the client, as Kith's does), and ArcadeDB's Bolt plugin for its
# arcadedb.command.timeout (graph/embedded_server.py). Both are client errors, never retried.
TIMED_OUT = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    }
)
# Neo4j 5 sends with a query's results a note for each property key, label or relationship type
# the graph does not hold yet (a new graph has no Match, no `until`) and for each deliberate
# "cartesian product" of two indexed lookups, which the driver logs as warnings on every
# request. Kith expects both, so a Neo4j server is asked not to send them; deprecations and
# the rest still come. ArcadeDB sends none, so it is not asked.
NEO4J_QUIET: dict[str, Any] = {
    "notifications_disabled_classifications": [
        neo4j.NotificationDisabledClassification.UNRECOGNIZED,
        neo4j.NotificationDisabledClassification.PERFORMANCE,
    ]
}


class Rows(list):
    """Many values sent as one query parameter (records, e-mail addresses), whose ``repr`` is
    only their number. The neo4j driver builds ``repr`` of every query's parameters for its
    debug log even while that log is off (milliseconds a batch of thousands, on a loader's
    critical path), and people's details must never be printed into a log in any case."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


class Store:
    """A driver bound to one database, with the embedded server it may own."""

    def __init__(self, settings: Settings, server: EmbeddedServer | None = None) -> None:
        self.settings = settings
        self.server = server
        self.driver = self._driver()
        self.writing = threading.RLock()

    def _driver(self) -> neo4j.Driver:
        if self.server is not None:
            uri, auth = self.server.uri, (self.server.user, self.server.password)
        else:
            uri = self.settings.neo4j_uri or ""
            auth = (self.settings.neo4j_username, self.settings.neo4j_password)
        return GraphDatabase.driver(
            uri,
            auth=auth,
            connection_acquisition_timeout=10,
            max_connection_pool_size=50,
            max_transaction_retry_time=5,  # fail over to a restarted server fast
            **({} if self.server is not None else NEO4J_QUIET),
        )

    @property
    def database(self) -> str:
        return self.server.database if self.server else self.settings.neo4j_database

    def read(self, work: Work[T], whole_graph: bool = False) -> T:
        """Run ``work`` in a read transaction (retried by the driver on transient errors).
        ``whole_graph``: a backup's many commands, which no transaction time limit covers."""
        limited = self._limited(work, whole_graph)
        return self._run(lambda session: session.execute_read(limited))

    def write(self, work: Work[T], whole_graph: bool = False) -> T:
        """Run ``work`` in one write transaction: all of it is committed, or none of it.

        This process's writes take turns: under 20 concurrent clients, the audit events every
        request writes made ArcadeDB detect deadlocks on shared index pages, and each cost a
        retry about a second later (reads are not held up).
        """
        limited = self._limited(work, whole_graph)
        with self.writing:
            return self._run(lambda session: session.execute_write(limited))

    def _limited(self, work: Work[T], whole_graph: bool) -> Work[T]:
        """``work`` with the transaction time limit of ``KITH_QUERY_TIMEOUT_MS`` (0: none), which
        Neo4j enforces on the whole transaction, unless it is whole-graph work (a backup, a
        restore; 0 is no limit to the driver). ArcadeDB ignores it and applies the same limit
        to every command itself, so whole-graph work there is written as many short commands."""
        seconds = 0 if whole_graph else self.settings.query_timeout_ms / 1000
        return neo4j.unit_of_work(timeout=seconds)(work)

    def _run(self, call: Callable[[neo4j.Session], T]) -> T:
        try:
            return self._in_session(call)
        except STORE_DOWN:
            if not self.settings.embedded:
                raise Unavailable("the graph store is not answering") from None
        # The embedded server may have gone with the process that owned it: find or start it.
        self.reconnect()
        try:
            return self._in_session(call)
        except STORE_DOWN:
            raise Unavailable("the graph store is not answering") from None

    def _in_session(self, call: Callable[[neo4j.Session], T]) -> T:
        try:
            with self.driver.session(database=self.database) as session:
                return call(session)
        except neo4j_errors.ConstraintError as exc:
            raise Conflict("a record with that id already exists") from exc
        except neo4j_errors.ClientError as exc:
            if exc.code not in TIMED_OUT:
                raise
            limit = self.settings.query_timeout_ms
            log.warning("the store stopped a query after %d ms (KITH_QUERY_TIMEOUT_MS)", limit)
            raise Timeout(f"the query took longer than {limit} ms and was stopped") from exc

    def reconnect(self) -> None:
        """Point the driver at the embedded server again, starting it if it has gone (the
        old handle is let go after the new is held, so this process never stops using it)."""
        self.driver.close()
        old, self.server = self.server, ensure_server(self.settings)
        if old is not None:
            old.stop()
        self.driver = self._driver()

    def ping(self) -> dict[str, Any]:
        """The store's state for /health: reachable or not, and how big the graph is."""
        try:
            nodes = self.read(lambda tx: tx.run("MATCH (n) RETURN count(n) AS n").single()["n"])
        except Unavailable as exc:
            return {"status": "unavailable", "reason": str(exc)}
        kind = "embedded-arcadedb" if self.settings.embedded else "neo4j"
        return {"status": "ok", "store": kind, "nodes": nodes}

    def close(self) -> None:
        """Close the driver and stop the embedded server if this process owns it."""
        self.driver.close()
        if self.server is not None:
            self.server.stop()


def connect(settings: Settings, apply_schema: bool = True) -> Store:
    """A store for ``settings``: Neo4j when ``NEO4J_URI`` is set, else the embedded engine.
    A Neo4j server that cannot be used is an error naming why, before anything is asked."""
    server = ensure_server(settings) if settings.embedded else None
    store = neo4j_store(settings) if server is None else Store(settings, server)
    if apply_schema:
        schema.apply(store)
    return store


# The Bolt schemes: direct (bolt) or routed through a cluster's routing table (neo4j), each
# plain, TLS (+s) or TLS with a self-signed certificate (+ssc). The driver also takes http://
# (its Query API, a preview needing other libraries): Kith's transactions need Bolt.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def neo4j_store(settings: Settings) -> Store:
    where = f"the Neo4j server at {settings.neo4j_uri}"
    scheme = (settings.neo4j_uri or "").partition("://")[0].lower()
    if scheme not in SCHEMES:
        raise Unavailable(f"NEO4J_URI must start with one of {', '.join(SCHEMES)} (:// after it)")
    try:
        store = Store(settings)
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise Unavailable(f"NEO4J_URI {settings.neo4j_uri!r} is not usable: {exc}") from None
    try:
        store.driver.verify_connectivity()
    except neo4j_errors.AuthError:
        store.driver.close()
        raise Unavailable(f"{where} refused NEO4J_USERNAME and NEO4J_PASSWORD") from None
    except (*STORE_DOWN, neo4j_errors.DriverError, neo4j_errors.Neo4jError) as exc:
        store.driver.close()
        raise Unavailable(f"{where} is not answering ({type(exc).__name__})") from None
    return store
