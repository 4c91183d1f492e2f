"""Directory search ranking: which candidates match a query, how well, and in what order.

graph/ hands over activities (with their venues) inside the search box and the groups; this
module applies the exact filters and scores them. A group or venue matches through its own
name or through an activity of its that matches, so "knit" finds the Knit and Natter session,
the group that runs it and the library where it meets.

An activity's score also holds how fresh its listing is (``Weights.search_reviewed`` of it,
matching/reviews.py), so an overdue listing ranks below an equal reviewed one; a closed one
is still found, shown as closed, after every open one; and of listings alike in name, group
and venue only the best is a result, the others its "also on" (matching/listings.py).

A search near central Derby weighs thousands of candidates, so a ``Query`` does each piece of
work once: the cheap filters first, each distinct word of the directory scored against the
search text once (``text.relevance`` word by word), each venue's distance measured once.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from kith.domain import (
    Activity,
    EntryKind,
    Group,
    Hit,
    ListingStatus,
    Person,
    Place,
    TermKind,
    Venue,
    Weekday,
)

from .geo import distance_km, nearness
from .listings import family
from .reviews import freshness
from .taxonomy import Taxonomy
from .text import STOPWORDS, fold, word_score
from .weights import DEFAULT, Weights

FAR = 1e9  # the distance that sorts an entry without one last


@dataclass
class SearchFilters:
    """A search after its free-text terms were normalised to taxonomy ids (narrower included)."""

    text: str | None = None
    near: Place | None = None
    radius_km: float = 5.0
    kinds: frozenset[EntryKind] = frozenset({EntryKind.GROUP, EntryKind.ACTIVITY, EntryKind.VENUE})
    interests: set[str] = field(default_factory=set)
    supports: set[str] = field(default_factory=set)
    day: Weekday | None = None
    free_only: bool = False
    step_free: bool = False
    language: str | None = None
    weights: Weights = DEFAULT  # its review cycle and the review part's share of a score
    today: date = field(default_factory=date.today)

    @property
    def filters_activities(self) -> bool:
        """True when only entries with a matching activity can match."""
        return bool(self.interests or self.supports or self.day or self.free_only or self.language)


def query_words(text: str) -> list[str]:
    """The words of a search that must each match, as ``text.relevance`` splits them."""
    return [w for w in fold(text).split() if w not in STOPWORDS] or fold(text).split()


@lru_cache(maxsize=65_536)
def haystack(texts: tuple[str, ...]) -> frozenset[str]:
    """The folded words of an entry's texts (interned: the directory repeats its words)."""
    return frozenset(sys.intern(w) for t in texts if t for w in fold(t).split())


@lru_cache(maxsize=65_536)
def activity_haystack(taxonomy: Taxonomy, key: tuple) -> frozenset[str]:
    """An activity's words (``activity_words``), kept by what they are made of."""
    name, description, interests, supports = key
    return haystack((name, description or "", *taxonomy.words(TermKind.INTEREST, interests),
                     *taxonomy.words(TermKind.CONDITION, supports),
                     *taxonomy.words(TermKind.NEED, supports)))  # fmt: skip


