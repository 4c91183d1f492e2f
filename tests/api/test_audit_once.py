"""Audit events gathered in one write (kith/audit.py ``one_write``): committed together as the
block ends, whether it returned or raised, and never after what it returns has left."""

from __future__ import annotations

import pytest

from kith import audit, suggestions
from kith.accounts import Account, Role, add
from kith.service import Kith


@pytest.fixture(scope="module")
def coordinator(derby: Kith) -> Account:
    return add(derby.store, "Audit once", Role.COORDINATOR)[0]


def test_events_are_written_as_the_block_ends(derby: Kith, coordinator: Account) -> None:
    with audit.one_write(derby.store):
        audit.record(derby.store, coordinator, "person.read", ["once:a"])
        audit.record(derby.store, coordinator, "person.suggested", ["once:a", "once:b"])
        assert audit.about(derby.store, "once:a") == []  # gathered, not yet written
    assert sorted(e.action for e in audit.about(derby.store, "once:a")) == [
        "person.read", "person.suggested"]  # fmt: skip
    assert len(audit.about(derby.store, "once:b")) == 1


def test_events_of_a_block_that_raised_are_written(derby: Kith, coordinator: Account) -> None:
    with pytest.raises(RuntimeError), audit.one_write(derby.store):
        audit.record(derby.store, coordinator, "person.read", ["once:c"], outcome="denied")
        raise RuntimeError("the work failed after the read was refused")
    assert [e.outcome for e in audit.about(derby.store, "once:c")] == ["denied"]


def test_a_buddy_suggestion_commits_its_reads_once(derby: Kith, coordinator: Account) -> None:
    """The person read and the buddies shown, both on the trail when the answer returns."""
    person = next(p for p in derby.volunteer_mirror.current().people if p.consent_to_matching)
    found = suggestions.buddies(derby, coordinator, person.id, 3)
    assert found, "a volunteer in the demo finds buddies"
    read = audit.about(derby.store, person.id)
    assert (read[0].action, read[0].actor) == ("person.read", coordinator.id)
    for s in found:
        assert audit.about(derby.store, s.target.id)[0].action == "person.suggested"
