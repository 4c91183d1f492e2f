"""Between FHIR R4 resources and Kith's referrals, both ways.

In: a ServiceRequest (hl7.org/fhir/R4/servicerequest.html) is read by ``fhir.resources``' R4B
models, which check it against the specification's structure (R4B left ServiceRequest, Patient
and Task as R4 defines them; the national profiles are R4), and then against Kith's rules: it
is a social-prescribing referral, it is active, and it carries the person as a contained
Patient. Out: the referral as the ServiceRequest it was, and its progress as a Task
(hl7.org/fhir/R4/task.html) whose ``businessStatus`` is Kith's ReferralStatus. Every resource
sent is built through the same models, so Kith never sends invalid FHIR.

Kith keeps only what it uses (``KEPT``, which the CapabilityStatement says too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from pydantic import ValidationError

from kith.domain import Person, Referral, ReferralStatus

from .outcome import from_validation, invalid, refused

SNOMED = "http://snomed.info/sct"
# SNOMED CT UK edition, the codes the Network Contract DES asks GP systems to record.
REFERRAL = "871731000000106"  # Referral to social prescribing service
DECLINED = "871711000000103"  # Social prescribing declined
REFERRAL_NAME = "Referral to social prescribing service"
SOCIAL_PRESCRIBING = {"coding": [{"system": SNOMED, "code": REFERRAL, "display": REFERRAL_NAME}]}
# request-priority (hl7.org/fhir/R4/valueset-request-priority.html) as Kith's urgency, and
# back: "stat" (emergency) is the most urgent Kith has.
URGENCY = {"routine": "ROUTINE", "urgent": "SOON", "asap": "URGENT", "stat": "URGENT"}
PRIORITY = {"ROUTINE": "routine", "SOON": "urgent", "URGENT": "asap"}
S = ReferralStatus
# task-status (hl7.org/fhir/R4/valueset-task-status.html) for each state of a referral.
TASK_STATUS = {S.RECEIVED: "received", S.ACCEPTED: "accepted", S.IN_PROGRESS: "in-progress",
               S.COMPLETED: "completed", S.DECLINED: "rejected", S.DID_NOT_ENGAGE: "failed",
               S.WITHDRAWN: "cancelled"}  # fmt: skip
# request-status (hl7.org/fhir/R4/valueset-request-status.html): active until it is closed.
REQUEST_STATUS = {S.COMPLETED: "completed", S.DECLINED: "revoked",
                  S.DID_NOT_ENGAGE: "revoked", S.WITHDRAWN: "revoked"}  # fmt: skip
# task-code "fulfill": the Task is the work of carrying out its focus, the ServiceRequest.
FULFIL = {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}]}
UNUSABLE_NAMES = ("old", "maiden", "anonymous")  # name-use codes that are not the person's name
PATIENT = "patient"  # the id of the Patient contained in a ServiceRequest Kith sends
KEPT = (
    "Kith keeps only what it uses (data minimisation): of the Patient its name, the year of its "
    "birthDate and its postcode. Telecom, gender and identifiers (an NHS number) are read past, "
    "and no consent to matching is assumed: the coordinator asks for it at first contact."
)


NOT_JSON = "the body is not JSON: send a FHIR R4 ServiceRequest as application/fhir+json"
NOT_A_REQUEST = (
    'the body is not a ServiceRequest: send an object with "resourceType": "ServiceRequest"'
)


@dataclass(frozen=True)
class Asked:
    """A ServiceRequest as the arguments of ``kith.people.refer``."""

    form: dict[str, Any]
    reason: str
    urgency: str
    identifier: str | None


# in ------------------------------------------------------------------------------------


def parse(body: bytes) -> ServiceRequest:
    """The ServiceRequest sent, checked by the library: 400 if it is not one at all, 422
    naming each element the library found wrong."""
    try:
        sent = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise refused(400, "structure", NOT_JSON) from None
    kind = sent.get("resourceType") if isinstance(sent, dict) else None
    if kind != "ServiceRequest":
        raise refused(400, "structure", NOT_A_REQUEST, "ServiceRequest.resourceType")
    known_contained(sent)
    try:
        return ServiceRequest.model_validate(sent)
    except ValidationError as error:
        raise from_validation(error, sent) from None


def known_contained(sent: dict[str, Any]) -> None:
    """Each contained resource names a resource type the library has: it fails with a
    KeyError, not a validation error, on any other."""
    contained = sent.get("contained")
    for i, resource in enumerate(contained if isinstance(contained, list) else []):
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not (isinstance(kind, str) and is_resource(kind)):
            where = f"ServiceRequest.contained[{i}].resourceType"
            said = "a contained resource needs the resourceType of a FHIR R4 resource"
            raise invalid(said, where, code="structure")


def is_resource(kind: str) -> bool:
    try:
        return issubclass(get_fhir_model_class(kind), DomainResource)
    except ValueError:
        return False


def asked(request: ServiceRequest) -> Asked:
    """What to refer, or a 422 naming the element that keeps Kith from taking the request."""
    if request.status != "active":
        raise invalid("must be active: Kith takes on requests to act now",
                      "ServiceRequest.status", code="value")  # fmt: skip
    if request.doNotPerform:
        raise invalid("a request not to refer is not a referral", "ServiceRequest.doNotPerform")
    if not social_prescribing(request.code):
        raise invalid(f"must have the SNOMED CT code {REFERRAL} ({REFERRAL_NAME}), system "
                      f"{SNOMED}", "ServiceRequest.code",
                      code="required" if request.code is None else "code-invalid")  # fmt: skip
    if (request.priority or "routine") not in URGENCY:
        raise invalid(f"must be one of {', '.join(URGENCY)}", "ServiceRequest.priority",
                      code="code-invalid")  # fmt: skip
    return Asked(person_form(subject(request)), reason(request),
                 URGENCY[request.priority or "routine"], identifier(request))  # fmt: skip


def social_prescribing(code: CodeableConcept | None) -> bool:
    return any(c.system == SNOMED and c.code == REFERRAL for c in (code and code.coding) or [])


def subject(request: ServiceRequest) -> Patient:
    """The Patient the subject references inside the request (``#id``): Kith cannot read a
    GP system's records, so the person comes with the referral."""
    ref = request.subject.reference or ""
    found = next((r for r in request.contained or [] if ref == f"#{r.id}"), None)
    if not ref.startswith("#") or not isinstance(found, Patient):
        raise invalid('must reference a Patient contained in the ServiceRequest ("#id")',
                      "ServiceRequest.subject")  # fmt: skip
    return found


def person_form(patient: Patient) -> dict[str, Any]:
    """The person as ``referPerson``'s PersonInput would give them."""
    postcode = next((a.postalCode for a in patient.address or []
                     if a.postalCode and a.use != "old"), None)  # fmt: skip
    if postcode is None:
        raise invalid("is required: Kith finds what is near where the person lives",
                      "Patient.address.postalCode", code="required")  # fmt: skip
    return {"name": name(patient.name or []), "birth_year": birth_year(patient.birthDate),
            "place": {"postcode": postcode}, "consent_to_matching": False}  # fmt: skip


def name(names: list[HumanName]) -> str | None:
    """The first name the person goes by, as its text or its given names and family name."""
    found = next((n for n in names if n.use not in UNUSABLE_NAMES), None)
    if found is None:
        return None
    return found.text or " ".join([*(found.given or []), found.family or ""]).strip()


def birth_year(born: date | str | None) -> int | None:
    """The year of a FHIR date, which may be a year, a year and month, or a full date
    (hl7.org/fhir/R4/datatypes.html#date); one after today is refused."""
    if born is None:
        return None
    said = born.isoformat() if isinstance(born, date) else born
    if said > date.today().isoformat()[: len(said)]:
        raise invalid("is in the future", "Patient.birthDate", code="value")
    return int(said[:4])


def reason(request: ServiceRequest) -> str:
    """Why, in the referrer's words: each reasonCode's text (or its coding's display), then
    each note."""
    said = [c.text or next((x.display for x in c.coding or [] if x.display), None)
            for c in request.reasonCode or []]  # fmt: skip
    said += [n.text for n in request.note or []]
    return "\n".join(s for s in said if s)


def identifier(request: ServiceRequest) -> str | None:
    """The sender's first identifier with a value, as ``system|value`` (FHIR's token form,
    hl7.org/fhir/R4/search.html#token; a URI cannot hold "|")."""
    found = next((i for i in request.identifier or [] if i.value), None)
    return f"{found.system or ''}|{found.value}" if found else None


# out -----------------------------------------------------------------------------------


def service_request(referral: Referral, person: Person) -> dict[str, Any]:
    """The referral as the ServiceRequest that made it, the person as it sent them."""
    system, _, value = (referral.identifier or "").partition("|")
    return ServiceRequest(
        id=referral.id, contained=[patient(person)],
        identifier=[{"system": system or None, "value": value}] if referral.identifier else None,
        status=REQUEST_STATUS.get(referral.status, "active"), intent="order",
        code=SOCIAL_PRESCRIBING, subject={"reference": f"#{PATIENT}"},
        priority=PRIORITY[referral.urgency], reasonCode=[{"text": referral.reason}],
    ).model_dump(mode="json")  # fmt: skip


def patient(person: Person) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": PATIENT, "name": [{"text": person.name}],
            "birthDate": str(person.birth_year) if person.birth_year else None,
            "address": [{"postalCode": person.postcode}] if person.postcode else None}  # fmt: skip


