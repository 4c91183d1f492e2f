"""Errors as clients see them: the codes of API.md, and never an internal detail.

A ``KithError`` keeps its message and gets its code (and ``field`` for bad input); a query over
the token, depth or alias limits is ``QUERY_TOO_COMPLEX``; GraphQL's other syntax, validation and
argument errors are ``BAD_USER_INPUT``; anything else is ``INTERNAL`` with a reference, its
details logged here and never sent. A request strawberry cannot read at all (not JSON, a batch,
no query) is refused in the same shape, saying what to send instead (``refusal``).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from kith.errors import InvalidInput, KithError

log = logging.getLogger("kith.api")
ARGUMENT = re.compile(r"Argument '(\w+)'")
# The limits of api/schema.py as graphql-core and strawberry word them: tokens (the parser's),
# depth and aliases (validation rules).
TOO_COMPLEX = re.compile(
    r"^Syntax Error: Document contains (more than \d+ tokens)"
    r"|exceeds maximum operation depth of \d+$|^\d+ aliases found\. Allowed: \d+$"
)
SMALLER = "send a smaller query (fewer fields, less nesting, fewer aliases)"
SEND = (
    'send one operation as a JSON object {"query": "...", "variables": {...}} by POST with '
    "content-type application/json"
)
NAME_IT = "send operationName naming one operation of the query (or none if it has only one)"
# Why the door refuses a JSON value other than an object or a list (strawberry would fail on it).
NOT_AN_OBJECT = "The JSON sent is not an object"
# Strawberry's reasons for refusing a request (the start of each, as it words them): the field
# at fault and what went wrong, in words that hold for GET as well as POST.
REFUSALS = {
    NOT_AN_OBJECT: ("body", f"the JSON sent is not an object: {SEND}"),
    "Batching is not enabled": ("body", f"one operation per request, not a list: {SEND}"),
    "Unable to parse request body as JSON": ("body", f"the JSON sent does not parse: {SEND}"),
    "Unsupported content type": ("content-type", f"the content type is not JSON: {SEND}"),
    "No GraphQL query found": ("query", f"no query was sent: {SEND}"),
    "mutations are not allowed when using GET": ("query", f"a mutation needs POST: {SEND}"),
    "The GraphQL operation's `query`": ("query", f"query must be a string: {SEND}"),
    "The GraphQL operation's `variables`": ("variables", f"variables must be an object: {SEND}"),
    "The GraphQL operation's `extensions`": ("extensions", f"extensions must be an object: {SEND}"),
    "Unknown operation named": ("operationName", f"no operation of that name: {NAME_IT}"),
    "Can't get GraphQL operation type": ("operationName", f"which operation to run? {NAME_IT}"),
    "GraphQL only supports GET and POST": ("method", f"only GET and POST are GraphQL: {SEND}"),
}
# A GET has no body: JSON there is the variables (or extensions) of its query string.
IN_QUERY_STRING = ("variables", f"variables and extensions must be JSON objects: {SEND}")
GET_REFUSALS = {
    NOT_AN_OBJECT: IN_QUERY_STRING,
    "Unable to parse request body as JSON": IN_QUERY_STRING,
}


def client_error(error: GraphQLError) -> GraphQLError:
    """The error to send for ``error``."""
    original = error.original_error
    extensions: dict[str, object]
    if isinstance(original, KithError):
        message, extensions = str(original), {"code": original.code}
        if isinstance(original, InvalidInput):
            extensions["field"] = original.field
    elif (limit := TOO_COMPLEX.search(error.message)) and original is None:
        said = f"the query has {limit.group(1)}" if limit.group(1) else error.message.rstrip(".")
        message, extensions = f"{said}: {SMALLER}", {"code": "QUERY_TOO_COMPLEX"}
    elif original is None or isinstance(original, GraphQLError):  # e.g. null for an Int!
        message, named = error.message, ARGUMENT.match(error.message)
        extensions = {"code": "BAD_USER_INPUT", "field": named.group(1) if named else "query"}
    else:
        reference = uuid.uuid4().hex[:12]
        log.error("internal error %s: %s", reference, type(original).__name__,
                  exc_info=original)  # fmt: skip
        message = f"internal error (reference {reference})"
        extensions = {"code": "INTERNAL", "reference": reference}
    return GraphQLError(
        message, nodes=error.nodes, positions=error.positions, path=error.path,
        extensions=extensions,
    )  # fmt: skip


def refusal(reason: str, method: str) -> dict[str, object]:
    """The response body refusing a request strawberry could not read, for its ``reason``."""
    known = {**REFUSALS, **GET_REFUSALS} if method == "GET" else REFUSALS
    start = next((start for start in known if reason.startswith(start)), None)
    field, message = known[start] if start else ("body", f"{reason.rstrip('.')}: {SEND}")
    error = {"message": message, "extensions": {"code": "BAD_USER_INPUT", "field": field}}
    return {"data": None, "errors": [error]}


class ErrorCodes(SchemaExtension):
    """Rewrite every error of a result into its client form."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(e) for e in result.errors]
