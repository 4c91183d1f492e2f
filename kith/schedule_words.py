"""When an activity meets, in words: "Tuesdays and Fridays 10:00–11:30" rather than a row of
sessions, and "also on Wednesday 14:00" for the days a listing it stands for adds."""

from __future__ import annotations

from collections.abc import Iterable

from .domain import Activity, Session, Weekday

WEEK = list(Weekday)


def times(session: Session) -> str:
    return f"{session.start}–{session.end}" if session.end else session.start


def listed(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def in_words(sessions: Iterable[Session]) -> str:
    """Sessions grouped by their times, each group's days in week order ("Mondays and
    Thursdays 14:00–15:30"), the groups in the order of their first day, joined by "; "."""
    by_time: dict[str, list[Weekday]] = {}
    for s in sorted(sessions, key=lambda s: (WEEK.index(s.day), s.start)):
        days = by_time.setdefault(times(s), [])
        if s.day not in days:
            days.append(s.day)
    return "; ".join(
        f"{listed([d.value.title() + 's' for d in days])} {when}" for when, days in by_time.items()
    )


def also_on(activity: Activity, also: Iterable[Activity]) -> str | None:
    """The sessions of the other listings a search hit stands for on days it does not meet
    itself ("also on Wednesday 14:00"), or None when they add no day."""
    own = {s.day for s in activity.sessions}
    extra = sorted({s for a in also for s in a.sessions if s.day not in own},
                   key=lambda s: (WEEK.index(s.day), s.start))  # fmt: skip
    if not extra:
        return None
    return "also on " + listed([f"{s.day.value.title()} {s.start}" for s in extra])
