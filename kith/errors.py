"""Domain exceptions, raised by services and mapped to GraphQL codes and HTTP statuses in one place.

Messages are written for the person who sent the request: they never hold Cypher, stack
traces or personal data.
"""

from __future__ import annotations


class KithError(Exception):
    """Base of every error Kith reports to a client; ``code`` is the API.md error code."""

    code = "INTERNAL"


class InvalidInput(KithError):
    """A value from outside was wrong; ``field`` names where it was."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class Unauthenticated(KithError):
    """The bearer token is unknown or revoked."""

    code = "UNAUTHENTICATED"


class NotFound(KithError):
    code = "NOT_FOUND"


class Forbidden(KithError):
    code = "FORBIDDEN"


class Conflict(KithError):
    """A write would break a uniqueness rule or another record's integrity."""

    code = "CONFLICT"


class RateLimited(KithError):
    """Too many requests of one kind from one client address for now; the message says when
    to try again."""

    code = "RATE_LIMITED"


class Unavailable(KithError):
    """The graph store cannot be reached or did not answer in time."""

    code = "UNAVAILABLE"


class Timeout(KithError):
    """The store stopped a query that ran longer than ``KITH_QUERY_TIMEOUT_MS``; the server
    goes on serving, and asking for less (a smaller area, a shorter page) may succeed."""

    code = "TIMEOUT"
