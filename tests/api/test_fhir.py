"""The FHIR door on the app ``kith serve`` serves: a GP system's ServiceRequest becomes one
referral however often it is sent, its Task follows what the coordinator does, an invalid
resource is refused with an OperationOutcome naming the element and writes nothing, and only
the prescriber who sent a referral reads it."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from httpx2 import Response
from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import as_, call

SNOMED = "http://snomed.info/sct"
FHIR_JSON = "application/fhir+json"
ACCEPT = "mutation($id: ID!) { acceptReferral(id: $id) { referral { status } } }"
CONTACT = "mutation($id: ID!) { recordContact(referralId: $id) { referral { status } } }"
CLOSE = """mutation($id: ID!) { closeReferral(id: $id, outcome: COMPLETED) {
    referral { status } } }"""
SEEN = """query($id: ID!) { referral(id: $id) { source urgency reason
    person { name postcode consentToMatching } } }"""
DECLINE = """mutation($id: ID!) { declineReferral(id: $id, reason: "outside our area") {
    referral { status } } }"""


def service_request(name: str, identifier: str | None = None, **changes: Any) -> dict:
    """A referral as a GP system sends it: the national code, a contained Patient."""
    patient = {"resourceType": "Patient", "id": "pat1",
               "name": [{"use": "official", "given": [name], "family": "Fhirtest"}],
               "birthDate": "1946-03-02", "address": [{"use": "home", "postalCode": "DE22 3AB"}],
               "telecom": [{"system": "phone", "value": "01332 000000"}]}  # fmt: skip
    request = {
        "resourceType": "ServiceRequest", "status": "active", "intent": "order",
        "code": {"coding": [{"system": SNOMED, "code": "871731000000106",
                             "display": "Referral to social prescribing service"}]},
        "subject": {"reference": "#pat1"}, "contained": [patient], "priority": "urgent",
        "reasonCode": [{"text": "lonely since her husband died"}],
        "note": [{"text": "would like to get out more"}],
        "identifier": [{"system": "https://gp.example/referrals", "value": identifier}]
        if identifier else [],
    }  # fmt: skip
    return {**request, **changes}


def post(client: TestClient, token: str | None, body: Any) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/fhir/ServiceRequest", content=raw,
                       headers={**as_(token), "content-type": FHIR_JSON})  # fmt: skip


def fhir(response: Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == FHIR_JSON
    return response.json()


def refer(client: TestClient, token: str, body: dict, status: int = 201) -> dict:
    sent = fhir(post(client, token, body), status)
    ServiceRequest.model_validate(sent)
    return sent


def task_of(
    client: TestClient, token: str, referral_id: str, based_on: str = "ServiceRequest/{}"
) -> dict | None:
    """The Task a search by based-on finds for the referral, if any."""
    found = fhir(client.get("/fhir/Task", params={"based-on": based_on.format(referral_id)},
                            headers=as_(token)))  # fmt: skip
    bundle = Bundle.model_validate(found)
    assert bundle.type == "searchset" and bundle.total == len(found.get("entry", []))
    return found["entry"][0]["resource"] if bundle.total else None


def refused(response: Response, status: int) -> list[str]:
    """The elements an OperationOutcome names (its issues' expressions)."""
    body = fhir(response, status)
    issues = OperationOutcome.model_validate(body).issue
    return [e for i in issues for e in i.expression or []]


def counts(kith: Kith) -> dict[str, int]:
    """Every node, and the people and referrals among them."""
    query = """MATCH (n) RETURN count(n) AS nodes,
               sum(CASE WHEN n:Person THEN 1 ELSE 0 END) AS people,
               sum(CASE WHEN n:Referral THEN 1 ELSE 0 END) AS referrals"""
    return kith.store.read(lambda tx: dict(tx.run(query).single()))


def ok(client: TestClient, token: str, query: str, **variables: object) -> None:
    body = call(client, query, token, **variables)
    assert "errors" not in body, body


def test_metadata_says_what_the_door_does_without_a_token(client: TestClient) -> None:
    statement = CapabilityStatement.model_validate(fhir(client.get("/fhir/metadata")))
    assert statement.fhirVersion == "4.0.1" and statement.format == ["json"]
    (rest,) = statement.rest
    served = {r.type: {i.code for i in r.interaction} for r in rest.resource}
    assert served == {"ServiceRequest": {"create", "read"}, "Task": {"read", "search-type"}}
    task = next(r for r in rest.resource if r.type == "Task")
    assert [p.name for p in task.searchParam] == ["based-on"]
    assert "Telecom" in rest.documentation and "871731000000106" in str(rest.resource)


def test_a_service_request_sent_twice_is_one_referral(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    gp, co = tokens["prescriber"], tokens["coordinator"]
    before = counts(derby)
    first = post(client, gp, service_request("Ivy", "twice-1"))
    sent = fhir(first, 201)
    assert first.headers["location"] == f"http://testserver/fhir/ServiceRequest/{sent['id']}"
    after = counts(derby)
    assert after["referrals"] == before["referrals"] + 1

    again = refer(client, gp, service_request("Ivy", "twice-1"), status=200)
    assert again == sent and counts(derby)["referrals"] == after["referrals"]
    assert fhir(client.get(first.headers["location"], headers=as_(gp))) == sent

    assert sent["status"] == "active" and sent["priority"] == "urgent"
    assert sent["identifier"] == [{"system": "https://gp.example/referrals", "value": "twice-1"}]
    assert sent["code"]["coding"][0]["code"] == "871731000000106"
    (patient,) = sent["contained"]
    assert sent["subject"] == {"reference": f"#{patient['id']}"}
    assert patient["name"] == [{"text": "Ivy Fhirtest"}] and patient["birthDate"] == "1946"
    assert patient["address"] == [{"postalCode": "DE22 3AB"}] and "telecom" not in patient

    # What the coordinator sees, through GraphQL: one referral, from a GP, its urgency mapped,
    # the reason and the note both kept, and no consent to matching assumed.
    seen = call(client, SEEN, co, id=sent["id"])
    assert seen["data"]["referral"] == {
        "source": "GP", "urgency": "SOON",
        "reason": "lonely since her husband died\nwould like to get out more",
        "person": {"name": "Ivy Fhirtest", "postcode": "DE22 3AB", "consentToMatching": False},
    }  # fmt: skip
    actions = {(e.action, e.outcome) for e in audit.about(derby.store, sent["id"])}
    assert {("referral.receive", "allowed"), ("referral.read", "allowed")} <= actions


def test_the_task_follows_the_referral_as_the_coordinator_moves_it(
    client: TestClient, tokens: dict
) -> None:
    gp, co = tokens["prescriber"], tokens["coordinator"]
    referral = refer(client, gp, service_request("Agnes"))["id"]
    task = task_of(client, gp, referral)
    assert task is not None
    Task.model_validate(task)
    assert (task["status"], task["businessStatus"]["text"]) == ("received", "RECEIVED")
    assert task["basedOn"] == [{"reference": f"ServiceRequest/{referral}"}]
    assert "owner" not in task and "statusReason" not in task

    ok(client, co, ACCEPT, id=referral)
    task = task_of(client, gp, referral)
    assert task is not None
    assert (task["status"], task["businessStatus"]["text"]) == ("accepted", "ACCEPTED")
    assert task["owner"] == {"display": "Test coordinator"}
    assert task["executionPeriod"]["start"] and "output" not in task

    ok(client, co, CONTACT, id=referral)
    task = fhir(client.get(f"/fhir/Task/{referral}", headers=as_(gp)))
    assert (task["status"], task["businessStatus"]["text"]) == ("in-progress", "IN_PROGRESS")
    assert task["output"][0]["type"]["text"] == "first contact"

    ok(client, co, CLOSE, id=referral)
    task = task_of(client, gp, referral)
    assert task is not None
    assert (task["status"], task["businessStatus"]["text"]) == ("completed", "COMPLETED")
    assert task["executionPeriod"]["end"]
    sent = fhir(client.get(f"/fhir/ServiceRequest/{referral}", headers=as_(gp)))
    assert sent["status"] == "completed"


def test_a_declined_referral_carries_the_snomed_code(client: TestClient, tokens: dict) -> None:
    gp, co = tokens["prescriber"], tokens["coordinator"]
    referral = refer(client, gp, service_request("Maud"))["id"]
    ok(client, co, DECLINE, id=referral)
    task = task_of(client, gp, referral)
    assert task is not None
    # A reference search takes the id alone or the full URL too (FHIR R4 search.html#reference).
    assert task_of(client, gp, referral, "{}") == task
    assert task_of(client, gp, referral, "http://testserver/fhir/ServiceRequest/{}") == task
    assert (task["status"], task["businessStatus"]["text"]) == ("rejected", "DECLINED")
    assert task["statusReason"] == {
        "coding": [{"system": SNOMED, "code": "871711000000103",
                    "display": "Social prescribing declined"}],
        "text": "outside our area",
    }  # fmt: skip
    sent = fhir(client.get(f"/fhir/ServiceRequest/{referral}", headers=as_(gp)))
    assert sent["status"] == "revoked"


def changed(change: Callable[[dict], object]) -> dict:
    request = service_request("Nora", "invalid-1")
    change(request)
    return request


def patient(**fields: object) -> Callable[[dict], object]:
    return lambda request: request["contained"][0].update(fields)


TOMORROW = (date.today() + timedelta(days=1)).isoformat()
PRACTITIONER = {"resourceType": "Practitioner", "id": "pat1"}
UNUSED = {"system": SNOMED, "code": "306206005", "display": "Referral to service"}


@pytest.mark.parametrize(
    ("change", "element"),
    [
        (lambda r: r.pop("code"), "ServiceRequest.code"),
        (lambda r: r.update(code={"coding": [UNUSED]}), "ServiceRequest.code"),
        (lambda r: r["code"]["coding"][0].update(system="http://loinc.org"), "ServiceRequest.code"),
        (lambda r: r.pop("subject"), "ServiceRequest.subject"),
        (lambda r: r.update(contained=[]), "ServiceRequest.subject"),
        (lambda r: r.update(subject={"reference": "Patient/9434765919"}), "ServiceRequest.subject"),
        (lambda r: r.update(contained=[PRACTITIONER]), "ServiceRequest.subject"),
        (patient(resourceType="Colour"), "ServiceRequest.contained[0].resourceType"),
        (patient(birthDate=TOMORROW), "Patient.birthDate"),
        (patient(birthDate=str(date.today().year + 1)), "Patient.birthDate"),
        (patient(birthDate="02/03/1946"), "Patient.birthDate"),
        (patient(birthDate="1850-01-01"), "Patient.birthDate"),
        (patient(name=[]), "Patient.name"),
        (patient(name="Nora Fhirtest"), "Patient.name"),
        (patient(address=[{"use": "home", "city": "Derby"}]), "Patient.address.postalCode"),
        (patient(address=[{"postalCode": "not a postcode"}]), "Patient.address.postalCode"),
        (lambda r: r.update(reasonCode=[], note=[]), "ServiceRequest.reasonCode"),
        (lambda r: r.update(priority="whenever"), "ServiceRequest.priority"),
        (lambda r: r.update(status="draft"), "ServiceRequest.status"),
        (lambda r: r.pop("intent"), "ServiceRequest.intent"),
        (lambda r: r.update(doNotPerform=True), "ServiceRequest.doNotPerform"),
        (lambda r: r.update(colour="blue"), "ServiceRequest.colour"),
    ],
)
def test_an_invalid_service_request_names_the_element_and_writes_nothing(
    client: TestClient, tokens: dict, derby: Kith, change: Callable, element: str
) -> None:
    before = counts(derby)
    assert element in refused(post(client, tokens["prescriber"], changed(change)), 422)
    assert counts(derby) == before


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", [service_request("Nora")], {"resourceType": "Patient"}, "x"],
)
def test_what_is_not_a_service_request_is_a_bad_request(
    client: TestClient, tokens: dict, derby: Kith, body: object
) -> None:
    before = counts(derby)
    response = post(client, tokens["prescriber"], body)
    OperationOutcome.model_validate(fhir(response, 400))
    assert counts(derby) == before


def test_only_a_prescriber_may_use_the_door(client: TestClient, tokens: dict, derby: Kith) -> None:
    referral = refer(client, tokens["prescriber"], service_request("Edith"))["id"]
    before = counts(derby)
    for token, status in ((None, 401), (tokens["coordinator"], 403), (tokens["admin"], 403)):
        answers = [
            post(client, token, service_request("Edith", "not-yours")),
            client.get(f"/fhir/ServiceRequest/{referral}", headers=as_(token)),
            client.get(f"/fhir/Task?based-on=ServiceRequest/{referral}", headers=as_(token)),
        ]
        for answer in answers:
            (issue,) = OperationOutcome.model_validate(fhir(answer, status)).issue
            assert issue.code == ("login" if token is None else "forbidden")
        if token is None:
            assert answers[0].headers["www-authenticate"] == "Bearer"
    assert counts(derby) == before


def test_refusals_at_the_door_are_operation_outcomes_too(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    """A GP system reads FHIR only: a revoked or mistyped token and an oversized body are
    refused before the door, and still answered as OperationOutcomes (GraphQL's shape
    elsewhere)."""
    before = counts(derby)
    big = {**as_(tokens["prescriber"]), "content-type": FHIR_JSON}
    bad = [post(client, "kith_not-a-token", service_request("Ida")),
           client.post("/fhir/ServiceRequest", content=b"{}", headers={"Authorization": "Basic x"}),
           client.post("/fhir/ServiceRequest", content=b" " * 300_000, headers=big)]  # fmt: skip
    for answer, (status, code) in zip(bad, ((401, "login"), (401, "login"), (413, "too-long")),
                                      strict=True):  # fmt: skip
        assert answer.status_code == status and answer.headers["content-type"] == FHIR_JSON
        (issue,) = OperationOutcome.model_validate(answer.json()).issue
        assert issue.code == code
    assert client.post("/graphql", json={}, headers=as_("kith_x")).json()["errors"]
    assert counts(derby) == before


def test_another_prescribers_referral_is_not_found(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    mine = refer(client, tokens["prescriber"], service_request("Olive", "shared-42"))
    other = tokens["other_prescriber"]
    assert refused(client.get(f"/fhir/ServiceRequest/{mine['id']}", headers=as_(other)),
                   404) == []  # fmt: skip
    assert fhir(client.get(f"/fhir/Task/{mine['id']}", headers=as_(other)), 404)
    assert task_of(client, other, mine["id"]) is None
    assert ("referral.read", "denied") in {
        (e.action, e.outcome) for e in audit.about(derby.store, mine["id"])
    }
    # Their own identifier is theirs: the same value from another prescriber is another referral.
    theirs = refer(client, other, service_request("Olive", "shared-42"))
    assert theirs["id"] != mine["id"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/fhir/Patient/1", 404),
        ("DELETE", "/fhir/ServiceRequest/1", 405),
        ("GET", "/fhir/ServiceRequest", 405),
        ("GET", "/fhir/Task", 400),
        ("GET", "/fhir/Task?status=received", 400),
        ("GET", "/fhir/Task?based-on=Patient/1", 400),
    ],
)
def test_what_the_door_does_not_do_is_an_operation_outcome(
    client: TestClient, tokens: dict, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, headers=as_(tokens["prescriber"]))
    OperationOutcome.model_validate(fhir(response, status))


@pytest.mark.parametrize(
    ("kind", "status"),
    [("application/fhir+xml", 415), ("text/plain", 415), ("application/json", 201),
     ("application/json+fhir; charset=utf-8", 201)],
)  # fmt: skip
def test_the_body_is_read_by_its_content_type(
    client: TestClient, tokens: dict, kind: str, status: int
) -> None:
    body = json.dumps(service_request("Nora")).encode()
    headers = {**as_(tokens["prescriber"]), "content-type": kind}
    answer = fhir(client.post("/fhir/ServiceRequest", content=body, headers=headers), status)
    (OperationOutcome if status == 415 else ServiceRequest).model_validate(answer)


def test_a_gp_system_refers_through_a_real_socket(live_server: str, tokens: dict) -> None:
    gp = as_(tokens["prescriber"])
    body = json.dumps(service_request("Winifred", "socket-1")).encode()
    request = urllib.request.Request(f"{live_server}/fhir/ServiceRequest", data=body,
                                     headers={**gp, "content-type": FHIR_JSON})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201 and response.headers["content-type"] == FHIR_JSON
        location, sent = response.headers["location"], json.loads(response.read())
    assert location == f"{live_server}/fhir/ServiceRequest/{sent['id']}"
    with urllib.request.urlopen(urllib.request.Request(location, headers=gp)) as response:
        assert json.loads(response.read()) == sent
