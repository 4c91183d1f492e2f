"""Directory search ranking: which candidates match a query, how well, and in what order.

graph/ hands over activities (with their venues) inside the search box and the groups; this
module applies the exact filters and scores them. A group or venue matches through its own
name or through an activity of its that matches, so "knit" finds the Knit and Natter session,
the group that runs it and the library where it meets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kith.domain import Activity, EntryKind, Group, Hit, Person, Place, TermKind, Venue, Weekday

from .geo import distance_km, nearness
from .taxonomy import Taxonomy
from .text import relevance


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

    @property
    def filters_activities(self) -> bool:
        """True when only entries with a matching activity can match."""
        return bool(self.interests or self.supports or self.day or self.free_only or self.language)


def rank(
    filters: SearchFilters,
    activities: list[tuple[Activity, Venue]],
    venues: list[Venue],
    groups: list[Group],
    taxonomy: Taxonomy,
) -> list[Hit]:
    """Every matching entry of the wanted kinds, best first."""
    activity_hits = [h for a, v in activities if (h := score_activity(filters, a, v, taxonomy))]
    hits: list[Hit] = []
    if EntryKind.ACTIVITY in filters.kinds:
        hits += [h for h, _ in activity_hits]
    if EntryKind.GROUP in filters.kinds:
        hits += group_hits(filters, activity_hits, groups)
    if EntryKind.VENUE in filters.kinds:
        hits += venue_hits(filters, activity_hits, venues)
    return sorted(hits, key=order)


def order(hit: Hit) -> tuple[float, float, str]:
    return (-hit.score, hit.distance_km if hit.distance_km is not None else 1e9, hit.entry.name)


def distance_to(filters: SearchFilters, venue: Venue) -> float | None:
    """Distance from the searched place, or None when there is no place or no position."""
    if filters.near is None or venue.latitude is None or venue.longitude is None:
        return None
    here = (filters.near.latitude, filters.near.longitude)
    return distance_km(here, (venue.latitude, venue.longitude))


def combine(filters: SearchFilters, text_score: float | None, distance: float | None) -> float:
    """The mean of the parts that apply (text match, nearness); 1.0 when neither does."""
    parts = [text_score] if text_score is not None else []
    if distance is not None:
        parts.append(nearness(distance, filters.radius_km))
    return round(sum(parts) / len(parts), 4) if parts else 1.0


def text_match(filters: SearchFilters, words: list[str]) -> float | None:
    """How well the search text matches these words; None when the search has no text."""
    return relevance(filters.text, words) if filters.text else None


def within(filters: SearchFilters, venue: Venue) -> tuple[bool, float | None]:
    """Whether a venue is inside the search radius (always, without a place) and how far."""
    distance = distance_to(filters, venue)
    if filters.near is None:
        return True, None
    return distance is not None and distance <= filters.radius_km, distance


def activity_words(activity: Activity, taxonomy: Taxonomy) -> list[str]:
    return [
        activity.name, activity.description or "",
        *taxonomy.words(TermKind.INTEREST, activity.interests),
        *taxonomy.words(TermKind.CONDITION, activity.supports),
        *taxonomy.words(TermKind.NEED, activity.supports),
    ]  # fmt: skip


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


def score_activity(
    filters: SearchFilters, activity: Activity, venue: Venue, taxonomy: Taxonomy
) -> tuple[Hit, Venue] | None:
    inside, distance = within(filters, venue)
    if not inside or not passes(filters, activity, venue):
        return None
    text_score = text_match(filters, activity_words(activity, taxonomy))
    if text_score == 0.0:
        return None
    return Hit(activity, combine(filters, text_score, distance), distance), venue


def group_hits(
    filters: SearchFilters, activity_hits: list[tuple[Hit, Venue]], groups: list[Group]
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
        elif filters.text and not filters.near and not filters.filters_activities:
            text_score = text_match(filters, [group.name, group.description or ""])
            if text_score:
                out.append(Hit(group, combine(filters, text_score, None)))
    return out


def venue_hits(
    filters: SearchFilters, activity_hits: list[tuple[Hit, Venue]], venues: list[Venue]
) -> list[Hit]:
    """Venues that host a matching activity, or (without activity filters) match by name."""
    best: dict[str, Hit] = {}
    for hit, venue in activity_hits:
        if venue.id not in best or order(hit) < order(best[venue.id]):
            best[venue.id] = hit
    out = []
    for venue in venues:
        if venue.id in best:
            out.append(Hit(venue, best[venue.id].score, best[venue.id].distance_km))
            continue
        inside, distance = within(filters, venue)
        if not inside or filters.filters_activities or (filters.step_free and not venue.step_free):
            continue
        text_score = text_match(filters, [venue.name, venue.address or ""])
        if text_score != 0.0:
            out.append(Hit(venue, combine(filters, text_score, distance), distance))
    return out


def rank_people(filters: SearchFilters, people: list[Person], taxonomy: Taxonomy) -> list[Hit]:
    """People (coordinators' searches only): by name and interests, near the place."""
    wanted = filters.kinds
    out = []
    for person in people:
        kind = EntryKind.VOLUNTEER if person.volunteer else EntryKind.PERSON
        if kind not in wanted or not person_passes(filters, person):
            continue
        distance = None
        if filters.near and person.latitude is not None and person.longitude is not None:
            here = (filters.near.latitude, filters.near.longitude)
            distance = distance_km(here, (person.latitude, person.longitude))
            if distance > filters.radius_km:
                continue
        elif filters.near:
            continue
        words = [person.name, *taxonomy.words(TermKind.INTEREST, person.interests)]
        text_score = text_match(filters, words)
        if text_score != 0.0:
            out.append(Hit(person, combine(filters, text_score, distance), distance))
    return out


def person_passes(filters: SearchFilters, person: Person) -> bool:
    return not (
        (filters.interests and not filters.interests & set(person.interests))
        or (filters.supports and not filters.supports & set(person.conditions + person.needs))
        or (filters.day and filters.day not in {a.day for a in person.availability})
        or (filters.language and filters.language not in person.languages)
    )
