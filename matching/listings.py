"""One listing per activity in whatever is offered: search results and suggestion lists.

A directory fed by several hands ends up holding one session under several listings ("Knit
and Natter", "Knit and Natter (Friday)" and "Knit and Natter (Wednesday)", all one group's at
one venue). Listings alike in name (weekdays and bracketed words aside), group and venue are
one *family* (and of one status): the best of a family stands for the rest, and the others are
only "also on" days under it. A list of suggestions also takes at most ``PER_GROUP`` of one group's
listings, so that ten suggestions are ten different things to try, not one group's week.

Both rules are applied to a list already ranked best first, so they choose the same whether
the list came from weighing every activity (the benchmark's baselines) or from the shortlist
(kith/memory/shortlist.py), which offers its suggestions in ranked order to a ``Selection``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kith.domain import Activity, Suggestion, Weekday

from .text import fold

PER_GROUP = 2
"""The most listings of one group in one list of suggestions."""

BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
DAY_WORDS = frozenset(
    w for d in Weekday for w in (d.value.lower(), d.value.lower() + "s", d.value.lower()[:3])
)


@lru_cache(maxsize=65_536)
def base_name(name: str) -> str:
    """A listing's name without what tells its sessions apart: bracketed words and weekdays."""
    words = fold(BRACKETED.sub(" ", name)).split()
    return " ".join(w for w in words if w not in DAY_WORDS) or fold(name)


def family(activity: Activity) -> Hashable:
    """Listings of one family are one activity listed more than once; a closed listing is
    never one of an open family (its days are not "also on" days: search shows it as closed)."""
    return base_name(activity.name), activity.group_id, activity.venue_id, activity.status


@dataclass
class Selection:
    """Suggestions taken best first: one of each family, ``per_group`` of each group's."""

    first: int
    per_group: int = PER_GROUP
    taken: list[Suggestion] = field(default_factory=list)
    families: set[Hashable] = field(default_factory=set)
    groups: Counter[str] = field(default_factory=Counter)

    @property
    def full(self) -> bool:
        return len(self.taken) >= self.first

    def offer(self, suggestion: Suggestion) -> bool:
        """Take the next best suggestion unless one of its family or enough of its group's are
        taken already; True when taken."""
        activity = suggestion.target
        assert isinstance(activity, Activity)
        kin, group = family(activity), activity.group_id
        if self.full or kin in self.families or (group and self.groups[group] >= self.per_group):
            return False
        self.taken.append(suggestion)
        self.families.add(kin)
        if group:
            self.groups[group] += 1
        return True


def distinct(ranked: Iterable[Suggestion], first: int) -> list[Suggestion]:
    """The first ``first`` of suggestions ranked best first that a ``Selection`` takes."""
    selection = Selection(first)
    for suggestion in ranked:
        if selection.full:
            break
        selection.offer(suggestion)
    return selection.taken
