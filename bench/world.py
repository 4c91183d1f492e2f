"""The benchmark's world: generated at a scale of the county, loaded into a fresh store, sampled.

Sizes follow the demo generator's county proportions (per 100,000 people: 10,000 volunteers,
5,000 groups, 20,000 activities, 3,000 venues), so ``scale`` 1.0 is the issue's county.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from kith.domain import Activity, Person
from kith.service import Kith
from kith.settings import Settings
from loaders import demo

COUNTY_PEOPLE = 100_000


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


def load_fresh(scale: float, data_dir: Path, heap: str, seed: int = 1) -> Loaded:
    """Generate the world for ``scale`` and load it into a new store under ``data_dir``."""
    started = time.perf_counter()
    world = demo.generate(people=int(COUNTY_PEOPLE * scale), seed=seed)
    generated = time.perf_counter()
    kith = Kith.open(Settings(data_dir=data_dir, embedded_heap=heap))
    opened = time.perf_counter()
    demo.load(kith.store, world)
    loaded = time.perf_counter()
    edges = sum(map(person_edges, world.people)) + sum(map(activity_edges, world.activities))
    return Loaded(kith, world, world.size(), edges, generated - started, opened - generated,
                  loaded - opened)  # fmt: skip


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
