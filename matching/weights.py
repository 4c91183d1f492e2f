"""The matching model in one place: every weight and constant that scoring uses, and why.

A suggestion's score is a weighted sum of *parts* (shared interests, lived experience,
language, nearness...), each part a number in [0, 1] and the part weights adding up to 1, so
the score is in [0, 1] too. Each part that contributes becomes one or more ``Reason``s whose
weights are its contribution, so a score is always exactly the sum of its reasons.

Parts that cannot apply to someone (no conditions recorded, no availability given) are left
out and the others scaled up in proportion, so a score of 1 stays reachable and means "as good
as we can tell". Hard rules (consent, DBS, capacity, preferences, access) are never parts:
they live in ``matching.rules`` and no score can buy them off.

Tune by making a new ``Weights(...)``; the constructor refuses mixes that do not add up to 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Part(StrEnum):
    """The parts a score is made of."""

    INTERESTS = "interests"
    LIVED_EXPERIENCE = "lived-experience"
    SUPPORTS = "supports"
    CARERS = "carers"
    LANGUAGE = "language"
    NEARNESS = "nearness"
    AVAILABILITY = "availability"
    FREE = "free"
    ACCESS = "access"
    REVIEWED = "reviewed"


@dataclass(frozen=True)
class Weights:
    """Every tunable number of the matching model (see the module docstring for the shape)."""

    # --- Buddy parts: weights add up to 1 -------------------------------------------------
    buddy_interests: float = 0.30
    """Shared interests are what a befriending pair talks about and does together, so they are
    the biggest single part; rare shared interests fill it faster than common ones."""

    buddy_lived_experience: float = 0.25
    """A peer who lives with the same condition understands without explanation (the COPD
    story); strong, but below interests because most people have no condition recorded."""

    buddy_language: float = 0.15
    """A shared language counts for everyone; for people without English it becomes decisive
    (see ``buddy_language_without_english``)."""

    buddy_nearness: float = 0.20
    """Befriending is weekly and local: a buddy round the corner is easier to keep. Falls to 0
    at the volunteer's own travel limit, where the hard rule begins."""

    buddy_availability: float = 0.10
    """Free at the same times makes the first meeting easy to arrange, but times change, so it
    only nudges the order."""

    buddy_language_without_english: float = 0.40
    """The language part's share of the score for someone who speaks no English: without a
    common language there is no befriending, so it outweighs everything else but stays short
    of half so that interests and nearness still order the speakers of that language."""

    buddy_slots_for_full: int = 2
    """Shared day-parts that fill the availability part: two give room to rearrange."""

    # --- Activity parts: weights add up to 1 ----------------------------------------------
    activity_supports: float = 0.25
    """An activity that supports the person's condition or need is what social prescribing is
    for (Breathe Easy for COPD, a memory café for dementia)."""

    activity_interests: float = 0.20
    """Doing something one enjoys is why people keep going; every interest counts the same
    here (no rarity), since a group exists for its topic whether or not it is rare."""

    activity_carers: float = 0.15
    """For carers, a place that welcomes carers (and supports the person they care for) is the
    point of the suggestion."""

    activity_nearness: float = 0.10
    """Nearer is easier to reach; falls to 0 at the edge of the search radius."""

    activity_language: float = 0.10
    """A session held in one's own language; stronger without English (see below)."""

    activity_availability: float = 0.05
    """A session at a time the person said they are free: a nudge, as times can be changed."""

    activity_free: float = 0.05
    """Cost keeps people away; free is a small but real plus."""

    activity_access: float = 0.05
    """The venue meets the stated access needs (a hard rule) or, with none stated, is
    step-free: the feature that most often matters to older people who have not said so."""

    activity_reviewed: float = 0.05
    """A listing its organiser or a coordinator has checked within its review cycle is one
    people can trust to be there when they arrive; half while due, nothing when long overdue
    (matching/reviews.py). Small: it orders listings alike in all else, as ALISS lowers
    unreviewed services, and never makes an irrelevant one relevant."""

    activity_language_without_english: float = 0.25
    """The language part's share for someone who speaks no English: an English-only session is
    of little use to them, but the topic still matters more."""

    # --- How parts are computed ---------------------------------------------------------------
    single_interest: float = 0.6
    """How much of the interest part one maximally telling shared interest fills. Parts
    combine as 1 - prod(1 - strength), so two shared interests beat one and it never exceeds 1."""

    related_interest: float = 0.4
    """A related match (siblings such as knitting and crochet, or parent and child such as
    music and singing) says less than the same interest, so it counts 0.4 of an exact one."""

    rarest_share: float = 0.01
    """The share of people at and below which an interest is as telling as an interest can be;
    information is -log(share) scaled so that this share gives 1."""

    min_interest_information: float = 0.2
    """Even an interest half the county shares is something to talk about: the floor of a
    shared interest's information, so common interests count a little, not nothing."""

    related_condition: float = 0.6
    """Lived experience of a broader or narrower condition (respiratory conditions for COPD)
    understands much but not all, as does a group for the broader condition."""

    english_only_language: float = 0.5
    """When the only shared language is English the language part is half full: useful, but a
    shared home language (Punjabi, Polish...) is what makes people feel at home."""

    carers_only: float = 0.6
    """A carers' group that does not also support the cared-for person's condition: welcome
    respite, but less than a place where both are supported together."""

    default_activity_radius_km: float = 5.0
    """The radius for activity suggestions when the caller gives none: a short bus ride."""

    review_months: int = 6
    """A listing's review cycle (``KITH_REVIEW_MONTHS``): due once this long has passed since
    its last review, long overdue after twice as long (matching/reviews.py)."""

    search_reviewed: float = 0.1
    """The share of a search hit's score that is the listing's review part: an overdue activity
    ranks below an equal one that is reviewed, and text and distance still decide the rest."""

    dbs_valid_years: int = 3
    """A DBS check older than this is treated as expired for one-to-one befriending (common
    practice for volunteers in England, which has no statutory expiry)."""

    def __post_init__(self) -> None:
        for name, mix in (("buddy", self.buddy_mix()), ("activity", self.activity_mix())):
            if any(w < 0 for w in mix.values()) or not math.isclose(sum(mix.values()), 1.0):
                raise ValueError(f"{name} part weights must be non-negative and add up to 1")
        fractions = (
            self.buddy_language_without_english,
            self.activity_language_without_english,
            self.single_interest,
            self.related_interest,
            self.min_interest_information,
            self.related_condition,
            self.english_only_language,
            self.carers_only,
            self.search_reviewed,
        )
        if not all(0 <= f <= 1 for f in fractions) or not 0 < self.rarest_share < 1:
            raise ValueError("factors and shares must lie in [0, 1]")
        if min(self.buddy_slots_for_full, self.review_months) < 1 or \
                self.default_activity_radius_km <= 0:  # fmt: skip
            raise ValueError("buddy_slots_for_full, review_months and default_activity_radius_km"
                             " must be positive")  # fmt: skip

    def buddy_mix(self) -> dict[Part, float]:
        """The weight of each buddy part."""
        return {
            Part.INTERESTS: self.buddy_interests,
            Part.LIVED_EXPERIENCE: self.buddy_lived_experience,
            Part.LANGUAGE: self.buddy_language,
            Part.NEARNESS: self.buddy_nearness,
            Part.AVAILABILITY: self.buddy_availability,
        }

    def activity_mix(self) -> dict[Part, float]:
        """The weight of each activity part."""
        return {
            Part.SUPPORTS: self.activity_supports,
            Part.INTERESTS: self.activity_interests,
            Part.CARERS: self.activity_carers,
            Part.NEARNESS: self.activity_nearness,
            Part.LANGUAGE: self.activity_language,
            Part.AVAILABILITY: self.activity_availability,
            Part.FREE: self.activity_free,
            Part.ACCESS: self.activity_access,
            Part.REVIEWED: self.activity_reviewed,
        }


DEFAULT = Weights()
