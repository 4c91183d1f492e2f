"""Wellbeing scoring as published: ONS4's four scores, SWEMWBS's metric conversion, UCLA3's total,
and every wrong answer refused naming ``answers``."""

from __future__ import annotations

import pytest

from kith.errors import InvalidInput
from kith.measures import MEASURES, SWEMWBS_METRIC, scores


def test_ons4_is_four_scores_never_summed() -> None:
    four = [("lifeSatisfaction", 7.0), ("worthwhile", 8.0), ("happiness", 6.0), ("anxiety", 3.0)]
    assert scores("ONS4", [7, 8, 6, 3]) == four


def test_swemwbs_uses_the_conversion_table_not_the_raw_total() -> None:
    assert scores("SWEMWBS", [1] * 7) == [("wellbeing", 7.00)]
    assert scores("SWEMWBS", [5] * 7) == [("wellbeing", 35.00)]
    assert scores("SWEMWBS", [3, 3, 3, 3, 3, 3, 3]) == [("wellbeing", 19.25)]  # raw 21
    metric = [SWEMWBS_METRIC[raw] for raw in range(7, 36)]
    assert metric == sorted(metric) and len(set(metric)) == 29  # monotone, one per raw total


def test_ucla3_is_the_total() -> None:
    assert scores("UCLA3", [1, 2, 3]) == [("loneliness", 6.0)]


@pytest.mark.parametrize(("measure", "answers", "said"), [
    ("ONS4", [7, 8, 6], "takes 4 answers, not 3"),
    ("ONS4", [7, 8, 6, 11], "answer 4 of ONS4 must be a whole number from 0 to 10"),
    ("SWEMWBS", [0, 1, 1, 1, 1, 1, 1], "from 1 to 5, not 0"),
    ("UCLA3", [1, 2, 4], "from 1 to 3, not 4"),
    ("UCLA3", [1, 2, True], "not True"),
])  # fmt: skip
def test_wrong_answers_are_refused_naming_answers(measure: str, answers: list, said: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        scores(measure, answers)
    assert refused.value.field == "answers" and said in refused.value.reason


def test_an_unknown_measure_is_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        scores("WEMWBS", [3] * 14)
    assert refused.value.field == "measure" and "ONS4" in refused.value.reason
    assert all(len(m.questions) == len(set(m.questions)) for m in MEASURES.values())
