"""The wellbeing measures Kith records, as their publishers define them: the questions as
worded, the answers each takes, and how answers become scores. Pure: no store, no actor.

- ONS4, the Office for National Statistics' four personal well-being questions ("Personal
  well-being user guidance", ONS): each answered 0-10 and reported on its own, never summed.
  Anxiety runs the other way (0 is "not at all anxious"), so a fall in it is an improvement.
- SWEMWBS, the Short Warwick-Edinburgh Mental Wellbeing Scale (Stewart-Brown et al. 2009;
  © NHS Health Scotland, University of Warwick and University of Edinburgh): seven items
  answered 1-5. Its score is not the raw total: the raw total 7-35 is converted to a metric
  score with the published Rasch conversion table (Warwick Medical School, "Guidance on
  scoring": SWEMWBS conversion table), so that changes are comparable across the range.
- UCLA3, the three-item loneliness scale (Hughes, Waite, Hawkley & Cacioppo 2004, as ONS
  asks it): three items answered 1-3; the score is their total, 3-9, higher being lonelier.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidInput


@dataclass(frozen=True)
class Measure:
    """A questionnaire: its wording, the answers each question takes, and its scores' names.
    ``better`` is +1 where a higher score is better, -1 where lower is (per score)."""

    name: str
    title: str
    preamble: str
    questions: tuple[str, ...]
    low: int
    high: int
    labels: dict[int, str]  # what an answer means, where the measure names it
    score_names: tuple[str, ...]
    better: tuple[int, ...]


ONS4 = Measure(
    name="ONS4", title="ONS personal well-being (ONS4)",
    preamble="Answer each on a scale of 0 to 10, where 0 is 'not at all' and 10 is "
             "'completely'.",
    questions=(
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are "
        "worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, "
        "how anxious did you feel yesterday?",
    ),
    low=0, high=10, labels={0: "Not at all", 10: "Completely"},
    score_names=("lifeSatisfaction", "worthwhile", "happiness", "anxiety"),
    better=(1, 1, 1, -1),
)  # fmt: skip

SWEMWBS = Measure(
    name="SWEMWBS", title="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    preamble="Below are some statements about feelings and thoughts. Please choose the answer "
             "that best describes your experience of each over the last 2 weeks.",
    questions=(
        "I've been feeling optimistic about the future",
        "I've been feeling useful",
        "I've been feeling relaxed",
        "I've been dealing with problems well",
        "I've been thinking clearly",
        "I've been feeling close to other people",
        "I've been able to make up my own mind about things",
    ),
    low=1, high=5,
    labels={1: "None of the time", 2: "Rarely", 3: "Some of the time", 4: "Often",
            5: "All of the time"},
    score_names=("wellbeing",), better=(1,),
)  # fmt: skip

UCLA3 = Measure(
    name="UCLA3", title="Three-item loneliness scale (UCLA 3-item)",
    preamble="The next questions are about how you feel about different aspects of your life. "
             "For each one, say how often you feel that way.",
    questions=(
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
    ),
    low=1, high=3, labels={1: "Hardly ever", 2: "Some of the time", 3: "Often"},
    score_names=("loneliness",), better=(-1,),
)  # fmt: skip

MEASURES = {m.name: m for m in (ONS4, SWEMWBS, UCLA3)}
# Each score's name as a person reads it.
SCORE_LABELS = {
    "lifeSatisfaction": "Life satisfaction", "worthwhile": "Worthwhile", "happiness": "Happiness",
    "anxiety": "Anxiety", "wellbeing": "Mental wellbeing", "loneliness": "Loneliness",
}  # fmt: skip

# SWEMWBS raw total (7-35) to metric score: Warwick Medical School's published conversion.
SWEMWBS_METRIC = dict(zip(range(7, 36), (
    7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98,
    18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31,
    30.70, 32.55, 35.00,
), strict=True))  # fmt: skip


def measure(name: str) -> Measure:
    found = MEASURES.get(name)
    if found is None:
        raise InvalidInput("measure", f"{name} is not a measure: one of {', '.join(MEASURES)}")
    return found


def checked(m: Measure, answers: list[int]) -> list[int]:
    """The answers, if there is one per question and each is in range; else an error naming
    ``answers`` that says what was wrong."""
    if len(answers) != len(m.questions):
        raise InvalidInput("answers", f"{m.name} takes {len(m.questions)} answers, "
                                      f"not {len(answers)}")  # fmt: skip
    for i, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int) or not m.low <= answer <= m.high:
            raise InvalidInput("answers", f"answer {i} of {m.name} must be a whole number from "
                                          f"{m.low} to {m.high}, not {answer}")  # fmt: skip
    return list(answers)


def scores(name: str, answers: list[int]) -> list[tuple[str, float]]:
    """The measure's scores, by name, from checked answers."""
    m = measure(name)
    given = checked(m, answers)
    if m is ONS4:
        return [(n, float(a)) for n, a in zip(m.score_names, given, strict=True)]
    if m is SWEMWBS:
        return [("wellbeing", SWEMWBS_METRIC[sum(given)])]
    return [("loneliness", float(sum(given)))]
