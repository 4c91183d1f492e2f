"""Shared fixtures: one store for the session, worlds loaded into it per module.

``KITH_TEST_ENGINE`` picks the store: ``embedded`` (the default: Kith's own ArcadeDB, as
``make run`` uses it) or ``neo4j`` (a real Neo4j 5.26 server that the session starts from
``tests/neo4j``; ``make test-neo4j``). Every fixture works the same on both.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from hypothesis import settings as hypothesis_settings
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance, taxonomy
from graph.embedded_server import free_port
from kith.service import Kith
from kith.settings import Settings
from loaders import demo
from loaders.taxonomy import read_taxonomy

from . import neo4j_server

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# No per-example time limit anywhere: CI machines are shared, and a pause there is not a bug.
hypothesis_settings.register_profile("kith", deadline=None)
hypothesis_settings.load_profile("kith")


ENGINES = ("embedded", "neo4j")
ENGINE = os.environ.get("KITH_TEST_ENGINE", "embedded").strip().lower() or "embedded"


def embedded_only(reason: str) -> pytest.MarkDecorator:
    """Skip a test under the Neo4j engine: it is about the embedded store itself (its server
    process, its data directory), which a Neo4j deployment does not have."""
    return pytest.mark.skipif(ENGINE == "neo4j", reason=f"embedded store only: {reason}")


def pytest_report_header(config: pytest.Config) -> str:
    if ENGINE == "neo4j":
        return f"engine: Neo4j {neo4j_server.version()} (KITH_TEST_ENGINE=neo4j)"
    return "engine: embedded ArcadeDB (KITH_TEST_ENGINE=embedded)"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """How the session's store is reached: the embedded engine on a fresh data directory, or
    a Neo4j server started for the session (stopped at its end)."""
    data_dir = tmp_path_factory.mktemp("kith-data")
    if ENGINE == "embedded":
        yield Settings(data_dir=data_dir)
        return
    # Under the session's base directory, so that its logs are checked for leaks too.
    server = neo4j_server.Neo4jServer(tmp_path_factory.mktemp("neo4j"))
    try:
        uri = server.start()
    except neo4j_server.Neo4jDidNotStart as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield Settings(
            neo4j_uri=uri, neo4j_username=neo4j_server.USERNAME,
            neo4j_password=neo4j_server.PASSWORD, neo4j_database="neo4j", data_dir=data_dir,
        )  # fmt: skip
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kith(settings: Settings) -> Iterator[Kith]:
    """The one store of the test session, behind the service."""
    service = Kith.open(settings)
    yield service
    service.close()


def reset(service: Kith) -> None:
    """An empty graph holding only the starter taxonomy."""
    maintenance.clear(service.store)
    taxonomy.upsert_terms(service.store, read_taxonomy())
    service.cache.clear()


@pytest.fixture
def empty(kith: Kith) -> Kith:
    """The service over a graph with the taxonomy and nothing else."""
    reset(kith)
    return kith


@pytest.fixture(scope="module")
def derby(kith: Kith) -> Kith:
    """The service over the default demo world (500 people, seed 1), loaded once per module."""
    return load_world(kith, people=500, seed=1)


def load_world(service: Kith, people: int, seed: int) -> Kith:
    """The service over a fresh demo world of this size and seed (module fixtures share it)."""
    reset(service)
    demo.load(service.store, demo.generate(people=people, seed=seed))
    service.cache.clear()
    return service


@pytest.fixture(scope="module")
def client(derby: Kith) -> Iterator[TestClient]:
    """The real app, in process, over the demo world."""
    with TestClient(create_app(kith=derby)) as test_client:
        yield test_client


def wait_healthy(base_url: str, thread: threading.Thread, timeout: float = 30.0) -> None:
    """Block until GET /health answers 200, failing early if the server thread has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("uvicorn stopped before /health answered; see the log above")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{base_url}/health did not answer 200 within {timeout:.0f} s")


@pytest.fixture(scope="module")
def live_server(derby: Kith) -> Iterator[str]:
    """The real app over the demo world on a real socket, so a real browser can reach it."""
    port = free_port()
    config = uvicorn.Config(
        create_app(kith=derby), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    # uvicorn skips installing signal handlers outside the main thread, so run() is safe here.
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def gql(client: TestClient, query: str, **variables: object) -> dict:
    """POST a GraphQL query; returns the whole response body."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def tokens(derby: Kith) -> dict[str, str]:
    """A bearer token per role (and a second prescriber), made as `kith users add` makes them."""
    from kith import accounts

    made = {}
    for key, role in [("coordinator", "COORDINATOR"), ("prescriber", "PRESCRIBER"),
                      ("other_prescriber", "PRESCRIBER"), ("admin", "ADMIN")]:  # fmt: skip
        _, made[key] = accounts.add(derby.store, f"Test {key}", accounts.Role(role))
    return made


def as_(token: str | None) -> dict[str, str]:
    """Request headers for a bearer token (or none, for the public)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def call(client: TestClient, query: str, token: str | None = None, **variables: object) -> dict:
    """POST a GraphQL operation as the holder of ``token``; returns the response body."""
    response = client.post("/graphql", json={"query": query, "variables": variables},
                           headers=as_(token))  # fmt: skip
    assert response.status_code in (200, 401, 413), response.text
    return response.json()


def code_of(body: dict) -> str:
    """The error code of a response with exactly one error."""
    (error,) = body["errors"]
    return error["extensions"]["code"]


class Collected(logging.Handler):
    """Every log record of the test run, formatted as it would be written."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


COLLECTED = Collected()


def pytest_configure(config: pytest.Config) -> None:
    if ENGINE not in ENGINES:
        raise pytest.UsageError(f"KITH_TEST_ENGINE={ENGINE!r}: use one of {', '.join(ENGINES)}")
    logging.getLogger().addHandler(COLLECTED)
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("neo4j").setLevel(logging.WARNING)


def personal_words() -> set[str]:
    """The demo people's full names, and postcodes that belong to people only."""
    world = demo.generate(people=500, seed=1)
    venue_postcodes = {v.postcode for v in world.venues}
    return {p.name for p in world.people} | {
        p.postcode for p in world.people if p.postcode not in venue_postcodes
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Personal data never reaches a log: Kith's own, or the engine's files (either one)."""
    if exitstatus != 0 or session.testscollected < 50:
        return  # a partial run proves nothing either way
    base = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    texts = list(COLLECTED.lines)
    texts += [p.read_text(errors="replace") for p in base.rglob("*.log*") if p.is_file()]
    leaks = sorted({w for w in personal_words() for text in texts if w in text})
    if leaks:
        print(f"\nPERSONAL DATA IN LOGS: {leaks[:10]}")
        session.exitstatus = 1
