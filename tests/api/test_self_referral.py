"""Self-referral through GraphQL on the app users get: anyone may ask for support and is told a
reference only; it reaches the coordinators' queue as RECEIVED from SELF, for a new person
even when someone alike is held; nobody else sees it; bad input is named and writes nothing;
and each client address may ask five times an hour, counted in the store for every worker."""

from __future__ import annotations

import re
from datetime import date

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance
from graph.store import connect
from kith import audit
from kith.lockout import Lockout, RateLimit
from kith.self_referral import ALPHABET
from kith.service import Kith

from ..conftest import call, code_of

SELF_REFER = """mutation($input: SelfReferralInput!) { selfRefer(input: $input) { reference } }"""
QUEUE = """query { referrals(status: [RECEIVED], first: 100) { edges { node {
    id source status reason reference contact referrer { id } history { by { id } from to }
    person { id name postcode ageBand } } } } }"""
GET = "query($id: ID!) { referral(id: $id) { id } }"
PAYLOAD_FIELDS = '{ __type(name: "SelfReferralPayload") { fields { name } } }'
REFER = """mutation($input: ReferralInput!) { referPerson(input: $input) { person { id } } }"""
REFERENCE = re.compile(rf"^K-[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}$")
FORM = {
    "name": "Maud Selfsend", "phone": "01332 496 000", "email": "maud@example.org",
    "postcode": "de22 3ab", "whatMatters": "I would like company; I used to love gardening",
    "consent": True, "birthYear": date.today().year - 75,
}  # fmt: skip


@pytest.fixture(scope="module")
def app(derby: Kith) -> Starlette:
    return create_app(kith=derby)


def public(app: Starlette, address: str) -> TestClient:
    """The app as a visitor at ``address`` reaches it, signed in as nobody."""
    return TestClient(app, client=(address, 50000))


def self_refer(client: TestClient, **changes: object) -> dict:
    return call(client, SELF_REFER, input={**FORM, **changes})


def reference_of(body: dict) -> str:
    assert "errors" not in body, body
    return body["data"]["selfRefer"]["reference"]


def queue(client: TestClient, token: str) -> list[dict]:
    body = call(client, QUEUE, token)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["referrals"]["edges"]]


def test_a_self_referral_reaches_the_queue_as_self_for_a_new_person_and_answers_a_reference(
    app: Starlette, tokens: dict, derby: Kith
) -> None:
    client, co = public(app, "203.0.113.1"), tokens["coordinator"]
    held = {"name": "Maud Selfsend", "birthYear": FORM["birthYear"],
            "place": {"postcode": "DE22 3AB"}, "consentToMatching": True}  # fmt: skip
    known = call(client, REFER, co, input={"person": held, "reason": "isolated"})
    known_id = known["data"]["referPerson"]["person"]["id"]

    body = self_refer(client)
    assert body == {"data": {"selfRefer": {"reference": body["data"]["selfRefer"]["reference"]}}}
    reference = reference_of(body)
    assert REFERENCE.match(reference), reference
    fields = call(client, PAYLOAD_FIELDS)["data"]["__type"]["fields"]
    assert [f["name"] for f in fields] == ["reference"]

    (found,) = [r for r in queue(client, co) if r["reference"] == reference]
    assert found["source"] == "SELF" and found["status"] == "RECEIVED"
    assert found["referrer"] is None
    assert found["reason"] == FORM["whatMatters"]
    assert found["contact"] == "phone 01332 496 000; email maud@example.org"
    assert found["history"] == [{"by": None, "from": None, "to": "RECEIVED"}]
    # Someone alike is held, but a self-referrer proves nothing: a record of its own.
    person = found["person"]
    assert person["id"] != known_id
    assert person == {"id": person["id"], "name": "Maud Selfsend", "postcode": "DE22 3AB",
                      "ageBand": "70-79"}  # fmt: skip
    received = [e for e in audit.about(derby.store, found["id"]) if e.action == "referral.receive"]
    assert [(e.actor, e.outcome) for e in received] == [("public", "allowed")]


def test_nobody_but_a_coordinator_sees_a_self_referral(app: Starlette, tokens: dict) -> None:
    client = public(app, "203.0.113.2")
    reference = reference_of(self_refer(client, name="Norah Unseen"))
    (found,) = [r for r in queue(client, tokens["coordinator"]) if r["reference"] == reference]

    assert found["id"] not in [r["id"] for r in queue(client, tokens["prescriber"])]
    assert code_of(call(client, GET, tokens["prescriber"], id=found["id"])) == "NOT_FOUND"
    assert "errors" in call(client, GET, id=found["id"])  # nobody signed in


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent": False}, "consent"),
        ({"phone": None, "email": None}, "phone"),
        ({"phone": "", "email": " "}, "phone"),
        ({"email": "maud at example"}, "email"),
        ({"phone": "ring me"}, "phone"),
        ({"postcode": "DE22"}, "postcode"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode"),
        ({"name": "  "}, "name"),
        ({"whatMatters": ""}, "whatMatters"),
        ({"whatMatters": "x" * 1001}, "whatMatters"),
        ({"birthYear": 1800}, "birthYear"),
    ],
)
def test_bad_input_is_refused_naming_the_input_and_writes_nothing(
    app: Starlette, derby: Kith, changes: dict, field: str
) -> None:
    client = public(app, "203.0.113.3")
    before = maintenance.counts(derby.store)
    (error,) = self_refer(client, **changes)["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert error["message"].startswith(f"{field}: ")
    assert maintenance.counts(derby.store) == before


def test_a_sixth_in_an_hour_from_one_address_is_rate_limited_and_writes_nothing(
    app: Starlette, derby: Kith
) -> None:
    client = public(app, "203.0.113.4")
    assert code_of(self_refer(client, consent=False)) == "BAD_USER_INPUT"  # costs no try
    for n in range(5):
        reference_of(self_refer(client, name=f"Often Asker {n}"))

    before = maintenance.counts(derby.store)
    body = self_refer(client, name="Often Asker 5")
    assert code_of(body) == "RATE_LIMITED"
    assert body["data"] is None
    assert "try again in 60 minutes" in body["errors"][0]["message"]
    assert maintenance.counts(derby.store) == before
    reference_of(self_refer(public(app, "203.0.113.5")))  # another address may


def test_every_worker_shares_the_count_and_a_sign_in_lockout_does_not_forget_it(
    derby: Kith,
) -> None:
    """Two processes' limits (here two stores on one engine) count one address together, and
    the lockout's tidying of stale sign-in counts leaves the self-referral counts alone."""
    other = connect(derby.store.settings, apply_schema=False)
    try:
        here, there = (RateLimit(s, "selfrefer", 5, 3600) for s in (derby.store, other))
        for limit in (here, there, here, there, here):
            assert limit.take("198.51.100.7") == 0
        keys = derby.store.read(lambda tx: tx.run("MATCH (s:SignInAttempts) RETURN s.id").value())
        assert keys and not any("198.51" in k for k in keys)  # the address is not kept
        # Half an hour on, the lockout forgets sign-in counts idle for 15 minutes.
        later = Lockout(derby.store, clock=lambda: here.clock() + 1800)
        later.failed("someone")
        assert there.take("198.51.100.7") > 3500
        hour_on = RateLimit(other, "selfrefer", 5, 3600, clock=lambda: here.clock() + 3601)
        assert hour_on.take("198.51.100.7") == 0
    finally:
        other.close()
