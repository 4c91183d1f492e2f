"""Winter plans and carer emergency plans through GraphQL: a coordinator names two helpers,
each with the needs they cover, and whoever steps in if the carer falls ill; each helper sees
only their own part (myHelping) and never the person's record; bad input is named and changes
nothing; export holds it all, and erasure takes it away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of

ADD = """mutation($input: PersonInput!) { addPerson(input: $input) { person { id } } }"""
REGISTER = """mutation($input: VolunteerInput!) { registerVolunteer(input: $input) {
    volunteer { id } token } }"""
APPROVE = """mutation($id: ID!, $dbs: Date) { approveVolunteer(id: $id, dbsCheckedOn: $dbs) {
    volunteer { id approved } } }"""
EVERY_NEED = ["PRESCRIPTIONS", "SHOPPING", "CHECK_IN", "LIFTS", "SNOW_CLEARING"]
CHECKED = (date.today() - timedelta(days=100)).isoformat()
PLAN = """winterPlan { needs contacts ifCarerIsIll updatedAt stepsIn { id name }
    helpers { id needs person { name } } }"""
SET = f"""mutation($id: ID!, $input: WinterPlanInput!) {{ setWinterPlan(personId: $id,
    input: $input) {{ person {{ id {PLAN} }} }} }}"""
READ = f"query($id: ID!) {{ person(id: $id) {{ id {PLAN} }} }}"
HELPING = """{ myHelping { personId name postcode needs contacts stepsIn ifCarerIsIll } }"""
EXPORT = "query($id: ID!) { exportPerson(id: $id) }"
FORGET = "mutation($id: ID!) { forgetPerson(id: $id) { deleted } }"
EMERGENCY = "Walter gives Winnie her tablets at 8 and 8; the list is in the kitchen drawer."
CONTACTS = ["Daughter Sue 07700 900123", "Dr Patel's surgery 01332 000000"]


def person(client: TestClient, co: str, name: str, **more: object) -> str:
    given = {"name": name, "birthYear": 1938, "place": {"postcode": "DE22 3AB"},
             "consentToMatching": True, **more}  # fmt: skip
    body = call(client, ADD, co, input=given)
    assert "errors" not in body, body
    return body["data"]["addPerson"]["person"]["id"]


def volunteer(
    client: TestClient, co: str | None, name: str, helps: list[str] = EVERY_NEED,
    dbs: str | None = CHECKED,
) -> tuple[str, str]:  # fmt: skip
    """A registered volunteer's id and token, offering ``helps``, approved by ``co`` (with the
    date of their DBS check) unless that is None."""
    given = {"name": name, "place": {"postcode": "DE22 3AB"}, "maxTravelKm": 5, "capacity": 2,
             "consentToMatching": True, "helps": helps}  # fmt: skip
    body = call(client, REGISTER, None, input=given)["data"]["registerVolunteer"]
    if co is not None:
        approved = call(client, APPROVE, co, id=body["volunteer"]["id"], dbs=dbs)
        assert approved["data"]["approveVolunteer"]["volunteer"]["approved"], approved
    return body["volunteer"]["id"], body["token"]


@dataclass
class World:
    winnie: str  # cared for by walter
    walter: str
    hetty: tuple[str, str]  # helpers: (id, token)
    harry: tuple[str, str]
    sam: tuple[str, str]  # steps in if Walter falls ill


@pytest.fixture(scope="module")
def world(client: TestClient, tokens: dict) -> World:
    co = tokens["coordinator"]
    winnie = person(client, co, "Winnie Winter")
    walter = person(client, co, "Walter Winter", caresFor=[winnie])
    helpers = [volunteer(client, co, name) for name in ("Hetty Helper", "Harry Helper")]
    return World(winnie, walter, *helpers, volunteer(client, co, "Sam Stepsin"))


def full_plan(w: World) -> dict:
    return {
        "needs": ["SNOW_CLEARING", "PRESCRIPTIONS", "SHOPPING"],
        "helpers": [w.hetty[0], w.harry[0]],
        "helperNeeds": [{"helperId": w.hetty[0], "needs": ["PRESCRIPTIONS"]},
                        {"helperId": w.harry[0], "needs": ["SHOPPING", "SNOW_CLEARING"]}],
        "contacts": CONTACTS, "ifCarerIsIll": EMERGENCY, "stepsIn": w.sam[0],
    }  # fmt: skip


def set_plan(client: TestClient, token: str, person_id: str, plan: dict) -> dict:
    body = call(client, SET, token, id=person_id, input=plan)
    assert "errors" not in body, body
    return body["data"]["setWinterPlan"]["person"]["winterPlan"]


def plan_of(client: TestClient, token: str, person_id: str) -> dict | None:
    body = call(client, READ, token, id=person_id)
    assert "errors" not in body, body
    return body["data"]["person"]["winterPlan"]


def helping(client: TestClient, token: str) -> list[dict]:
    body = call(client, HELPING, token)
    assert "errors" not in body, body
    return body["data"]["myHelping"]


def test_a_plan_names_two_helpers_and_who_steps_in_and_each_sees_only_their_part(
    client: TestClient, tokens: dict, world: World, derby: Kith
) -> None:
    co, w = tokens["coordinator"], world
    assert plan_of(client, co, w.winnie) is None
    written = set_plan(client, co, w.winnie, full_plan(w))
    assert written["needs"] == ["PRESCRIPTIONS", "SHOPPING", "SNOW_CLEARING"]  # the enum's order
    assert [(h["id"], h["needs"], h["person"]["name"]) for h in written["helpers"]] == [
        (w.hetty[0], ["PRESCRIPTIONS"], "Hetty Helper"),
        (w.harry[0], ["SHOPPING", "SNOW_CLEARING"], "Harry Helper"),
    ]
    assert written["stepsIn"] == {"id": w.sam[0], "name": "Sam Stepsin"}
    assert written["contacts"] == CONTACTS and written["ifCarerIsIll"] == EMERGENCY
    assert plan_of(client, co, w.winnie) == written
    assert "winterPlan.update" in {e.action for e in audit.about(derby.store, w.winnie)}

    winnie = {"personId": w.winnie, "name": "Winnie Winter", "postcode": "DE22 3AB",
              "contacts": CONTACTS}  # fmt: skip
    assert helping(client, w.hetty[1]) == [
        {**winnie, "needs": ["PRESCRIPTIONS"], "stepsIn": False, "ifCarerIsIll": None}
    ]
    assert helping(client, w.harry[1]) == [
        {**winnie, "needs": ["SHOPPING", "SNOW_CLEARING"], "stepsIn": False,
         "ifCarerIsIll": None}]  # fmt: skip
    assert helping(client, w.sam[1]) == [
        {**winnie, "needs": [], "stepsIn": True, "ifCarerIsIll": EMERGENCY}
    ]
    (seen, *_) = audit.about(derby.store, w.winnie)
    assert (seen.action, seen.role) == ("winterPlan.helping", "VOLUNTEER")

    # The helper's path is narrow: the person's record and plan stay closed to them.
    for query in (READ, "query($id: ID!) { person(id: $id) { name conditions { id } } }"):
        refused = call(client, query, w.hetty[1], id=w.winnie)
        assert code_of(refused) == "FORBIDDEN" and "Winnie" not in str(refused)
    assert code_of(call(client, EXPORT, w.hetty[1], id=w.winnie)) == "FORBIDDEN"


def test_export_holds_the_plan_its_history_and_the_helpers_part(
    client: TestClient, tokens: dict, world: World
) -> None:
    co, w = tokens["coordinator"], world
    set_plan(client, co, w.winnie, full_plan(w))
    set_plan(client, co, w.winnie, {**full_plan(w), "contacts": CONTACTS[:1]})
    held = call(client, EXPORT, co, id=w.winnie)["data"]["exportPerson"]["winter_plan"]
    assert held["contacts"] == CONTACTS[:1] and held["ifCarerIsIll"] == EMERGENCY
    assert {(n["id"], tuple(n["needs"]), n["stepsIn"]) for n in held["named"]} == {
        (w.hetty[0], ("PRESCRIPTIONS",), False),
        (w.harry[0], ("SHOPPING", "SNOW_CLEARING"), False), (w.sam[0], (), True),
    }  # fmt: skip
    assert held["history"][-1]["contacts"] == CONTACTS
    assert len(held["history"][-1]["named"]) == 3
    own = call(client, EXPORT, w.hetty[1], id=w.hetty[0])["data"]["exportPerson"]
    assert own["named_in_winter_plans"] == [
        {"for": w.winnie, "needs": ["PRESCRIPTIONS"], "stepsIn": False}
    ]
    assert call(client, EXPORT, co, id=w.winnie)["data"]["exportPerson"][
        "named_in_winter_plans"] == []  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        (lambda w, o: {"helpers": [w.hetty[0], o["stray"]]}, "helpers",
         "is not an approved volunteer"),
        (lambda w, o: {"helpers": [o["nobody"]]}, "helpers",
         "is not an approved volunteer"),
        (lambda w, o: {"helpers": [w.winnie]}, "helpers", "their own helper"),
        (lambda w, o: {"helpers": [o["picky"]], "helperNeeds": []}, "helpers",
         "does not offer SHOPPING"),
        (lambda w, o: {"helpers": [o["unchecked"]],
                       "helperNeeds": [{"helperId": o["unchecked"], "needs": ["SHOPPING"]}]},
         "helpers", "no current DBS check, which SHOPPING needs"),
        (lambda w, o: {"helperNeeds": [{"helperId": w.hetty[0], "needs": ["LIFTS"]}]},
         "helperNeeds", "LIFTS is not one of the plan's needs"),
        (lambda w, o: {"needs": [], "helperNeeds": []}, "helpers",
         "covers none of the plan's needs"),
        (lambda w, o: {"stepsIn": w.walter}, "stepsIn", "other than the person"),
        (lambda w, o: {"stepsIn": "p-nobody-here"}, "stepsIn", "no person"),
        (lambda w, o: {"contacts": ["x" * 201]}, "contacts", "at most 200"),
        (lambda w, o: {"contacts": ["Sue"] * 11}, "contacts", "at most 10"),
        (lambda w, o: {"ifCarerIsIll": "y" * 2001}, "ifCarerIsIll", "at most 2000"),
    ],
    ids=["unapproved", "not-a-volunteer", "themself", "not-offered", "no-dbs", "need-outside",
         "no-needs", "carer-steps-in", "unknown-steps-in", "long-contact", "many-contacts",
         "long-emergency"],
)  # fmt: skip
def test_bad_input_is_named_and_the_plan_stays_as_it_was(
    client: TestClient, tokens: dict, world: World, change, field: str, said: str
) -> None:
    co, w = tokens["coordinator"], world
    stray, _ = volunteer(client, None, "Una Unapproved")
    nobody = person(client, co, "Norman Notavolunteer")
    picky, _ = volunteer(client, co, "Pat Prescriptions", helps=["PRESCRIPTIONS"])
    unchecked, _ = volunteer(client, co, "Uri Unchecked", dbs=None)
    others = {"stray": stray, "nobody": nobody, "picky": picky, "unchecked": unchecked}
    before = set_plan(client, co, w.winnie, full_plan(w))
    body = call(client, SET, co, id=w.winnie, input={**full_plan(w), **change(w, others)})
    assert code_of(body) == "BAD_USER_INPUT"
    (error,) = body["errors"]
    assert error["extensions"]["field"] == field and said in error["message"], error
    assert plan_of(client, co, w.winnie) == before


def test_the_carer_emergency_part_is_only_for_someone_a_carer_looks_after(
    client: TestClient, tokens: dict, world: World
) -> None:
    co, w = tokens["coordinator"], world
    alone = person(client, co, "Alice Alone")
    for given, field in (({"ifCarerIsIll": EMERGENCY}, "ifCarerIsIll"),
                         ({"stepsIn": w.sam[0]}, "stepsIn")):  # fmt: skip
        body = call(client, SET, co, id=alone, input={"needs": ["CHECK_IN"], **given})
        assert code_of(body) == "BAD_USER_INPUT", body
        assert body["errors"][0]["extensions"]["field"] == field
        assert "nobody's caresFor includes" in body["errors"][0]["message"]
    assert plan_of(client, co, alone) is None
    # A helper named without helperNeeds covers every need of the plan.
    plain = set_plan(client, co, alone, {"needs": ["CHECK_IN", "LIFTS"], "helpers": [w.harry[0]]})
    assert [h["needs"] for h in plain["helpers"]] == [["CHECK_IN", "LIFTS"]]
    assert plain["stepsIn"] is None and plain["ifCarerIsIll"] is None


def test_only_coordinators_write_and_only_volunteers_ask_what_they_help_with(
    client: TestClient, tokens: dict, world: World
) -> None:
    plan = {"needs": ["SHOPPING"]}
    for token, code in ((tokens["prescriber"], "FORBIDDEN"), (world.hetty[1], "FORBIDDEN"),
                        (None, "UNAUTHENTICATED")):  # fmt: skip
        assert code_of(call(client, SET, token, id=world.winnie, input=plan)) == code
    assert code_of(call(client, SET, tokens["coordinator"], id="p-nobody",
                        input=plan)) == "NOT_FOUND"  # fmt: skip
    assert code_of(call(client, HELPING, tokens["coordinator"])) == "FORBIDDEN"
    assert code_of(call(client, HELPING, None)) == "UNAUTHENTICATED"
    assert code_of(call(client, READ, tokens["prescriber"], id=world.winnie)) == "FORBIDDEN"


WINTER_PLANS = "MATCH (wp:WinterPlan) RETURN count(wp) AS n"


def test_erasing_a_helper_takes_their_part_and_erasing_the_person_takes_the_plan(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co = tokens["coordinator"]
    before = derby.store.read(lambda tx: tx.run(WINTER_PLANS).single()["n"])
    ivy = person(client, co, "Ivy Icy")
    gone, token = volunteer(client, co, "Gina Gone")
    stays, _ = volunteer(client, co, "Stan Stays")
    set_plan(client, co, ivy, {"needs": ["SNOW_CLEARING"], "helpers": [gone, stays]})
    assert len(helping(client, token)) == 1
    assert call(client, FORGET, co, id=gone)["data"]["forgetPerson"]["deleted"] is True
    assert [h["id"] for h in plan_of(client, co, ivy)["helpers"]] == [stays]
    assert call(client, FORGET, co, id=ivy)["data"]["forgetPerson"]["deleted"] is True
    assert derby.store.read(lambda tx: tx.run(WINTER_PLANS).single()["n"]) == before


MERGE = """mutation($keep: ID!, $merge: ID!) { mergePeople(keepId: $keep, mergeId: $merge) {
    person { id } } }"""


def test_after_a_merge_of_a_helpers_two_records_the_one_kept_is_named_with_their_part(
    client: TestClient, tokens: dict
) -> None:
    co = tokens["coordinator"]
    olive = person(client, co, "Olive Onerecord")
    keep, _ = volunteer(client, co, "Mavis Merged")
    drop, token = volunteer(client, co, "Mavis Merged")
    lifts = [{"helperId": drop, "needs": ["LIFTS"]}]
    set_plan(client, co, olive, {"needs": ["PRESCRIPTIONS", "LIFTS"], "helperNeeds": lifts})
    assert "errors" not in call(client, MERGE, co, keep=keep, merge=drop)
    assert [(h["id"], h["needs"]) for h in plan_of(client, co, olive)["helpers"]] == [
        (keep, ["LIFTS"])
    ]
    assert [h["needs"] for h in helping(client, token)] == [["LIFTS"]]  # the account moved too
