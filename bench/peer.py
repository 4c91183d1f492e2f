"""The peer beside Kith (issue 18): the Neo4j GraphQL Library (bench/peer/server.js) serving the
county world in a Neo4j 5.26 that Kith's own loaders filled, measured with the same clients as
Kith on the embedded store and Kith on that Neo4j: ``search`` and ``activitiesNear`` one by one
and mixed, and how far the peer's top 10 agrees with Kith's.

The peer asks what its generated queries can say: text as case-insensitive ``contains`` on the
name, the description or an interest's name (every word), a venue ``location`` Point within a
distance (set on the venues here: Kith stores ``lat``/``lon`` floats), the filters as equality,
and a term or the terms up to two levels beneath it (``broader``). Its results come in its own
order (names A-Z for search: it cannot rank by relevance), and for ``activitiesNear`` the bench
orders them by the ``distanceKm`` @cypher field, which the library cannot sort on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j

from graph.embedded_server import free_port
from kith import accounts
from kith.domain import TermKind
from kith.service import Kith
from kith.settings import Settings
from loaders import demo
from tests import neo4j_server

from . import workloads
from .client import Client
from .report import latency
from .server import AppServer
from .world import Loaded

PEER_DIR = Path(__file__).parent / "peer"
WORKLOADS = ("search", "activitiesNear")
CLIENTS = 20
TOP = 10
NEAR_RADIUS_KM = 3.0  # workloads.NEAR asks for 3 km
START_TIMEOUT_S = 60.0
ADD_LOCATION = """
MATCH (v:Venue) WHERE v.lat IS NOT NULL AND v.lon IS NOT NULL
SET v.location = point({latitude: v.lat, longitude: v.lon})
"""
LOCATION_INDEX = (
    "CREATE POINT INDEX peer_venue_location IF NOT EXISTS FOR (v:Venue) ON (v.location)"
)

SEARCH = """
query($activity: ActivityWhere!, $venue: VenueWhere!, $group: GroupWhere!, $first: Int!) {
  activities(where: $activity, limit: $first, sort: [{name: ASC}]) { id name }
  activitiesConnection(where: $activity) { totalCount }
  venues(where: $venue, limit: $first, sort: [{name: ASC}]) { id name }
  venuesConnection(where: $venue) { totalCount }
  groups(where: $group, limit: $first, sort: [{name: ASC}]) { id name }
  groupsConnection(where: $group) { totalCount } }"""
NEAR = """
query($activity: ActivityWhere!, $latitude: Float!, $longitude: Float!) {
  activities(where: $activity) {
    id name distanceKm(latitude: $latitude, longitude: $longitude) } }"""


def peer_search(text: str, here: dict[str, float], v: dict[str, Any]) -> dict[str, Any]:
    """The variables of the peer's search for a Kith search's ``v`` at the point ``here``."""
    words = [{"OR": [{"name": {"caseInsensitive": {"contains": w}}},
                     {"description": {"caseInsensitive": {"contains": w}}},
                     {"interests": {"some": {"name": {"caseInsensitive": {"contains": w}}}}}]}
             for w in text.split()]  # fmt: skip
    venue = [within(here, v["radius"]), *([{"stepFree": {"eq": True}}] if v["stepFree"] else [])]
    filters = [*([{"days": {"includes": v["day"]}}] if v["day"] else []),
               *([{"free": {"eq": True}}] if v["free"] else [])]  # fmt: skip
    activity = {"AND": [*words, *filters, {"venue": {"some": {"AND": venue}}}]}
    through = {"activities": {"some": activity}}
    by_name = {"name": {"caseInsensitive": {"contains": text}}}
    own = [] if filters else [by_name]  # a filter on activities leaves only entries with one
    return {
        "activity": activity, "first": 20,
        "venue": {"AND": [*venue, {"OR": [*own, through]}]},
        "group": {"AND": [{"activities": {"some": {"venue": {"some": {"AND": venue}}}}},
                          {"OR": [*own, through]}]},
    }  # fmt: skip


def within(here: dict[str, float], km: float) -> dict[str, Any]:
    return {"location": {"distance": {"from": here, "lte": km * 1000}}}


def term_filter(term_id: str) -> dict[str, Any]:
    """A term or one up to two levels beneath it (the starter taxonomy is three deep): the
    generated filters follow a relationship a fixed number of times, never transitively."""
    deeper = {"broader": {"some": {"id": {"eq": term_id}}}}
    return {"OR": [{"id": {"eq": term_id}}, deeper, {"broader": {"some": deeper}}]}


LINKS = {TermKind.INTEREST: "interests", TermKind.CONDITION: "conditions", TermKind.NEED: "needs"}


def peer_near(kith: Kith, here: dict[str, float], v: dict[str, Any]) -> dict[str, Any]:
    """The variables of the peer's activitiesNear: running, not for children only, at a venue
    within the radius, about the interest or supporting the condition or need."""
    if v["interests"]:
        term = kith.term((TermKind.INTEREST,), v["interests"][0], "interests")
    else:
        term = kith.term((TermKind.CONDITION, TermKind.NEED), v["supports"][0], "supports")
    activity = {"AND": [{"status": {"eq": "ACTIVE"}}, {"NOT": {"audience": {"eq": "CHILDREN"}}},
                        {"venue": {"some": within(here, NEAR_RADIUS_KM)}},
                        {LINKS[term.kind]: {"some": term_filter(term.id)}}]}  # fmt: skip
    return {"activity": activity, **here}


def point(kith: Kith, given: dict[str, Any]) -> dict[str, float]:
    """A PlaceInput as the peer needs it, a point: an outward code resolved by Kith's table
    here, as Kith resolves it inside its own request."""
    place = kith.place(given.get("postcode"), given.get("latitude"), given.get("longitude"))
    return {"latitude": place.latitude, "longitude": place.longitude}


def peer_requests(kith: Kith, requests: dict[str, list[workloads.Request]]
                  ) -> dict[str, list[workloads.Request]]:  # fmt: skip
    """Kith's requests as the peer's, one for one."""
    return {
        "search": [workloads.Request("search", SEARCH, peer_search(
            r.variables["text"], point(kith, r.variables["near"]), r.variables))
            for r in requests["search"]],
        "activitiesNear": [workloads.Request("activitiesNear", NEAR, peer_near(
            kith, point(kith, r.variables["place"]), r.variables))
            for r in requests["activitiesNear"]],
    }  # fmt: skip


# The top 10 of an answer, as (kind, id), in the answer's order.
Top = list[tuple[str, str]]


def kith_top(workload: str, data: dict[str, Any]) -> Top:
    if workload == "search":
        return [(e["node"]["__typename"], e["node"]["id"]) for e in data["search"]["edges"]][:TOP]
    return [("Activity", s["activity"]["id"]) for s in data["activitiesNear"]][:TOP]


def peer_answer(workload: str, data: dict[str, Any]) -> Top:
    """Everything the peer answered, in its order: search's activities, venues and groups (each
    by name); activitiesNear's activities by distance, as its client must sort them."""
    if workload == "search":
        return [(kind, e["id"]) for kind, field in
                (("Activity", "activities"), ("Venue", "venues"), ("Group", "groups"))
                for e in data[field]]  # fmt: skip
    nearest = sorted(data["activities"], key=lambda a: (a["distanceKm"], a["id"]))
    return [("Activity", a["id"]) for a in nearest]


