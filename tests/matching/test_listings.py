"""A directory that stays true, as matching sees it: one listing per activity in whatever is
offered, at most two of one group's in a list of suggestions, closed listings never
suggested, and an overdue listing below an equal reviewed one, with the reason shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from kith.domain import (
    Activity,
    ActivityCandidate,
    EntryKind,
    ListingStatus,
    ReasonCode,
    Session,
    Weekday,
)
from matching.activities import activities_near, suggest_activities
from matching.listings import base_name, family
from matching.reviews import Freshness, freshness, months_after
from matching.rules import eligible_activity
from matching.search import SearchFilters, rank
from matching.weights import DEFAULT, Part

from .worlds import HOME, TAXONOMY, activity, adds_up, ids, person

TODAY = date.today()
RECENT = TODAY - timedelta(days=30)
LONG_AGO = TODAY - timedelta(days=500)
KNITTER = person(interests=["knitting"])
KNITTERS_PARTS = (Part.INTERESTS, Part.NEARNESS, Part.FREE, Part.ACCESS, Part.REVIEWED)


def knit(aid: str, km: float = 1.0, name: str | None = None, **fields) -> ActivityCandidate:
    """A knitting listing reviewed a month ago, of group g-1 unless told otherwise."""
    fields = {"interests": ["knitting"], "last_reviewed_on": RECENT, "group_id": "g-1", **fields}
    found = activity(aid, km, **fields)
    return ActivityCandidate(replace(found.activity, name=name or aid), found.venue)


def at_venue_of(candidate: ActivityCandidate, aid: str, **fields) -> ActivityCandidate:
    """Another listing at the same venue (and of the same group) as ``candidate``."""
    return ActivityCandidate(replace(candidate.activity, id=aid, **fields), candidate.venue)


@pytest.mark.parametrize(
    ("name", "base"),
    [("Knit and Natter (Friday)", "knit and natter"),
     ("Knit & Natter - Wednesdays", "knit and natter"), ("Health Walk [new]", "health walk"),
     ("Monday", "monday")],
)  # fmt: skip
def test_a_base_name_leaves_out_what_tells_sessions_apart(name: str, base: str) -> None:
    assert base_name(name) == base


def test_of_one_activity_listed_twice_only_the_better_is_suggested() -> None:
    friday = knit("a-1", name="Knit and Natter (Friday)", cost=0.0)
    wednesday = at_venue_of(friday, "a-2", name="Knit and Natter (Wednesday)", cost=1.0)
    elsewhere = knit("a-3", 2.0, name="Knit and Natter", group_id="g-2")
    assert family(friday.activity) == family(wednesday.activity)
    found = suggest_activities(KNITTER, [friday, wednesday, elsewhere], TAXONOMY)
    assert ids(found) == ["a-1", "a-3"]
    place = activities_near(HOME, [friday, wednesday, elsewhere], TAXONOMY, 3.0, {"knitting"},
                            set())  # fmt: skip
    assert ids(place) == ["a-1", "a-3"]


def test_no_more_than_two_of_one_groups_listings_are_suggested() -> None:
    mine = [knit(f"a-{n}", 0.5 + n / 10, name=f"Knitting {n}") for n in range(4)]
    other = knit("a-other", 3.0, name="Stitch club", group_id="g-2")
    found = suggest_activities(KNITTER, [*mine, other], TAXONOMY)
    assert ids(found) == ["a-0", "a-1", "a-other"]
    assert all(adds_up(s) for s in found)


def test_a_listing_without_a_group_is_not_capped() -> None:
    loose = [knit(f"a-{n}", 0.5 + n / 10, name=f"Knitting {n}", group_id=None) for n in range(4)]
    assert len(suggest_activities(KNITTER, loose, TAXONOMY)) == 4


@pytest.mark.parametrize("status", [ListingStatus.TEMPORARILY_CLOSED, ListingStatus.CLOSED])
def test_a_closed_listing_is_never_suggested(status: ListingStatus) -> None:
    closed = knit("a-closed", 0.2, status=status)
    open_ = knit("a-open", 2.0, name="Other knitting", group_id="g-2")
    assert eligible_activity(KNITTER, closed) == "closed"
    assert ids(suggest_activities(KNITTER, [closed, open_], TAXONOMY)) == ["a-open"]
    assert ids(activities_near(HOME, [closed], TAXONOMY, 3.0, {"knitting"}, set())) == []


def test_an_overdue_listing_ranks_below_an_equal_reviewed_one_and_says_why() -> None:
    overdue = knit("a-overdue", last_reviewed_on=LONG_AGO)
    reviewed = knit("a-reviewed", group_id="g-2")
    stale, fresh = suggest_activities(KNITTER, [overdue, reviewed], TAXONOMY)[::-1]
    assert (fresh.target.id, stale.target.id) == ("a-reviewed", "a-overdue")
    [checked] = [r for r in fresh.reasons if r.code is ReasonCode.REVIEWED]
    assert checked.text == f"listing checked {RECENT:%B %Y}"
    assert fresh.score - stale.score == pytest.approx(checked.weight, abs=0.0001)
    share = DEFAULT.activity_reviewed / sum(DEFAULT.activity_mix()[p] for p in KNITTERS_PARTS)
    assert checked.weight == pytest.approx(share, abs=0.0001)
    note = next(r for r in stale.reasons if r.code is ReasonCode.REVIEWED)
    assert (note.text, note.weight) == (f"listing long overdue for review (checked "
                                        f"{LONG_AGO:%B %Y})", 0.0)  # fmt: skip
    assert adds_up(fresh) and adds_up(stale)


def test_freshness_follows_the_review_cycle_and_unanswered_reminders() -> None:
    on = date(2026, 1, 31)
    listing = Activity("a", "a", "v", last_reviewed_on=on)
    assert months_after(on, 1) == date(2026, 2, 28)
    assert freshness(listing, date(2026, 7, 30), 6) is Freshness.FRESH
    assert freshness(listing, date(2026, 7, 31), 6) is Freshness.DUE
    assert freshness(listing, date(2027, 1, 31), 6) is Freshness.OVERDUE
    assert freshness(replace(listing, reminders=3), date(2026, 2, 1), 6) is Freshness.OVERDUE
    assert freshness(replace(listing, last_reviewed_on=None), on, 6) is Freshness.OVERDUE
    assert freshness(listing, date(2026, 4, 30), 3) is Freshness.DUE


def test_search_shows_a_closed_listing_after_the_open_ones_and_one_of_each_family() -> None:
    closed = knit("a-closed", 0.1, name="Knit club", status=ListingStatus.CLOSED,
                  group_id="g-9")  # fmt: skip
    friday = knit("a-fri", 1.0, name="Knit and Natter (Friday)")
    wednesday = at_venue_of(friday, "a-wed", name="Knit and Natter (Wednesday)",
                            sessions=[Session(Weekday.WEDNESDAY, "14:00")])  # fmt: skip
    overdue = knit("a-old", 1.0, name="Knitters", group_id="g-3", last_reviewed_on=LONG_AGO)
    filters = SearchFilters(text="knit", near=HOME, radius_km=5,
                            kinds=frozenset({EntryKind.ACTIVITY}))  # fmt: skip
    pairs = [(c.activity, c.venue) for c in (closed, friday, wednesday, overdue)]
    hits = rank(filters, pairs, [], [], TAXONOMY)
    assert [h.entry.id for h in hits] == ["a-fri", "a-old", "a-closed"]
    assert [a.id for a in hits[0].also] == ["a-wed"]
    assert hits[0].score > hits[1].score
