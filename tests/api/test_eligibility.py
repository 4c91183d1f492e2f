"""Who a listing is for, through the real app on the real store: a women-only activity is never
suggested to a man, a men-only one never to a woman, an over-60s one never to a 40-year-old
(through GraphQL and on the person page);
someone whose gender or age is not recorded still sees what is open to all; bad eligibility is
named and writes nothing; and ORUK carries the ages out and back in (minimum_age, maximum_age).

The activities are placed far from the demo's Derby, so nothing of the demo is near them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph import directory
from kith.service import Kith
from loaders.oruk import load_oruk

from ..conftest import call, code_of

CENTRE = (54.60, -3.10)  # Keswick: no demo record within 50 km
VENUE = """mutation($i: VenueInput!) { upsertVenue(input: $i) { venue { id } } }"""
ACTIVITY = """mutation($i: ActivityInput!) { upsertActivity(input: $i) {
    activity { id eligibility { genders minAge maxAge } } } }"""
ADD = "mutation($i: PersonInput!) { addPerson(input: $i) { person { id } } }"
SUGGEST = """query($p: ID!) { suggestActivities(personId: $p, radiusKm: 5) {
    activity { id eligibility { genders minAge maxAge } } reasons { code text weight } } }"""
NEAR = """query($place: PlaceInput!) { activitiesNear(place: $place, radiusKm: 5) {
    activity { id } } }"""
FOUND = """query($t: String!) { search(text: $t, kinds: [ACTIVITY]) { edges { node {
    ... on Activity { id name eligibility { genders minAge maxAge } } } } } }"""
TUESDAY = [{"day": "TUESDAY", "start": "10:00"}]
LISTINGS = {
    "a-elig-women": {"genders": ["FEMALE"]},
    "a-elig-men": {"genders": ["MALE"]},
    "a-elig-60": {"minAge": 60},
    "a-elig-open": None,
}


def born(age: int) -> int:
    return date.today().year - age


def place() -> dict:
    return {"latitude": CENTRE[0], "longitude": CENTRE[1]}


@pytest.fixture(scope="module")
def listings(client: TestClient, tokens: dict) -> dict:
    """One venue near Keswick with a women-only, a men-only, an over-60s and an open activity."""
    token = tokens["coordinator"]
    venue = {"id": "v-elig", "name": "Keswick Hall", "place": place(), "stepFree": True}
    assert "errors" not in call(client, VENUE, token, i=venue)
    made = {}
    for aid, eligibility in LISTINGS.items():
        form = {"id": aid, "name": aid, "venueId": "v-elig", "cost": 0, "sessions": TUESDAY,
                "eligibility": eligibility}  # fmt: skip
        body = call(client, ACTIVITY, token, i=form)
        assert "errors" not in body, body
        made[aid] = body["data"]["upsertActivity"]["activity"]
    return made


def someone(client: TestClient, token: str, **form: object) -> str:
    given = {"name": "Sam Hale", "place": place(), "consentToMatching": True, **form}
    body = call(client, ADD, token, i=given)
    assert "errors" not in body, body
    return body["data"]["addPerson"]["person"]["id"]


def suggested(client: TestClient, token: str, person_id: str) -> dict[str, list]:
    body = call(client, SUGGEST, token, p=person_id)
    assert "errors" not in body, body
    return {s["activity"]["id"]: s["reasons"] for s in body["data"]["suggestActivities"]}


def test_an_activity_says_who_it_is_for(listings: dict) -> None:
    assert listings["a-elig-women"]["eligibility"] == {
        "genders": ["FEMALE"], "minAge": None, "maxAge": None}  # fmt: skip
    assert listings["a-elig-60"]["eligibility"] == {"genders": [], "minAge": 60, "maxAge": None}
    assert listings["a-elig-open"]["eligibility"] is None


def test_a_man_is_never_offered_a_women_only_activity_nor_a_woman_a_men_only_one(
    client: TestClient, tokens: dict, listings: dict
) -> None:
    token = tokens["coordinator"]
    man = someone(client, token, gender="MALE", birthYear=born(70))
    woman = someone(client, token, gender="FEMALE", birthYear=born(70))
    assert set(suggested(client, token, man)) == {"a-elig-men", "a-elig-60", "a-elig-open"}
    for_her = suggested(client, token, woman)
    assert set(for_her) == {"a-elig-women", "a-elig-60", "a-elig-open"}
    said = [(r["code"], r["text"], r["weight"]) for r in for_her["a-elig-women"]]
    assert ("ELIGIBILITY", "for women", 0.0) in said
    assert all(r["code"] != "ELIGIBILITY" for r in for_her["a-elig-open"])


def test_the_person_page_suggests_by_the_same_rule(
    client: TestClient, tokens: dict, listings: dict
) -> None:
    token = tokens["coordinator"]
    headers = {"Authorization": f"Bearer {token}"}
    for gender, age, kept_out in (("MALE", 70, "a-elig-women"), ("FEMALE", 70, "a-elig-men"),
                                  ("FEMALE", 30, "a-elig-60")):  # fmt: skip
        them = someone(client, token, gender=gender, birthYear=born(age))
        shown = client.get(f"/people/{them}", headers=headers)
        assert shown.status_code == 200
        assert "a-elig-open" in shown.text and kept_out not in shown.text


def test_a_40_year_old_is_never_offered_an_over_60s_activity(
    client: TestClient, tokens: dict, listings: dict
) -> None:
    token = tokens["coordinator"]
    forty = someone(client, token, gender="FEMALE", birthYear=born(40))
    assert set(suggested(client, token, forty)) == {"a-elig-women", "a-elig-open"}
    sixty = someone(client, token, gender="MALE", birthYear=born(60))
    reasons = suggested(client, token, sixty)["a-elig-60"]
    assert ("ELIGIBILITY", "for people aged 60 and over") in [
        (r["code"], r["text"]) for r in reasons
    ]


def test_unknown_gender_and_age_see_what_is_open_to_all(
    client: TestClient, tokens: dict, listings: dict
) -> None:
    token = tokens["coordinator"]
    unknown = someone(client, token)
    assert set(suggested(client, token, unknown)) == {"a-elig-60", "a-elig-open"}
    undisclosed = someone(client, token, gender="UNDISCLOSED", birthYear=born(80))
    assert set(suggested(client, token, undisclosed)) == {"a-elig-60", "a-elig-open"}


def test_a_search_without_a_person_is_not_narrowed(client: TestClient, listings: dict) -> None:
    body = call(client, NEAR, None, place=place())
    assert {s["activity"]["id"] for s in body["data"]["activitiesNear"]} == set(LISTINGS)


@pytest.mark.parametrize(
    ("eligibility", "field"),
    [
        ({"minAge": -1}, "eligibility.minAge"),
        ({"maxAge": 121}, "eligibility.maxAge"),
        ({"minAge": 70, "maxAge": 60}, "eligibility.minAge"),
        ({"genders": ["UNDISCLOSED"]}, "eligibility.genders"),
    ],
)
def test_bad_eligibility_is_named_and_nothing_is_written(
    client: TestClient, tokens: dict, derby: Kith, listings: dict, eligibility: dict, field: str
) -> None:
    form = {"id": "a-elig-bad", "name": "Bad", "venueId": "v-elig", "sessions": TUESDAY,
            "eligibility": eligibility}  # fmt: skip
    body = call(client, ACTIVITY, tokens["coordinator"], i=form)
    assert code_of(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field
    assert directory.activities_by_id(derby.store, ["a-elig-bad"]) == {}


def oruk_service(client: TestClient, name: str) -> dict:
    page = client.get("/oruk/services", params={"search": name, "per_page": 50}).json()
    (listed,) = [s for s in page["contents"] if s["name"] == name]
    return client.get(f"/oruk/services/{listed['id']}").json()


def test_oruk_exports_the_ages_and_imports_them_back(
    client: TestClient, tokens: dict, derby: Kith, listings: dict, tmp_path: Path
) -> None:
    token = tokens["coordinator"]
    form = {"id": "a-elig-club", "name": "Young Carers Club", "venueId": "v-elig",
            "sessions": [{"day": "FRIDAY", "start": "16:00"}],
            "eligibility": {"minAge": 11, "maxAge": 18}}  # fmt: skip
    assert "errors" not in call(client, ACTIVITY, token, i=form)
    out = oruk_service(client, "Young Carers Club")
    assert (out["minimum_age"], out["maximum_age"]) == (11, 18)
    assert out["eligibility_description"] == "For people aged 11 to 18"
    women = oruk_service(client, "a-elig-women")
    assert women["eligibility_description"] == "For women"  # ORUK has no structured gender
    # back in as ORUK data: a new service id, the same ages, who it is for as text
    back = {**out, "id": "6f0f6b1e-5d8a-4a43-9a3e-0c2b7f1d0a11", "name": "Young Carers Club II"}
    source = tmp_path / "services.json"
    source.write_text(json.dumps([back]), encoding="utf-8")
    report = load_oruk(derby, source)
    assert report.skipped == 0 and not report.problems, report
    again = oruk_service(client, "Young Carers Club II")
    assert (again["minimum_age"], again["maximum_age"]) == (11, 18)
    assert again["eligibility_description"] == "For people aged 11 to 18"
    found = call(client, FOUND, None, t="Young Carers Club II")["data"]["search"]["edges"]
    imported = [e["node"] for e in found if e["node"]["name"] == "Young Carers Club II"]
    assert [a["eligibility"] for a in imported] == [{"genders": [], "minAge": 11, "maxAge": 18}]
    forty = someone(client, token, gender="FEMALE", birthYear=born(40))
    assert not {"a-elig-club", imported[0]["id"]} & set(suggested(client, token, forty))
