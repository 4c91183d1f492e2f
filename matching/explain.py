"""The pieces buddy and activity scoring share: parts with their evidence, and reasons.

A scorer builds one ``Component`` per part: a value in [0, 1] and the evidence behind it, each
piece of evidence with a relative strength. ``suggestion`` then gives each part its share of
the score (``mix``), splits a part's contribution among its evidence in proportion to strength,
and turns every piece into a ``Reason``. All of it is counted in whole units of 1/10,000, split
by largest remainder, so reasons are exact to 4 decimal places and add up to the score exactly,
and a score can never pass 1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kith.domain import (
    Activity,
    Availability,
    DayPart,
    Person,
    Reason,
    ReasonCode,
    Suggestion,
    TermKind,
    Weekday,
)

from .geo import nearness
from .taxonomy import Taxonomy
from .weights import Part, Weights

UNIT = 10_000
"""Scores and reason weights are whole multiples of 1/UNIT (4 decimal places)."""

ENGLISH = "english"
SHARED, RELATED = ReasonCode.SHARED_INTEREST, ReasonCode.RELATED_INTEREST
MORNING_ENDS, AFTERNOON_ENDS = "12:00", "17:00"
"""A session is a morning one when it starts before noon, an afternoon one before five."""


@dataclass(frozen=True)
class Evidence:
    """One thing behind a part's value, with its strength relative to the part's others."""

    code: ReasonCode
    text: str
    strength: float


@dataclass(frozen=True)
class Component:
    """A part's value in [0, 1] and the evidence it rests on (none when the value is 0)."""

    value: float
    evidence: tuple[Evidence, ...] = ()


NOTHING = Component(0.0)


def single(value: float, code: ReasonCode, text: str) -> Component:
    """A part resting on one piece of evidence."""
    return Component(value, (Evidence(code, text, 1.0),)) if value > 0 else NOTHING


def saturate(evidence: Iterable[Evidence]) -> Component:
    """Combine independent evidence as 1 - prod(1 - strength): each piece adds, with
    diminishing returns, and the value stays in [0, 1]."""
    items = tuple(e for e in evidence if e.strength > 0)
    return Component(1.0 - math.prod(1.0 - e.strength for e in items), items)


