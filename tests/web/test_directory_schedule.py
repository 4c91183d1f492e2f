"""Sessions in words, as the directory shows them."""

from __future__ import annotations

from kith.domain import Activity, Session, Weekday
from kith.schedule_words import also_on, in_words

MON, TUE, WED, FRI = Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.FRIDAY


def test_one_day_is_plural_and_has_its_times() -> None:
    assert in_words([Session(FRI, "10:00", "11:30")]) == "Fridays 10:00–11:30"
    assert in_words([Session(FRI, "19:00")]) == "Fridays 19:00"
    assert in_words([]) == ""


def test_days_at_the_same_times_go_together_in_week_order() -> None:
    sessions = [Session(FRI, "10:00", "11:30"), Session(TUE, "10:00", "11:30")]
    assert in_words(sessions) == "Tuesdays and Fridays 10:00–11:30"
    three = [*sessions, Session(MON, "10:00", "11:30")]
    assert in_words(three) == "Mondays, Tuesdays and Fridays 10:00–11:30"


def test_other_times_are_another_part() -> None:
    sessions = [Session(WED, "14:00", "15:30"), Session(MON, "10:00", "11:30"),
                Session(FRI, "10:00", "11:30")]  # fmt: skip
    assert in_words(sessions) == "Mondays and Fridays 10:00–11:30; Wednesdays 14:00–15:30"


def test_also_on_names_only_the_days_the_others_add() -> None:
    best = Activity("a", "Knit", "v", sessions=[Session(TUE, "10:00", "11:30")])
    same_day = Activity("b", "Knit (Tuesday)", "v", sessions=[Session(TUE, "10:00")])
    wednesday = Activity("c", "Knit (Wednesday)", "v", sessions=[Session(WED, "14:00")])
    assert also_on(best, [same_day]) is None
    assert also_on(best, [same_day, wednesday]) == "also on Wednesday 14:00"
