"""Batch upserts: idempotent, transactional, and the schema's rules enforced."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph import maintenance, schema
from graph.directory import activities_by_id, upsert_activities, upsert_groups, upsert_venues
from graph.people import people_by_id, upsert_people
from kith.domain import Activity, Group, Person, Session, Venue, VolunteerProfile, Weekday
from kith.errors import Conflict, InvalidInput
from kith.service import Kith
from loaders import demo


def test_loading_the_same_world_twice_changes_nothing(empty: Kith) -> None:
    world = demo.generate(people=150, seed=7)
    demo.load(empty.store, world)
    first = maintenance.counts(empty.store)
    demo.load(empty.store, world)
    assert maintenance.counts(empty.store) == first
    assert first["nodes"] > world.size()  # the taxonomy is there too


def test_records_read_back_as_they_were_written(empty: Kith) -> None:
    world = demo.generate(people=60, seed=2)
    demo.load(empty.store, world)
    ids = [p.id for p in world.people]
    stored = people_by_id(empty.store, ids)
    for person in world.people:
        got = stored[person.id]
        assert (got.name, got.postcode, got.birth_year) == (
            person.name, person.postcode, person.birth_year)  # fmt: skip
        assert sorted(got.interests) == sorted(person.interests)
        assert sorted(got.languages) == sorted(person.languages)
        assert got.cares_for == person.cares_for
        assert got.availability == person.availability
        assert (got.volunteer is None) == (person.volunteer is None)
    activity = world.activities[0]
    assert activities_by_id(empty.store, [activity.id])[activity.id] == replace(
        activity, interests=sorted(activity.interests), supports=sorted(activity.supports)
    )


def test_an_upsert_replaces_links_rather_than_adding_to_them(empty: Kith) -> None:
    volunteer = Person("p-1", "Ann", interests=["knitting", "antiques"],
                       volunteer=VolunteerProfile(skills=["befriending"]))  # fmt: skip
    upsert_people(empty.store, [volunteer])
    volunteer.interests = ["gardening"]
    volunteer.volunteer.skills = ["driving", "listening"]
    upsert_people(empty.store, [volunteer])
    got = people_by_id(empty.store, ["p-1"])["p-1"]
    assert got.interests == ["gardening"]
    assert sorted(got.volunteer.skills) == ["driving", "listening"]


def test_a_failing_batch_leaves_nothing_half_written(empty: Kith) -> None:
    upsert_venues(empty.store, [Venue("v-1", "Hall")])
    upsert_groups(empty.store, [Group("g-1", "Knitters")])
    before = maintenance.counts(empty.store)
    good = Activity(
        "a-good",
        "Knit and Natter",
        "v-1",
        group_id="g-1",
        sessions=[Session(Weekday.TUESDAY, "10:00")],
        interests=["knitting"],
    )
    bad = Activity("a-bad", "Lost Club", "v-missing", group_id="g-1")  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        upsert_activities(empty.store, [good, bad])
    assert error.value.field == "venue"
    assert "'v-missing'" in error.value.reason
    assert maintenance.counts(empty.store) == before
    assert activities_by_id(empty.store, ["a-good", "a-bad"]) == {}


def test_a_second_node_with_the_same_id_is_a_conflict(empty: Kith) -> None:
    upsert_venues(empty.store, [Venue("v-1", "Hall")])
    with pytest.raises(Conflict, match="already exists"):
        empty.store.write(lambda tx: tx.run("CREATE (:Venue {id: 'v-1'})").consume())
    assert maintenance.counts(empty.store)["nodes"] > 0


def test_the_schema_is_applied_idempotently(empty: Kith) -> None:
    def constraints() -> int:
        return len(empty.store.read(lambda tx: tx.run("SHOW CONSTRAINTS").data()))

    before = constraints()
    schema.apply(empty.store)
    assert constraints() == before >= len(schema.NODE_LABELS)


def test_new_people_get_exactly_their_links_whichever_way_they_are_written(empty: Kith) -> None:
    """New nodes are created with their links in one statement; a batch whose targets include a
    node made in the same batch (a carer and the person cared for) goes the slower way. Both
    must give every person exactly their own links."""
    cared = Person("p-cared", "Bob", interests=["knitting"])
    carer = Person("p-carer", "Cy", interests=["gardening", "antiques"], languages=["english"],
                   cares_for=["p-cared"])  # fmt: skip
    alone = Person("p-alone", "Di", languages=["english"])
    upsert_people(empty.store, [cared, carer])  # the carer's target is new in this batch
    upsert_people(empty.store, [alone, replace(carer, id="p-carer-2")])
    got = people_by_id(empty.store, ["p-cared", "p-carer", "p-alone", "p-carer-2"])
    assert got["p-cared"].interests == ["knitting"] and got["p-cared"].languages == []
    for carer_id in ("p-carer", "p-carer-2"):
        assert got[carer_id].interests == ["antiques", "gardening"]
        assert got[carer_id].cares_for == ["p-cared"]
        assert got[carer_id].languages == ["english"]
    assert got["p-alone"].interests == [] and got["p-alone"].cares_for == []


def test_a_new_person_linked_to_nobody_known_is_refused_and_nothing_is_written(
    empty: Kith,
) -> None:
    before = maintenance.counts(empty.store)
    good = Person("p-good", "Ann", interests=["knitting"])
    bad = Person("p-bad", "Eve", interests=["knitting"], cares_for=["p-nobody"])
    with pytest.raises(InvalidInput) as error:
        upsert_people(empty.store, [good, bad])
    assert error.value.field == "caresFor" and "'p-nobody'" in error.value.reason
    assert maintenance.counts(empty.store) == before
    assert people_by_id(empty.store, ["p-good", "p-bad"]) == {}
