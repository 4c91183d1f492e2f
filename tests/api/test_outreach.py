"""Outreach lists through GraphQL, on a small world made here: exactly the people meeting every
criterion, never contacted first, each with why; never anyone whose latest consent to being
contacted is a no; for coordinators only, each person listed an audited read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from kith import accounts, audit, outreach
from kith.service import Kith

from ..conftest import call, code_of, reset

YEAR = date.today().year
HOME = {"latitude": 52.9225, "longitude": -1.4746}  # Derby
FAR = {"latitude": 52.9600, "longitude": -1.4746}  # about 4 km north
OUTREACH = """query($criteria: OutreachInput!, $first: Int, $after: String) {
    outreach(criteria: $criteria, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor reasons node { id name livesAlone lastContactAt } } } }"""
ADD = "mutation($input: PersonInput!) { addPerson(input: $input) { person { id } } }"
VOLUNTEER = """mutation($input: VolunteerInput!) { registerVolunteer(input: $input) {
    volunteer { id } } }"""
PROPOSE = """mutation($p: ID!, $b: ID!) { proposeBuddy(personId: $p, buddyId: $b) {
    match { id } } }"""
UPDATE_MATCH = """mutation($id: ID!, $status: MatchStatus!) { updateMatch(id: $id,
    status: $status) { match { id } } }"""
CONSENT = """mutation($p: ID!, $given: Boolean!) { recordConsent(personId: $p, purpose: CONTACT,
    given: $given) { person { id } } }"""
CONTACT = """mutation($p: ID!, $at: DateTime) { recordPersonContact(personId: $p,
    input: {kind: PHONE, at: $at}) { person { id } } }"""
VENUE = """mutation { upsertVenue(input: {name: "Hall", place: {latitude: 52.9225,
    longitude: -1.4746}}) { venue { id } } }"""
ACTIVITY = """mutation($venue: ID!) { upsertActivity(input: {name: "Lunch club",
    venueId: $venue, sessions: [{day: TUESDAY, start: "12:00"}]}) { activity { id } } }"""
ATTEND = """mutation($p: ID!, $a: ID!) { recordAttendance(personId: $p, activityId: $a) {
    person { id } } }"""
END = """mutation($p: ID!, $a: ID!) { endAttendance(personId: $p, activityId: $a) {
    person { id } } }"""
UPDATE = """mutation($id: ID!, $patch: PersonPatch!) { updatePerson(id: $id, input: $patch) {
    person { id } } }"""
WINTER = {"minAge": 85, "livesAlone": True, "withoutBuddy": True}


@dataclass
class World:
    client: TestClient
    coordinator: str
    prescriber: str
    kith: Kith
    ids: dict[str, str]  # first name: person id


def done(body: dict) -> dict:
    assert "errors" not in body, body
    return body["data"]


def add(client: TestClient, token: str, name: str, age: int | None, alone: bool | None,
        place: dict = HOME) -> str:  # fmt: skip
    person = {"name": name, "place": place, "consentToMatching": True, "livesAlone": alone,
              "birthYear": YEAR - age if age else None}  # fmt: skip
    return done(call(client, ADD, token, input=person))["addPerson"]["person"]["id"]


@pytest.fixture(scope="module")
def world(kith: Kith) -> Iterator[World]:
    """Ten people: four who should be on the winter list (85+, alone, no buddy) and six who
    each miss it for one reason, among them two who said no to being contacted."""
    reset(kith)
    _, co = accounts.add(kith.store, "Outreach coordinator", accounts.Role.COORDINATOR)
    _, gp = accounts.add(kith.store, "Outreach prescriber", accounts.Role.PRESCRIBER)
    with TestClient(create_app(kith=kith)) as client:
        ids = {name.split()[0]: add(client, co, name, age, alone, place)
               for name, age, alone, place in [
                   ("Ada Wells", 90, True, HOME), ("Dot Price", 87, True, FAR),
                   ("Gwen Hart", 85, True, FAR), ("Ivy Moss", 89, True, FAR),
                   ("Bert Cole", 86, True, HOME), ("Cora Finch", 88, True, HOME),
                   ("Edith Bell", 84, True, HOME), ("Fred Lane", 91, False, HOME),
                   ("Hal Reed", 92, None, HOME), ("Kit Ward", None, True, HOME)]}  # fmt: skip
        vera = {"name": "Vera Holt", "place": FAR, "consentToMatching": True,
                "birthYear": YEAR - 86, "maxTravelKm": 10, "capacity": 2}  # fmt: skip
        ids["Vera"] = done(call(client, VOLUNTEER, None, input=vera))["registerVolunteer"][
            "volunteer"]["id"]  # fmt: skip
        done(call(client, UPDATE, co, id=ids["Vera"], patch={"livesAlone": True}))
        done(call(client, PROPOSE, co, p=ids["Bert"], b=ids["Vera"]))  # Bert has a buddy
        declined = done(call(client, PROPOSE, co, p=ids["Ivy"], b=ids["Vera"]))  # Ivy has not
        done(call(client, UPDATE_MATCH, co, id=declined["proposeBuddy"]["match"]["id"],
                  status="DECLINED"))  # fmt: skip
        done(call(client, CONSENT, co, p=ids["Cora"], given=False))  # Cora said no
        done(call(client, CONSENT, co, p=ids["Dot"], given=False))  # Dot said no, then yes
        done(call(client, CONSENT, co, p=ids["Dot"], given=True))
        yield World(client, co, gp, kith, ids)


def listed(w: World, token: str | None = None, **criteria: object) -> list[tuple[str, list]]:
    body = done(call(w.client, OUTREACH, token or w.coordinator, criteria=criteria, first=100))
    return [(e["node"]["name"].split()[0], e["reasons"]) for e in body["outreach"]["edges"]]


def names(w: World, **criteria: object) -> list[str]:
    return [name for name, _ in listed(w, **criteria)]


def test_the_winter_list_is_exactly_those_aged_85_or_more_alone_without_a_buddy(
    world: World,
) -> None:
    found = listed(world, **WINTER)
    # Never contacted, all: by name. Not Bert (a proposed buddy), Cora (said no to contact),
    # Edith (84), Fred (not alone), Hal (not known to live alone), Kit (no birth year), Vera
    # (Bert's buddy: paired too). Ivy's pairing was declined; Dot said yes again after a no.
    assert [name for name, _ in found] == ["Ada", "Dot", "Gwen", "Ivy"]
    assert dict(found)["Gwen"] == ["aged 85 this year", "lives alone", "no buddy"]
    assert dict(found)["Ada"][0] == "aged 90 this year"


def test_someone_who_said_no_to_contact_is_never_listed(world: World) -> None:
    everyone = names(world)
    assert "Cora" not in everyone and "Dot" in everyone
    assert len(everyone) == len(world.ids) - 1
    done(call(world.client, CONSENT, world.coordinator, p=world.ids["Ada"], given=False))
    try:
        assert "Ada" not in names(world) and "Ada" not in names(world, **WINTER)
    finally:
        done(call(world.client, CONSENT, world.coordinator, p=world.ids["Ada"], given=True))
    assert "Ada" in names(world, **WINTER)


def test_never_contacted_come_first_then_the_longest_since(world: World) -> None:
    now = datetime.now(UTC)
    for name, days in (("Ada", 0), ("Gwen", 40)):
        at = (now - timedelta(days=days)).isoformat()
        done(call(world.client, CONTACT, world.coordinator, p=world.ids[name], at=at))
    assert names(world, **WINTER) == ["Dot", "Ivy", "Gwen", "Ada"]
    quiet = listed(world, **WINTER, noContactForDays=30)
    assert [name for name, _ in quiet] == ["Dot", "Ivy", "Gwen"]
    assert dict(quiet)["Gwen"][-1] == "last contact 40 days ago"
    assert dict(quiet)["Dot"][-1] == "no contact recorded"


def test_without_activity_and_near_a_place(world: World) -> None:
    co, client = world.coordinator, world.client
    venue = done(call(client, VENUE, co))["upsertVenue"]["venue"]["id"]
    lunch = done(call(client, ACTIVITY, co, venue=venue))["upsertActivity"]["activity"]["id"]
    done(call(client, ATTEND, co, p=world.ids["Dot"], a=lunch))
    assert "Dot" not in names(world, **WINTER, withoutActivity=True)
    assert "Dot" in names(world, **WINTER)
    done(call(client, END, co, p=world.ids["Dot"], a=lunch))
    assert "Dot" in names(world, **WINTER, withoutActivity=True)

    near = listed(world, **WINTER, near=HOME, radiusKm=1)
    assert [name for name, _ in near] == ["Ada"]
    assert near[0][1][-1] == "lives 0.0 km away"
    assert names(world, **WINTER, near=HOME, radiusKm=5) == names(world, **WINTER)


def test_pages_follow_one_another(world: World) -> None:
    first = done(call(world.client, OUTREACH, world.coordinator, criteria=WINTER, first=3))
    page = first["outreach"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rest = done(call(world.client, OUTREACH, world.coordinator, criteria=WINTER, first=3,
                     after=page["pageInfo"]["endCursor"]))["outreach"]  # fmt: skip
    assert not rest["pageInfo"]["hasNextPage"]
    together = [e["node"]["name"] for e in page["edges"] + rest["edges"]]
    assert len(together) == 4 and len(set(together)) == 4


def test_each_person_listed_is_an_audited_read_and_no_one_else(world: World) -> None:
    mark = audit.now()
    shown = names(world, **WINTER)
    read = {n for n, i in world.ids.items()
            if any(e.action == "person.read" and e.at >= mark
                   for e in audit.about(world.kith.store, i))}  # fmt: skip
    assert read == set(shown)


def test_only_coordinators_with_right_criteria(world: World) -> None:
    refused = call(world.client, OUTREACH, world.prescriber, criteria=WINTER)
    assert code_of(refused) == "FORBIDDEN"
    assert code_of(call(world.client, OUTREACH, None, criteria=WINTER)) == "UNAUTHENTICATED"
    for criteria, field in (({"minAge": 200}, "minAge"), ({"radiusKm": 2}, "radiusKm"),
                            ({"noContactForDays": 0}, "noContactForDays"),
                            ({"near": HOME, "radiusKm": 500}, "radiusKm")):  # fmt: skip
        body = call(world.client, OUTREACH, world.coordinator, criteria=criteria)
        assert code_of(body) == "BAD_USER_INPUT" and field in body["errors"][0]["message"]


def test_the_download_for_a_phone_round(world: World) -> None:
    actor, _ = accounts.add(world.kith.store, "Phone round", accounts.Role.COORDINATOR)
    mark = audit.now()
    text = outreach.download(world.kith, actor, outreach.Criteria(min_age=85, lives_alone=True,
                                                                  without_buddy=True))  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "Name,Postcode,Age band,Last contact,Why listed"
    rows = {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]}
    assert sorted(rows) == ["Ada Wells", "Dot Price", "Gwen Hart", "Ivy Moss"]
    assert rows["Dot Price"][:3] == ["", "80-89", "never"]  # placed by latitude: no postcode
    assert rows["Dot Price"][3] == "aged 87 this year; lives alone; no buddy"
    downloaded = {e.subject for e in audit.recent(world.kith.store, mark, 1000)
                  if e.action == "outreach.download"}  # fmt: skip
    assert downloaded == {world.ids[n] for n in ("Dot", "Ivy", "Gwen", "Ada")}
