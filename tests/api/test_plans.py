"""A person's plan through GraphQL: a coordinator writes it, everyone who may read the person
reads the same single plan (a prescriber only for the people they referred), every version is
kept, bad input is named and changes nothing, and merges, export and erasure keep it whole."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of

SET = """mutation($id: ID!, $input: PlanInput!) { setPlan(personId: $id, input: $input) {
    person { id plan { whatMatters reviewOn updatedAt goals { id text status steps } } } } }"""
READ = """query($id: ID!) { person(id: $id) { id
    plan { whatMatters reviewOn updatedAt goals { id text status steps } } } }"""
REFER = """mutation($input: ReferralInput!) { referPerson(input: $input) { person { id } } }"""
MERGE = """mutation($keep: ID!, $merge: ID!) { mergePeople(keepId: $keep, mergeId: $merge) {
    person { id } } }"""
EXPORT = "query($id: ID!) { exportPerson(id: $id) }"
FORGET = "mutation($id: ID!) { forgetPerson(id: $id) { deleted } }"
REVIEW = date.today() + timedelta(weeks=8)
FIRST = {
    "whatMatters": "Getting out of the house again, and seeing people who knew my husband.",
    "goals": [
        {"text": "Go to a knit and natter group", "steps": ["Find one near home",
                                                            "Go once with a volunteer"]},
        {"text": "Walk to the shops on my own"},
    ],
    "reviewOn": REVIEW.isoformat(),
}  # fmt: skip


def referred(client: TestClient, token: str, name: str) -> str:
    person = {"name": name, "birthYear": 1948, "place": {"postcode": "DE22 3AB"},
              "consentToMatching": True}  # fmt: skip
    body = call(client, REFER, token, input={"person": person, "reason": "isolated",
                                             "urgency": "ROUTINE"})  # fmt: skip
    assert "errors" not in body, body
    return body["data"]["referPerson"]["person"]["id"]


def set_plan(client: TestClient, token: str, person_id: str, plan: dict) -> dict:
    body = call(client, SET, token, id=person_id, input=plan)
    assert "errors" not in body, body
    return body["data"]["setPlan"]["person"]["plan"]


def plan_of(client: TestClient, token: str, person_id: str) -> dict | None:
    body = call(client, READ, token, id=person_id)
    assert "errors" not in body, body
    return body["data"]["person"]["plan"]


def test_a_coordinator_writes_the_plan_and_the_referring_prescriber_reads_the_same_one(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co, gp = tokens["coordinator"], tokens["prescriber"]
    person = referred(client, gp, "Peggy Planner")
    assert plan_of(client, co, person) is None
    written = set_plan(client, co, person, FIRST)
    assert written["whatMatters"] == FIRST["whatMatters"]
    assert written["reviewOn"] == REVIEW.isoformat()
    assert [(g["text"], g["status"], g["steps"]) for g in written["goals"]] == [
        ("Go to a knit and natter group", "OPEN", ["Find one near home",
                                                   "Go once with a volunteer"]),
        ("Walk to the shops on my own", "OPEN", []),
    ]  # fmt: skip
    assert all(g["id"] for g in written["goals"])
    assert plan_of(client, gp, person) == plan_of(client, co, person) == written
    assert audit.about(derby.store, person)[0].action == "plan.read"
    assert "plan.update" in {e.action for e in audit.about(derby.store, person)}

    # The next version changes one goal by its id, drops the other, and adds a third.
    knit, walk = written["goals"]
    second = {"whatMatters": FIRST["whatMatters"], "goals": [
        {**knit, "status": "MET", "steps": ["Goes every Tuesday"]},
        {"id": walk["id"], "text": walk["text"], "status": "DROPPED"},
        {"text": "Learn to video-call my grandson"},
    ]}  # fmt: skip
    again = set_plan(client, co, person, second)
    changed = [(g["id"], g["status"]) for g in again["goals"][:2]]
    assert changed == [(knit["id"], "MET"), (walk["id"], "DROPPED")]
    assert again["goals"][2]["id"] not in (knit["id"], walk["id"])
    assert again["reviewOn"] is None  # the whole plan is sent: what is left out goes
    assert again["updatedAt"] > written["updatedAt"]

    # Every earlier version is kept, with who wrote it and when.
    held = call(client, EXPORT, co, id=person)["data"]["exportPerson"]["plan"]
    assert [g["status"] for g in held["goals"]] == ["MET", "DROPPED", "OPEN"]
    (earlier,) = held["history"]
    assert earlier["reviewOn"] == REVIEW.isoformat() and earlier["updatedBy"]
    assert [g["text"] for g in earlier["goals"]] == [g["text"] for g in FIRST["goals"]]


def test_a_prescriber_reads_no_plan_of_someone_they_did_not_refer_and_writes_none(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co = tokens["coordinator"]
    theirs = referred(client, tokens["other_prescriber"], "Olga Otherwise")
    set_plan(client, co, theirs, FIRST)
    refused = call(client, READ, tokens["prescriber"], id=theirs)
    assert code_of(refused) == "FORBIDDEN" and refused["data"] is None
    assert "knit" not in str(refused)
    assert code_of(call(client, SET, tokens["other_prescriber"], id=theirs,
                        input=FIRST)) == "FORBIDDEN"  # fmt: skip
    assert code_of(call(client, SET, None, id=theirs, input=FIRST)) == "UNAUTHENTICATED"
    assert code_of(call(client, SET, co, id="p-nobody", input=FIRST)) == "NOT_FOUND"
    assert plan_of(client, tokens["other_prescriber"], theirs)["goals"][0]["text"] == (
        "Go to a knit and natter group")  # fmt: skip


TOO_FAR = (date.today() + timedelta(days=3 * 365)).isoformat()


@pytest.mark.parametrize(
    ("plan", "field", "said"),
    [
        ({"whatMatters": "x" * 2001}, "whatMatters", "at most 2000"),
        ({"goals": [{"text": f"goal {n}"} for n in range(21)]}, "goals", "at most 20 goals"),
        ({"goals": [{"text": "ok"}, {"text": "  "}]}, "goals", "goal 2 is required"),
        ({"goals": [{"text": "ok", "steps": ["s" * 501]}]}, "goals", "goal 1, step 1"),
        ({"goals": [{"text": "ok", "steps": ["s"] * 21}]}, "goals", "at most 20 steps"),
        ({"goals": [{"id": "goal-elsewhere", "text": "ok"}]}, "goals", "not a goal of this plan"),
        ({"reviewOn": TOO_FAR}, "reviewOn", "must be between"),
        ({"reviewOn": "1999-12-31"}, "reviewOn", "must be between"),
    ],
    ids=["what-matters-long", "many-goals", "empty-goal", "long-step", "many-steps",
         "unknown-goal", "review-far", "review-old"],
)  # fmt: skip
def test_bad_input_is_named_and_the_plan_stays_as_it_was(
    client: TestClient, tokens: dict, plan: dict, field: str, said: str,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    co = tokens["coordinator"]
    person = referred(client, co, f"Vera Valid {request.node.callspec.id}")  # one each: told once
    before = set_plan(client, co, person, FIRST)
    body = call(client, SET, co, id=person, input=plan)
    assert code_of(body) == "BAD_USER_INPUT"
    (error,) = body["errors"]
    assert error["extensions"]["field"] == field and said in error["message"], error
    assert plan_of(client, co, person) == before
    held = call(client, EXPORT, co, id=person)["data"]["exportPerson"]["plan"]
    assert held["history"] == []


def test_after_a_merge_the_plan_changed_last_is_the_persons_and_both_are_kept(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co = tokens["coordinator"]
    before = held_plans(derby)
    keep, drop = referred(client, co, "Marjorie Merge"), referred(client, co, "Marjory Merge")
    set_plan(client, co, keep, {"whatMatters": "older"})
    newer = set_plan(client, co, drop, {"whatMatters": "newer"})
    assert "errors" not in call(client, MERGE, co, keep=keep, merge=drop)
    assert plan_of(client, co, keep) == newer
    set_plan(client, co, keep, {"whatMatters": "after the merge"})
    assert plan_of(client, co, keep)["whatMatters"] == "after the merge"

    assert held_plans(derby) - before == 2  # each record's plan moved onto the one kept
    assert call(client, FORGET, co, id=keep)["data"]["forgetPerson"]["deleted"] is True
    assert held_plans(derby) == before


PLANS = "MATCH (pl:Plan) RETURN count(pl) AS n"


def held_plans(kith: Kith) -> int:
    return kith.store.read(lambda tx: tx.run(PLANS).single()["n"])
