"""People, volunteers among them: special-category data, read only through services that
authorise and audit the read."""

from __future__ import annotations

from collections.abc import Iterable

from kith.domain import Person

from . import records
from .links import Link
from .nodes import read_by_ids, upsert_all
from .store import Store

PERSON_LINKS = (
    Link("Person", "ENJOYS", "Interest", "interests"),
    Link("Person", "HAS_STRENGTH", "Skill", "strengths"),
    Link("Person", "OFFERS_SKILL", "Skill", "skills"),
    Link("Person", "LIVES_WITH", "Condition", "conditions"),
    Link("Person", "NEEDS", "Need", "needs"),
    Link("Person", "SPEAKS", "Language", "languages"),
    Link("Person", "CARES_FOR", "Person", "caresFor"),
)


def person_row(p: Person) -> dict:
    return {
        "id": p.id, "props": records.person_props(p), "interests": p.interests,
        "strengths": p.strengths, "skills": p.volunteer.skills if p.volunteer else [],
        "conditions": p.conditions, "needs": p.needs, "languages": p.languages,
        "caresFor": p.cares_for,
    }  # fmt: skip


def upsert_people(store: Store, people: Iterable[Person]) -> int:
    """People and their links. Carers are linked to people written in an earlier batch or this
    one, so a loader writes the cared-for first."""
    return upsert_all(store, "Person", PERSON_LINKS, (person_row(p) for p in people))


def people_by_id(store: Store, ids: list[str]) -> dict[str, Person]:
    return read_by_ids(store, "Person", PERSON_LINKS, ids, records.person_from)
