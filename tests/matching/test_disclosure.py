"""Small-number suppression (kith/disclosure.py): no count from 1 to 4 is shown, nor can one be
worked out by subtracting what is shown from a shown total."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.disclosure import HIDDEN, NOTHING, Cell, breakdown, count, share, statistic


def shown(cells: dict[str, Cell]) -> dict[str, float | None]:
    return {k: c.value for k, c in cells.items()}


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_shown() -> None:
    assert [count(n) for n in range(7)] == [Cell(0), *[HIDDEN] * 4, Cell(5), Cell(6)]


def test_one_hidden_part_takes_the_next_smallest_with_it() -> None:
    total, parts = breakdown(30, {"GP": 3, "SELF": 0, "HOSPITAL": 7, "OTHER": 20})
    assert total == Cell(30)
    assert shown(parts) == {"GP": None, "SELF": 0, "HOSPITAL": None, "OTHER": 20}


def test_hidden_parts_that_add_up_to_under_five_take_another() -> None:
    # 1 + 2 could be had as 30 - 27: a third part is hidden so the difference is 1 + 2 + 6.
    _, parts = breakdown(30, {"a": 1, "b": 2, "c": 6, "d": 21})
    assert shown(parts) == {"a": None, "b": None, "c": None, "d": 21}


def test_hidden_parts_adding_up_to_five_or_more_are_enough() -> None:
    _, parts = breakdown(30, {"a": 2, "b": 3, "c": 6, "d": 19})
    assert shown(parts) == {"a": None, "b": None, "c": 6, "d": 19}


def test_a_small_total_is_hidden_with_every_part_above_zero() -> None:
    total, parts = breakdown(3, {"a": 3, "b": 0})
    assert total is HIDDEN and shown(parts) == {"a": None, "b": 0}


def test_nothing_is_hidden_when_nothing_is_small() -> None:
    total, parts = breakdown(12, {"a": 5, "b": 7, "c": 0})
    assert total == Cell(12) and shown(parts) == {"a": 5, "b": 7, "c": 0}


def test_parts_that_do_not_make_the_total_are_a_mistake() -> None:
    with pytest.raises(ValueError, match="add up to 5, not the total 6"):
        breakdown(6, {"a": 5})


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), max_size=8))
def test_no_small_count_is_shown_or_can_be_subtracted_out(parts: dict[str, int]) -> None:
    total, cells = breakdown(sum(parts.values()), parts)
    for key, cell in cells.items():
        assert cell.suppressed or cell.value == parts[key]
        assert cell.value is None or not 0 < cell.value < 5
    if not total.suppressed:
        worked_out = total.value - sum(c.value for c in cells.values() if not c.suppressed)
        assert worked_out == 0 or worked_out >= 5


def test_a_share_is_shown_only_with_both_its_parts() -> None:
    assert share(6, 10) == (Cell(10), HIDDEN, HIDDEN, HIDDEN)  # 4 not matched takes the 6
    assert share(7, 20) == (Cell(20), Cell(7), Cell(13), Cell(0.35))
    assert share(0, 8) == (Cell(8), Cell(0), Cell(8), Cell(0.0))
    assert share(3, 3) == (HIDDEN, HIDDEN, Cell(0), HIDDEN)
    assert share(0, 0) == (Cell(0), Cell(0), Cell(0), NOTHING)


def test_a_figure_over_fewer_than_five_people_is_hidden() -> None:
    assert statistic(2.5, 4) is HIDDEN
    assert statistic(2.5, 5) == Cell(2.5)
    assert statistic(None, 0) is NOTHING
