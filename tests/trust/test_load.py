"""A short loopback load: many clients reading and writing at once, no errors, nothing lost.

The long version (more clients, a minute) runs in `make bench`; this one keeps `make test`
honest about concurrency in a few seconds.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.request

from bench.server import rss_mb
from graph.people import people_by_id
from kith.service import Kith

CLIENTS = 12
SECONDS = 8.0
READS = [
    ('{ search(text: "walk", near: {postcode: "DE22 2AB"}, radiusKm: 4) { totalCount } }', None),
    ('{ activitiesNear(place: {postcode: "DE3 0DA"}, supports: ["dementia"]) { score } }', None),
    ('{ suggestActivities(personId: "p-shardlow") { score } }', "coordinator"),
    ('{ suggestBuddies(personId: "p-khan") { score } }', "coordinator"),
]
ADD = """mutation($i: PersonInput!) { addPerson(input: $i) { person { id } } }"""


def post(url: str, query: str, token: str | None, variables: dict | None = None) -> dict:
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{url}/graphql", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_many_clients_mixing_reads_and_writes(live_server: str, derby: Kith, tokens: dict) -> None:
    rng = random.Random(7)
    served, errors, written = [0], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    memory_before = rss_mb(derby.store.server.pid)["rss_mb"]

    def client(number: int) -> None:
        while time.monotonic() < deadline:
            if rng.random() < 0.25:
                form = {"name": f"Load Test {number}-{served[0]}", "consentToMatching": True,
                        "place": {"postcode": "DE22 2AB"}, "interests": ["walking"]}  # fmt: skip
                body = post(live_server, ADD, tokens["coordinator"], {"i": form})
            else:
                query, who = rng.choice(READS)
                body = post(live_server, query, tokens[who] if who else None)
            with lock:
                served[0] += 1
                if body.get("errors"):
                    errors.append(body["errors"][0])
                elif "addPerson" in body.get("data", {}):
                    written.append(body["data"]["addPerson"]["person"]["id"])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert served[0] > 20 and written
    assert len(people_by_id(derby.store, written)) == len(written)  # no write lost
    growth = rss_mb(derby.store.server.pid)["rss_mb"] - memory_before
    print(f"served {served[0]} requests ({len(written)} writes) in {SECONDS:.0f} s with "
          f"{CLIENTS} clients; server memory grew {growth:.0f} MB")  # fmt: skip
    assert growth < 500