def task(referral: Referral, owner: str | None) -> dict[str, Any]:
    """Where the referral has got: owned by the coordinator who took it on (by name), from
    its acceptance to its close, with the first contact as an output."""
    request = {"reference": f"ServiceRequest/{referral.id}"}
    changed = referral.history[-1].at if referral.history else referral.received_at
    period = {"start": referral.accepted_at, "end": referral.closed_at}
    contact = {"type": {"text": "first contact"}, "valueDateTime": referral.first_contact_at}
    return Task(
        id=referral.id, basedOn=[request], focus=request, code=FULFIL, intent="order",
        status=TASK_STATUS[referral.status], businessStatus={"text": referral.status.value},
        statusReason=declined(referral) if referral.status is S.DECLINED else None,
        priority=PRIORITY[referral.urgency], authoredOn=referral.received_at,
        lastModified=changed, owner={"display": owner} if owner else None,
        executionPeriod=period if referral.accepted_at or referral.closed_at else None,
        output=[contact] if referral.first_contact_at else None,
    ).model_dump(mode="json")  # fmt: skip


def declined(referral: Referral) -> dict[str, Any]:
    coding = {"system": SNOMED, "code": DECLINED, "display": "Social prescribing declined"}
    return {"coding": [coding], "text": referral.decline_reason}