def agreement(kith: list[Top], other: list[Top]) -> dict[str, Any]:
    """How far another's answers agree with Kith's, request by request: the same top 10 (ids
    and order), the share of Kith's top 10 in the other's top 10, and in its whole answer."""
    same = overlap = found = 0.0
    for mine, theirs in zip(kith, other, strict=True):
        want = set(mine)
        same += mine == theirs[:TOP]
        overlap += len(want & set(theirs[:TOP])) / len(want) if want else 1.0
        found += len(want & set(theirs)) / len(want) if want else 1.0
    n = len(kith) or 1
    return {"samples": len(kith), "same_top10_pct": round(100 * same / n, 1),
            "top10_overlap_pct": round(100 * overlap / n, 1),
            "kith_top10_in_answer_pct": round(100 * found / n, 1)}  # fmt: skip


@dataclass
class Target:
    """One of the three servers, how its clients sign in, and its requests."""

    name: str
    port: int
    token: str
    requests: dict[str, list[workloads.Request]]


def measure(target: Target, seconds: float) -> tuple[dict[str, Any], dict[str, list[dict | None]]]:
    """Each workload one by one, then both mixed by 20 clients: the figures and the answers."""
    client = Client(target.port, target.token)
    for batch in target.requests.values():  # the first answers of a process pay for its start
        workloads.run_each(client, batch[:5])
    figures: dict[str, Any] = {}
    answers = {}
    for name, batch in target.requests.items():
        timings, answers[name] = workloads.run_each(client, batch)
        figures[name] = rates(timings.ms.get(name, []), len(timings.errors.get(name, [])), None)
    client.close()
    pool = [r for batch in target.requests.values() for r in batch]
    mixed, took = workloads.run_mixed(target.port, target.token, pool, CLIENTS, seconds)
    ms = [m for found in mixed.ms.values() for m in found]
    errors = [e for found in mixed.errors.values() for e in found]
    figures["mixed"] = {**latency(ms, len(errors), None), "clients": CLIENTS,
                        "seconds": round(took, 1), "answers_per_s": round(len(ms) / took, 1),
                        "error_samples": errors[:3]}  # fmt: skip
    return figures, answers


