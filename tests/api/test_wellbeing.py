"""Wellbeing measures through GraphQL: scores as each measure's publisher defines them, the
change from baseline to follow-up, five kinds of wrong input refused with nothing written,
who may record and read, follow-ups falling due, and what export and erasure do with them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from kith import audit
from kith.errors import InvalidInput
from kith.service import Kith
from kith.settings import Settings

from ..conftest import call, code_of

RECORD = """mutation($id: ID!, $input: WellbeingInput!) { recordWellbeing(personId: $id,
    input: $input) { record { id measure timepoint takenOn answers followUpDue
    scores { name value } } person { id } } }"""
READ = """query($id: ID!) { person(id: $id) { id
    wellbeing { measure timepoint takenOn answers scores { name value } }
    wellbeingSummary { measure score baseline baselineOn latest latestOn change
                       higherIsBetter verdict } } }"""
DUE = """query($on: Date) { followUpsDue(on: $on) { person { id name } measures baselineOn
    dueOn } }"""
REFER = """mutation($input: ReferralInput!) { referPerson(input: $input) { person { id } } }"""
FORGET = "mutation($id: ID!) { forgetPerson(id: $id) { deleted } }"
EXPORT = "query($id: ID!) { exportPerson(id: $id) }"
TODAY = date.today()
BASELINE_ON = TODAY - timedelta(days=100)


def referred(client: TestClient, token: str, name: str) -> str:
    """A new person, referred by the holder of ``token`` (so a prescriber may read them)."""
    person = {"name": name, "birthYear": 1950, "place": {"postcode": "DE22 3AB"},
              "consentToMatching": True}  # fmt: skip
    body = call(client, REFER, token, input={"person": person, "reason": "low mood",
                                             "urgency": "ROUTINE"})  # fmt: skip
    assert "errors" not in body, body
    return body["data"]["referPerson"]["person"]["id"]


def measure(
    measure: str, answers: list[int], timepoint: str = "BASELINE", on: date = BASELINE_ON
) -> dict:
    return {"measure": measure, "timepoint": timepoint, "answers": answers,
            "takenOn": on.isoformat()}  # fmt: skip


def recorded(client: TestClient, token: str, person_id: str, taken: dict) -> dict:
    body = call(client, RECORD, token, id=person_id, input=taken)
    assert "errors" not in body, body
    return body["data"]["recordWellbeing"]["record"]


def scores(record: dict) -> dict[str, float]:
    return {s["name"]: s["value"] for s in record["scores"]}


RECORDS = "MATCH (w:WellbeingRecord) RETURN count(w) AS n"


def held_records(kith: Kith) -> int:
    return kith.store.read(lambda tx: tx.run(RECORDS).single()["n"])


def test_ons4_at_baseline_and_follow_up_gives_four_scores_and_their_change(
    client: TestClient, tokens: dict
) -> None:
    person = referred(client, tokens["prescriber"], "Winifred Ons")
    co = tokens["coordinator"]
    first = recorded(client, co, person, measure("ONS4", [7, 8, 6, 3]))
    assert first["measure"] == "ONS4" and first["timepoint"] == "BASELINE"
    assert first["takenOn"] == BASELINE_ON.isoformat() and first["answers"] == [7, 8, 6, 3]
    assert scores(first) == {"lifeSatisfaction": 7, "worthwhile": 8, "happiness": 6,
                             "anxiety": 3}  # fmt: skip
    assert first["followUpDue"] == (BASELINE_ON + timedelta(weeks=12)).isoformat()
    later = recorded(client, co, person, measure("ONS4", [8, 8, 7, 2], "FOLLOW_UP", TODAY))
    assert scores(later) == {"lifeSatisfaction": 8, "worthwhile": 8, "happiness": 7,
                             "anxiety": 2}  # fmt: skip
    assert later["followUpDue"] is None

    read = call(client, READ, co, id=person)["data"]["person"]
    assert [r["timepoint"] for r in read["wellbeing"]] == ["BASELINE", "FOLLOW_UP"]
    changes = {c["score"]: c for c in read["wellbeingSummary"]}
    assert list(changes) == ["lifeSatisfaction", "worthwhile", "happiness", "anxiety"]
    assert {s: (c["baseline"], c["latest"], c["change"], c["verdict"])
            for s, c in changes.items()} == {
        "lifeSatisfaction": (7, 8, 1, "BETTER"), "worthwhile": (8, 8, 0, "SAME"),
        "happiness": (6, 7, 1, "BETTER"),
        "anxiety": (3, 2, -1, "BETTER"),  # less anxious is better: ONS4 anxiety runs the other way
    }  # fmt: skip
    assert not changes["anxiety"]["higherIsBetter"] and changes["happiness"]["higherIsBetter"]
    assert changes["anxiety"]["baselineOn"] == BASELINE_ON.isoformat()
    assert changes["anxiety"]["latestOn"] == TODAY.isoformat()


def test_swemwbs_is_scored_with_the_published_conversion_and_ucla3_as_a_total(
    client: TestClient, tokens: dict
) -> None:
    person = referred(client, tokens["coordinator"], "Sybil Warwick")
    co = tokens["coordinator"]
    # Warwick Medical School's SWEMWBS conversion table: raw 7 -> 7.00, 21 -> 19.25, 35 -> 35.00.
    metric = [scores(recorded(client, co, person, measure("SWEMWBS", [n] * 7)))["wellbeing"]
              for n in (1, 3, 5)]  # fmt: skip
    assert metric == [7.00, 19.25, 35.00]
    assert scores(recorded(client, co, person, measure("UCLA3", [1, 2, 3]))) == {"loneliness": 6}

    # The summary reads from the latest baseline: loneliness had none before, so no change yet.
    summary = call(client, READ, co, id=person)["data"]["person"]["wellbeingSummary"]
    assert [(c["measure"], c["score"], c["change"], c["verdict"]) for c in summary] == [
        ("SWEMWBS", "wellbeing", None, None), ("UCLA3", "loneliness", None, None),
    ]  # fmt: skip
    assert summary[0]["baseline"] == 35.00
    recorded(client, co, person, measure("UCLA3", [2, 2, 3], "FOLLOW_UP", TODAY))
    summary = call(client, READ, co, id=person)["data"]["person"]["wellbeingSummary"]
    assert (summary[1]["change"], summary[1]["verdict"]) == (1, "WORSE")  # lonelier is worse


@pytest.mark.parametrize(
    ("who", "person", "taken", "code", "field"),
    [
        ("coordinator", "mine", measure("ONS4", [7, 8, 6]), "BAD_USER_INPUT", "answers"),
        ("coordinator", "mine", measure("ONS4", [7, 8, 6, 11]), "BAD_USER_INPUT", "answers"),
        ("coordinator", "mine", measure("SWEMWBS", [0, 1, 1, 1, 1, 1, 1]), "BAD_USER_INPUT",
         "answers"),
        ("coordinator", "mine", measure("WHO5", [3, 3, 3, 3, 3]), "BAD_USER_INPUT", "query"),
        ("coordinator", "mine", measure("ONS4", [7, 8, 6, 3], on=TODAY + timedelta(days=1)),
         "BAD_USER_INPUT", "takenOn"),
        ("coordinator", "mine", measure("UCLA3", [1, 1, 1], "FOLLOW_UP"), "BAD_USER_INPUT",
         "timepoint"),
        ("prescriber", "mine", measure("ONS4", [7, 8, 6, 3]), "FORBIDDEN", None),
        ("other_prescriber", "mine", measure("ONS4", [7, 8, 6, 3]), "FORBIDDEN", None),
        ("coordinator", "p-nobody", measure("ONS4", [7, 8, 6, 3]), "NOT_FOUND", None),
        (None, "mine", measure("ONS4", [7, 8, 6, 3]), "UNAUTHENTICATED", None),
    ],
    ids=["count", "range", "range-swemwbs", "unknown-measure", "future-date",
         "follow-up-without-baseline", "prescriber-records", "not-theirs", "nobody", "public"],
)  # fmt: skip
def test_wrong_input_is_refused_naming_what_was_wrong_and_nothing_is_written(
    client: TestClient, tokens: dict, derby: Kith, who: str | None, person: str, taken: dict,
    code: str, field: str | None, request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    mine = referred(client, tokens["prescriber"], f"Rae Refused {request.node.callspec.id}")
    before = held_records(derby)
    body = call(client, RECORD, tokens.get(who or ""), id=mine if person == "mine" else person,
                input=taken)  # fmt: skip
    assert code_of(body) == code, body
    if field:
        assert body["errors"][0]["extensions"]["field"] == field
        assert field != "query" or "WellbeingMeasure" in body["errors"][0]["message"]
    assert held_records(derby) == before
    read = call(client, READ, tokens["coordinator"], id=mine)["data"]["person"]
    assert read["wellbeing"] == [] and read["wellbeingSummary"] == []


def test_a_prescriber_reads_the_wellbeing_of_the_people_they_referred_and_no_one_elses(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    mine = referred(client, tokens["prescriber"], "Ada Referred")
    theirs = referred(client, tokens["other_prescriber"], "Bea Elsewhere")
    for person in (mine, theirs):
        recorded(client, tokens["coordinator"], person, measure("UCLA3", [3, 3, 2]))

    seen = call(client, READ, tokens["prescriber"], id=mine)["data"]["person"]
    assert [scores(r) for r in seen["wellbeing"]] == [{"loneliness": 8}]
    assert [c["baseline"] for c in seen["wellbeingSummary"]] == [8]
    assert audit.about(derby.store, mine)[0].action == "wellbeing.read"

    refused = call(client, READ, tokens["prescriber"], id=theirs)
    assert code_of(refused) == "FORBIDDEN" and refused["data"] is None
    assert "Bea" not in str(refused) and "loneliness" not in str(refused)
    denied = [e for e in audit.about(derby.store, theirs) if e.outcome == "denied"]
    assert denied and denied[0].actor != "public"


def test_a_baselines_follow_up_is_due_twelve_weeks_on_until_one_is_taken(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co = tokens["coordinator"]
    person = referred(client, co, "Flora Followup")
    recorded(client, co, person, measure("ONS4", [5, 5, 5, 5]))
    recorded(client, co, person, measure("UCLA3", [2, 2, 2], on=BASELINE_ON + timedelta(days=3)))
    due = BASELINE_ON + timedelta(weeks=12)

    def listed(on: date) -> list[dict]:
        body = call(client, DUE, co, on=on.isoformat())
        assert "errors" not in body, body
        return [f for f in body["data"]["followUpsDue"] if f["person"]["id"] == person]

    assert listed(due - timedelta(days=1)) == []
    assert listed(due) == [{"person": {"id": person, "name": "Flora Followup"},
                            "measures": ["ONS4"], "baselineOn": BASELINE_ON.isoformat(),
                            "dueOn": due.isoformat()}]  # fmt: skip
    listing = audit.about(derby.store, person)[:2]  # newest first: the listing just read
    assert {e.action for e in listing} == {"person.read", "wellbeing.read"}
    assert listed(TODAY)[0]["measures"] == ["ONS4", "UCLA3"]
    everyone = call(client, DUE, co)["data"]["followUpsDue"]  # today, when no day is given
    assert [f["measures"] for f in everyone if f["person"]["id"] == person] == [["ONS4", "UCLA3"]]
    assert [f["dueOn"] for f in everyone] == sorted(f["dueOn"] for f in everyone)

    recorded(client, co, person, measure("ONS4", [6, 6, 6, 4], "FOLLOW_UP", TODAY))
    assert listed(TODAY)[0]["measures"] == ["UCLA3"]
    recorded(client, co, person, measure("UCLA3", [1, 2, 2], "FOLLOW_UP", TODAY))
    assert listed(TODAY) == []

    assert code_of(call(client, DUE, tokens["prescriber"])) == "FORBIDDEN"
    assert code_of(call(client, DUE, None)) == "UNAUTHENTICATED"


def test_the_follow_up_interval_is_read_from_kith_follow_up_weeks() -> None:
    assert Settings.from_env({}).follow_up_weeks == 12
    assert Settings.from_env({"KITH_FOLLOW_UP_WEEKS": "8"}).follow_up_weeks == 8
    for wrong in ("0", "six", "-2"):
        with pytest.raises(InvalidInput, match="KITH_FOLLOW_UP_WEEKS"):
            Settings.from_env({"KITH_FOLLOW_UP_WEEKS": wrong})


def test_export_holds_every_measure_with_its_scores_and_erasure_removes_them(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    co = tokens["coordinator"]
    person = referred(client, co, "Erin Erased")
    recorded(client, co, person, measure("SWEMWBS", [2, 3, 3, 4, 2, 3, 3]))
    held = call(client, EXPORT, co, id=person)["data"]["exportPerson"]["wellbeing"]
    assert [(r["measure"], r["timepoint"], r["taken_on"], r["answers"], r["scores"])
            for r in held] == [("SWEMWBS", "BASELINE", BASELINE_ON.isoformat(),
                                [2, 3, 3, 4, 2, 3, 3], {"wellbeing": 18.59})]  # fmt: skip
    before = held_records(derby)
    assert call(client, FORGET, co, id=person)["data"]["forgetPerson"]["deleted"] is True
    assert held_records(derby) == before - 1
