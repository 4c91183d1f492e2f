"""Making a new process ready before it says it is: the in-memory copies of the directory and
of the volunteers (kith/memory/nearby.py), the interest shares, today's listing freshness and
vetted volunteers, and which terms count for which, built at start-up rather than by the first
request that needs them (which took seconds at county scale). ``kith serve`` runs this in each
app process before the process accepts a connection, so ``/health`` answers only once the first
request can be answered like the rest."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date

from . import suggestions
from .domain import TermKind
from .memory import shortlist
from .service import Kith

log = logging.getLogger(__name__)
TOPICAL_KINDS = (TermKind.INTEREST, TermKind.CONDITION, TermKind.NEED)


def warm(kith: Kith) -> dict[str, float]:
    """Build what requests read, and say how long each part took (seconds)."""
    steps: dict[str, Callable[[], object]] = {
        "directory": kith.directory_mirror.current,
        "volunteers": kith.volunteer_mirror.current,
        "interest shares": lambda: suggestions.rarity(kith),
        "today's reviews and checks": lambda: todays(kith),
        "related terms": lambda: relate_every_term(kith),
    }
    took = {}
    for name, step in steps.items():
        started = time.perf_counter()
        step()
        took[name] = round(time.perf_counter() - started, 3)
    log.info("ready: %s", ", ".join(f"{name} {s:.1f} s" for name, s in took.items()))
    return took


def todays(kith: Kith) -> None:
    """How fresh each listing is and which volunteers are vetted today, which the copies work
    out once a day."""
    today, weights = date.today(), kith.weights
    kith.directory_mirror.current().freshness(today, weights.review_months)
    kith.volunteer_mirror.current().vetted(today, weights.dbs_valid_years)


def relate_every_term(kith: Kith) -> None:
    """Which terms count for each interest, condition and need (kith/memory/shortlist.py
    ``related``), asked once per term as the first suggestions would ask."""
    for kind in TOPICAL_KINDS:
        for term in kith.taxonomy.terms[kind]:
            shortlist.related(kith.taxonomy, kind, term)
