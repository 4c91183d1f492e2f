"""The workloads, as GraphQL over HTTP: who asks what, with which arguments, and how long each
answer takes, one client at a time or many at once."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .client import Answer, Client

REASONS = "reasons { code text weight }"
SEARCH = """
query($text: String!, $near: PlaceInput!, $radius: Float!, $day: Weekday, $free: Boolean!,
      $stepFree: Boolean!) {
  search(text: $text, near: $near, radiusKm: $radius, day: $day, freeOnly: $free,
         stepFree: $stepFree, first: 20) {
    totalCount
    edges { score distanceKm node { __typename
      ... on Activity { id name schedule { day start } venue { name } }
      ... on Group { id name } ... on Venue { id name } } } } }"""
BUDDIES = f"""
query($id: ID!, $first: Int!) {{
  suggestBuddies(personId: $id, first: $first) {{
    score distanceKm buddy {{ id name }} {REASONS} }} }}"""
ACTIVITIES = f"""
query($id: ID!, $first: Int!) {{
  suggestActivities(personId: $id, first: $first) {{
    score distanceKm activity {{ id name }} {REASONS} }} }}"""
NEAR = f"""
query($place: PlaceInput!, $interests: [String!], $supports: [String!], $first: Int!) {{
  activitiesNear(place: $place, radiusKm: 3, interests: $interests, supports: $supports,
                 first: $first) {{
    score distanceKm activity {{ id name }} {REASONS} }} }}"""

WORDS = [
    "knit",
    "walk",
    "chess",
    "singing",
    "coffee",
    "yoga",
    "history",
    "natter",
    "lunch club",
    "football",
    "garden",
    "bingo",
    "choir",
    "book",
    "dance",
    "computer",
    "memory cafe",
]
INTERESTS = [
    "knitting",
    "walking",
    "singing",
    "gardening",
    "chess",
    "local history",
    "crafts",
    "music",
    "coffee mornings",
    "swimming",
]
SUPPORTS = ["loneliness", "copd", "dementia", "physical activity", "carer support", "low mood"]
WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]  # fmt: skip


@dataclass(frozen=True)
class Request:
    workload: str
    query: str
    variables: dict[str, Any]


def searches(rng: random.Random, places: list[dict]) -> list[Request]:
    """Text near a place, with one or two of the filters a coordinator sets most."""
    out = []
    for place in places:
        filters = rng.sample(["day", "free", "stepFree"], rng.randint(1, 2))
        out.append(Request("search", SEARCH, {
            "text": rng.choice(WORDS), "near": place, "radius": rng.choice([2.0, 3.0, 5.0]),
            "day": rng.choice(WEEKDAYS) if "day" in filters else None,
            "free": "free" in filters, "stepFree": "stepFree" in filters,
        }))  # fmt: skip
    return out


def buddies(person_ids: list[str], first: int = 10) -> list[Request]:
    return [Request("suggestBuddies", BUDDIES, {"id": i, "first": first}) for i in person_ids]


def activities(person_ids: list[str], first: int = 10) -> list[Request]:
    return [Request("suggestActivities", ACTIVITIES, {"id": i, "first": first})
            for i in person_ids]  # fmt: skip


def near(rng: random.Random, places: list[dict], first: int = 10) -> list[Request]:
    """Activities near a postcode or point for an interest or a need, as a link worker asks."""
    out = []
    for place in places:
        wants_interest = rng.random() < 0.5
        out.append(Request("activitiesNear", NEAR, {
            "place": place, "first": first,
            "interests": [rng.choice(INTERESTS)] if wants_interest else None,
            "supports": None if wants_interest else [rng.choice(SUPPORTS)],
        }))  # fmt: skip
    return out


@dataclass
class Timings:
    """Latencies (ms) of successful answers and the errors, by workload."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, workload: str, answer: Answer) -> None:
        self.ms.setdefault(workload, [])
        self.errors.setdefault(workload, [])
        if answer.error:
            self.errors[workload].append(answer.error)
        else:
            self.ms[workload].append(answer.ms)


def run_each(client: Client, requests: list[Request]) -> tuple[Timings, list[dict | None]]:
    """Every request once, one after the other: the timings, and each answer's data (None
    for an error) in the order of ``requests``."""
    timings, data = Timings(), []
    for request in requests:
        answer = client.ask(request.query, request.variables)
        timings.add(request.workload, answer)
        data.append(answer.data)
    return timings, data


def run_mixed(port: int, token: str, pool: list[Request], clients: int, seconds: float,
              seed: int = 7) -> tuple[Timings, float]:  # fmt: skip
    """``clients`` threads, each sending requests drawn from ``pool`` back to back until
    ``seconds`` have passed; returns the timings and how long it really took."""
    timings, lock = Timings(), threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng, client = random.Random(seed + n), Client(port, token)
        try:
            while time.monotonic() < deadline:
                request = rng.choice(pool)
                answer = client.ask(request.query, request.variables)
                with lock:
                    timings.add(request.workload, answer)
        finally:
            client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, time.monotonic() - started