def rates(ms: list[float], errors: int, target: float | None) -> dict[str, Any]:
    """Latency, and answers a second one client gets one after the other."""
    per_s = round(1000 * len(ms) / sum(ms), 1) if ms else None
    return {**latency(ms, errors, target), "answers_per_s": per_s}


def ratios(kith: dict[str, Any], peer: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Kith / peer, by workload: for p50 and p95 under 1 means Kith is faster; for answers a
    second over 1 means Kith answers more."""

    def of(key: str, name: str) -> float | None:
        mine, theirs = kith[name][key], peer[name][key]
        return round(mine / theirs, 3) if mine and theirs else None

    return {name: {key: of(key, name) for key in ("p50_ms", "p95_ms", "answers_per_s")}
            for name in (*WORKLOADS, "mixed")}  # fmt: skip


@contextmanager
def neo4j_world(loaded: Loaded, root: Path) -> Iterator[tuple[Kith, dict[str, Any]]]:
    """A fresh Neo4j server holding ``loaded``'s world, loaded by Kith's own loader through a
    store pointed at it, with the peer's ``location`` on every venue; stopped after."""
    with neo4j_server.running(root / "neo4j") as server:
        settings = Settings(
            neo4j_uri=server.uri, neo4j_username=neo4j_server.USERNAME,
            neo4j_password=neo4j_server.PASSWORD, data_dir=root / "kith-neo4j",
        )  # fmt: skip
        kith = Kith.open(settings)
        try:
            started = time.perf_counter()
            demo.load(kith.store, loaded.world)
            load_s = time.perf_counter() - started
            located = add_location(server.uri)
            yield kith, {"neo4j": neo4j_server.version(), "load_s": round(load_s, 1),
                         "rate_per_s": round((loaded.nodes + loaded.edges) / load_s),
                         "venues_located": located}  # fmt: skip
        finally:
            kith.close()


def add_location(uri: str) -> int:
    """The peer's one addition to Kith's graph: a Point on each venue, indexed."""
    auth = (neo4j_server.USERNAME, neo4j_server.PASSWORD)
    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
        driver.execute_query(LOCATION_INDEX)
        summary = driver.execute_query(ADD_LOCATION).summary
        driver.execute_query("CALL db.awaitIndexes(300)")
    return summary.counters.properties_set


class PeerServer:
    """``node bench/peer/server.js`` on a free loopback port over the Neo4j at ``uri``."""

    def __init__(self, uri: str) -> None:
        node = shutil.which("node")
        if node is None or not (PEER_DIR / "node_modules").is_dir():
            raise RuntimeError("the peer needs Node.js and `npm ci --prefix bench/peer` "
                               "(make bench runs it)")  # fmt: skip
        self.port = free_port()
        env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USERNAME": neo4j_server.USERNAME,
               "NEO4J_PASSWORD": neo4j_server.PASSWORD, "PORT": str(self.port)}  # fmt: skip
        self.process = subprocess.Popen([node, str(PEER_DIR / "server.js")], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)  # fmt: skip
        self.output: list[str] = []
        self.wait_ready()

    def wait_ready(self) -> None:
        ready = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line.rstrip())
                if line.startswith("READY "):
                    ready.set()

        threading.Thread(target=read, name="peer-output", daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the peer did not start: " + "\n".join(self.output[-20:]))

    def stop(self) -> None:
        """Close its stdin (it stops itself), then SIGTERM, then SIGKILL."""
        if self.process.poll() is not None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def served(make: Callable[[], AppServer | PeerServer], name: str, token: str,
           requests: dict[str, list[workloads.Request]], seconds: float
           ) -> tuple[dict[str, Any], dict[str, list[dict | None]]]:  # fmt: skip
    """Start a server, measure it alone on the machine, stop it."""
    server = make()
    try:
        return measure(Target(name, server.port, token, requests), seconds)
    finally:
        server.stop()


def side_by_side(loaded: Loaded, token: str, requests: dict[str, list[workloads.Request]],
                 root: Path, seconds: float) -> dict[str, Any]:  # fmt: skip
    """Kith on the embedded store, Kith on Neo4j and the peer on the same Neo4j, one after
    the other, with the same requests: their figures, ratios and agreement."""
    mine = {name: requests[name] for name in WORKLOADS}
    embedded = loaded.kith.store.settings.data_dir
    figures, answers = {}, {}
    figures["kith_embedded"], answers["kith_embedded"] = served(
        lambda: AppServer(embedded), "kith_embedded", token, mine, seconds
    )
    with neo4j_world(loaded, root) as (kith, load):
        _, neo_token = accounts.add(kith.store, "bench", accounts.Role.COORDINATOR)
        settings = kith.store.settings
        env = {"NEO4J_URI": settings.neo4j_uri or "", "NEO4J_USERNAME": settings.neo4j_username,
               "NEO4J_PASSWORD": settings.neo4j_password}  # fmt: skip
        figures["kith_neo4j"], answers["kith_neo4j"] = served(
            lambda: AppServer(settings.data_dir, env=env), "kith_neo4j", neo_token, mine, seconds
        )
        theirs = peer_requests(loaded.kith, mine)
        figures["peer"], answers["peer"] = served(
            lambda: PeerServer(settings.neo4j_uri or ""), "peer", "", theirs, seconds
        )
    return {
        "load_into_neo4j": load, "targets": figures,
        "kith_over_peer": {"kith_embedded": ratios(figures["kith_embedded"], figures["peer"]),
                           "kith_neo4j": ratios(figures["kith_neo4j"], figures["peer"])},
        "agreement": agreements(answers),
    }  # fmt: skip


def agreements(answers: dict[str, dict[str, list[dict | None]]]) -> dict[str, Any]:
    """The peer's and Kith on Neo4j's top 10 against Kith on the embedded store's, over the
    requests all three answered."""
    out = {}
    for name in WORKLOADS:
        rows = [(k, n, p) for k, n, p in zip(answers["kith_embedded"][name],
                                            answers["kith_neo4j"][name], answers["peer"][name],
                                            strict=True) if k and n and p]  # fmt: skip
        kith = [kith_top(name, k) for k, _, _ in rows]
        out[name] = {
            "peer": agreement(kith, [peer_answer(name, p) for _, _, p in rows]),
            "kith_neo4j": agreement(kith, [kith_top(name, n) for _, n, _ in rows]),
        }
    return out
