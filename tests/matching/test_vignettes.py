"""The seed stories (shared/scenarios/seed-vignettes.yaml) come out right from the scorers.

Each scenario's world is built straight from the YAML into domain objects, free-text terms
normalised to the taxonomy as a coordinator's input would be, and every ``expect`` is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kith.domain import (
    Activity,
    ActivityCandidate,
    Audience,
    BuddyCandidate,
    Gender,
    Person,
    Session,
    TermKind,
    Venue,
    VolunteerProfile,
    Weekday,
)
from loaders.taxonomy import read_taxonomy
from matching.activities import suggest_activities
from matching.buddies import suggest_buddies
from matching.taxonomy import Taxonomy

VIGNETTES = Path(__file__).resolve().parents[3] / "shared" / "scenarios" / "seed-vignettes.yaml"
TAXONOMY = Taxonomy(read_taxonomy())
TODAY = date(2026, 11, 23)
SCENARIOS = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))["scenarios"]


def terms(kinds: tuple[TermKind, ...], texts: list[str] | None) -> list[str]:
    """Free text to term ids, the first kind that knows a text winning; unknown text skipped."""
    out = []
    for text in texts or []:
        term = TAXONOMY.meaning(kinds, text)
        if term and term.id not in out:
            out.append(term.id)
    return out


def venue(v: dict[str, Any]) -> Venue:
    return Venue(
        v["id"], v["name"], postcode=v["postcode"], latitude=v["lat"], longitude=v["lon"],
        step_free=v.get("step_free"),
    )  # fmt: skip


def activity(a: dict[str, Any]) -> Activity:
    return Activity(
        a["id"], a["name"], a["venue"],
        sessions=[Session(Weekday[a["day"]], a["time"])],
        cost=a.get("cost"),
        audience=Audience[a.get("audience", "all").upper()],
        interests=terms((TermKind.INTEREST,), a.get("interests")),
        supports=terms((TermKind.CONDITION, TermKind.NEED), a.get("supports")),
        languages=terms((TermKind.LANGUAGE,), a.get("languages")),
    )  # fmt: skip


def volunteer(v: dict[str, Any] | None) -> VolunteerProfile | None:
    if v is None:
        return None
    return VolunteerProfile(
        max_travel_km=v["max_travel_km"], capacity=v["capacity"],
        dbs_checked_on=v.get("dbs_checked_on"), approved=v["approved"],
        roles=list(v.get("offers", [])),
    )  # fmt: skip


def person(p: dict[str, Any]) -> Person:
    wanted = (p.get("preferences") or {}).get("buddy_gender")
    return Person(
        p["id"], p["name"], latitude=p["lat"], longitude=p["lon"], postcode=p["postcode"],
        birth_year=TODAY.year - p["age"], gender=Gender[p["gender"].upper()],
        interests=terms((TermKind.INTEREST,), p.get("interests")),
        conditions=terms((TermKind.CONDITION,), p.get("conditions")),
        languages=terms((TermKind.LANGUAGE,), p.get("languages")),
        cares_for=list(p.get("cares_for", [])),
        buddy_gender=Gender[wanted.upper()] if wanted else None,
        consent_to_matching=p["consent_matching"], volunteer=volunteer(p.get("volunteer")),
    )  # fmt: skip


@dataclass
class World:
    people: dict[str, Person]
    activities: list[ActivityCandidate]

    @classmethod
    def of(cls, scenario: dict[str, Any]) -> World:
        venues = {v["id"]: venue(v) for v in scenario["venues"]}
        activities = [activity(a) for a in scenario["activities"]]
        return cls(
            {p["id"]: person(p) for p in scenario["people"]},
            [ActivityCandidate(a, venues[a.venue_id]) for a in activities],
        )

    def rarity(self) -> dict[str, float]:
        """The share of the scenario's people who enjoy each interest."""
        everyone = list(self.people.values())
        found = {i for p in everyone for i in p.interests}
        return {i: sum(i in p.interests for p in everyone) / len(everyone) for i in found}

    def suggest(self, who: str, kind: str) -> list[str]:
        me = self.people[who]
        if kind == "buddies":
            others = [BuddyCandidate(p) for p in self.people.values()]
            found = suggest_buddies(me, others, TAXONOMY, self.rarity(), TODAY, first=10)
        else:
            carer_of = [self.people[i] for i in me.cares_for]
            found = suggest_activities(me, self.activities, TAXONOMY, None, carer_of, first=10)
        return [s.target.id for s in found]


EXPECTATIONS = [
    pytest.param(scenario, expect, id=f"{scenario['name']}-{expect['for']}-{expect['suggest']}")
    for scenario in SCENARIOS
    for expect in scenario["expect"]
]


@pytest.mark.parametrize(("scenario", "expect"), EXPECTATIONS)
def test_expectation(scenario: dict[str, Any], expect: dict[str, Any]) -> None:
    ids = World.of(scenario).suggest(expect["for"], expect["suggest"])
    if "first_is" in expect:
        assert ids[:1] == [expect["first_is"]], ids
    for n, wanted in (expect.get("within_top") or {}).items():
        assert set(wanted) <= set(ids[: int(n)]), ids
    assert not set(expect.get("never", [])) & set(ids), ids


def test_every_scenario_expects_something() -> None:
    assert len(EXPECTATIONS) == 6
    assert all(s["expect"] for s in SCENARIOS)
