"""Errors as clients see them: the codes of API.md, and never an internal detail.

A ``KithError`` keeps its message and gets its code (and ``field`` for bad input); GraphQL's
own syntax, validation and argument errors are ``BAD_USER_INPUT``; anything else is
``INTERNAL`` with a reference, its details logged here and never sent.
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


def client_error(error: GraphQLError) -> GraphQLError:
    """The error to send for ``error``."""
    original = error.original_error
    extensions: dict[str, object]
    if isinstance(original, KithError):
        message, extensions = str(original), {"code": original.code}
        if isinstance(original, InvalidInput):
            extensions["field"] = original.field
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


class ErrorCodes(SchemaExtension):
    """Rewrite every error of a result into its client form."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(e) for e in result.errors]
