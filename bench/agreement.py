"""The real path's answers (through GraphQL) against the exact baselines: does the top-k agree,
and how much faster is the real path than reading and scoring everything?"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from graph import people as people_repo
from kith.domain import Hit, Person, Place, Suggestion, Weekday
from kith.service import Kith, SearchRequest

from . import baselines
from .baselines import Directory, timed
from .report import ratio
from .workloads import Request

Pair = tuple[Request, dict[str, Any]]
"""A request and the data of its answer."""


def top(found: list[Suggestion]) -> list[tuple[str, float]]:
    return [(s.target.id, s.score) for s in found]


def answered(field: str, target: str) -> Callable[[dict[str, Any]], list[tuple[str, float]]]:
    """What a suggestions answer ranked: ids and scores, in order."""
    return lambda data: [(s[target]["id"], s["score"]) for s in data[field]]


def page(found: tuple[list[Hit], int]) -> tuple[list[tuple[str, str, float]], int]:
    hits, total = found
    return [(type(h.entry).__name__, h.entry.id, h.score) for h in hits], total


def answered_page(data: dict[str, Any]) -> tuple[list[tuple[str, str, float]], int]:
    search = data["search"]
    edges = [(e["node"]["__typename"], e["node"]["id"], e["score"]) for e in search["edges"]]
    return edges, search["totalCount"]


def place(kith: Kith, given: dict[str, Any]) -> Place:
    return kith.place(given.get("postcode"), given.get("latitude"), given.get("longitude"))


def person(kith: Kith, person_id: str) -> Person:
    return people_repo.people_by_id(kith.store, [person_id])[person_id]


def search_request(kith: Kith, v: dict[str, Any]) -> SearchRequest:
    return SearchRequest(text=v["text"], near=place(kith, v["near"]), radius_km=v["radius"],
                         day=Weekday(v["day"]) if v["day"] else None, free_only=v["free"],
                         step_free=v["stepFree"], first=20)  # fmt: skip


def compare(
    pairs: list[Pair], exact: Callable[[dict[str, Any]], Any],
    real: Callable[[dict[str, Any]], Any], real_p50: float | None, read_ms: float = 0.0,
) -> dict[str, Any]:  # fmt: skip
    """Each answer against the exact one for its request's variables, and the speed-up of
    the real path (``read_ms``: a shared read of everything, added to every sample)."""
    agree, times, mismatches = 0, [], []
    for request, data in pairs:
        expected, ms = timed(lambda v=request.variables: exact(v))
        times.append(ms + read_ms)
        if real(data) == expected:
            agree += 1
        elif len(mismatches) < 3:
            mismatches.append({"variables": request.variables, "real": real(data),
                               "exact": expected})  # fmt: skip
    brute = round(statistics.median(times), 1) if times else None
    return {
        "samples": len(pairs), "agreement": round(100 * agree / len(pairs), 1) if pairs else None,
        "brute_ms": brute, "real_p50_ms": real_p50, "speedup": ratio(brute, real_p50),
        "mismatches": mismatches,
    }  # fmt: skip


def check(
    kith: Kith, answers: dict[str, list[Pair]], p50: dict[str, float | None], buddy_samples: int
) -> dict[str, dict[str, Any]]:
    """Every workload's agreement and speed-up. Buddies read the county's volunteers afresh for
    every sample (the match history is per person); the directory is read once and its read
    time added to every sample's scoring time."""
    county = Directory.read(kith)

    def buddies(v: dict) -> list[tuple[str, float]]:
        return top(baselines.buddies(kith, person(kith, v["id"]), v["first"]))

    def activities(v: dict) -> list[tuple[str, float]]:
        return top(baselines.activities(kith, person(kith, v["id"]), county, v["first"]))

    def near(v: dict) -> list[tuple[str, float]]:
        return top(baselines.near(kith, place(kith, v["place"]), v, county))

    def search(v: dict) -> tuple[list[tuple[str, str, float]], int]:
        return page(baselines.search(kith, search_request(kith, v), county))

    read = county.read_ms
    return {
        "suggestBuddies": compare(answers["suggestBuddies"][:buddy_samples], buddies,
                                  answered("suggestBuddies", "buddy"), p50["suggestBuddies"]),
        "suggestActivities": compare(answers["suggestActivities"], activities,
                                     answered("suggestActivities", "activity"),
                                     p50["suggestActivities"], read),
        "activitiesNear": compare(answers["activitiesNear"], near,
                                  answered("activitiesNear", "activity"), p50["activitiesNear"],
                                  read),
        "search": compare(answers["search"], search, answered_page, p50["search"], read),
    }  # fmt: skip