class WordMatches:
    """The directory's words one search word matches, with ``text.word_score`` of each: every
    word is scored once, whichever search brings it, so an entry costs two set operations."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.seen: set[str] = set()
        self.scores: dict[str, float] = {}

    def best(self, words: frozenset[str]) -> float:
        """``text.word_score(word, words)``: the best over the words, one by one."""
        new = words - self.seen
        if new:
            self.scores.update((w, s) for w in new if (s := word_score(self.word, {w})))
            self.seen |= new
        matched = words & self.scores.keys()
        return max(self.scores[w] for w in matched) if matched else 0.0


@lru_cache(maxsize=256)
def word_matches(word: str) -> WordMatches:
    return WordMatches(word)


class TextIndex:
    """Which activities hold each word: a text search then weighs only the activities that
    every one of its words matches, instead of every activity near the place."""

    def __init__(self, activities: Iterable[Activity], taxonomy: Taxonomy) -> None:
        holders: dict[str, set[str]] = defaultdict(set)
        for activity in activities:
            for word in activity_words(activity, taxonomy):
                holders[word].add(activity.id)
        self.holders = dict(holders)
        self.vocabulary = frozenset(holders)

    def matching(self, text: str) -> set[str]:
        """The ids of the activities whose ``activity_words`` the text matches (relevance > 0)."""
        found: set[str] | None = None
        for word in query_words(text):
            matches = word_matches(word)
            matches.best(self.vocabulary)  # scores every word of the directory once
            held = set().union(*(self.holders[w] for w in self.vocabulary & matches.scores.keys()))
            found = held if found is None else found & held
            if not found:
                break
        return found or set()


class Query:
    """One search's filters, with the distances it has measured so far."""

    def __init__(self, filters: SearchFilters, taxonomy: Taxonomy) -> None:
        self.filters = filters
        self.taxonomy = taxonomy
        self.words = [word_matches(w) for w in query_words(filters.text)] if filters.text else []
        self.distances: dict[str, float | None] = {}

    def text_match(self, words: frozenset[str]) -> float | None:
        """``text.relevance`` of the search text to an entry's words (None without a text):
        the mean of each search word's best score, 0 unless every word matches."""
        if not self.filters.text:
            return None
        if not self.words or not words:
            return 0.0
        scores = []
        for matches in self.words:
            best = matches.best(words)
            if best == 0.0:
                return 0.0
            scores.append(best)
        return sum(scores) / len(scores)

    def distance_to(self, venue: Venue) -> float | None:
        """Distance from the searched place, or None when there is no place or no position."""
        if venue.id not in self.distances:
            near = self.filters.near
            if near is None or venue.latitude is None or venue.longitude is None:
                self.distances[venue.id] = None
            else:
                here = (near.latitude, near.longitude)
                self.distances[venue.id] = distance_km(here, (venue.latitude, venue.longitude))
        return self.distances[venue.id]

    def within(self, venue: Venue) -> tuple[bool, float | None]:
        """Whether a venue is inside the search radius (always, without a place) and how far."""
        distance = self.distance_to(venue)
        if self.filters.near is None:
            return True, None
        return distance is not None and distance <= self.filters.radius_km, distance

    def combine(self, text_score: float | None, distance: float | None) -> float:
        """The mean of the parts that apply (text match, nearness); 1.0 when neither does."""
        parts = [text_score] if text_score is not None else []
        if distance is not None:
            parts.append(nearness(distance, self.filters.radius_km))
        return round(sum(parts) / len(parts), 4) if parts else 1.0


def rank(
    filters: SearchFilters,
    activities: list[tuple[Activity, Venue]],
    venues: list[Venue],
    groups: list[Group],
    taxonomy: Taxonomy,
) -> list[Hit]:
    """Every matching entry of the wanted kinds, best first."""
    query = Query(filters, taxonomy)
    activity_hits = [h for a, v in activities if (h := score_activity(query, a, v))]
    hits: list[Hit] = []
    if EntryKind.ACTIVITY in filters.kinds:
        hits += one_per_listing(h for h, _ in activity_hits)
    if EntryKind.GROUP in filters.kinds:
        hits += group_hits(query, activity_hits, groups)
    if EntryKind.VENUE in filters.kinds:
        hits += venue_hits(query, activity_hits, venues)
    return sorted(hits, key=order)


def order(hit: Hit) -> tuple[bool, float, float, str, str]:
    """Best first: open before closed, then score, then nearer, then by name, then by id, so
    that ties never depend on the order the candidates came in."""
    far = hit.distance_km if hit.distance_km is not None else FAR
    closed = isinstance(hit.entry, Activity) and hit.entry.status is not ListingStatus.ACTIVE
    return (closed, -hit.score, far, hit.entry.name, hit.entry.id)


def one_per_listing(hits: Iterable[Hit]) -> list[Hit]:
    """The best activity hit of each family, holding the others as ``also``."""
    best: dict[object, Hit] = {}
    for hit in sorted(hits, key=order):
        kin = family(hit.entry)  # type: ignore[arg-type]
        if kin in best:
            best[kin] = replace(best[kin], also=(*best[kin].also, hit.entry))
        else:
            best[kin] = hit
    return list(best.values())


def via_activities(filters: SearchFilters) -> bool:
    """True when a group can only match through a matching activity of its: its own name
    counts only for a text search without a place or activity filters."""
    return not filters.text or filters.near is not None or filters.filters_activities


