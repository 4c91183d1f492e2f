"""Small-number suppression: which figures of a report may be shown. Pure: numbers in, cells out.

A count from 1 to 4 could point at someone (the one person referred from a postcode this
month), so it is never shown: its cell is suppressed. Zero reveals nobody and is shown. This is
the rule NHS England applies to published counts (HES Analysis Guide, "Suppression of small
numbers": 1-7 there; the Kith brief sets 1-4), with the same two safeguards:

- Secondary suppression. A part of a breakdown can be worked out by subtracting the shown
  parts from the shown total. So the suppressed parts of a breakdown must together add up to
  at least ``SMALLEST_SHOWN``: while they do not, the smallest part still shown (above zero) is
  suppressed too. One suppressed part thus always takes another with it, and two suppressed
  parts of 1 and 2 take a third. The total can then stay shown: what subtraction yields is the
  sum of the suppressed parts, never less than five. (When no part is left to suppress, every
  other part is zero, so the total is itself 1-4 and already suppressed.)
- Figures over few people. A mean, median or interval over fewer than ``SMALLEST_SHOWN``
  people says too much about each of them, so it is suppressed with its count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Cell:
    """A figure as published: its value, or None with ``suppressed`` set. A None that is not
    suppressed is a figure with nothing to show (a mean over nobody)."""

    value: float | None
    suppressed: bool = False


HIDDEN = Cell(None, suppressed=True)
NOTHING = Cell(None)


def small(n: int) -> bool:
    return 0 < n < SMALLEST_SHOWN


def count(n: int) -> Cell:
    """A count on its own (not part of a breakdown with a total)."""
    return HIDDEN if small(n) else Cell(n)


def statistic(value: float | None, people: int) -> Cell:
    """A figure computed over ``people``: hidden over fewer than five, empty over none."""
    if small(people):
        return HIDDEN
    return NOTHING if value is None or people == 0 else Cell(value)


def breakdown(total: int, parts: Mapping[str, int]) -> tuple[Cell, dict[str, Cell]]:
    """The total and its parts as published: small ones suppressed, and as many more of the
    smallest parts as it takes for no suppressed part to be worked out by subtraction."""
    if sum(parts.values()) != total:
        raise ValueError(f"the parts add up to {sum(parts.values())}, not the total {total}")
    hidden = {key for key, n in parts.items() if small(n)}
    shown = sorted((n, key) for key, n in parts.items() if n > 0 and key not in hidden)
    while hidden and sum(parts[k] for k in hidden) < SMALLEST_SHOWN and shown:
        hidden.add(shown.pop(0)[1])
    cells = {key: HIDDEN if key in hidden else Cell(n) for key, n in parts.items()}
    return count(total), cells


def share(part: int, whole: int) -> tuple[Cell, Cell, Cell, Cell]:
    """``whole`` people, ``part`` of them, the rest, and the part's share of the whole: the
    part and the rest are a breakdown of the whole, and the share is shown only when both
    are (it and the whole would give the part away)."""
    total, cells = breakdown(whole, {"part": part, "rest": whole - part})
    fraction = statistic(part / whole if whole else None, whole)
    if cells["part"].suppressed or cells["rest"].suppressed:
        fraction = HIDDEN
    return total, cells["part"], cells["rest"], fraction
