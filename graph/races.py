"""Set-up writes that race: many Kith processes may start together on a new store (``kith
serve`` with its workers, ``kith users add``, a loader), each writing the same schema rules and
starter records. Every such write is idempotent, so when two processes' equal writes collide,
the loser's transaction is refused (a unique constraint, or the engine's conflict check) and it
is simply run again, finding what the winner wrote.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from neo4j import exceptions as neo4j_errors

from kith.errors import Conflict

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 10
# A lost race, as each engine reports it: Kith's Conflict (a unique constraint), and the
# driver's errors for a schema rule or a write made by another transaction at the same moment
# (ArcadeDB reports its concurrent-modification check as a database error over Bolt).
RACES = (Conflict, neo4j_errors.TransientError, neo4j_errors.DatabaseError,
         neo4j_errors.ClientError)  # fmt: skip


def settled(step: Callable[[], T], what: str) -> T:
    """Run an idempotent set-up step, again after a short random pause each time another
    process's identical write won a race, up to ``ATTEMPTS`` times (then the error stands)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return step()
        except RACES as exc:
            if attempt == ATTEMPTS or not is_race(exc):
                raise
            log.info("set-up of %s raced another process (attempt %d): retrying", what, attempt)
            time.sleep(random.uniform(0.05, 0.1) * attempt)
    raise AssertionError("unreachable")


def is_race(exc: Exception) -> bool:
    """Whether an error from a set-up step may mean another process wrote the same thing
    first: a client error (a bad password, a bad statement) only when it is about a schema rule
    or record already being there."""
    if not isinstance(exc, neo4j_errors.ClientError):
        return True
    code = exc.code or ""
    return "Schema" in code or "ConstraintValidation" in code or "already exists" in str(exc)
