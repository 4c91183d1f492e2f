"""Ranking of search candidates, without a database."""

from __future__ import annotations

from kith.domain import Activity, EntryKind, Group, Place, Session, Venue, Weekday
from loaders.taxonomy import read_taxonomy
from matching.search import SearchFilters, rank
from matching.taxonomy import Taxonomy

TAXONOMY = Taxonomy(read_taxonomy())
NEAR = Place(52.95, -1.48)


def venue(vid: str, km_north: float, step_free: bool = True) -> Venue:
    return Venue(vid, f"Hall {vid}", latitude=52.95 + km_north / 111.2, longitude=-1.48,
                 step_free=step_free)  # fmt: skip


def activity(aid: str, venue_id: str, **kw) -> Activity:
    return Activity(aid, kw.pop("name", "Knit and Natter"), venue_id, group_id="g-1",
                    sessions=[Session(Weekday.TUESDAY, "10:00")], **kw)  # fmt: skip


def test_nearer_ranks_first_and_outside_the_radius_is_dropped() -> None:
    near, far, outside = venue("v1", 0.5), venue("v2", 2.0), venue("v3", 6.0)
    candidates = [(activity("a-far", "v2"), far), (activity("a-near", "v1"), near),
                  (activity("a-out", "v3"), outside)]  # fmt: skip
    filters = SearchFilters(text="knit", near=NEAR, radius_km=5,
                            kinds=frozenset({EntryKind.ACTIVITY}))  # fmt: skip
    hits = rank(filters, candidates, [], [], TAXONOMY)
    assert [h.entry.id for h in hits] == ["a-near", "a-far"]
    assert hits[0].score > hits[1].score


def test_a_group_stands_for_its_best_activity() -> None:
    candidates = [(activity("a1", "v1", interests=["knitting"]), venue("v1", 1.0))]
    filters = SearchFilters(interests={"knitting"}, near=NEAR)
    hits = rank(filters, candidates, [venue("v1", 1.0), venue("v9", 0.1)],
                [Group("g-1", "Knitters"), Group("g-2", "Chess Club")], TAXONOMY)  # fmt: skip
    kinds = {(type(h.entry).__name__, h.entry.id) for h in hits}
    assert kinds == {("Activity", "a1"), ("Group", "g-1"), ("Venue", "v1")}


def test_step_free_and_free_only_are_filters() -> None:
    candidates = [
        (activity("a-steps", "v1", cost=0.0), venue("v1", 1.0, step_free=False)),
        (activity("a-paid", "v2", cost=3.0), venue("v2", 1.0)),
        (activity("a-ok", "v3", cost=0.0), venue("v3", 1.0)),
    ]
    filters = SearchFilters(step_free=True, free_only=True, kinds=frozenset({EntryKind.ACTIVITY}))
    assert [h.entry.id for h in rank(filters, candidates, [], [], TAXONOMY)] == ["a-ok"]
