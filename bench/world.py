"""The benchmark's world: generated at a scale of the county, loaded into a fresh store, sampled.

Sizes follow the demo generator's county proportions (per 100,000 people: 10,000 volunteers,
5,000 groups, 20,000 activities, 3,000 venues), so ``scale`` 1.0 is the issue's county. Past
the county, the world grows as a region does: more counties side by side (``region``), each as
dense as the county, rather than one county ten times as crowded.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from kith.domain import Activity, Person
from kith.service import Kith
from kith.settings import Settings
from loaders import demo

COUNTY_PEOPLE = 100_000
COUNTY_SPAN = (1.0, 1.5)  # degrees of latitude and longitude between neighbouring counties
REGION_COLUMNS = 5


@dataclass
class Loaded:
    """A fresh store holding the world, and what loading it cost."""

    kith: Kith
    world: demo.World
    nodes: int
    edges: int
    generate_s: float
    start_s: float
    load_s: float

    @property
    def rate(self) -> float:
        """Nodes and edges written per second, from the first batch to the last commit."""
        return (self.nodes + self.edges) / self.load_s


def person_edges(p: Person) -> int:
    skills = len(p.volunteer.skills) if p.volunteer else 0
    links = (p.interests, p.strengths, p.conditions, p.needs, p.languages, p.cares_for)
    return skills + sum(len(x) for x in links)


def activity_edges(a: Activity) -> int:
    return 2 + len(a.interests) + len(a.supports) + len(a.languages)  # + venue and group


def load_fresh(
    scale: float, data_dir: Path, heap: str, seed: int = 1, query_timeout_ms: int | None = None
) -> Loaded:
    """Generate the world for ``scale`` and load it into a new store under ``data_dir``, whose
    command time limit is ``query_timeout_ms`` when given (``KITH_QUERY_TIMEOUT_MS``)."""
    started = time.perf_counter()
    world = region(scale, seed)
    generated = time.perf_counter()
    limit = {} if query_timeout_ms is None else {"query_timeout_ms": query_timeout_ms}
    kith = Kith.open(Settings(data_dir=data_dir, embedded_heap=heap, **limit))
    opened = time.perf_counter()
    demo.load(kith.store, world)
    loaded = time.perf_counter()
    edges = sum(map(person_edges, world.people)) + sum(map(activity_edges, world.activities))
    return Loaded(kith, world, world.size(), edges, generated - started, opened - generated,
                  loaded - opened)  # fmt: skip


def region(scale: float, seed: int) -> demo.World:
    """The world at ``scale``: up to 1.0 one county; past it ``ceil(scale)`` counties of equal
    share, the first the demo's own, each further one generated with a seed of its own and
    moved a county's span away (``COUNTY_SPAN``, ``REGION_COLUMNS`` to a row), its ids marked
    with its number. The benchmark's requests fall in the first county's Derby."""
    counties = max(1, math.ceil(scale))
    people = int(COUNTY_PEOPLE * scale) // counties
    world = demo.generate(people=people, seed=seed)
    for k in range(1, counties):
        row, column = divmod(k, REGION_COLUMNS)
        other = demo.generate(people=people, seed=seed + k)
        moved(other, f"r{k}-", row * COUNTY_SPAN[0], column * COUNTY_SPAN[1])
        for name in ("venues", "groups", "activities", "people"):
            getattr(world, name).extend(getattr(other, name))
    return world


def moved(world: demo.World, prefix: str, north: float, east: float) -> None:
    """``world`` shifted ``north`` and ``east`` degrees, every id (and reference) prefixed."""

    def shifted(lat: float | None, lon: float | None) -> dict[str, float | None]:
        known = lat is not None and lon is not None
        return {"latitude": lat + north if known else lat,  # type: ignore[operator]
                "longitude": lon + east if known else lon}  # type: ignore[operator]  # fmt: skip

    world.venues = [replace(v, id=prefix + v.id, **shifted(v.latitude, v.longitude))
                    for v in world.venues]  # fmt: skip
    world.groups = [replace(g, id=prefix + g.id) for g in world.groups]
    world.activities = [
        replace(a, id=prefix + a.id, venue_id=prefix + a.venue_id,
                group_id=prefix + a.group_id if a.group_id else None)
        for a in world.activities
    ]  # fmt: skip
    world.people = [
        replace(p, id=prefix + p.id, cares_for=[prefix + c for c in p.cares_for],
                **shifted(p.latitude, p.longitude))
        for p in world.people
    ]  # fmt: skip


def derby_places(rng: random.Random, count: int) -> list[dict]:
    """PlaceInputs in Derby's neighbourhoods, where the directory is densest: every other one
    an outward code (the server resolves it), the rest points."""
    hoods = yaml.safe_load(demo.DERBY_FILE.read_text(encoding="utf-8"))["neighbourhoods"]
    out: list[dict] = []
    for i in range(count):
        hood = rng.choice(hoods)
        if i % 2:
            out.append({"postcode": hood["outcode"]})
        else:
            lat, lon = demo.near(rng, hood, 0.8)
            out.append({"latitude": lat, "longitude": lon})
    return out


def consenting(world: demo.World, rng: random.Random, count: int) -> list[Person]:
    """People who consented to matching and have a home location: who suggestions are for."""
    able = [p for p in world.people if p.consent_to_matching and p.latitude is not None]
    return rng.sample(able, min(count, len(able)))
