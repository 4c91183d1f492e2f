"""Subject access: everything held about a person, for them or their coordinator."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of
from .test_people import REFER, person_input

EXPORT = "query($id: ID!) { exportPerson(id: $id) }"


def test_an_export_holds_the_record_referral_consent_and_audit_trail(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    referral = {"person": person_input(name="Olive Ward"), "reason": "lonely after a move"}
    person_id = call(client, REFER, tokens["prescriber"], input=referral)["data"]["referPerson"][
        "person"]["id"]  # fmt: skip
    consent = """mutation($id: ID!) { recordConsent(personId: $id, purpose: CONTACT, given: true)
                 { person { id } } }"""
    call(client, consent, tokens["coordinator"], id=person_id)
    held = call(client, EXPORT, tokens["coordinator"], id=person_id)["data"]["exportPerson"]
    assert held["person"]["name"] == "Olive Ward"
    assert held["person"]["interests"] == ["antiques", "knitting"]
    assert held["referrals"][0]["reason"] == "lonely after a move"
    assert [c["purpose"] for c in held["consents"]] == ["CONTACT"]
    assert {"person.refer", "consent.record"} <= {e["action"] for e in held["audit"]}
    json.dumps(held)  # plain JSON, nothing that needs a custom encoder
    assert audit.about(derby.store, person_id)[0].action == "person.export"


def test_only_the_coordinator_or_the_person_may_export(client: TestClient, tokens: dict) -> None:
    assert code_of(call(client, EXPORT, None, id="p-shardlow")) == "UNAUTHENTICATED"
    assert code_of(call(client, EXPORT, tokens["prescriber"], id="p-shardlow")) == "FORBIDDEN"
