"""The fast paths (in-memory copies, shortlists, bounds) give exactly what scoring every
candidate gives (bench/baselines.py), and see writes at once."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from bench import baselines
from bench.agreement import top
from graph import candidates, directory
from graph import people as people_repo
from kith import accounts, curation, people, suggestions
from kith.accounts import Account
from kith.domain import BuddyCandidate, ListingStatus, Person, Place, Session, Venue, Weekday
from kith.memory.buddy_bounds import may_befriend
from kith.memory.nearby import Directory, chords_km, units
from kith.memory.sphere import chord_km, unit
from kith.service import Kith, SearchRequest
from matching.geo import distance_km
from matching.rules import eligible_buddy
from matching.weights import DEFAULT

from ..conftest import load_world


@pytest.fixture(scope="module")
def town(kith: Kith) -> Kith:
    """A world big enough that the shortlists and bounds leave most candidates unscored, with
    its listings as untidy as a directory fed by many hands (``untidy``)."""
    return untidy(load_world(kith, people=3_000, seed=2))


def untidy(kith: Kith) -> Kith:
    """Some activities listed again at their venue under another day's name, some closed, some
    reviewed lately and some long overdue: the rules of matching/listings.py and
    matching/reviews.py then choose among the candidates the fast paths weigh."""
    rng = random.Random(3)
    every = sorted(directory.all_activities(kith.store).values(), key=lambda a: a.id)
    chosen = rng.sample(every, 600)
    wednesday = [Session(Weekday.WEDNESDAY, "14:00", "15:30")]
    again = [replace(a, id=f"{a.id}-again", name=f"{a.name} (Wednesday)", sessions=wednesday,
                     cost=rng.choice([0.0, 1.0])) for a in chosen[:150]]  # fmt: skip
    shut = [ListingStatus.CLOSED, ListingStatus.TEMPORARILY_CLOSED]
    closed = [replace(a, status=rng.choice(shut)) for a in chosen[150:250]]
    days = [date.today() - timedelta(days=rng.choice([20, 250, 700])) for _ in chosen[250:]]
    reviewed = [replace(a, last_reviewed_on=d) for a, d in zip(chosen[250:], days, strict=True)]
    directory.upsert_activities(kith.store, again + closed + reviewed)
    return kith


@pytest.fixture(scope="module")
def coordinator(town: Kith) -> Account:
    return accounts.add(town.store, "Fast paths", accounts.Role.COORDINATOR)[0]


def consenting(kith: Kith, count: int) -> list[Person]:
    rng = random.Random(5)
    ids = [f"demo-p-{rng.randrange(2_900):06d}" for _ in range(count * 2)]
    found = people_repo.people_by_id(kith.store, ids).values()
    return [p for p in found if p.consent_to_matching][:count]


def test_buddies_are_those_of_scoring_every_volunteer(town: Kith, coordinator: Account) -> None:
    for person in consenting(town, 25):
        fast = suggestions.buddies(town, coordinator, person.id, 10)
        assert top(fast) == top(baselines.buddies(town, person, 10)), person.id


def test_activities_are_those_of_scoring_every_activity(town: Kith, coordinator: Account) -> None:
    county = baselines.Directory.read(town)
    for person in consenting(town, 40):
        fast = suggestions.for_person(town, coordinator, person.id, 10)
        assert top(fast) == top(baselines.activities(town, person, county, 10)), person.id


WANTED = [{"interests": ["walking"]}, {"interests": ["knitting"]}, {"supports": ["loneliness"]},
          {"supports": ["dementia"]}]  # fmt: skip


@pytest.mark.parametrize("wanted", WANTED)
def test_activities_near_are_those_of_scoring_every_activity(town: Kith, wanted: dict) -> None:
    county = baselines.Directory.read(town)
    rng = random.Random(9)
    for _ in range(10):
        place = Place(52.92 + rng.gauss(0, 0.02), -1.47 + rng.gauss(0, 0.03))
        variables = {"interests": None, "supports": None, "first": 10, **wanted}
        fast = suggestions.activities_near(town, place, 3.0, variables["interests"] or [],
                                           variables["supports"] or [], 10)  # fmt: skip
        assert top(fast) == top(baselines.near(town, place, variables, county))


@pytest.mark.parametrize("text", ["knit", "walk", "natterr", "library", "coffee morning"])
def test_search_is_that_of_a_full_scan(town: Kith, text: str) -> None:
    county = baselines.Directory.read(town)
    for near, day in [(Place(52.92, -1.47), None), (Place(52.95, -1.49), Weekday.TUESDAY),
                      (None, None)]:  # fmt: skip
        request = SearchRequest(text=text, near=near, radius_km=4.0, day=day, first=20)
        page = town.search(request)
        hits, total = baselines.search(town, request, county)
        assert [(h.entry.id, h.score) for h in page.hits] == [(h.entry.id, h.score) for h in hits]
        assert page.total == total


def test_the_rules_checked_first_are_the_rules(town: Kith) -> None:
    """``may_befriend`` must agree with ``eligible_buddy`` wherever distance, consent and match
    history do not decide (they are read afresh), or bounds would skip volunteers the rules
    allow."""
    volunteers = [c.person for c in candidates.volunteers(town.store, "nobody", None)]
    for person in consenting(town, 10):
        for volunteer in volunteers:
            at_home = replace(volunteer, latitude=person.latitude, longitude=person.longitude,
                              consent_to_matching=True)  # fmt: skip
            allowed = eligible_buddy(person, BuddyCandidate(at_home), date.today()) is None
            assert may_befriend(person, volunteer, date.today(), DEFAULT) == allowed


def test_the_rules_over_arrays_are_the_rules(town: Kith) -> None:
    """The volunteers' arrays (``Volunteers.vetted`` and ``may_meet``), which buddy bounds
    filter with, allow exactly whom ``may_befriend`` allows, one volunteer at a time."""
    held = town.volunteer_mirror.current()
    rows = np.arange(len(held.people))
    ready = held.vetted(date.today(), DEFAULT.dbs_valid_years)
    for person in [*consenting(town, 10), *held.people[:3]]:
        allowed = ready & held.may_meet(person, rows)
        expected = [may_befriend(person, v, date.today(), DEFAULT) for v in held.people]
        assert allowed.tolist() == expected


def test_a_directory_write_is_seen_at_once(town: Kith, coordinator: Account) -> None:
    place = Place(52.9515, -1.4893)
    venue = curation.upsert_venue(town, coordinator, {"id": "fast:v", "name": "Fast Hall",
                                                      "place": {"latitude": 52.9515,
                                                                "longitude": -1.4893}})  # fmt: skip
    form = {"id": "fast:a", "name": "Zither Circle", "venue_id": venue.id, "cost": 0,
            "sessions": [{"day": "MONDAY", "start": "10:00"}], "interests": ["music"]}  # fmt: skip
    curation.upsert_activity(town, coordinator, form)
    found = suggestions.activities_near(town, place, 1.0, ["music"], [], 50)
    assert "fast:a" in [s.target.id for s in found]
    assert town.search(SearchRequest(text="zither", near=place)).total >= 1


def test_an_erased_volunteer_is_never_suggested(town: Kith, coordinator: Account) -> None:
    person = consenting(town, 1)[0]
    first = suggestions.buddies(town, coordinator, person.id, 3)
    assert first
    people.forget(town, coordinator, first[0].target.id)
    again = suggestions.buddies(town, coordinator, person.id, 3)
    assert first[0].target.id not in [s.target.id for s in again]


def test_a_box_finds_what_a_scan_finds_and_chords_are_never_longer(town: Kith) -> None:
    rng = random.Random(3)
    points = [(52.9 + rng.random() * 0.2, -1.6 + rng.random() * 0.3, i) for i in range(500)]
    venues = {str(i): Venue(str(i), "v", latitude=a, longitude=o) for a, o, i in points}
    held = Directory.of({}, venues, {}, town.taxonomy)
    box = (52.95, -1.5, 53.0, -1.42)
    inside = {str(i) for lat, lon, i in points if 52.95 <= lat <= 53.0 and -1.5 <= lon <= -1.42}
    assert {v.id for v in held.venues_in(box)} == inside
    here = (52.92, -1.47)
    for lat, lon, _ in points:
        assert chord_km(unit(*here), unit(lat, lon)) <= distance_km(here, (lat, lon))
    at_once = chords_km(units([Venue(str(i), "v", latitude=a, longitude=o) for a, o, i in points]),
                        Place(*here))  # fmt: skip
    for (lat, lon, _), km in zip(points, at_once.tolist(), strict=True):
        assert km == pytest.approx(chord_km(unit(*here), unit(lat, lon)), abs=1e-9)
        assert km <= distance_km(here, (lat, lon))
