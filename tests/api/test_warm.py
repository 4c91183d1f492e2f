"""A new app process builds what requests read before it accepts a connection (kith/warm.py):
the in-memory copies, the interest shares, today's freshness and vetting and the related terms
are there after ``warm``, so the first request does not build them. (How long a first request
takes is measured by ``make bench``, not here.)"""

from __future__ import annotations

from datetime import date

from kith import warm
from kith.memory import shortlist
from kith.service import Kith


def test_warming_builds_the_copies_the_shares_and_the_related_terms(derby: Kith) -> None:
    derby.cache.clear()
    shortlist.related.cache_clear()
    took = warm.warm(derby)
    assert set(took) == {"directory", "volunteers", "interest shares",
                         "today's reviews and checks", "related terms"}  # fmt: skip
    assert all(seconds >= 0 for seconds in took.values())
    assert derby.directory_mirror.view is not None and derby.volunteer_mirror.view is not None
    assert "rarity" in derby.cache
    terms = sum(len(derby.taxonomy.terms[k]) for k in warm.TOPICAL_KINDS)
    assert shortlist.related.cache_info().currsize == terms
    assert derby.directory_mirror.view.activities  # the demo's, all of them
    today, weights = date.today(), derby.weights
    fresh = derby.directory_mirror.view.fresh[(today, weights.review_months)]
    assert len(fresh) == len(derby.directory_mirror.view.held)
    vetted = derby.volunteer_mirror.view.checked[(today, weights.dbs_valid_years)]
    assert len(vetted) == len(derby.volunteer_mirror.view.people) and vetted.any()
