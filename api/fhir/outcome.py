"""How the FHIR door says no: an ``OperationOutcome`` whose issues name the element at fault.

FHIR R4 RESTful API, "Create" and "Interaction responses" (hl7.org/fhir/R4/http.html#create):
400 for a body that does not parse as the resource, 422 for one that breaks a rule, each with
an OperationOutcome. ``issue.expression`` is FHIRPath (hl7.org/fhir/R4/operationoutcome-
definitions.html#OperationOutcome.issue.expression), rooted at the resource the element is in:
``Patient.birthDate`` for the contained Patient's, with its place in the request beside it
(``ServiceRequest.contained[0].birthDate``). The library's findings go without the values
they were about (an outcome may be logged by the client's integration engine); Kith's own
may quote a value back to its sender (a postcode it does not know), as the GraphQL door's do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.operationoutcome import OperationOutcome
from pydantic import ValidationError

from kith.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    KithError,
    NotFound,
    Timeout,
    Unauthenticated,
    Unavailable,
)

# Kith's errors as HTTP statuses and IssueType codes (hl7.org/fhir/R4/valueset-issue-type.html).
STATUS = {InvalidInput: (422, "invalid"), Unauthenticated: (401, "login"),
          Forbidden: (403, "forbidden"), NotFound: (404, "not-found"),
          Conflict: (409, "conflict"), Timeout: (503, "timeout"),
          Unavailable: (503, "transient")}  # fmt: skip
# Pydantic's error types as IssueType codes; any other is a wrong value.
ISSUE_OF = {"missing": "required", "model_field_validation.missing": "required",
            "extra_forbidden": "structure"}  # fmt: skip
# Where the fields ``kith.people.refer`` names come from in a ServiceRequest.
FIELDS = {
    "name": ("Patient.name",), "birthYear": ("Patient.birthDate",),
    "postcode": ("Patient.address.postalCode",), "place": ("Patient.address.postalCode",),
    "reason": ("ServiceRequest.reasonCode", "ServiceRequest.note"),
    "urgency": ("ServiceRequest.priority",), "identifier": ("ServiceRequest.identifier",),
}  # fmt: skip


@dataclass(frozen=True)
class Issue:
    code: str
    diagnostics: str
    expression: tuple[str, ...] = ()


class Refusal(Exception):
    """A request the door refuses, with its HTTP status and the issues that say why."""

    def __init__(self, status: int, issues: Sequence[Issue]) -> None:
        super().__init__(issues[0].diagnostics)
        self.status = status
        self.issues = list(issues)

    @property
    def body(self) -> dict[str, Any]:
        return outcome(self.issues)


def refused(status: int, code: str, diagnostics: str, *expression: str) -> Refusal:
    return Refusal(status, [Issue(code, diagnostics, expression)])


def invalid(diagnostics: str, *expression: str, code: str = "invalid") -> Refusal:
    """422: the resource parsed, but Kith cannot take it as it is."""
    return refused(422, code, diagnostics, *expression)


def outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    """The OperationOutcome JSON, built through the model so that it is valid FHIR itself."""
    return OperationOutcome(issue=[issue(i) for i in issues]).model_dump(mode="json")


def issue(found: Issue) -> dict[str, Any]:
    """One issue, its diagnostics starting with the element's path for a reader of logs."""
    if not found.expression:
        return {"severity": "error", "code": found.code, "diagnostics": found.diagnostics}
    return {"severity": "error", "code": found.code, "expression": list(found.expression),
            "diagnostics": f"{found.expression[0]}: {found.diagnostics}"}  # fmt: skip


def from_kith(error: KithError) -> Refusal:
    """A service's refusal; a bad value is named as the element of the request it came from."""
    status, code = next((s for kind, s in STATUS.items() if isinstance(error, kind)),
                        (500, "exception"))  # fmt: skip
    if isinstance(error, InvalidInput):
        where = FIELDS.get(error.field, ("ServiceRequest",))
        return refused(status, code, error.reason, *where)
    return refused(status, code, str(error))


def from_validation(error: ValidationError, sent: dict[str, Any]) -> Refusal:
    """The library's findings about ``sent``, each with the path of the element it is about."""
    issues = [Issue(ISSUE_OF.get(e["type"], "value"), e["msg"].removeprefix("Value error, "),
                    paths(e["loc"], sent))
              for e in error.errors(include_url=False, include_input=False)]  # fmt: skip
    return Refusal(422, issues)


def paths(loc: tuple[int | str, ...], sent: dict[str, Any]) -> tuple[str, ...]:
    """FHIRPath for a pydantic location: inside a contained resource, rooted at that resource
    and then at the request."""
    if len(loc) > 1 and loc[0] == "contained" and isinstance(loc[1], int):
        kind = contained_type(sent, loc[1])
        return fhirpath(kind, loc[2:]), fhirpath("ServiceRequest", loc)
    return (fhirpath("ServiceRequest", loc),)


def contained_type(sent: dict[str, Any], index: int) -> str:
    kind = sent["contained"][index].get("resourceType")
    return kind if isinstance(kind, str) and kind.isalpha() else "Resource"


def fhirpath(root: str, loc: tuple[int | str, ...]) -> str:
    """``root`` and the elements of ``loc``: ``resource_type`` is ``resourceType``, a list
    index is ``[n]``, and ``_birthDate`` (a primitive's id and extensions, in JSON) is the
    element ``birthDate``, whatever pydantic's steps inside it."""
    path = root
    for step in loc:
        if isinstance(step, int):
            path += f"[{step}]"
            continue
        name = "resourceType" if step == "resource_type" else step.removesuffix("__ext")
        path += "." + name.removeprefix("_")
        if name.startswith("_"):
            break
    return path