def activity_words(activity: Activity, taxonomy: Taxonomy) -> frozenset[str]:
    """What text is matched with: the name, description and the names of its terms."""
    key = (activity.name, activity.description, tuple(activity.interests),
           tuple(activity.supports))  # fmt: skip
    return activity_haystack(taxonomy, key)


def passes(filters: SearchFilters, activity: Activity, venue: Venue) -> bool:
    """The hard filters of a search: all must hold."""
    return not (
        (filters.interests and not filters.interests & set(activity.interests))
        or (filters.supports and not filters.supports & set(activity.supports))
        or (filters.day and filters.day not in {s.day for s in activity.sessions})
        or (filters.free_only and not activity.free)
        or (filters.step_free and not venue.step_free)
        or (filters.language and filters.language not in activity.languages)
    )


def score_activity(query: Query, activity: Activity, venue: Venue) -> tuple[Hit, Venue] | None:
    """The activity's hit, cheapest test first: the filters, the text, then the distance."""
    if not passes(query.filters, activity, venue):
        return None
    text_score = query.text_match(activity_words(activity, query.taxonomy))
    if text_score == 0.0:
        return None
    inside, distance = query.within(venue)
    if not inside:
        return None
    filters = query.filters
    share = filters.weights.search_reviewed
    fresh = freshness(activity, filters.today, filters.weights.review_months).value
    score = round((1 - share) * query.combine(text_score, distance) + share * fresh, 4)
    return Hit(activity, score, distance), venue


def group_hits(
    query: Query, activity_hits: list[tuple[Hit, Venue]], groups: list[Group]
) -> list[Hit]:
    """A group's best matching activity stands for it; without one, its own name may match."""
    best: dict[str, Hit] = {}
    for hit, _ in activity_hits:
        group_id = hit.entry.group_id  # type: ignore[union-attr]
        if group_id and (group_id not in best or order(hit) < order(best[group_id])):
            best[group_id] = hit
    out = []
    for group in groups:
        if group.id in best:
            out.append(Hit(group, best[group.id].score, best[group.id].distance_km))
        elif not via_activities(query.filters):
            text_score = query.text_match(haystack((group.name, group.description or "")))
            if text_score:
                out.append(Hit(group, query.combine(text_score, None)))
    return out


def venue_hits(
    query: Query, activity_hits: list[tuple[Hit, Venue]], venues: list[Venue]
) -> list[Hit]:
    """Venues that host a matching activity, or (without activity filters) match by name."""
    filters = query.filters
    best: dict[str, Hit] = {}
    for hit, venue in activity_hits:
        if venue.id not in best or order(hit) < order(best[venue.id]):
            best[venue.id] = hit
    out = []
    for venue in venues:
        if venue.id in best:
            out.append(Hit(venue, best[venue.id].score, best[venue.id].distance_km))
            continue
        if filters.filters_activities or (filters.step_free and not venue.step_free):
            continue
        text_score = query.text_match(haystack((venue.name, venue.address or "")))
        if text_score == 0.0:
            continue
        inside, distance = query.within(venue)
        if inside:
            out.append(Hit(venue, query.combine(text_score, distance), distance))
    return out


def rank_people(filters: SearchFilters, people: list[Person], taxonomy: Taxonomy) -> list[Hit]:
    """People (coordinators' searches only): by name and interests, near the place."""
    query = Query(filters, taxonomy)
    out = []
    for person in people:
        kind = EntryKind.VOLUNTEER if person.volunteer else EntryKind.PERSON
        if kind not in filters.kinds or not person_passes(filters, person):
            continue
        distance = None
        if filters.near and person.latitude is not None and person.longitude is not None:
            here = (filters.near.latitude, filters.near.longitude)
            distance = distance_km(here, (person.latitude, person.longitude))
            if distance > filters.radius_km:
                continue
        elif filters.near:
            continue
        words = haystack((person.name, *taxonomy.words(TermKind.INTEREST, person.interests)))
        text_score = query.text_match(words)
        if text_score != 0.0:
            out.append(Hit(person, query.combine(text_score, distance), distance))
    return out


def person_passes(filters: SearchFilters, person: Person) -> bool:
    return not (
        (filters.interests and not filters.interests & set(person.interests))
        or (filters.supports and not filters.supports & set(person.conditions + person.needs))
        or (filters.day and filters.day not in {a.day for a in person.availability})
        or (filters.language and filters.language not in person.languages)
    )