def apportion(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` units in proportion to ``shares`` as whole units that add up exactly
    (largest remainder first, earlier entries winning ties)."""
    whole = math.fsum(shares)
    if total <= 0 or whole <= 0:
        return [0] * len(shares)
    exact = [total * s / whole for s in shares]
    units = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: units[i] - exact[i])
    for i in by_remainder[: total - sum(units)]:
        units[i] += 1
    return units


def mix(
    base: Mapping[Part, float], applicable: Iterable[Part], boost: tuple[Part, float] | None = None
) -> dict[Part, int]:
    """The units of the score each applicable part may earn.

    Parts that cannot apply are left out and the rest scaled up in proportion. A ``boost``
    fixes one part's share of the whole (language for someone without English), the others
    sharing what is left in proportion.
    """
    wanted = set(applicable)
    shares = {p: w for p, w in base.items() if p in wanted}
    if boost and boost[0] in shares:
        part, share = boost
        others = math.fsum(w for p, w in shares.items() if p != part)
        if others > 0:
            scale = (1 - share) / others
            shares = {p: share if p == part else w * scale for p, w in shares.items()}
    return dict(zip(shares, apportion(UNIT, list(shares.values())), strict=True))


def language_boost(languages: Iterable[str], share: float) -> tuple[Part, float] | None:
    """For someone who lists languages but not English, the language part's fixed share."""
    spoken = set(languages)
    return (Part.LANGUAGE, share) if spoken and ENGLISH not in spoken else None


def reasons(components: Mapping[Part, Component], units: Mapping[Part, int]) -> list[Reason]:
    """Every piece of evidence as a reason weighing its share of its part's contribution."""
    out = []
    for part, component in components.items():
        earned = round(units.get(part, 0) * component.value)
        strengths = [e.strength for e in component.evidence]
        for evidence, share in zip(component.evidence, apportion(earned, strengths), strict=True):
            if share:
                out.append(Reason(evidence.code, evidence.text, share / UNIT))
    return sorted(out, key=lambda r: (-r.weight, r.code.value, r.text))


def suggestion(
    target: Person | Activity,
    distance_km: float | None,
    components: Mapping[Part, Component],
    units: Mapping[Part, int],
    notes: Iterable[Reason] = (),
) -> Suggestion:
    """A suggestion whose score is the sum of its reasons; ``notes`` are zero-weight reasons
    that explain without scoring (a respected preference). The reasons are worded only if
    read: each part's earned units are what ``reasons`` splits among its evidence, so their
    sum is known without them."""
    earned = sum(round(units.get(p, 0) * c.value) for p, c in components.items() if c.evidence)
    noted = list(notes)
    return Suggestion(target, round(earned / UNIT, 4), distance_km,
                      lambda: [*reasons(components, units), *noted])  # fmt: skip


def ranked(suggestions: Iterable[Suggestion], first: int) -> list[Suggestion]:
    """The best ``first``: score descending, then nearer first, then id, so ties never
    depend on the order graph/ returned candidates in."""
    return sorted(suggestions, key=rank_key)[: max(first, 0)]


def rank_key(s: Suggestion) -> tuple[float, float, str]:
    """Where ``ranked`` puts a suggestion: lower first."""
    return -s.score, math.inf if s.distance_km is None else s.distance_km, s.target.id


# --- words -----------------------------------------------------------------------------------


def phrase(name: str) -> str:
    """A term name as it reads mid-sentence: "Crafts" -> "crafts", but acronyms and names
    stay ("COPD", "Parkinson's")."""
    return " ".join(w if keeps_capitals(w) else w.lower() for w in name.split())


def keeps_capitals(word: str) -> bool:
    """Acronyms (COPD, ME/CFS) and names (Parkinson's) keep their capitals mid-sentence."""
    return word[1:] != word[1:].lower() or word.endswith("'s")


def spoken_list(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def km_text(km: float) -> str:
    """A distance as people say it, without a misleading "0.0 km"."""
    return "under 0.1 km" if km < 0.1 else f"{km:.1f} km"


def slots_text(slots: Iterable[Availability]) -> str:
    """Slots as a sentence: "Tuesday afternoons and Friday mornings", in week order."""
    days, parts = list(Weekday), list(DayPart)
    ordered = sorted(slots, key=lambda s: (days.index(s.day), parts.index(s.part)))
    return spoken_list([f"{s.day.value.title()} {s.part.value.lower()}s" for s in ordered])


def day_part(start: str) -> DayPart:
    """The part of the day a session starting at "HH:MM" belongs to."""
    hhmm = start.strip().zfill(5)
    if hhmm < MORNING_ENDS:
        return DayPart.MORNING
    return DayPart.AFTERNOON if hhmm < AFTERNOON_ENDS else DayPart.EVENING


# --- shared parts ---------------------------------------------------------------------------


def overlap(
    mine: Iterable[str], theirs: Iterable[str], related: Callable[[str, str], str | None]
) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    """Terms both sides have, and the other pairs grouped by what relates them.

    Only terms without an exact match are paired, so knitting shared exactly is not counted
    again as "related" to the other side's crochet.
    """
    shared = set(mine) & set(theirs)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in sorted(set(mine) - shared):
        for b in sorted(set(theirs) - shared):
            if key := related(a, b):
                groups[key].append((a, b))
    return sorted(shared), dict(groups)


def information(share: float | None, weights: Weights) -> float:
    """How much sharing an interest says, from the share of people who enjoy it: -log(share)
    scaled to 1 at ``rarest_share``, floored at ``min_interest_information``. An interest
    missing from the shares is treated as the rarest (nobody else around enjoys it)."""
    if share is None or share <= weights.rarest_share:
        return 1.0
    scaled = math.log(share) / math.log(weights.rarest_share)
    return min(1.0, max(weights.min_interest_information, scaled))


def common_broader(taxonomy: Taxonomy, a: str, b: str) -> str | None:
    """The interest that relates two others: the parent of one, or the parent they share."""
    ta, tb = taxonomy.get(TermKind.INTEREST, a), taxonomy.get(TermKind.INTEREST, b)
    if ta is None or tb is None:
        return None
    if ta.broader == b:
        return b
    if tb.broader == a:
        return a
    return ta.broader if ta.broader is not None and ta.broader == tb.broader else None


def interest_component(
    mine: Iterable[str],
    theirs: Iterable[str],
    taxonomy: Taxonomy,
    rarity: Mapping[str, float],
    weights: Weights,
    wording: tuple[str, str],
) -> Component:
    """Shared interests weighted by rarity, related ones by ``related_interest`` too.

    ``wording`` holds the exact and the related text, e.g. ("both enjoy {term}",
    "both enjoy {group} ({terms})").
    """

    def name(term_id: str) -> str:
        return phrase(taxonomy.name(TermKind.INTEREST, term_id))

    def info(term_id: str) -> float:
        return information(rarity.get(term_id), weights)

    shared, groups = overlap(mine, theirs, lambda a, b: common_broader(taxonomy, a, b))
    exact, related = wording
    evidence = [
        Evidence(SHARED, exact.format(term=name(t)), weights.single_interest * info(t))
        for t in shared
    ]
    for group, pairs in groups.items():
        terms = spoken_list(sorted({name(t) for pair in pairs for t in pair if t != group}))
        strength = max(min(info(a), info(b)) for a, b in pairs)
        text = related.format(group=name(group), terms=terms)
        weight = weights.single_interest * weights.related_interest * strength
        evidence.append(Evidence(RELATED, text, weight))
    return saturate(evidence)


def kindred(
    taxonomy: Taxonomy, kind: TermKind, mine: Iterable[str], theirs: Iterable[str], weights: Weights
) -> list[tuple[str, float]]:
    """Their condition or need terms that match mine, as (name as it reads, strength): exactly
    (1) or as a broader or narrower term (``related_condition``)."""

    def lineage(a: str, b: str) -> str | None:
        return b if b in taxonomy.narrower(kind, a) or a in taxonomy.narrower(kind, b) else None

    shared, groups = overlap(mine, theirs, lineage)
    found = [(t, 1.0) for t in shared] + [(t, weights.related_condition) for t in groups]
    return [(phrase(taxonomy.name(kind, t)), strength) for t, strength in found]


def language_component(
    mine: Iterable[str], theirs: Iterable[str], taxonomy: Taxonomy, weights: Weights, text: str
) -> Component:
    """Full for a shared language other than English, ``english_only_language`` for English
    alone; ``text`` names the languages as "{languages}"."""
    shared = set(mine) & set(theirs)
    home = sorted(shared - {ENGLISH})
    spoken = home or sorted(shared)
    if not spoken:
        return NOTHING
    names = spoken_list([taxonomy.name(TermKind.LANGUAGE, t) for t in spoken])
    value = 1.0 if home else weights.english_only_language
    return single(value, ReasonCode.LANGUAGE, text.format(languages=names))


def nearness_component(km: float, limit_km: float, text: str) -> Component:
    """Nearness falling to 0 at the limit, where the hard rule takes over; ``text`` has
    "{km}"."""
    return single(nearness(km, limit_km), ReasonCode.NEARBY, text.format(km=km_text(km)))


def availability_component(shared: set[Availability], full_at: int, text: str) -> Component:
    """Shared day-parts, full at ``full_at`` of them; ``text`` has "{slots}"."""
    if not shared:
        return NOTHING
    value = min(1.0, len(shared) / full_at)
    return single(value, ReasonCode.AVAILABILITY, text.format(slots=slots_text(shared)))