def searchset(url: str, base: str, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """A search's answer (hl7.org/fhir/R4/bundle.html#searchset): every Task found."""
    entries = [{"fullUrl": f"{base}Task/{t['id']}", "resource": t, "search": {"mode": "match"}}
               for t in tasks]  # fmt: skip
    return Bundle(type="searchset", total=len(tasks), link=[{"relation": "self", "url": url}],
                  entry=entries or None).model_dump(mode="json")  # fmt: skip


def capability(base: str) -> dict[str, Any]:
    """What this door does (hl7.org/fhir/R4/capabilitystatement.html), for ``GET metadata``."""
    return CapabilityStatement(
        status="active", date="2026-12-02", kind="instance", fhirVersion="4.0.1",
        format=["json"], software={"name": "Kith"},
        implementation={"description": "Kith's FHIR door", "url": base.rstrip("/")},
        rest=[{"mode": "server", "documentation": KEPT,
               "security": {"description": "Authorization: Bearer <token> of a prescriber's "
                                           "account (kith users add NAME --role PRESCRIBER)"},
               "resource": [SERVICE_REQUEST, TASK]}],
    ).model_dump(mode="json")  # fmt: skip


SERVICE_REQUEST = {
    "type": "ServiceRequest", "interaction": [{"code": "create"}, {"code": "read"}],
    "documentation": f"A referral: code SNOMED CT {REFERRAL} (Referral to social prescribing "
    "service), status active, subject a contained Patient with name and address.postalCode "
    "(birthDate optional), priority routine | urgent | asap | stat, the reason in reasonCode "
    "or note. The same identifier sent again by the same prescriber is the same referral "
    "(200 with it, rather than 201).",
}  # fmt: skip
TASK = {
    "type": "Task", "interaction": [{"code": "read"}, {"code": "search-type"}],
    "documentation": "The referral's progress: businessStatus.text is Kith's ReferralStatus; "
    f"a declined referral's statusReason is SNOMED CT {DECLINED} (Social prescribing declined).",
    "searchParam": [{"name": "based-on", "type": "reference",
                     "documentation": "ServiceRequest/{id} (required)"}],
}  # fmt: skip
