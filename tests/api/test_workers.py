"""`kith serve --workers 2` on the session's store: what one app process writes, the other
shows; a sign-in made through one is honoured by the other; and failed sign-ins are counted
across both. Each connection is kept alive, so it stays with the worker that accepted it."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest

from graph.embedded_server import free_port
from kith import accounts
from kith.accounts import Role
from kith.memory.mirror import LOOK_S, TRUST_S
from kith.service import Kith
from kith.settings import Settings

from ..conftest import ROOT

PASSWORD = "a long enough password"
HERE = {"latitude": 52.9226, "longitude": -1.4746}
ADD = """mutation($input: PersonInput!) { addPerson(input: $input) { person { id } } }"""
PERSON = """query($id: ID!) { person(id: $id) { name interests { id } } }"""
VENUE = """mutation($input: VenueInput!) { upsertVenue(input: $input) { venue { id } } }"""
SEARCH = """query($text: String!) { search(text: $text, kinds: [VENUE],
    near: {latitude: 52.9226, longitude: -1.4746}, radiusKm: 1) { edges { node {
    ... on Venue { id name } } } } }"""


class Worker:
    """A kept-alive connection to one app process (uvicorn closes idle connections after 5 s:
    a new one is then opened until that same process accepts it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.process = self.get("/health")[1]["process"]

    def reopen(self) -> None:
        for _ in range(200):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("GET", "/health")
            if json.loads(self.conn.getresponse().read())["process"] == self.process:
                return
        pytest.fail(f"no new connection reached app process {self.process}")

    def request(self, method: str, path: str, body: str = "", **headers: str):
        if self.cookie:
            headers["cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=body or None, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            self.reopen()
            self.conn.request(method, path, body=body or None, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode()
        if cookie := response.getheader("set-cookie"):
            self.cookie = SimpleCookie(cookie).output(attrs=[], header="").strip()
        return response, text

    def get(self, path: str) -> tuple[int, dict]:
        response, text = self.request("GET", path)
        return response.status, json.loads(text)

    def gql(self, query: str, token: str, **variables: object) -> dict:
        body = json.dumps({"query": query, "variables": variables})
        _, text = self.request("POST", "/graphql", body, authorization=f"Bearer {token}",
                               **{"content-type": "application/json"})  # fmt: skip
        answer = json.loads(text)
        assert "errors" not in answer, answer
        return answer["data"]

    def sign_in(self, login: str, password: str) -> int:
        _, page = self.request("GET", "/sign-in")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = f"csrf={csrf}&login={login}&password={password.replace(' ', '+')}"
        form_type = {"content-type": "application/x-www-form-urlencoded"}
        response, _ = self.request("POST", "/sign-in", form, **form_type)
        return response.status


def environment(settings: Settings) -> dict[str, str]:
    """`kith serve`'s environment for the session's store, whichever engine it is."""
    env = {**os.environ, "KITH_DATA_DIR": str(settings.data_dir)}
    env.pop("NEO4J_URI", None)
    if settings.neo4j_uri:
        env.update(NEO4J_URI=settings.neo4j_uri, NEO4J_USERNAME=settings.neo4j_username,
                   NEO4J_PASSWORD=settings.neo4j_password,
                   NEO4J_DATABASE=settings.neo4j_database)  # fmt: skip
    return env


@pytest.fixture(scope="module")
def two_workers(kith: Kith) -> Iterator[tuple[Worker, Worker, str]]:
    """`kith serve --workers 2`, a connection to each worker, and a coordinator's token."""
    _, token = accounts.add(kith.store, "Wren Coordinator", Role.COORDINATOR, login="wren.c",
                            password=PASSWORD)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)],
        env=environment(kith.store.settings), cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield (*one_per_worker(port, server), token)
    finally:
        server.terminate()
        server.wait(60)


def one_per_worker(port: int, server: subprocess.Popen) -> tuple[Worker, Worker]:
    """Connections until two were accepted by different app processes."""
    deadline, seen = time.monotonic() + 180, {}
    while time.monotonic() < deadline and len(seen) < 2:
        assert server.poll() is None, "kith serve --workers 2 stopped"
        try:
            worker = Worker(port)
        except OSError:
            time.sleep(0.3)
            continue
        seen.setdefault(worker.process, worker)
    assert len(seen) == 2, "every connection went to one app process"
    first, second = seen.values()
    return first, second


def test_what_one_worker_writes_the_other_shows(two_workers: tuple[Worker, Worker, str]) -> None:
    a, b, token = two_workers
    person = {"name": "Wyn Across", "place": HERE, "interests": ["knitting"],
              "consentToMatching": True}  # fmt: skip
    added = a.gql(ADD, token, input=person)["addPerson"]["person"]["id"]
    seen = b.gql(PERSON, token, id=added)["person"]
    assert seen == {"name": "Wyn Across", "interests": [{"id": "knitting"}]}

    a.gql(VENUE, token, input={"id": "w:hall", "name": "Wharf Hall", "place": HERE})
    time.sleep(TRUST_S)  # the other worker trusts its last count that long
    found = b.gql(SEARCH, token, text="Wharf")["search"]["edges"]
    assert [e["node"]["id"] for e in found] == ["w:hall"], "a new venue is seen within TRUST_S"


def test_an_update_through_one_worker_reaches_the_others_directory_within_look_s(
    two_workers: tuple[Worker, Worker, str],
) -> None:
    a, b, token = two_workers
    a.gql(VENUE, token, input={"id": "w:mill", "name": "Mill Room", "place": HERE})
    time.sleep(TRUST_S)
    assert b.gql(SEARCH, token, text="Mill Room")["search"]["edges"]
    a.gql(VENUE, token, input={"id": "w:mill", "name": "Silk Mill Room", "place": HERE})
    started = time.monotonic()
    while time.monotonic() - started < LOOK_S + 5:
        names = [e["node"]["name"] for e in b.gql(SEARCH, token, text="Mill")["search"]["edges"]]
        if names == ["Silk Mill Room"]:
            return
        time.sleep(0.5)
    pytest.fail(f"the other worker still showed {names} after {LOOK_S + 5:g} s")


def test_a_sign_in_through_one_worker_is_honoured_by_the_other(
    two_workers: tuple[Worker, Worker, str],
) -> None:
    a, b, _ = two_workers
    assert a.sign_in("wren.c", PASSWORD) == 303
    b.cookie = a.cookie
    response, page = b.request("GET", "/volunteers")
    assert response.status == 200 and "Volunteers to approve" in page


def test_wrong_passwords_are_counted_across_workers(
    two_workers: tuple[Worker, Worker, str],
) -> None:
    a, b, _ = two_workers
    for worker in (a, b, a, b):
        worker.cookie = ""
        assert worker.sign_in("wren.c", "not the password") == 401
    b.cookie = ""
    assert b.sign_in("wren.c", "not the password") == 429, "the fifth, wherever it came"
    a.cookie = ""
    assert a.sign_in("wren.c", PASSWORD) == 429
