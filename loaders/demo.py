"""A deterministic, plausible Derby-like world for demos, tests and benchmarks.

The same ``people`` and ``seed`` always give the same world. Sizes follow the county-scale
proportions of the benchmark (per 100,000 people: 10,000 volunteers, 5,000 groups, 20,000
activities, 3,000 venues), with floors so that a small demo still has a full directory. Past
the city's size, venues and people spread to Derbyshire towns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from tqdm import tqdm

from graph.directory import upsert_activities, upsert_groups, upsert_venues
from graph.people import upsert_people
from graph.store import Store
from kith.domain import (
    Activity,
    Audience,
    Availability,
    DayPart,
    Eligibility,
    Gender,
    Group,
    ListingStatus,
    Person,
    Session,
    Venue,
    VolunteerProfile,
    Weekday,
)
from matching.listings import base_name

DERBY_FILE = Path(__file__).parent / "data" / "derby.yaml"
CITY_SIZE = 5_000
TODAY = date(2026, 11, 1)  # fixed, so that the world does not change with the calendar
STORY_REVIEWED = TODAY - timedelta(days=21)  # the stories' listings were checked lately
PART_TIMES = {
    DayPart.MORNING: ("10:00", "11:30"),
    DayPart.AFTERNOON: ("14:00", "15:30"),
    DayPart.EVENING: ("19:00", "20:30"),
}
POPULAR_INTERESTS = [
    "walking", "gardening", "reading", "cooking", "music", "knitting", "chatting",
    "coffee-mornings", "singing", "football", "history-and-heritage", "computers", "dancing",
    "swimming", "painting", "photography", "bird-watching", "crafts", "sewing", "baking",
    "bingo", "dominoes", "chess", "local-history", "antiques", "fishing", "bowls", "yoga",
    "tai-chi", "cycling", "allotments", "choir", "book-clubs", "card-games", "woodwork",
    "family-history", "quizzes", "jigsaws", "crochet", "film",
]  # fmt: skip
CONDITIONS_BY_AGE = [  # (condition id, chance under 65, chance 65 and over)
    ("arthritis", 0.05, 0.30), ("type-2-diabetes", 0.05, 0.15), ("copd", 0.01, 0.08),
    ("heart-disease", 0.02, 0.12), ("depression", 0.08, 0.08), ("anxiety", 0.08, 0.05),
    ("hearing-loss", 0.02, 0.20), ("sight-loss", 0.01, 0.06), ("dementia", 0.0, 0.07),
    ("stroke", 0.005, 0.04), ("parkinsons", 0.0, 0.02), ("chronic-pain", 0.04, 0.08),
    ("asthma", 0.06, 0.05),
]  # fmt: skip
SKILLS = [
    "befriending", "listening", "driving", "digital-skills", "gardening-skills",
    "cooking-skills", "teaching", "first-aid", "interpreting", "dementia-awareness",
]  # fmt: skip
ROLES = ["befriender", "driver", "group helper", "digital buddy", "walk leader"]


@dataclass
class World:
    venues: list[Venue] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def size(self) -> int:
        return len(self.venues) + len(self.groups) + len(self.activities) + len(self.people)


def generate(people: int = 500, seed: int = 1, source: Path = DERBY_FILE) -> World:
    """The demo world for ``people`` people (stories included), the same for the same seed."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    places = data["neighbourhoods"] + (data["towns"] if people > CITY_SIZE else [])
    world = World()
    story_world(world, data["stories"])
    make_venues(world, rng, data, places, max(60, people * 3 // 100))
    make_activities(world, rng, data, places, max(80, people // 20), max(200, people // 5))
    make_people(world, rng, data, places, people)
    return world


def story_world(world: World, stories: dict[str, Any]) -> None:
    """The people and places of the seed stories, with the ids the scenarios use."""
    for v in stories["venues"]:
        world.venues.append(
            Venue(v["id"], v["name"], f"{v['name']}, Derby", v["postcode"], v["lat"], v["lon"],
                  v.get("step_free"), v.get("hearing_loop"), v.get("step_free"), False)
        )  # fmt: skip
    for a in stories["activities"]:
        group = Group(
            f"g-{a['id'][2:]}",
            a["name"],
            f"Runs {a['name']} in Derby.",
            last_reviewed_on=STORY_REVIEWED,
        )
        world.groups.append(group)
        world.activities.append(
            Activity(a["id"], a["name"], a["venue"], story_description(a), group.id,
                     [Session(Weekday(a["day"]), a["start"], a["end"])], float(a["cost"]),
                     Audience.ADULTS, a.get("interests", []), a.get("supports", []),
                     a.get("languages", ["english"]), last_reviewed_on=STORY_REVIEWED)
        )  # fmt: skip
    for p in stories["people"]:
        world.people.append(story_person(p))


def story_description(a: dict[str, Any]) -> str:
    words = ", ".join(w.replace("-", " ") for w in a.get("interests", []) + a.get("supports", []))
    return f"A friendly weekly session: {words}. Everyone welcome."


def story_person(p: dict[str, Any]) -> Person:
    v = p.get("volunteer")
    return Person(
        id=p["id"], name=p["name"], latitude=p["lat"], longitude=p["lon"],
        postcode=p["postcode"], birth_year=p["birth_year"], gender=Gender(p["gender"]),
        interests=p.get("interests", []), conditions=p.get("conditions", []),
        needs=p.get("needs", []), languages=p.get("languages", []),
        cares_for=p.get("cares_for", []),
        availability=[Availability(d, DayPart.AFTERNOON) for d in Weekday] if v else [],
        buddy_gender=Gender(p["buddy_gender"]) if p.get("buddy_gender") else None,
        consent_to_matching=True,
        volunteer=VolunteerProfile(
            skills=v["skills"], max_travel_km=v["max_travel_km"], capacity=v["capacity"],
            dbs_checked_on=v["dbs_checked_on"], approved=v["approved"], roles=["befriender"],
        ) if v else None,
    )  # fmt: skip


def near(rng: random.Random, place: dict[str, Any], km: float) -> tuple[float, float]:
    """A point within about ``km`` of a place's centre."""
    return (
        round(place["lat"] + rng.gauss(0, km / 111.0), 6),
        round(place["lon"] + rng.gauss(0, km / 67.0), 6),
    )


def postcode(rng: random.Random, outcode: str) -> str:
    """The real district with a made-up inward code (see derby.yaml)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{outcode} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def make_venues(
    world: World, rng: random.Random, data: dict, places: list[dict], count: int
) -> None:
    kinds = data["venue_kinds"]
    for i in range(count):
        place, kind = places[i % len(places)], kinds[(i // len(places)) % len(kinds)]
        lat, lon = near(rng, place, 0.6)
        name = f"{place['name']} {kind['kind']}"
        if i >= len(places) * len(kinds):
            name += f" {i // (len(places) * len(kinds)) + 1}"
        world.venues.append(
            Venue(f"demo-v-{i:05d}", name, f"{rng.randint(1, 200)} {place['name']} Road",
                  postcode(rng, place["outcode"]), lat, lon,
                  rng.random() < kind["step_free"], rng.random() < kind["hearing_loop"],
                  rng.random() < kind["step_free"], rng.random() < 0.5)
        )  # fmt: skip


def make_activities(
    world: World, rng: random.Random, data: dict, places: list[dict], groups: int, activities: int
) -> None:
    """Groups, each running activities of one kind at venues near each other: one listing per
    activity, meeting on one to three days, and never one name twice at a venue."""
    templates = data["activities"]
    neighbourhoods = venues_by_place(world.venues, places)
    held = story_names(world, templates)
    for g in range(groups):
        t = templates[g % len(templates)]
        home = world.venues[rng.randrange(len(world.venues))]
        place = nearest_place(home, places)["name"]
        group = Group(f"demo-g-{g:05d}", f"{place} {t['name']}",
                      f"{t['name']} for people in and around {place}.",
                      f"https://example.org/groups/{g}", reviewed_on(rng))  # fmt: skip
        world.groups.append(group)
        count = activities // groups + (1 if g < activities % groups else 0)
        near_home = [v for v in neighbourhoods[place] if v is not home]
        rng.shuffle(near_home)
        for n, venue in enumerate(venues_for(t["name"], [home, *near_home], world.venues, held,
                                             count)):  # fmt: skip
            held.add((t["name"], venue.id))
            world.activities.append(make_activity(rng, t, group, venue, f"{g:05d}-{n}"))


def story_names(world: World, templates: list[dict]) -> set[tuple[str, str]]:
    """(template name, venue id) for each story venue and each kind of activity named like the
    story's own there: a generated "Knit and Natter" is never held beside the story's."""
    return {
        (t["name"], a.venue_id) for a in world.activities for t in templates
        if base_name(t["name"]) in base_name(a.name) or base_name(a.name) in base_name(t["name"])
    }  # fmt: skip


def nearest_place(venue: Venue, places: list[dict]) -> dict:
    """The neighbourhood or town whose centre is nearest the venue (flat maths is near enough)."""
    return min(places, key=lambda p: squared_km(p["lat"], p["lon"], venue))


def squared_km(lat: float, lon: float, venue: Venue) -> float:
    return ((lat - (venue.latitude or 0)) * 111) ** 2 + ((lon - (venue.longitude or 0)) * 67) ** 2


def venues_by_place(venues: list[Venue], places: list[dict]) -> dict[str, list[Venue]]:
    found: dict[str, list[Venue]] = {p["name"]: [] for p in places}
    for venue in venues:
        found[nearest_place(venue, places)["name"]].append(venue)
    return found


def venues_for(
    name: str, nearby: list[Venue], everywhere: list[Venue], held: set[tuple[str, str]], count: int
) -> list[Venue]:
    """``count`` venues where nothing called ``name`` meets yet: those ``nearby`` in order, then
    the nearest to the first of them beyond."""
    chosen = [v for v in nearby if (name, v.id) not in held][:count]
    if len(chosen) < count:
        home, taken = nearby[0], {v.id for v in chosen}
        others = [v for v in everywhere if v.id not in taken and (name, v.id) not in held]
        others.sort(key=lambda v: squared_km(home.latitude or 0, home.longitude or 0, v))
        chosen += others[: count - len(chosen)]
    return chosen


def make_activity(rng: random.Random, t: dict, group: Group, venue: Venue, suffix: str) -> Activity:
    part = DayPart(t["part"])
    start, end = PART_TIMES[part]
    days = list(Weekday)[:6] if part is not DayPart.EVENING else list(Weekday)[:5]
    met = sorted(rng.sample(days, rng.choices((1, 2, 3), (6, 3, 1))[0]), key=days.index)
    return Activity(
        id=f"demo-a-{suffix}", name=t["name"], venue_id=venue.id, group_id=group.id,
        description=f"{t['name']} at {venue.name}. " + describe(t),
        sessions=[Session(day, start, end) for day in met], cost=float(rng.choice(t["cost"])),
        audience=Audience(t.get("audience", "ADULTS")), interests=list(t.get("interests", [])),
        supports=list(t.get("supports", [])), languages=list(t.get("languages", ["english"])),
        status=listing_status(rng), last_reviewed_on=reviewed_on(rng),
        eligibility=Eligibility(tuple(Gender(g) for g in t.get("for", [])), t.get("min_age")),
    )  # fmt: skip


def reviewed_on(rng: random.Random) -> date | None:
    """When a generated listing was last checked: mostly within the six months before TODAY,
    some six to twelve months before, a few longer ago or never (issue 17)."""
    roll = rng.random()
    if roll < 0.03:
        return None
    days = (1, 182) if roll < 0.80 else (183, 365) if roll < 0.93 else (366, 3 * 365)
    return TODAY - timedelta(days=rng.randint(*days))


def listing_status(rng: random.Random) -> ListingStatus:
    """A handful of generated listings are closed for now or for good."""
    roll = rng.random()
    if roll < 0.02:
        return ListingStatus.TEMPORARILY_CLOSED
    return ListingStatus.CLOSED if roll < 0.03 else ListingStatus.ACTIVE


def describe(t: dict) -> str:
    if t.get("languages"):
        return f"Conversation in {t['languages'][0].title()}; newcomers welcome."
    if t.get("supports"):
        return "Friendly, relaxed and open to all abilities; carers welcome."
    return "No experience needed; come along and say hello."


def make_people(
    world: World, rng: random.Random, data: dict, places: list[dict], count: int
) -> None:
    """People in neighbourhoods, one in ten a volunteer, some caring for the one before them."""
    for i in range(count - len(world.people)):
        person = make_person(rng, data, places, f"demo-p-{i:06d}")
        previous = world.people[-1] if world.people and i > 0 else None
        if previous and previous.id.startswith("demo-p") and rng.random() < 0.05:
            make_carer(person, previous)
        if rng.random() < 0.10:
            person.volunteer = make_volunteer(rng)
        world.people.append(person)


def make_person(rng: random.Random, data: dict, places: list[dict], pid: str) -> Person:
    gender = rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.MALE,
                         Gender.UNDISCLOSED] if rng.random() < 0.02 else
                        [Gender.FEMALE, Gender.MALE])  # fmt: skip
    community = pick_community(rng, data["communities"])
    key = "female" if gender is Gender.FEMALE else "male"
    first = rng.choice(community[key] if community else data["first_names"][key])
    last = rng.choice(community["surnames"] if community else data["surnames"])
    age = min(98, max(18, int(rng.triangular(18, 98, 72))))
    place = places[rng.randrange(len(places))]
    lat, lon = near(rng, place, 0.8)
    languages = ["english"] if not community else [community["language"]] + (
        ["english"] if rng.random() < 0.75 else [])  # fmt: skip
    return Person(
        id=pid, name=f"{first} {last}", latitude=lat, longitude=lon,
        postcode=postcode(rng, place["outcode"]), birth_year=TODAY.year - age, gender=gender,
        interests=pick_interests(rng), strengths=sorted(set(rng.sample(SKILLS, rng.randint(0, 2)))),
        conditions=pick_conditions(rng, age),
        needs=["loneliness"] if rng.random() < 0.3 else [], languages=languages,
        availability=pick_availability(rng), consent_to_matching=rng.random() < 0.85,
        buddy_gender=gender if gender is Gender.FEMALE and rng.random() < 0.2 else None,
    )  # fmt: skip


def pick_community(rng: random.Random, communities: list[dict]) -> dict | None:
    roll = rng.random()
    for community in communities:
        roll -= community["share"]
        if roll < 0:
            return community
    return None


def pick_interests(rng: random.Random) -> list[str]:
    """2–6 interests, popular ones far more often than rare ones (Zipf-like)."""
    weights = [1 / (rank + 1) for rank in range(len(POPULAR_INTERESTS))]
    picked = rng.choices(POPULAR_INTERESTS, weights=weights, k=rng.randint(2, 6))
    return sorted(set(picked))


def pick_conditions(rng: random.Random, age: int) -> list[str]:
    older = age >= 65
    return [c for c, young, old in CONDITIONS_BY_AGE if rng.random() < (old if older else young)]


def pick_availability(rng: random.Random) -> list[Availability]:
    slots = [Availability(d, p) for d in Weekday for p in DayPart]
    return sorted(rng.sample(slots, rng.randint(2, 6)), key=lambda a: (a.day.name, a.part.name))


def make_carer(carer: Person, cared_for: Person) -> None:
    """The carer lives with the person they care for."""
    carer.latitude, carer.longitude = cared_for.latitude, cared_for.longitude
    carer.postcode = cared_for.postcode
    carer.cares_for = [cared_for.id]
    carer.needs = sorted({*carer.needs, "carer-support"})


def make_volunteer(rng: random.Random) -> VolunteerProfile:
    checked = TODAY - timedelta(days=rng.randint(30, 4 * 365)) if rng.random() < 0.85 else None
    return VolunteerProfile(
        skills=sorted(set(rng.sample(SKILLS, rng.randint(1, 3)))),
        max_travel_km=float(rng.choice([1, 2, 3, 5, 8, 10])),
        capacity=rng.randint(1, 3), dbs_checked_on=checked, approved=rng.random() < 0.8,
        roles=sorted(set(rng.sample(ROLES, rng.randint(1, 2)))),
        email=None, phone=None,
    )  # fmt: skip


def load(store: Store, world: World, show_progress: bool = False) -> int:
    """Write the world in batches (places before what refers to them); returns records written.

    Upserts by id, so loading the same world twice changes nothing.
    """
    steps = [
        (upsert_venues, world.venues), (upsert_groups, world.groups),
        (upsert_activities, world.activities), (upsert_people, world.people),
    ]  # fmt: skip
    written = 0
    with tqdm(total=world.size(), unit="rec", disable=not show_progress) as bar:
        for upsert, records in steps:
            for start in range(0, len(records), 2_000):
                chunk = records[start : start + 2_000]
                written += upsert(store, chunk)
                bar.update(len(chunk))
    return written
